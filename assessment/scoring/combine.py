"""Parts combined into an overall, or one competency over its methods (SCIENCE §2.4, §4).

The score is the weighted mean of the parts present, on the common scale. Its SEM counts
that one method's errors go together across competencies (scoring.figures: halo for the
interview, response style for self-report; stats.composite), so it is wider than the
independent-errors SEM of SCIENCE §4. No overall without the interview, nor when the parts
present carry under half of the weight: the interview anchors the scale, and an overall
from the self-assessment alone would rest on the methods that applicants inflate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import stats
from .figures import NO_LOCAL_FIGURES, Figures, Source
from .rounding import percent
from .stats.composite import composite_sem

MIN_WEIGHT_SHARE = 0.5
REQUIRED_METHOD = "interview"
METHOD_ORDER = ("interview", "scenario", "self")  # how parts are combined, always
NO_INTERVIEW = "insufficient evidence: no submitted interview yet (the overall needs one)"


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
    # method → (the error correlation assumed between its competencies, its source), for
    # the methods of two or more parts present
    error_correlations: Mapping[str, tuple[float, Source]] | None = None


def _present_share(have: float, total: float) -> str:
    share = percent(have / total if total else 0)
    return f"insufficient evidence: the parts present carry {share} of the weight (needs 50%)"


def combine_overall(
    weighted: list[tuple[Any, float]], figures: Figures = NO_LOCAL_FIGURES
) -> Overall:
    """Weighted mean of the parts present, with the SEM of a composite whose parts' errors
    correlate within a method (between competencies) and not between methods."""
    for _, w in weighted:
        stats.require_finite(weight=w)
    weighted = [(p, w) for p, w in weighted if w > 0]
    present = [(p, w) for p, w in weighted if p.score is not None]
    total = sum(w for _, w in weighted)
    have = sum(w for _, w in present)
    missing = tuple((p.competency, p.method) for p, w in weighted if p.score is None)
    default = any(p.default_reliability for p, _ in present)
    if total == 0 or have < MIN_WEIGHT_SHARE * total - stats.EPS:
        return Overall(
            None, None, None, None, have, total, missing, _present_share(have, total), default
        )
    if not any(p.method == REQUIRED_METHOD for p, _ in present):
        return Overall(None, None, None, None, have, total, missing, NO_INTERVIEW, default)
    score = sum(w * p.score for p, w in present) / have
    methods = [p.method for p, _ in present]
    used = {m: figures.error_correlation(m) for m in sorted(set(methods)) if methods.count(m) > 1}
    default = default or any(not source.local and rho > 0 for rho, source in used.values())

    def error_corr(i: int, j: int) -> float:
        a, b = present[i][0], present[j][0]
        if a.method != b.method or a.competency == b.competency:
            return 0.0
        return used[a.method][0]

    sem = composite_sem([w / have for _, w in present], [p.sem for p, _ in present], error_corr)
    band = stats.band(score, sem, 0, 100)
    label = stats.advisory_label(*band)
    return Overall(score, sem, band, label, have, total, missing, None, default, used)


def combine_competency(
    cs: Any, method_weights: Mapping[str, float], figures: Figures = NO_LOCAL_FIGURES
) -> Overall:
    """One competency over its methods, combined as the overall combines parts: weighted by
    the method weights, needing its interview part and half of its weight."""
    return combine_overall(
        [(cs.part(m), method_weights.get(m, 0.0)) for m in METHOD_ORDER], figures
    )


def combine_weighted(
    competencies: Iterable[tuple[float, Callable[[str], Any]]],
    method_weights: Mapping[str, float],
    figures: Figures = NO_LOCAL_FIGURES,
) -> Overall:
    """The overall of (competency weight, its part by method) pairs: each part weighted by
    its competency's weight × its method's, in METHOD_ORDER (so a summary row recombined
    from its stored parts gets the very same floating-point result)."""
    return combine_overall(
        [
            (part_of(m), weight * method_weights.get(m, 0.0))
            for weight, part_of in competencies
            for m in METHOD_ORDER
        ],
        figures,
    )
