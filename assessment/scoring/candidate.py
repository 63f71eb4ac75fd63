"""A candidate's scores: ratings and answers → part scores, bands, the overall and flags
(SCIENCE §2–§7)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assessment.bank.model import DEFAULT_METHOD_WEIGHTS, ScenarioItem, Statement, frozen_map

from . import stats
from .evidence import Evidence, ScenarioAnswer, check_evidence
from .evidence import Rating as Rating
from .evidence import Reliability as Reliability
from .evidence import StatementAnswer as StatementAnswer
from .quality import Flag, response_flags
from .stats.raters import DISAGREEMENT_GAP

DEFAULT_INTERVIEW_R1 = 0.44  # Huffcutt et al. (2013), separate interviews
DEFAULT_R = {"scenario": 0.50, "self": 0.70}  # planning values, not findings (§4)
DEFAULT_SD = 20.0  # on 0–100 for every method; 0.8 on 1–5 for the interview
SELF_GAP = 25.0  # on 0–100: one anchor step
MIN_WEIGHT_SHARE = 0.5
NOUNS = {"interview": "interview questions", "scenario": "scenario items", "self": "statements"}


@dataclass(frozen=True)
class Part:
    """One competency × method on 0–100; score None means insufficient evidence, never 0."""

    competency: str
    method: str
    score: float | None
    sem: float | None  # 0–100 units
    band: tuple[float, float] | None
    default_reliability: bool
    answered: int
    total: int
    reason: str | None

    @property
    def label(self) -> str | None:
        return stats.advisory_label(*self.band) if self.band else None


@dataclass(frozen=True)
class InterviewPart(Part):
    panel: float | None = None  # P_c on 1–5
    by_interviewer: Mapping[str, float | None] = field(default_factory=frozen_map)
    single_interviewer: bool = False
    spread: float | None = None  # None with fewer than 2 scores: not evaluated
    disagreement: bool | None = None  # None = not evaluated, never "agreement"


@dataclass(frozen=True)
class CompetencyScore:
    competency: str
    weight: float
    interview: InterviewPart
    scenario: Part
    self: Part  # "self-view", not personality
    self_gap: float | None  # self − interview on 0–100
    self_gap_flag: bool | None  # None = not evaluated

    def part(self, method: str) -> Part:
        return getattr(self, method)


@dataclass(frozen=True)
class Overall:
    score: float | None
    sem: float | None
    band: tuple[float, float] | None
    label: str | None
    weight_present: float
    weight_total: float
    missing: tuple[tuple[str, str], ...]  # (competency, method) left out
    reason: str | None
    default_reliability: bool


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


def needed(total: int) -> int:
    """§7: a scenario or self-report competency needs ≥ 2 answered and ≥ half of its items."""
    return max(2, math.ceil(total / 2))


def insufficient(competency: str, method: str, answered: int, total: int, need: int) -> Part:
    """A Part with no score and §7's reason; never a 0."""
    verb = "rated" if method == "interview" else "answered"
    if total == 0:
        why = f"insufficient evidence: no {NOUNS[method]} for this competency"
    else:
        why = f"insufficient evidence: {answered} of {total} {NOUNS[method]} {verb} (needs {need})"
    return Part(competency, method, None, None, None, False, answered, total, why)


def scored(
    evidence: Evidence, c: str, method: str, score: float, r: float | None, n: tuple[int, int]
) -> Part:
    """A Part with SEM and band on 0–100; r None means use the method's default."""
    local_sd = evidence.reliability.sd.get((c, method))
    sd = DEFAULT_SD if local_sd is None else local_sd
    sem = stats.sem(sd, DEFAULT_R[method] if r is None else r).value
    default = local_sd is None or r is None
    return Part(c, method, score, sem, stats.band(score, sem, 0, 100), default, n[0], n[1], None)


def score_interview(evidence: Evidence, c: str) -> InterviewPart:
    """§2.1: I_ci over the questions i rated; P_c over interviewers; each counts once."""
    qids = {q.id for q in evidence.questions if q.competency == c}
    by: dict[str, list[int]] = {}
    for rating in evidence.ratings:
        values = by.setdefault(rating.interviewer, [])
        if rating.question_id in qids and rating.value is not None:
            values.append(rating.value)
    by_interviewer = {who: statistics.fmean(v) if v else None for who, v in by.items()}
    scores = [s for s in by_interviewer.values() if s is not None]
    rated = {
        r.question_id for r in evidence.ratings if r.question_id in qids and r.value is not None
    }
    if not scores:
        base = insufficient(c, "interview", len(rated), len(qids), 1)
        return InterviewPart(**vars(base), by_interviewer=frozen_map(by_interviewer))
    local_r1 = evidence.reliability.interview_r1.get(c)
    r1 = stats.clamp(DEFAULT_INTERVIEW_R1 if local_r1 is None else local_r1, 0.0, 1.0)
    r = stats.spearman_brown(r1, len(scores)).value
    panel = statistics.fmean(scores)
    base = scored(evidence, c, "interview", stats.to_100(panel), r, (len(rated), len(qids)))
    spread = max(scores) - min(scores) if len(scores) >= 2 else None
    return InterviewPart(
        **{**vars(base), "default_reliability": base.default_reliability or local_r1 is None},
        panel=panel,
        by_interviewer=frozen_map(by_interviewer),
        single_interviewer=len(scores) == 1,
        spread=spread,
        disagreement=None if spread is None else spread >= DISAGREEMENT_GAP - stats.EPS,
    )


def scenario_item_score(item: ScenarioItem, answer: ScenarioAnswer) -> float | None:
    """§2.2: 100·(s + R)/(2R); None unless both picks exist. Bad picks are a caller bug."""
    keys = item.keys
    for pick in (answer.most, answer.least):
        if pick is not None and pick not in keys:
            raise ValueError(f"scenario {item.id}: unknown response {pick!r}")
    if answer.most is not None and answer.most == answer.least:
        raise ValueError(f"scenario {item.id}: the same response picked as most and least")
    if item.key_range == 0:
        raise ValueError(f"scenario {item.id}: all keys equal, the item cannot discriminate")
    if answer.most is None or answer.least is None:
        return None
    r = item.key_range
    return 100 * (keys[answer.most] - keys[answer.least] + r) / (2 * r)


def _score_items(
    evidence: Evidence, c: str, method: str, item_scores: list[float], total: int
) -> Part:
    need = needed(total)
    if len(item_scores) < need:
        return insufficient(c, method, len(item_scores), total, need)
    alpha = evidence.reliability.alpha.get((c, method))
    score = statistics.fmean(item_scores)
    return scored(evidence, c, method, score, alpha, (len(item_scores), total))


def score_scenario(evidence: Evidence, c: str) -> Part:
    """§2.2 competency: mean of the answered item scores, with §7's minimum."""
    answers = {a.item_id: a for a in evidence.scenario_answers}
    items = [s for s in evidence.scenarios if s.competency == c]
    results = [scenario_item_score(s, answers[s.id]) for s in items if s.id in answers]
    return _score_items(evidence, c, "scenario", [x for x in results if x is not None], len(items))


def statement_value(statement: Statement, value: int) -> int:
    return 6 - value if statement.reverse else value


def score_self(evidence: Evidence, c: str) -> Part:
    """§2.3: reverse-keyed flipped, mean rescaled to 0–100; validity items never scored."""
    given = {a.item_id: a.value for a in evidence.statement_answers if a.value is not None}
    items = [s for s in evidence.statements if s.competency == c]
    values = [stats.to_100(statement_value(s, given[s.id])) for s in items if s.id in given]
    return _score_items(evidence, c, "self", values, len(items))


# Method kind → the function scoring one competency; a new kind registers here
# (and gets a field on CompetencyScore).
METHOD_SCORERS: dict[str, Callable[[Evidence, str], Part]] = {
    "interview": score_interview,
    "scenario": score_scenario,
    "self": score_self,
}


def combine_overall(weighted: list[tuple[Part, float]]) -> Overall:
    """§2.4 and §4: weighted mean of the parts present, SEM assuming independent errors."""
    weighted = [(p, w) for p, w in weighted if w > 0]
    present = [(p, w) for p, w in weighted if p.score is not None]
    total = sum(w for _, w in weighted)
    have = sum(w for _, w in present)
    missing = tuple((p.competency, p.method) for p, w in weighted if p.score is None)
    default = any(p.default_reliability for p, _ in present)
    if total == 0 or have < MIN_WEIGHT_SHARE * total - stats.EPS:
        share = 100 * have / total if total else 0
        why = (
            f"insufficient evidence: the parts present carry {share:.0f}% of the weight (needs 50%)"
        )
        return Overall(None, None, None, None, have, total, missing, why, default)
    score = sum(w * p.score for p, w in present) / have
    sem = math.sqrt(sum((w / have) ** 2 * p.sem**2 for p, w in present))
    band = stats.band(score, sem, 0, 100)
    return Overall(
        score, sem, band, stats.advisory_label(*band), have, total, missing, None, default
    )


def combine_competency(cs: CompetencyScore, method_weights: Mapping[str, float]) -> Overall:
    """One competency over its methods, combined as the overall combines parts (SCIENCE §2.4,
    §4): weighted by the method weights, with its SEM and band; insufficient under half."""
    return combine_overall([(cs.part(m), method_weights.get(m, 0.0)) for m in METHOD_SCORERS])


def competency_flags(cs: CompetencyScore) -> list[Flag]:
    """Disagreement (§2.1) and self-view gap (§2.4) flags; they never enter a score. The
    message leaves the competency out: every page shows it with the competency's name."""
    flags, part = [], cs.interview
    if part.disagreement:
        scores = [s for s in part.by_interviewer.values() if s is not None]
        lo, hi = min(scores), max(scores)
        message = (
            f"Interviewer scores range from {lo:.1f} to {hi:.1f} "
            f"(spread {part.spread:.1f} on 1–5); worth a look"
        )
        flags.append(Flag("disagreement", message, competency=cs.competency))
    if cs.self_gap_flag:
        message = (
            f"Self-view is {cs.self_gap:.0f} points above the interview "
            f"panel score ({cs.self.score:.0f} vs {cs.interview.score:.0f} on 0–100), "
            "a difference in views; worth a look"
        )
        flags.append(Flag("self_gap", message, competency=cs.competency))
    return flags


def _competency(evidence: Evidence, c: str, weight: float) -> CompetencyScore:
    parts = {method: scorer(evidence, c) for method, scorer in METHOD_SCORERS.items()}
    view, panel = parts["self"].score, parts["interview"].score
    gap = None if view is None or panel is None else view - panel
    gap_flag = None if gap is None else gap >= SELF_GAP - stats.EPS
    return CompetencyScore(c, weight, **parts, self_gap=gap, self_gap_flag=gap_flag)


def combine_weighted(
    competencies: Iterable[tuple[float, Callable[[str], Any]]], method_weights: Mapping[str, float]
) -> Overall:
    """The overall of (competency weight, its part by method) pairs: each part weighted by
    its competency's weight × its method's, in METHOD_SCORERS order (so a summary row
    reweighted from its stored parts gets the very same floating-point result)."""
    return combine_overall(
        [
            (part_of(m), weight * method_weights.get(m, 0.0))
            for weight, part_of in competencies
            for m in METHOD_SCORERS
        ]
    )


def score_candidate(evidence: Evidence) -> CandidateScore:
    """Score every competency of the kit, the overall and the flags; flags never move a score."""
    check_evidence(evidence)
    competencies = tuple(_competency(evidence, c, w) for c, w in evidence.weights.items())
    method_weights = evidence.method_weights or DEFAULT_METHOD_WEIGHTS
    overall = combine_weighted(((cs.weight, cs.part) for cs in competencies), method_weights)
    quality = response_flags(
        evidence.statements,
        evidence.validity,
        evidence.scenario_answers,
        evidence.statement_answers,
    )
    flags = [f for cs in competencies for f in competency_flags(cs)] + list(quality.flags)
    return CandidateScore(competencies, overall, tuple(flags), quality.not_evaluated)
