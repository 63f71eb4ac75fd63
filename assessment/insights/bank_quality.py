"""Bank quality from submitted self-assessments of one bank version, in four queries.

Per competency: α of its self-report statements (reverse-keyed ones flipped first) and of its
scenario items; per statement n, mean, SD and corrected item-total r; per scenario item how
often each response was picked as MOST and as LEAST. Below SCIENCE §7's minimums a value is
not shown. The statistics are stats.items'; the wording and thresholds are readings.py's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func

from assessment.bank.model import Bank, ScenarioItem, Statement, item_from_snapshot
from assessment.extensions import db
from assessment.models import Answer, Candidate, Position, SelfAssessment
from assessment.question_bank import current_bank
from assessment.scoring import scenario_item_score, statement_value, stats
from assessment.scoring.evidence import ScenarioAnswer
from assessment.scoring.stats import items as stats_items

from . import readings


@dataclass(frozen=True)
class StatementLine:
    item: Statement
    summary: stats_items.ItemSummary  # n, mean and SD of the answers as given (1–5)
    item_total: stats.Stat | None  # None: below the α minimum, not shown
    alpha_without: stats.Stat | None
    problems: tuple[str, ...]

    @property
    def shown(self) -> bool:
        return stats_items.enough_for_item(self.summary.n)


@dataclass(frozen=True)
class ResponseLine:
    id: str
    text: str
    key: int
    most: int
    least: int
    most_share: float | None
    least_share: float | None


@dataclass(frozen=True)
class ScenarioLine:
    item: ScenarioItem
    counts: stats_items.PickCounts
    responses: tuple[ResponseLine, ...]
    score: stats_items.ItemSummary  # item scores on 0–100
    problems: tuple[str, ...]

    @property
    def shown(self) -> bool:
        return stats_items.enough_for_item(self.counts.n)


@dataclass(frozen=True)
class CompetencyQuality:
    id: str
    name: str
    statements: tuple[StatementLine, ...]
    scale: stats_items.ScaleAnalysis  # the self-report statements
    scenarios: tuple[ScenarioLine, ...]
    scenario_scale: stats_items.ScaleAnalysis  # α of the scenario item scores: a lower bound

    @property
    def alpha_shown(self) -> bool:
        return self.scale.enough

    @property
    def scenario_alpha_shown(self) -> bool:
        return self.scenario_scale.enough

    @property
    def alpha_problem(self) -> str | None:
        alpha = self.scale.alpha.value if self.scale.enough else None
        return readings.alpha_problem(alpha) if alpha is not None else None


@dataclass(frozen=True)
class BankQuality:
    version: str | None  # None: no submitted self-assessment in scope
    versions: tuple[tuple[str, int], ...]  # (bank version, submitted self-assessments)
    current_version: str
    respondents: int
    position: tuple[int, str] | None
    positions: tuple[tuple[int, str], ...]  # for the filter
    competencies: tuple[CompetencyQuality, ...]

    @property
    def problem_count(self) -> int:
        lines = [x for c in self.competencies for x in (*c.statements, *c.scenarios)]
        return sum(len(x.problems) for x in lines) + sum(
            1 for c in self.competencies if c.alpha_problem
        )


class PositionNotFound(LookupError):
    pass


def bank_quality(position_id: int | None = None, version: str | None = None) -> BankQuality:
    """The item analysis of one bank version (default: the running bank's, if answered)."""
    positions = tuple(
        (pid, title)
        for pid, title in db.session.execute(
            db.select(Position.id, Position.title).order_by(Position.title, Position.id)
        )
    )
    position = next((p for p in positions if p[0] == position_id), None)
    if position_id is not None and position is None:
        raise PositionNotFound(position_id)
    bank = current_bank()
    versions = _versions(position_id)
    counts = dict(versions)
    if version not in counts:
        version = bank.version if bank.version in counts else (versions[0][0] if versions else None)
    competencies: tuple[CompetencyQuality, ...] = ()
    if version is not None:
        items = version_items(bank, version)
        competencies = analyse(bank, items, version_answers(position_id, version, items))
    return BankQuality(
        version=version,
        versions=versions,
        current_version=bank.version,
        respondents=counts.get(version, 0),
        position=position,
        positions=positions,
        competencies=competencies,
    )


def _scope(query, position_id: int | None):
    query = query.where(SelfAssessment.status == "submitted")
    if position_id is not None:
        query = query.join(Candidate, SelfAssessment.candidate_id == Candidate.id).where(
            Candidate.position_id == position_id
        )
    return query


def _versions(position_id: int | None) -> tuple[tuple[str, int], ...]:
    """Bank versions with submitted self-assessments in scope, most answered first."""
    n = func.count(SelfAssessment.id)
    query = _scope(db.select(SelfAssessment.bank_version, n), position_id)
    query = query.group_by(SelfAssessment.bank_version).order_by(n.desc())
    return tuple((v, count) for v, count in db.session.execute(query))


def version_items(bank: Bank, version: str) -> list:
    """The version's items: the running bank's, or one stored snapshot (all hold every item)."""
    if version == bank.version:
        return [*bank.scenarios.values(), *bank.statements.values()]
    snapshot = db.session.scalar(
        db.select(SelfAssessment.items)
        .where(SelfAssessment.bank_version == version, SelfAssessment.status == "submitted")
        .limit(1)
    )
    return [item_from_snapshot(s) for s in snapshot or [] if s["type"] in ("scenario", "statement")]


@dataclass(frozen=True)
class Answers:
    """A bank version's answers in scope, per item and assessment id: a statement's 1–5
    value, a scenario item's (most, least) picks."""

    people: tuple[int, ...]  # assessment ids with an answer in scope
    given: Mapping[str, Mapping[int, Any]]

    def column(self, item_id: str, missing: Any = None) -> list:
        """One item's answers in the order of `people`; `missing` where there is none."""
        mine = self.given.get(item_id, {})
        return [mine.get(p, missing) for p in self.people]


def version_answers(position_id: int | None, version: str, items: Sequence) -> Answers:
    """The statements' and scenario items' answers of the submitted self-assessments."""
    given: dict[str, dict[int, Any]] = {i.id: {} for i in items}
    statements = {i.id for i in items if isinstance(i, Statement)}
    query = _scope(
        db.select(Answer.assessment_id, Answer.item_id, Answer.most, Answer.least, Answer.value)
        .join(SelfAssessment, Answer.assessment_id == SelfAssessment.id)
        .where(SelfAssessment.bank_version == version, Answer.item_id.in_(list(given))),
        position_id,
    )
    people = set()
    # Core rows streamed into one dict per item: this reads every answer in scope.
    for assessment_id, item_id, most, least, value in db.session.connection().execute(query):
        people.add(assessment_id)
        given[item_id][assessment_id] = value if item_id in statements else (most, least)
    return Answers(tuple(sorted(people)), given)


def _natural(item) -> list:
    """Sort key: lead-self-2 before lead-self-10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", item.id)]


def analyse(bank: Bank, items: Sequence, answers: Answers) -> tuple[CompetencyQuality, ...]:
    names = bank.competency_names
    result = []
    for competency in bank.in_order(i.competency for i in items):
        mine = sorted((i for i in items if i.competency == competency), key=_natural)
        statements = [i for i in mine if isinstance(i, Statement)]
        scenarios = [i for i in mine if isinstance(i, ScenarioItem)]
        scale, statement_lines = _statements(statements, answers)
        scenario_scale, scenario_lines = _scenarios(scenarios, answers)
        result.append(
            CompetencyQuality(
                id=competency,
                name=names.get(competency, competency),
                statements=statement_lines,
                scale=scale,
                scenarios=scenario_lines,
                scenario_scale=scenario_scale,
            )
        )
    return tuple(result)


def _by_person(columns: Sequence[Sequence]) -> list[tuple]:
    """Per-item columns turned into per-person rows (persons × items), as α reads them."""
    return list(zip(*columns, strict=True))


def _statements(statements: Sequence[Statement], answers: Answers):
    columns = [answers.column(item.id) for item in statements]
    # §2.3: reverse-keyed statements are flipped (6 − x) before α and item-total r.
    keyed = [
        [None if v is None else statement_value(item, v) for v in col]
        for col, item in zip(columns, statements, strict=True)
    ]
    scale = stats_items.scale_analysis(_by_person(keyed))
    enough = scale.enough
    lines = []
    for j, (item, column) in enumerate(zip(statements, columns, strict=True)):
        summary = stats_items.item_summary(column)
        shown = stats_items.enough_for_item(summary.n)
        r = scale.item_total[j] if enough else None
        problems = readings.statement_problems(
            summary if shown else None, r.value if r is not None else None
        )
        without = scale.alpha_without[j] if enough else None
        lines.append(StatementLine(item, summary, r, without, tuple(problems)))
    return scale, tuple(lines)


def _score_table(item: ScenarioItem) -> dict[tuple[str, str], float]:
    """§2.2's item score of every (most, least) pair, from scoring/, looked up per answer."""
    ids = [r.id for r in item.responses]
    return {
        (m, lst): scenario_item_score(item, ScenarioAnswer(item.id, m, lst))
        for m in ids
        for lst in ids
        if m != lst
    }


def _scenarios(scenarios: Sequence[ScenarioItem], answers: Answers):
    lines, scores = [], []  # item scores per respondent (None: not answered), for α
    for item in scenarios:
        picks = answers.column(item.id, missing=(None, None))
        table = _score_table(item)
        column = [table.get(pick) for pick in picks]
        scores.append(column)
        counts = stats_items.pick_counts(picks, [r.id for r in item.responses])
        summary = stats_items.item_summary(column)
        shown = stats_items.enough_for_item(counts.n)
        problems = readings.scenario_problems(item, counts, summary.mean) if shown else []
        lines.append(ScenarioLine(item, counts, _responses(item, counts), summary, tuple(problems)))
    return stats_items.scale_analysis(_by_person(scores)), tuple(lines)


def _responses(item: ScenarioItem, counts: stats_items.PickCounts) -> tuple[ResponseLine, ...]:
    return tuple(
        ResponseLine(
            r.id,
            r.text,
            r.key,
            counts.most[r.id],
            counts.least[r.id],
            counts.share(counts.most[r.id]),
            counts.share(counts.least[r.id]),
        )
        for r in sorted(item.responses, key=lambda r: r.id)
    )
