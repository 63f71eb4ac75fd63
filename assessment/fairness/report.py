"""The adverse-impact report (/fairness, HR and admins): the one reader of self-identification.

It reads every candidate's latest decision, self-identified groups, scores and scenario item
scores in four queries, counts and suppresses over all positions at once (so every page and
the CSV hide the same cells), then builds the tables of the scope asked for.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func

from assessment.bank.model import ScenarioItem
from assessment.comparison.summary_model import CandidateSummary
from assessment.extensions import db
from assessment.models import Answer, Candidate, Decision, Position, SelfAssessment
from assessment.question_bank import current_bank
from assessment.scorecard.export import safe_cell
from assessment.scoring import scenario_item_score
from assessment.scoring.evidence import ScenarioAnswer

from .differences import DifferenceTable, DifTable, dif_table, difference_tables
from .groups import DECLINED, DIMENSIONS
from .models import SelfIdentification
from .outcomes import latest_decisions
from .people import ALL, OVERALL, Person, part_keys, parts_from_summary
from .selection import TABLES, SelectionTable, count_cells, hidden_cells, selection_table


class PositionNotFound(LookupError):
    pass


@dataclass(frozen=True)
class FairnessReport:
    scope: tuple[int, str] | None  # None: all positions
    positions: tuple[tuple[int, str], ...]
    decided: int  # candidates with a final decision (advance or decline) in scope
    open: int  # candidates in scope still without one (held or undecided): not counted
    selection: tuple[SelectionTable, ...]
    parts: tuple[str, ...]  # part keys, the rows of the difference tables
    differences: tuple[DifferenceTable, ...]
    dif: DifTable
    competency_names: dict[str, str]


def load_people() -> list[Person]:
    """Every candidate with what the reports read about them (item scores too)."""
    latest = latest_decisions()
    who = SelfIdentification
    rows = db.session.execute(
        db.select(
            Candidate.id,
            Candidate.position_id,
            Decision.decision,
            *(getattr(who, d) for d in DIMENSIONS),
            CandidateSummary.overall,
            CandidateSummary.competencies,
        )
        .outerjoin(latest, latest.c.candidate_id == Candidate.id)
        .outerjoin(Decision, Decision.id == latest.c.id)
        .outerjoin(who, who.candidate_id == Candidate.id)
        .outerjoin(CandidateSummary, CandidateSummary.candidate_id == Candidate.id)
        .order_by(Candidate.id)
    )
    items = item_scores()
    people = []
    for cid, position_id, decision, *groups, overall, competencies in rows:
        answers = {
            d: (g if g != DECLINED else None) for d, g in zip(DIMENSIONS, groups, strict=True)
        }
        parts = parts_from_summary(overall, competencies)
        people.append(Person(cid, position_id, decision, answers, parts, items.get(cid, {})))
    return people


def item_scores() -> dict[int, dict[str, float]]:
    """Candidate id → scenario item id → item score (0-100), from each candidate's latest
    submitted self-assessment, scored on the keys its own snapshot holds.

    Self-assessments of one bank version share their keys (the order shown aside), so the
    keys are read from one of them per version, and each (version, item, picks) is scored
    once: thousands of answers take a few distinct scorings."""
    submitted = SelfAssessment.status == "submitted"
    samples = db.session.execute(
        db.select(SelfAssessment.bank_version, func.min(SelfAssessment.id))
        .where(submitted)
        .group_by(SelfAssessment.bank_version)
    ).all()
    keyed: dict[str, dict[str, ScenarioItem]] = {}
    for version, sample_id in samples:
        snapshots = db.session.scalar(
            db.select(SelfAssessment.items).where(SelfAssessment.id == sample_id)
        )
        keyed[version] = {
            s["id"]: ScenarioItem.from_snapshot(s) for s in snapshots if s["type"] == "scenario"
        }
    rows = db.session.execute(
        db.select(
            SelfAssessment.candidate_id, SelfAssessment.id, SelfAssessment.bank_version,
            Answer.item_id, Answer.most, Answer.least,
        )
        .join(Answer, Answer.assessment_id == SelfAssessment.id)
        .where(submitted, Answer.most.is_not(None), Answer.least.is_not(None))
    )  # fmt: skip
    scored: dict[tuple, float] = {}
    latest: dict[int, tuple[int, dict[str, float]]] = {}
    for cid, aid, version, item_id, most, least in rows:
        item = keyed.get(version, {}).get(item_id)
        if item is None:
            continue
        held = latest.get(cid)
        if held is None or aid > held[0]:  # a later submitted assessment replaces it
            held = latest[cid] = (aid, {})
        elif aid < held[0]:
            continue
        key = (version, item_id, most, least)
        if key not in scored:
            scored[key] = scenario_item_score(item, ScenarioAnswer(item_id, most, least))
        held[1][item_id] = scored[key]
    return {cid: scores for cid, (_, scores) in latest.items()}


def _positions() -> tuple[tuple[int, str], ...]:
    rows = db.session.execute(
        db.select(Position.id, Position.title).order_by(Position.title, Position.id)
    )
    return tuple((pid, title) for pid, title in rows)


def fairness_report(position_id: int | None = None) -> FairnessReport:
    """The report of one position, or of all positions together (None)."""
    positions = _positions()
    chosen = next((p for p in positions if p[0] == position_id), None)
    if position_id is not None and chosen is None:
        raise PositionNotFound(position_id)
    people = load_people()
    ids = [pid for pid, _ in positions]
    cells = count_cells(people, ids)
    hidden = hidden_cells(cells, ids)
    scope = ALL if position_id is None else position_id
    mine = [p for p in people if p.in_scope(scope)]
    bank = current_bank()
    scored = {part for p in mine for part in p.parts}
    competencies = bank.in_order({k.split(":")[0] for k in scored if k != OVERALL})
    parts = tuple(k for k in part_keys(competencies) if k in scored)
    answered = {item for p in mine for item in p.items}
    items = [i for i in bank.scenarios if i in answered] + sorted(answered - bank.scenarios.keys())
    return FairnessReport(
        scope=chosen,
        positions=positions,
        decided=sum(p.decided for p in mine),
        open=sum(not p.decided for p in mine),
        selection=tuple(selection_table(scope, t, cells, hidden) for t in TABLES),
        parts=parts,
        differences=difference_tables(mine, parts),
        dif=dif_table(mine, items),
        competency_names=bank.competency_names,
    )


CSV_HEADER = (
    "scope", "table", "group", "candidates", "advanced", "selection rate",
    "impact ratio", "impact ratio 95% low", "impact ratio 95% high", "reference group",
    "below four-fifths", "Fisher exact p (two-sided)", "Z_IR", "Z_IR p (two-sided)",
    "low power (under 30)", "hidden because",
)  # fmt: skip


def _number(value: float | None) -> float | str:
    return "" if value is None else round(value, 4)


def _p(value: float | None) -> float | str:
    """A p value to four significant digits: .003409 keeps its meaning, 0.0034 would not."""
    return "" if value is None else float(f"{value:.4g}")


def _csv_row(scope: str, table: SelectionTable, row) -> list:
    stat = lambda s: _number(s.value) if s is not None else ""  # noqa: E731
    fisher = row.fisher.value if row.fisher is not None else None
    low, high = row.interval or (None, None)
    flag = "" if row.flagged is None else ("yes" if row.flagged else "no")
    return [
        safe_cell(scope), table.title, row.label,
        "" if row.candidates is None else row.candidates,
        "" if row.selected is None else row.selected,
        _number(row.rate), stat(row.ratio), _number(low), _number(high),
        "yes" if row.reference else "", flag, _p(fisher), stat(row.z), _p(row.z_p),
        "yes" if row.low_power else "", row.hidden or "",
    ]  # fmt: skip


def fairness_csv() -> bytes:
    """Every position's tables and the overall ones, one row per group (UTF-8 with BOM)."""
    positions = _positions()
    people = load_people()
    ids = [pid for pid, _ in positions]
    cells = count_cells(people, ids)
    hidden = hidden_cells(cells, ids)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for scope, name in ((ALL, "All positions"), *positions):
        for table_name in TABLES:
            table = selection_table(scope, table_name, cells, hidden)
            for row in (*table.rows, table.undisclosed):
                writer.writerow(_csv_row(name, table, row))
    return out.getvalue().encode("utf-8-sig")


def scenario_labels(item_ids: Sequence[str]) -> dict[str, str]:
    """A short label per scenario item: its id and the start of its situation."""
    bank = current_bank()
    labels = {}
    for item_id in item_ids:
        item = bank.scenarios.get(item_id)
        words = item.situation.split()[:10] if item else []
        labels[item_id] = " ".join(words) + (
            "…" if item and len(item.situation.split()) > 10 else ""
        )
    return labels
