"""A candidate's scores: every competency × method of the kit, the overall and the flags
(SCIENCE §2–§7 as docs/scoring.md revises them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assessment.bank.model import DEFAULT_METHOD_WEIGHTS

from . import stats
from .combine import Overall, combine_weighted
from .evidence import Evidence, check_evidence
from .parts import InterviewPart, Part, score_interview, score_scenario, score_self
from .quality import Flag, response_flags
from .rounding import number

SELF_GAP = 25.0  # on the common 0–100 scale: one anchor step

# Method kind → the function scoring one competency; a new kind registers here
# (and gets a field on CompetencyScore).
METHOD_SCORERS: dict[str, Callable[[Evidence, str], Part]] = {
    "interview": score_interview,
    "scenario": score_scenario,
    "self": score_self,
}


@dataclass(frozen=True)
class CompetencyScore:
    competency: str
    weight: float
    interview: InterviewPart
    scenario: Part
    self: Part  # "self-view", not personality
    self_gap: float | None  # self − interview on the common scale
    self_gap_flag: bool | None  # None = not evaluated

    def part(self, method: str) -> Part:
        return getattr(self, method)


@dataclass(frozen=True)
class CandidateScore:
    competencies: tuple[CompetencyScore, ...]
    overall: Overall
    flags: tuple[Flag, ...]
    not_evaluated: tuple[str, ...] = ()  # quality checks skipped for too little data (§7)

    def competency(self, competency_id: str) -> CompetencyScore:
        for c in self.competencies:
            if c.competency == competency_id:
                return c
        raise KeyError(competency_id)


def self_gap(view: Part, panel: Part) -> tuple[float | None, bool | None]:
    """(self-view − interview on the common scale, flagged); (None, None) unless both exist.
    On the common scale the gap is about standing among candidates: applicants' general
    inflation of their self-view no longer raises it."""
    if view.score is None or panel.score is None:
        return None, None
    gap = view.score - panel.score
    return gap, gap >= SELF_GAP - stats.EPS


def competency_flags(cs: CompetencyScore) -> list[Flag]:
    """Disagreement (§2.1) and self-view gap (§2.4) flags; they never enter a score. The
    message leaves the competency out: every page shows it with the competency's name."""
    flags, part = [], cs.interview
    if part.disagreement:
        scores = [s for s in part.by_interviewer.values() if s is not None]
        lo, hi = min(scores), max(scores)
        message = (
            f"Interviewer scores range from {number(lo, 1)} to {number(hi, 1)} "
            f"(spread {number(part.spread, 1)} on 1–5); worth a look"
        )
        flags.append(Flag("disagreement", message, competency=cs.competency))
    if cs.self_gap_flag:
        message = (
            f"Self-view is {number(cs.self_gap)} points above the interview "
            f"panel score ({number(cs.self.score)} vs {number(cs.interview.score)} on the "
            "common 0–100 scale), a difference in views; worth a look"
        )
        flags.append(Flag("self_gap", message, competency=cs.competency))
    return flags


def _competency(evidence: Evidence, c: str, weight: float) -> CompetencyScore:
    parts = {method: scorer(evidence, c) for method, scorer in METHOD_SCORERS.items()}
    gap, flagged = self_gap(parts["self"], parts["interview"])
    return CompetencyScore(c, weight, **parts, self_gap=gap, self_gap_flag=flagged)


def score_candidate(evidence: Evidence) -> CandidateScore:
    """Score every competency of the kit, the overall and the flags; flags never move a score."""
    check_evidence(evidence)
    competencies = tuple(_competency(evidence, c, w) for c, w in evidence.weights.items())
    method_weights = evidence.method_weights or DEFAULT_METHOD_WEIGHTS
    overall = combine_weighted(
        ((cs.weight, cs.part) for cs in competencies), method_weights, evidence.figures
    )
    quality = response_flags(
        evidence.statements,
        evidence.validity,
        evidence.scenario_answers,
        evidence.statement_answers,
    )
    flags = [f for cs in competencies for f in competency_flags(cs)] + list(quality.flags)
    return CandidateScore(competencies, overall, tuple(flags), quality.not_evaluated)
