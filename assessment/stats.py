"""Pure statistics for scores: reliability, measurement error, bands and rater effects."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Z95 = 1.96
MIN_CORATED = 10  # §7: leniency and disagreement rate need this many co-rated candidates
EPS = 1e-9  # keeps thresholds such as "range ≥ 2" exact when a mean lands a hair below


@dataclass(frozen=True)
class Stat:
    """A statistic that may be undefined: then `value` is None and `reason` says why."""

    value: float | None
    reason: str | None = None

    @property
    def defined(self) -> bool:
        return self.value is not None


def undefined(reason: str) -> Stat:
    return Stat(None, reason)


# Scale conversions (§ conventions): anchor 3 is 50, anchor 4 is 75.
def to_100(m: float) -> float:
    return 100.0 * (m - 1.0) / 4.0


def from_100(p: float) -> float:
    return 1.0 + 4.0 * p / 100.0


def clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def sample_sd(values: Sequence[float]) -> Stat:
    if len(values) < 2:
        return undefined(f"needs at least 2 values, got {len(values)}")
    return Stat(statistics.stdev(values))


def pearson(x: Sequence[float], y: Sequence[float]) -> Stat:
    if len(x) != len(y):
        raise ValueError(f"pearson needs paired values, got {len(x)} and {len(y)}")
    if len(x) < 2:
        return undefined(f"needs at least 2 pairs, got {len(x)}")
    mx, my = statistics.fmean(x), statistics.fmean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return undefined("zero variance: every value is the same")
    return Stat(sxy / math.sqrt(sxx * syy))


def _complete_rows(rows: Sequence[Sequence[float | None]]) -> list[list[float]]:
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise ValueError(f"rows differ in length: {sorted(widths)}")
    # Alpha is defined on complete rows only (§3.1); a row with a gap is left out.
    return [list(row) for row in rows if all(v is not None for v in row)]


def cronbach_alpha(rows: Sequence[Sequence[float | None]]) -> Stat:
    """α of persons × items, reverse-keyed items already flipped (Cronbach 1951)."""
    data = _complete_rows(rows)
    if len(data) < 2:
        return undefined(f"needs at least 2 complete rows, got {len(data)}")
    k = len(data[0])
    if k < 2:
        return undefined(f"needs at least 2 items, got {k}")
    item_vars = sum(statistics.variance(col) for col in zip(*data, strict=True))
    total_var = statistics.variance([sum(row) for row in data])
    if total_var == 0:
        return undefined("zero variance of the total scores")
    return Stat(k / (k - 1) * (1 - item_vars / total_var))


def corrected_item_total(rows: Sequence[Sequence[float | None]]) -> list[Stat]:
    """Each item's r with the sum of the other items, complete rows only."""
    data = _complete_rows(rows)
    k = len(rows[0]) if rows else 0
    if k < 2:
        return [undefined(f"needs at least 2 items, got {k}")] * k
    result = []
    for j in range(k):
        item = [row[j] for row in data]
        rest = [sum(row) - row[j] for row in data]
        result.append(pearson(item, rest))
    return result


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


def _ratio(num: float, den: float) -> Stat:
    if abs(den) < EPS:
        return undefined("zero denominator: no variance between candidates or in the errors")
    return Stat(num / den)


ICC_FORMS = ("1,1", "1,k", "2,1", "2,k", "3,1", "3,k")


def icc(matrix: Sequence[Sequence[float]]) -> dict[str, Stat]:
    """The six Shrout & Fleiss (1979) ICCs and the mean squares of a complete n × k matrix."""
    n, k = len(matrix), (len(matrix[0]) if matrix else 0)
    if len(_complete_rows(matrix)) != n:
        raise ValueError("icc needs a complete matrix: every interviewer scores every candidate")
    if n < 2 or k < 2:
        why = undefined(f"needs at least 2 candidates and 2 interviewers, got {n} × {k}")
        return {key: why for key in (*ICC_FORMS, "MSR", "MSC", "MSE", "MSW")}
    ms = _mean_squares(matrix)
    msr, msc, mse, msw = ms["MSR"], ms["MSC"], ms["MSE"], ms["MSW"]
    result = {
        "1,1": _ratio(msr - msw, msr + (k - 1) * msw),
        "1,k": _ratio(msr - msw, msr),
        "2,1": _ratio(msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n),
        "2,k": _ratio(msr - mse, msr + (msc - mse) / n),
        "3,1": _ratio(msr - mse, msr + (k - 1) * mse),
        "3,k": _ratio(msr - mse, msr),
    }
    result.update({name: Stat(value) for name, value in ms.items()})
    return result


def icc_label(value: float) -> str:
    """Koo & Li (2016) wording; negative ICCs are shown as they are, labelled poor."""
    if value >= 0.90:
        return "excellent"
    if value >= 0.75:
        return "good"
    if value >= 0.50:
        return "moderate"
    return "poor"


def spearman_brown(r1: float, m: float) -> Stat:
    """Reliability of the mean of m raters (or parallel items) from the single-rater r1."""
    if m <= 0:
        raise ValueError(f"m must be positive, got {m}")
    return _ratio(m * r1, 1 + (m - 1) * r1)


def raters_needed(r1: float, target: float) -> Stat:
    """Smallest number of raters whose mean reaches the target reliability."""
    if not 0 < target < 1:
        return undefined(f"target must lie strictly between 0 and 1, got {target}")
    if r1 <= 0:
        return undefined(f"no number of raters helps when r1 = {r1}")
    if r1 >= target:
        return Stat(1)
    exact = target * (1 - r1) / (r1 * (1 - target))
    # Rounding first keeps an exact 4.0 from becoming 5 through float noise.
    return Stat(math.ceil(round(exact, 9)))


def sem(sd: float, r: float) -> Stat:
    """SEM = SD·√(1 − r), r clamped to [0, 1] so a negative or > 1 estimate stays meaningful."""
    if sd < 0:
        raise ValueError(f"SD cannot be negative, got {sd}")
    return Stat(sd * math.sqrt(1 - clamp(r, 0.0, 1.0)))


def band(x: float | None, sem_x: float | None, lo: float, hi: float) -> tuple[float, float] | None:
    """95% band X ± 1.96·SEM, clipped to the scale [lo, hi]; None when X or SEM is missing."""
    if x is None or sem_x is None:
        return None
    half = Z95 * sem_x
    return (clamp(x - half, lo, hi), clamp(x + half, lo, hi))


def difference_threshold(sem_a: float, sem_b: float) -> float:
    """Smallest gap that counts as a reliable difference: 1.96·√(SEM_a² + SEM_b²)."""
    return Z95 * math.sqrt(sem_a**2 + sem_b**2)


def difference_threshold_sd(sd: float, r_a: float, r_b: float) -> float:
    """The same threshold for a shared SD: 1.96·SD·√(2 − r_a − r_b)."""
    return Z95 * sd * math.sqrt(2 - clamp(r_a, 0.0, 1.0) - clamp(r_b, 0.0, 1.0))


def not_reliably_different(
    xa: float | None, xb: float | None, sem_a: float | None, sem_b: float | None
) -> bool | None:
    """True when the gap lies within measurement error; None when anything is missing."""
    if None in (xa, xb, sem_a, sem_b):
        return None
    return abs(xa - xb) < difference_threshold(sem_a, sem_b)


def not_reliably_different_sd(xa: float, xb: float, sd: float, r_a: float, r_b: float) -> bool:
    return abs(xa - xb) < difference_threshold_sd(sd, r_a, r_b)


ADVISORY_LABELS = (
    "strong evidence for",
    "evidence for",
    "strong evidence against",
    "evidence against",
    "inconclusive",
)


def advisory_label(lo: float, hi: float) -> str:
    """§4 label from a band on 0–100; the first matching row wins, never the point alone."""
    if lo >= 75:
        return "strong evidence for"
    if lo >= 50:
        return "evidence for"
    if hi < 25:
        return "strong evidence against"
    if hi < 50:
        return "evidence against"
    return "inconclusive"


def deviation(own: float, others: Sequence[float]) -> float | None:
    """d = own − mean of the others, leaving the rater out; None when nobody else scored."""
    if not others:
        return None
    return own - statistics.fmean(others)


def deviations(pairs: Sequence[tuple[float, Sequence[float]]]) -> list[float]:
    """d for each co-rated (own score, others' scores) pair; solo pairs are not co-rated."""
    return [d for own, others in pairs if (d := deviation(own, others)) is not None]


@dataclass(frozen=True)
class Leniency:
    """L (positive lenient), its SE and the flag; unpacks as (L, SE, flag)."""

    value: float | None
    se: float | None
    flag: str | None
    pairs: int
    reason: str | None = None

    def __iter__(self) -> Iterator:
        return iter((self.value, self.se, self.flag))


def leniency(deviations_: Sequence[float], min_pairs: int = MIN_CORATED) -> Leniency:
    """§5: flag when |L| ≥ 0.5 and |L| ≥ 2·SE, and only once §7's minimum is met."""
    m = len(deviations_)
    if m == 0:
        return Leniency(None, None, None, 0, "no co-rated candidates")
    value = statistics.fmean(deviations_)
    se = statistics.stdev(deviations_) / math.sqrt(m) if m >= 2 else None
    if m < min_pairs:
        why = f"not enough data yet ({m} of {min_pairs} co-rated candidates)"
        return Leniency(value, se, None, m, why)
    if se is None:
        return Leniency(value, None, None, m, "SE needs at least 2 co-rated candidates")
    flag = None
    if abs(value) >= 0.5 - EPS and abs(value) >= 2 * se - EPS:
        flag = "lenient" if value > 0 else "severe"
    return Leniency(value, se, flag, m)


def disagreement_rate(pairs: Sequence[tuple[float, Sequence[float]]]) -> Stat:
    """Share of co-rated pairs where the rater differs from at least one other by ≥ 2."""
    corated = [(own, others) for own, others in pairs if others]
    if not corated:
        return undefined("no co-rated candidates")
    hits = sum(any(abs(own - o) >= 2 - EPS for o in others) for own, others in corated)
    return Stat(hits / len(corated))


def rated_item_score(ratings: Sequence[float], keys: Sequence[float]) -> Stat:
    """Later rate-every-response format (McDaniel et al. 2011): r between ratings and key."""
    r = pearson(ratings, keys)
    if not r.defined:
        return undefined(f"item invalid: {r.reason}")
    return r


def rated_items_to_100(rs: Sequence[float]) -> Stat:
    """Proposed 0–100 mapping of the rating format: 50·(1 + mean r)."""
    if not rs:
        return undefined("no valid items")
    return Stat(50 * (1 + statistics.fmean(rs)))


# --- Calibration and bank quality (issue 6): panels, rater effects and item analysis. ------
# Added as one block; the functions above are unchanged. Minimum-data rules are §7's.

MIN_ICC_CANDIDATES = 30  # §3.2, §7: candidates behind a position × competency ICC
MIN_ALPHA_RESPONDENTS = 100  # §7: complete respondents behind α and item-total r
MIN_ITEM_RESPONDENTS = 30  # §7: respondents behind an item's mean, SD and pick rates


def rater_means(rows: Iterable[tuple[Hashable, Hashable, float | None]]) -> dict[Hashable, dict]:
    """{target: {rater: mean}} from (target, rater, rating) rows; None (not covered) is skipped.

    With target (candidate, competency) this is §2.1's I_ci; with (candidate, question) each
    rater's single rating of that question. Written as a plain loop: it runs over every
    rating of a position.
    """
    sums: dict[Hashable, dict[Hashable, list]] = {}
    for target, rater, value in rows:
        if value is None:
            continue
        by = sums.get(target)
        if by is None:
            by = sums[target] = {}
        acc = by.get(rater)
        if acc is None:
            by[rater] = [value, 1]
        else:
            acc[0] += value
            acc[1] += 1
    return {t: {r: total / n for r, (total, n) in by.items()} for t, by in sums.items()}


@dataclass(frozen=True)
class RaterEffect:
    """§5 for one interviewer; `reason` is set (and nothing may be shown) below §7's minimum."""

    candidates: int  # co-rated candidates
    pairs: int  # co-rated targets, e.g. (candidate, competency) pairs
    own_mean: float  # the rater's mean score over those pairs
    others_mean: float  # the mean of the other panellists' mean on the same pairs
    leniency: Leniency  # own_mean − others_mean, its SE and the flag
    disagreement: Stat  # share of pairs differing from someone by ≥ 2
    reason: str | None = None


def rater_effects(
    panels: Mapping[Hashable, Mapping[Hashable, float]],
    candidate_of: Callable[[Hashable], Hashable] = lambda target: target[0],
    min_candidates: int = MIN_CORATED,
) -> dict[Hashable, RaterEffect]:
    """§5 for every rater from {target: {rater: score}}, in one pass over the panels.

    A target somebody else scored too is co-rated. d = own − mean of the others (the rater
    left out); leniency() reads the d's. A pair disagrees when the rater is ≥ 2 from at least
    one other, i.e. from the panel's lowest or highest score. §7 counts co-rated candidates
    (candidate_of(target)), however many competencies each adds.
    """
    found: dict[Hashable, tuple[list[float], list[float], set, list[int]]] = {}
    for target, scores in panels.items():
        n = len(scores)
        if n < 2:
            continue
        total, lo, hi = sum(scores.values()), min(scores.values()), max(scores.values())
        candidate = candidate_of(target)
        for rater, own in scores.items():
            devs, owns, candidates, hits = found.setdefault(rater, ([], [], set(), [0]))
            devs.append(own - (total - own) / (n - 1))
            owns.append(own)
            candidates.add(candidate)
            hits[0] += max(own - lo, hi - own) >= 2 - EPS
    result = {}
    for rater, (devs, owns, candidates, hits) in found.items():
        lenient = leniency(devs, min_pairs=1)
        reason, m = None, len(candidates)
        if m < min_candidates:
            reason = f"not enough data yet ({m} of {min_candidates} co-rated candidates)"
            lenient = Leniency(lenient.value, lenient.se, None, lenient.pairs, reason)
        own_mean = statistics.fmean(owns)
        result[rater] = RaterEffect(
            candidates=m,
            pairs=len(devs),
            own_mean=own_mean,
            others_mean=own_mean - lenient.value,
            leniency=lenient,
            disagreement=Stat(hits[0] / len(devs)),
            reason=reason,
        )
    return result


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


def panel_agreement(
    scores: Mapping[Hashable, Sequence[tuple[Hashable, float, Any]]],
    min_candidates: int = MIN_ICC_CANDIDATES,
) -> PanelAgreement:
    """§3.2 from {candidate: [(rater, I_ci, submitted at), ...]} of one position × competency.

    1. Candidates grouped by the exact set of their interviewers: the largest group with
       ≥ 2 interviewers (ties: more interviewers, then the earlier first submission) gives
       ICC(2,1) and ICC(2,k) when it has ≥ min_candidates candidates.
    2. Otherwise the largest k ≥ 2 such that ≥ min_candidates candidates have ≥ k scores:
       each one's first k scores in submission order give ICC(1,1) and ICC(1,k).
    3. Otherwise no value, and the reason counts the candidates with ≥ 2 scores.
    """
    ordered = {c: sorted(s, key=lambda e: e[2]) for c, s in scores.items()}
    eligible = [c for c, s in ordered.items() if len(s) >= 2]
    groups: dict[frozenset, list[Hashable]] = {}
    for c in eligible:
        groups.setdefault(frozenset(r for r, _, _ in ordered[c]), []).append(c)
    if groups:
        raters, members = min(
            groups.items(),
            key=lambda g: (-len(g[1]), -len(g[0]), min(ordered[c][0][2] for c in g[1])),
        )
        if len(members) >= min_candidates:
            columns = sorted(raters, key=str)
            matrix = [[dict((r, s) for r, s, _ in ordered[c])[r] for r in columns] for c in members]
            found = icc(matrix)
            k = len(columns)
            return PanelAgreement(
                "2",
                len(members),
                k,
                found["2,1"],
                found["2,k"],
                found["3,1"],
                tuple(columns),
                len(eligible),
            )
    sizes = sorted((len(ordered[c]) for c in eligible), reverse=True)
    if len(sizes) >= min_candidates:
        k = sizes[min_candidates - 1]  # the largest k that min_candidates candidates reach
        used = [c for c in eligible if len(ordered[c]) >= k]
        found = icc([[s for _, s, _ in ordered[c][:k]] for c in used])
        return PanelAgreement(
            "1", len(used), k, found["1,1"], found["1,k"], None, (), len(eligible)
        )
    why = (
        f"not enough data yet ({len(eligible)} of {min_candidates} candidates "
        "scored by two or more interviewers)"
    )
    return PanelAgreement(None, 0, 0, undefined(why), undefined(why), None, (), len(eligible), why)


@dataclass(frozen=True)
class ItemSummary:
    """An item's n, mean and SD (sample); mean None when nobody answered it."""

    n: int
    mean: float | None
    sd: Stat


def item_summary(values: Sequence[float | None]) -> ItemSummary:
    given = [v for v in values if v is not None]
    mean = statistics.fmean(given) if given else None
    return ItemSummary(len(given), mean, sample_sd(given))


def covariances(data: Sequence[Sequence[float]]) -> list[list[float]]:
    """The k × k sample covariance matrix (divisor n − 1) of complete rows, in one pass."""
    n, k = len(data), len(data[0])
    means = [math.fsum(col) / n for col in zip(*data, strict=True)]
    cov = [[0.0] * k for _ in range(k)]
    for row in data:
        d = [v - m for v, m in zip(row, means, strict=True)]
        for a in range(k):
            da, ca = d[a], cov[a]
            for b in range(a, k):
                ca[b] += da * d[b]
    for a in range(k):
        for b in range(a, k):
            cov[a][b] = cov[b][a] = cov[a][b] / (n - 1)
    return cov


def _alpha_of(cov: Sequence[Sequence[float]], items: Sequence[int]) -> Stat:
    """§3.1's α of the items `items` from their covariances: Σ s_j² over s_T² = ΣΣ cov."""
    k = len(items)
    if k < 2:
        return undefined(f"needs at least 2 items, got {k}")
    total = sum(cov[a][b] for a in items for b in items)
    if abs(total) < EPS:
        return undefined("zero variance of the total scores")
    return Stat(k / (k - 1) * (1 - sum(cov[a][a] for a in items) / total))


def _item_rest(cov: Sequence[Sequence[float]], j: int) -> Stat:
    """Corrected item-total r: item j against the sum of the other items."""
    rest = [b for b in range(len(cov)) if b != j]
    var_j, var_rest = cov[j][j], sum(cov[a][b] for a in rest for b in rest)
    if abs(var_j) < EPS or abs(var_rest) < EPS:
        return undefined("zero variance: every value is the same")
    return Stat(sum(cov[j][b] for b in rest) / math.sqrt(var_j * var_rest))


@dataclass(frozen=True)
class ScaleAnalysis:
    """§3.1 for one scale (persons × items, reverse-keyed items already flipped)."""

    complete: int  # rows with every item answered: the n behind the numbers below
    alpha: Stat
    item_total: tuple[Stat, ...]  # corrected item-total r per item
    alpha_without: tuple[Stat, ...]  # α if the item were dropped


def scale_analysis(rows: Sequence[Sequence[float | None]]) -> ScaleAnalysis:
    """α, corrected item-total r and α-if-dropped of a scale, over its complete rows.

    The same numbers as cronbach_alpha and corrected_item_total, computed from one
    covariance matrix, so a bank answered by thousands stays quick.
    """
    data = _complete_rows(rows)
    k = len(rows[0]) if rows else 0
    if len(data) < 2 or k < 2:
        why = undefined(
            f"needs at least 2 complete rows and 2 items, got {len(data)} rows × {k} items"
        )
        return ScaleAnalysis(len(data), why, (why,) * k, (why,) * k)
    cov = covariances(data)
    return ScaleAnalysis(
        complete=len(data),
        alpha=_alpha_of(cov, range(k)),
        item_total=tuple(_item_rest(cov, j) for j in range(k)),
        alpha_without=tuple(_alpha_of(cov, [b for b in range(k) if b != j]) for j in range(k)),
    )


@dataclass(frozen=True)
class PickCounts:
    """How often each response of a scenario item was picked as MOST and as LEAST."""

    n: int  # respondents who made both picks
    most: Mapping[str, int]
    least: Mapping[str, int]

    def share(self, count: int) -> float | None:
        return count / self.n if self.n else None


def pick_counts(
    picks: Iterable[tuple[str | None, str | None]], responses: Sequence[str]
) -> PickCounts:
    """Counts over answers with both picks (an item is answered only then, §2.2)."""
    most = dict.fromkeys(responses, 0)
    least = dict.fromkeys(responses, 0)
    n = 0
    for m, lst in picks:
        if m is None or lst is None:
            continue
        if m not in most or lst not in least:
            raise ValueError(f"unknown response picked: {m!r} / {lst!r}")
        n += 1
        most[m] += 1
        least[lst] += 1
    return PickCounts(n, most, least)
