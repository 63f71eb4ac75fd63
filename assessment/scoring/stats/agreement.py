"""Panel agreement (SCIENCE §3.2): the Shrout & Fleiss (1979) intraclass correlations with
their 95 % intervals (McGraw & Wong 1996, in stats.intervals), their Koo & Li (2016) labels,
and how one position × competency's matrix is chosen. Pure: no Flask, no DB.
Spearman–Brown (§3.3) is in the package root, beside the bands it feeds.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from . import Stat, complete_rows, ratio, undefined
from .intervals import Interval, icc_intervals

MIN_ICC_CANDIDATES = 30  # §3.2, §7: candidates behind a position × competency ICC
ICC_FORMS = ("1,1", "1,k", "2,1", "2,k", "3,1", "3,k")
NO_VARIANCE = "zero denominator: no variance between candidates or in the errors"
OUT_OF_RANGE = "not meaningful: the estimate falls outside −1 to 1 (the panels disagree too much)"
NO_AGREEMENT = "no agreement"


def _mean_squares(y: Sequence[Sequence[float]]) -> dict[str, float]:
    n, k = len(y), len(y[0])
    grand = statistics.fmean(v for row in y for v in row)
    row_means = [statistics.fmean(row) for row in y]
    col_means = [statistics.fmean(col) for col in zip(*y, strict=True)]
    ss_r = k * sum((m - grand) ** 2 for m in row_means)
    ss_c = n * sum((m - grand) ** 2 for m in col_means)
    ss_t = sum((v - grand) ** 2 for row in y for v in row)
    ss_e = ss_t - ss_r - ss_c
    return {
        "MSR": ss_r / (n - 1),
        "MSC": ss_c / (k - 1),
        "MSE": ss_e / ((n - 1) * (k - 1)),
        "MSW": (ss_t - ss_r) / (n * (k - 1)),
    }


def icc(matrix: Sequence[Sequence[float]]) -> dict[str, Stat]:
    """The six Shrout & Fleiss (1979) ICCs and the mean squares of a complete n × k matrix."""
    n, k = len(matrix), (len(matrix[0]) if matrix else 0)
    if len(complete_rows(matrix)) != n:
        raise ValueError("icc needs a complete matrix: every interviewer scores every candidate")
    if n < 2 or k < 2:
        why = undefined(f"needs at least 2 candidates and 2 interviewers, got {n} × {k}")
        return {key: why for key in (*ICC_FORMS, "MSR", "MSC", "MSE", "MSW")}
    ms = _mean_squares(matrix)
    msr, msc, mse, msw = ms["MSR"], ms["MSC"], ms["MSE"], ms["MSW"]
    result = {
        "1,1": ratio(msr - msw, msr + (k - 1) * msw, NO_VARIANCE),
        "1,k": _bounded(ratio(msr - msw, msr, NO_VARIANCE)),
        "2,1": ratio(msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n, NO_VARIANCE),
        "2,k": _bounded(ratio(msr - mse, msr + (msc - mse) / n, NO_VARIANCE)),
        "3,1": ratio(msr - mse, msr + (k - 1) * mse, NO_VARIANCE),
        "3,k": _bounded(ratio(msr - mse, msr, NO_VARIANCE)),
    }
    result.update({name: Stat(value) for name, value in ms.items()})
    return result


def _bounded(stat: Stat) -> Stat:
    """An average form outside [−1, 1] is no reliability at all (ICC(2,k) = 30.0 beside
    ICC(2,1) = −1.07 comes from a near-zero denominator): undefined, never "excellent"."""
    if stat.defined and not -1.0 <= stat.value <= 1.0:
        return undefined(OUT_OF_RANGE)
    return stat


def intervals(matrix: Sequence[Sequence[float]], found: Mapping[str, Stat]) -> dict:
    """The 95 % interval of each ICC of `found` (icc(matrix)'s result), None where none."""
    if not found["MSR"].defined:
        return dict.fromkeys(ICC_FORMS)
    ms = {name: found[name].value for name in ("MSR", "MSC", "MSE", "MSW")}
    return icc_intervals(ms, found["2,1"].value, len(matrix), len(matrix[0]))


def icc_label(value: float) -> str:
    """Koo & Li (2016) wording; an ICC of 0 or below reads "no agreement"."""
    if value <= 0:
        return NO_AGREEMENT
    if value >= 0.90:
        return "excellent"
    if value >= 0.75:
        return "good"
    if value >= 0.50:
        return "moderate"
    return "poor"


@dataclass(frozen=True)
class PanelAgreement:
    """§3.2's ICC for one position × competency; `reason` says why there is none."""

    form: str | None  # "2": the same interviewers scored every candidate used; "1": panels differ
    n: int  # candidates in the matrix
    k: int  # interviewers per candidate in the matrix
    single: Stat  # ICC(form,1): one interviewer
    mean: Stat  # ICC(form,k): the mean of k interviewers
    consistency: Stat | None  # ICC(3,1), shown only beside ICC(2,1)
    raters: tuple  # the interviewers of a form-2 matrix, in column order
    eligible: int  # candidates with ≥ 2 interviewer scores
    reason: str | None = None
    single_interval: Interval | None = None  # 95 %, McGraw & Wong (1996)
    mean_interval: Interval | None = None
    consistency_interval: Interval | None = None


Scores = Mapping[Hashable, Sequence[tuple[Hashable, float, Any]]]  # candidate → (rater, I, when)


def _same_panel(ordered: Scores, min_candidates: int) -> tuple | None:
    """Step 1: ("2", the matrix, its raters) of the largest group of candidates with the
    same interviewers, if it is big enough."""
    groups: dict[frozenset, list[Hashable]] = {}
    for c, s in ordered.items():
        groups.setdefault(frozenset(r for r, _, _ in s), []).append(c)
    if not groups:
        return None
    raters, members = min(
        groups.items(),
        key=lambda g: (-len(g[1]), -len(g[0]), min(ordered[c][0][2] for c in g[1])),
    )
    if len(members) < min_candidates:
        return None
    columns = sorted(raters, key=str)
    by_rater = ({r: s for r, s, _ in ordered[c]} for c in members)
    return "2", [[row[r] for r in columns] for row in by_rater], tuple(columns)


def _first_k(ordered: Scores, min_candidates: int) -> tuple | None:
    """Step 2: ("1", each candidate's first k scores, no raters) for the largest k that
    min_candidates candidates reach."""
    sizes = sorted((len(s) for s in ordered.values()), reverse=True)
    if len(sizes) < min_candidates:
        return None
    k = sizes[min_candidates - 1]
    return "1", [[score for _, score, _ in s[:k]] for s in ordered.values() if len(s) >= k], ()


def _agreement_of(form: str, matrix, raters: tuple, eligible: int) -> PanelAgreement:
    """The form's single and mean ICC with their intervals (and ICC(3,1) beside ICC(2,1))."""
    found = icc(matrix)
    bounds = intervals(matrix, found)
    mean = found[f"{form},k"]
    return PanelAgreement(
        form,
        len(matrix),
        len(matrix[0]),
        found[f"{form},1"],
        mean,
        found["3,1"] if form == "2" else None,
        raters,
        eligible,
        single_interval=bounds[f"{form},1"],
        mean_interval=bounds[f"{form},k"] if mean.defined else None,
        consistency_interval=bounds["3,1"] if form == "2" else None,
    )


def panel_agreement(
    scores: Scores,
    min_candidates: int = MIN_ICC_CANDIDATES,
) -> PanelAgreement:
    """§3.2 from {candidate: [(rater, I_ci, submitted at), ...]} of one position × competency;
    "submitted at" may be anything that sorts in submission order, such as a rank.

    1. Candidates grouped by the exact set of their interviewers: the largest group with
       ≥ 2 interviewers (ties: more interviewers, then the earlier first submission) gives
       ICC(2,1) and ICC(2,k) when it has ≥ min_candidates candidates.
    2. Otherwise the largest k ≥ 2 such that ≥ min_candidates candidates have ≥ k scores:
       each one's first k scores in submission order give ICC(1,1) and ICC(1,k).
    3. Otherwise no value, and the reason counts the candidates with ≥ 2 scores.
    """
    ordered = {c: sorted(s, key=itemgetter(2)) for c, s in scores.items() if len(s) >= 2}
    eligible = len(ordered)
    found = _same_panel(ordered, min_candidates) or _first_k(ordered, min_candidates)
    if found is not None:
        form, matrix, raters = found
        return _agreement_of(form, matrix, raters, eligible)
    why = (
        f"not enough data yet ({eligible} of {min_candidates} candidates "
        "scored by two or more interviewers)"
    )
    return PanelAgreement(None, 0, 0, undefined(why), undefined(why), None, (), eligible, why)
