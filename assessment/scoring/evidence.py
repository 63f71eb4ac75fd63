"""What a candidate's scoring rests on: submitted ratings and answers, kit weights, and the
figures bands rest on (scoring.figures). Drafts never enter: the caller leaves them out
and only counts them, so a part can say "in progress, not counted"."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from assessment.bank.model import (
    InterviewQuestion,
    ScenarioItem,
    Statement,
    ValidityItem,
)

from .figures import NO_LOCAL_FIGURES, Figures
from .stats import NotANumber


@dataclass(frozen=True)
class Rating:
    interviewer: str
    question_id: str
    value: int | None  # None = "not covered": left out, never low


@dataclass(frozen=True)
class ScenarioAnswer:
    item_id: str
    most: str | None
    least: str | None
    ms: int | None = None  # time from showing the item to its first answer


@dataclass(frozen=True)
class StatementAnswer:
    """An answer to a self-report statement or a validity item."""

    item_id: str
    value: int | None
    ms: int | None = None
    position: int | None = None  # order shown


@dataclass(frozen=True)
class Evidence:
    weights: Mapping[str, float]  # kit competency weights, in display order
    method_weights: Mapping[str, float]  # empty → DEFAULT_METHOD_WEIGHTS
    questions: tuple[InterviewQuestion, ...]
    ratings: tuple[Rating, ...] = ()
    scenarios: tuple[ScenarioItem, ...] = ()
    statements: tuple[Statement, ...] = ()
    validity: tuple[ValidityItem, ...] = ()
    scenario_answers: tuple[ScenarioAnswer, ...] = ()
    statement_answers: tuple[StatementAnswer, ...] = ()
    figures: Figures = NO_LOCAL_FIGURES
    open_interviews: int = 0  # interviews in progress: their ratings are not here
    self_assessment_open: bool = False  # a self-assessment in progress: no answers here


def _check_value(value: int | None, where: str) -> None:
    if value is not None and (isinstance(value, bool) or value not in (1, 2, 3, 4, 5)):
        raise ValueError(f"{where}: {value!r} is not an answer on 1–5")


def _check_unique(keys: list, what: str) -> None:
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate {what}: the app saves one answer per item")


def check_evidence(evidence: Evidence) -> None:
    """Raise ValueError on input the app should have rejected earlier (NotANumber for a NaN
    or infinite weight: refused, never turned into a score)."""
    named = {
        **{f"the weight of {c}": w for c, w in evidence.weights.items()},
        **{f"the {m} method's weight": w for m, w in evidence.method_weights.items()},
    }
    for name, w in named.items():
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w):
            raise NotANumber(f"{name} is not a number ({w!r})")
        if w < 0:
            raise ValueError("weights cannot be negative")
    questions = {q.id for q in evidence.questions}
    for r in evidence.ratings:
        if r.question_id not in questions:
            raise ValueError(f"rating for unknown question {r.question_id!r}")
        _check_value(r.value, f"rating of {r.question_id} by {r.interviewer}")
    _check_unique([(r.interviewer, r.question_id) for r in evidence.ratings], "rating")
    scenarios = {s.id for s in evidence.scenarios}
    statements = {s.id for s in (*evidence.statements, *evidence.validity)}
    for a in evidence.scenario_answers:
        if a.item_id not in scenarios:
            raise ValueError(f"answer to unknown scenario item {a.item_id!r}")
    for a in evidence.statement_answers:
        if a.item_id not in statements:
            raise ValueError(f"answer to unknown statement {a.item_id!r}")
        _check_value(a.value, f"answer to {a.item_id}")
    _check_unique([a.item_id for a in evidence.scenario_answers], "scenario answer")
    _check_unique([a.item_id for a in evidence.statement_answers], "statement answer")
    for a in (*evidence.scenario_answers, *evidence.statement_answers):
        if a.ms is not None and a.ms < 0:
            raise ValueError(f"negative response time on {a.item_id}")
