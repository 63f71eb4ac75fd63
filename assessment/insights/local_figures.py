"""This company's own figures for the bands, computed from submitted evidence and stored.

SCIENCE §4 and §7: once enough is submitted, bands use local figures instead of defaults.

- per position ("position:<id>"), from its submitted interviews: each competency's
  single-question reliability (its ICC(·,1) stepped down from the position's questions on
  it, ≥ 30 candidates scored by two or more), the mean and SD of its panel scores (≥ 30
  candidates), and how interviewers' errors go together across competencies (halo);
- per bank version ("bank:<version>"), from every submitted self-assessment of it: each
  competency's single-statement and single-scenario-item reliability (α stepped down,
  ≥ 100 complete respondents) and the mean and SD of its scores (≥ 30).

They are computed again when the evidence behind them has grown by a tenth (at least 5
submissions) since last time, so one submission rarely pays for it (comparison/
figures_refresh.py re-bands the summaries then). `flask rebuild-summaries` computes all.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from assessment.bank.model import ScenarioItem, Statement
from assessment.database import upsert_statement
from assessment.extensions import db
from assessment.models import Candidate, Interview, SelfAssessment, utcnow
from assessment.question_bank import current_bank
from assessment.scoring import (
    NO_LOCAL_FIGURES,
    Estimate,
    Figures,
    Norm,
    needed,
    scenario_item_score,
    statement_value,
    stats,
)
from assessment.scoring.evidence import ScenarioAnswer
from assessment.scoring.rounding import coefficient
from assessment.scoring.stats.halo import rater_error_correlation

from . import bank_quality, calibration
from .figures_model import LocalFigures, bank_scope, position_scope

MIN_NORM = 30  # SCIENCE §7: candidates behind a local SD (and mean)
FIRST_AT = 30  # submissions before which no local figure can be met: not computed yet
GROWTH = 0.10  # computed again once the submissions grew by this share ...
MIN_STEP = 5  # ... and by at least this many


def _norm(values: Sequence[float]) -> list | None:
    if len(values) < MIN_NORM:
        return None
    mean, sd = stats.mean_sd(values)
    return [mean, sd, len(values)]


def _questions(questions: Iterable[Mapping[str, Any]], competency: str) -> int:
    return sum(1 for q in questions if q["competency"] == competency)


def position_figures(position_id: int) -> dict[str, list]:
    """The interview's local figures of one position, as stored (JSON lists)."""
    found = calibration.panel_scores(position_id)
    if position_id not in found.positions:
        return _used({})
    questions = found.positions[position_id][1]
    r1, norms = [], []
    for c, agreement in calibration.panel_agreements(
        questions, found.interviews, found.by_competency
    ).items():
        single = agreement.single
        if agreement.form and single.defined:
            q = max(1, _questions(questions, c))
            value = stats.step_down(max(0.0, min(1.0, single.value)), q).value
            basis = f"ICC({agreement.form},1) = {coefficient(single.value)} over {q} question"
            r1.append([c, "interview", value, agreement.n, basis + ("" if q == 1 else "s")])
    panels: dict[int, dict[int, dict[str, float]]] = {}
    by_competency: dict[str, list[float]] = {}
    for (candidate, c), by in found.by_competency.items():
        by_competency.setdefault(c, []).append(stats.to_100(math.fsum(by.values()) / len(by)))
        for rater, score in by.items():
            panels.setdefault(candidate, {}).setdefault(rater, {})[c] = score
    for c, values in by_competency.items():
        norm = _norm(values)
        if norm is not None:
            norms.append([c, "interview", *norm])
    halo, n = rater_error_correlation(panels)
    error_corr = []
    if halo.defined:
        basis = "interviewers' deviations from their panel, correlated across competencies"
        error_corr.append(["interview", halo.value, n, basis])
    return {"r1": r1, "norms": norms, "error_corr": error_corr}


def _person_scores(items: Sequence, answers: bank_quality.Answers) -> dict[tuple, list]:
    """(competency, method) → each respondent's raw score, where §7's minimum is met."""
    scores: dict[tuple, list] = {}
    for c in {i.competency for i in items}:
        for method, kind in (("self", Statement), ("scenario", ScenarioItem)):
            mine = [i for i in items if i.competency == c and isinstance(i, kind)]
            if not mine:
                continue
            columns = [answers.column(i.id) for i in mine]
            for person in zip(*columns, strict=True):
                values = [
                    _item_value(item, given)
                    for item, given in zip(mine, person, strict=True)
                    if given is not None
                ]
                values = [v for v in values if v is not None]
                if len(values) >= needed(len(mine)):
                    scores.setdefault((c, method), []).append(math.fsum(values) / len(values))
    return scores


def _item_value(item, given) -> float | None:
    """A statement's keyed answer on 0–100, or a scenario item's score (None: one pick)."""
    if isinstance(item, Statement):
        return stats.to_100(statement_value(item, given))
    return scenario_item_score(item, ScenarioAnswer(item.id, *given))


def bank_figures(version: str) -> dict[str, list]:
    """The self-assessment's local figures of one bank version, as stored."""
    bank = current_bank()
    items = bank_quality.version_items(bank, version)
    answers = bank_quality.version_answers(None, version, items)
    r1, norms = [], []
    for quality in bank_quality.analyse(bank, items, answers):
        for method, scale, count, noun in (
            ("self", quality.scale, len(quality.statements), "statement"),
            ("scenario", quality.scenario_scale, len(quality.scenarios), "scenario item"),
        ):
            if scale.enough and scale.alpha.defined and count:
                alpha = scale.alpha.value
                value = stats.step_down(max(0.0, min(1.0, alpha)), count).value
                basis = f"α = {coefficient(alpha)} over {count} {noun}{'' if count == 1 else 's'}"
                r1.append([quality.id, method, value, scale.complete, basis])
    for (c, method), values in sorted(_person_scores(items, answers).items()):
        norm = _norm(values)
        if norm is not None:
            norms.append([c, method, *norm])
    return {"r1": r1, "norms": norms, "error_corr": []}


def to_figures(*stored: Mapping[str, list] | None) -> Figures:
    """The Figures of the stored scopes given (later ones win a shared key)."""
    r1, norms, error_corr = {}, {}, {}
    for found in stored:
        if not found:
            continue
        for c, m, value, n, basis in found.get("r1", ()):
            r1[(c, m)] = Estimate(value, n, basis)
        for c, m, mean, sd, n in found.get("norms", ()):
            norms[(c, m)] = Norm(mean, sd, n)
        for m, value, n, basis in found.get("error_corr", ()):
            error_corr[m] = Estimate(value, n, basis)
    if not (r1 or norms or error_corr):
        return NO_LOCAL_FIGURES
    return Figures(r1=r1, norms=norms, error_corr=error_corr)


def stored(scopes: Iterable[str]) -> dict[str, dict]:
    """scope → its stored figures, for the scopes that have any; one query."""
    wanted = sorted(set(scopes))
    if not wanted:
        return {}
    rows = db.session.execute(
        select(LocalFigures.scope, LocalFigures.figures).where(LocalFigures.scope.in_(wanted))
    )
    return {scope: figures for scope, figures in rows}


def figures_of(position_id: int, version: str | None) -> Figures:
    """The figures that band one candidate: their position's, their self-assessment's."""
    scopes = [position_scope(position_id)] + ([bank_scope(version)] if version else [])
    found = stored(scopes)
    return to_figures(*(found.get(s) for s in scopes))


def _basis(scope: str) -> int:
    """Submissions behind a scope: submitted interviews of the position, or submitted
    self-assessments of the bank version."""
    kind, _, key = scope.partition(":")
    if kind == "position":
        query = (
            select(func.count(Interview.id))
            .join(Candidate, Interview.candidate_id == Candidate.id)
            .where(Candidate.position_id == int(key), Interview.status == "submitted")
        )
    else:
        query = select(func.count(SelfAssessment.id)).where(
            SelfAssessment.bank_version == key, SelfAssessment.status == "submitted"
        )
    return db.session.scalar(query) or 0


def update_figures(scope: str, force: bool = False) -> bool:
    """Compute a scope's figures again when due (or `force`), in the caller's write
    transaction; True when what bands use changed. Written with an upsert, so two
    submissions that find the figures due at the same moment do not collide."""
    row = db.session.execute(
        select(LocalFigures.figures, LocalFigures.next_at).where(LocalFigures.scope == scope)
    ).first()
    basis = _basis(scope)
    due = basis >= (row.next_at if row is not None else FIRST_AT)
    if not (force or due):
        return False
    kind, _, key = scope.partition(":")
    figures = position_figures(int(key)) if kind == "position" else bank_figures(key)
    values = {
        "scope": scope,
        "figures": figures,
        "basis": basis,
        "next_at": max(basis + MIN_STEP, math.ceil(basis * (1 + GROWTH)), FIRST_AT),
        "computed_at": utcnow(),
    }
    dialect = db.session.get_bind().dialect.name
    db.session.execute(upsert_statement(LocalFigures.__table__, dialect, ("scope",)), values)
    return _used(figures) != _used(row.figures if row is not None else {})


def _used(figures: Mapping[str, list]) -> dict[str, list]:
    """What bands read of stored figures (no row reads as none of them)."""
    return {key: list(figures.get(key, ())) for key in ("r1", "norms", "error_corr")}
