"""One competency × method: its score, on the method's own scale and on the common one, with
its SEM and band (SCIENCE §2.1–§2.3, §4, §7; docs/scoring.md).

A part's reliability is one rating's (scoring.figures) stepped up by Spearman–Brown to the
ratings behind it: for the interview, k interviewers × the harmonic mean of the questions
each rated (stats.effective_ratings); for scenarios and self-report, the items answered.
So a competency rated on one question gets a wider band than one rated on three, and two
of four statements a wider one than four.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field

from assessment.bank.model import ScenarioItem, Statement, frozen_map

from . import stats
from .evidence import Evidence, ScenarioAnswer
from .figures import DEFAULT, Figures, Source, part_reliability
from .scale import clip_score, to_common
from .stats.raters import DISAGREEMENT_GAP

NOUNS = {"interview": "interview questions", "scenario": "scenario items", "self": "statements"}


@dataclass(frozen=True)
class Part:
    """One competency × method; score None means insufficient evidence, never 0.

    `score`, `sem` and `band` are on the common scale (scoring.scale), which is what the
    overall combines and comparisons compare; `raw` is the method's own 0–100."""

    competency: str
    method: str
    score: float | None
    sem: float | None
    band: tuple[float, float] | None
    default_reliability: bool  # the reliability or the scale rests on a default
    answered: int
    total: int
    reason: str | None
    raw: float | None = None
    ratings: float | None = None  # the effective number of ratings (or items) behind it
    reliability: float | None = None
    reliability_source: Source = DEFAULT
    scale_source: Source = DEFAULT

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


def needed(total: int) -> int:
    """§7: a scenario or self-report competency needs ≥ 2 answered and ≥ half of its items."""
    return max(2, math.ceil(total / 2))


def insufficient(
    competency: str, method: str, answered: int, total: int, need: int, why: str | None = None
) -> Part:
    """A Part with no score and §7's reason (or `why`); never a 0."""
    verb = "rated" if method == "interview" else "answered"
    if why is None and total == 0:
        why = f"no {NOUNS[method]} for this competency"
    elif why is None:
        why = f"{answered} of {total} {NOUNS[method]} {verb} (needs {need})"
    return Part(
        competency,
        method,
        None,
        None,
        None,
        False,
        answered,
        total,
        f"insufficient evidence: {why}",
    )


def make_part(
    competency: str,
    method: str,
    raw: float,
    ratings: float,
    counts: tuple[int, int],
    figures: Figures,
) -> Part:
    """The part from its raw score and the effective number of ratings behind it: the
    reliability stepped up to them, the score on the common scale, SEM = SD·√(1 − r) and
    the 95 % band. Reweighting and re-banding a stored summary call this too."""
    stats.require_finite(score=raw, ratings=ratings)
    r1, r_source = figures.single_reliability(competency, method)
    r = part_reliability(r1, ratings)
    common, sd, scale_source = to_common(figures, competency, method, raw)
    sem = stats.sem(sd, r).value
    score = clip_score(common)
    default = not (r_source.local and scale_source.local)
    band = stats.band(score, sem, 0, 100)
    return Part(
        competency, method, score, sem, band, default, *counts, None,
        raw=raw, ratings=ratings, reliability=r,
        reliability_source=r_source, scale_source=scale_source,
    )  # fmt: skip


def score_interview(evidence: Evidence, c: str) -> InterviewPart:
    """§2.1: I_ci over the questions i rated; P_c over interviewers; each counts once."""
    qids = {q.id for q in evidence.questions if q.competency == c}
    by: dict[str, list[int]] = {}
    for rating in evidence.ratings:
        values = by.setdefault(rating.interviewer, [])
        if rating.question_id in qids and rating.value is not None:
            values.append(rating.value)
    by_interviewer = {who: statistics.fmean(v) if v else None for who, v in by.items()}
    counts = [len(v) for v in by.values() if v]
    rated = {
        r.question_id for r in evidence.ratings if r.question_id in qids and r.value is not None
    }
    if not counts:
        why, n = None, evidence.open_interviews
        if n and not evidence.ratings:
            why = f"no submitted interview yet ({n} in progress, not counted)"
        elif n and qids:
            why = f"0 of {len(qids)} {NOUNS['interview']} rated (needs 1); "
            why += f"{n} in progress, not counted"
        base = insufficient(c, "interview", len(rated), len(qids), 1, why)
        return InterviewPart(**vars(base), by_interviewer=frozen_map(by_interviewer))
    scores = [s for s in by_interviewer.values() if s is not None]
    panel = statistics.fmean(scores)
    ratings = stats.effective_ratings(counts)
    base = make_part(
        c, "interview", stats.to_100(panel), ratings, (len(rated), len(qids)), evidence.figures
    )
    spread = max(scores) - min(scores) if len(scores) >= 2 else None
    return InterviewPart(
        **vars(base),
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
    if evidence.self_assessment_open and not item_scores:
        why = "self-assessment in progress, not counted"
        return insufficient(c, method, 0, total, needed(total), why)
    need = needed(total)
    if len(item_scores) < need:
        return insufficient(c, method, len(item_scores), total, need)
    raw = statistics.fmean(item_scores)
    n = len(item_scores)
    return make_part(c, method, raw, n, (n, total), evidence.figures)


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
