"""How much one interviewer's errors on different competencies go together (halo).

Interviewer r's score of candidate p on competency c is I_prc = T_pc + e_prc. Its deviation
from the candidate's panel mean, d_prc = I_prc − mean_r I_prc, is e_prc − ē_pc: the true
score drops out. When errors are independent between interviewers, the correlation of
d_prc and d_prc' over (candidate, interviewer) is the correlation of e_prc and e_prc',
the error correlation that widens the overall's band (stats.composite). Leniency counts:
an interviewer who rates every competency high errs the same way on all of them, which is
what absolute agreement (ICC(2,·)) treats as error too. Pure: no Flask, no DB.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from itertools import combinations

from . import Stat, pearson, undefined

MIN_CANDIDATES = 30  # as for an ICC (SCIENCE §7): candidates scored by two or more


def rater_error_correlation(
    panels: Mapping[Hashable, Mapping[Hashable, Mapping[str, float]]],
    min_candidates: int = MIN_CANDIDATES,
) -> tuple[Stat, int]:
    """(the error correlation between competencies, the candidates behind it) from
    {candidate: {interviewer: {competency: I}}}.

    For each pair of competencies, the deviations of every interviewer of every candidate
    whom two or more interviewers scored on both are correlated; the pairs' correlations
    are averaged through Fisher's z, weighted by their deviations. Undefined below
    `min_candidates` such candidates or when no pair varies."""
    deviations, used = _deviations(panels)
    if len(used) < min_candidates:
        why = f"not enough data yet ({len(used)} of {min_candidates} candidates)"
        return undefined(why), len(used)
    found = _fisher_mean(deviations.values())
    if found is None:
        return undefined("the interviewers' deviations do not vary"), len(used)
    return Stat(found), len(used)


Deviations = dict[tuple[str, str], tuple[list[float], list[float]]]


def _deviations(panels) -> tuple[Deviations, set]:
    """Per pair of competencies, the deviations (x on the first, y on the second) of every
    interviewer of every candidate scored on both by two or more; and those candidates."""
    deviations: Deviations = {}
    used: set[Hashable] = set()
    for candidate, by_rater in panels.items():
        competencies = sorted({c for scores in by_rater.values() for c in scores})
        means = {}
        for c in competencies:
            scores = [s[c] for s in by_rater.values() if c in s]
            if len(scores) >= 2:
                means[c] = math.fsum(scores) / len(scores)
        for a, b in combinations(sorted(means), 2):
            raters = [s for s in by_rater.values() if a in s and b in s]
            if len(raters) < 2:
                continue
            xs, ys = deviations.setdefault((a, b), ([], []))
            for s in raters:
                xs.append(s[a] - means[a])
                ys.append(s[b] - means[b])
            used.add(candidate)
    return deviations, used


def _fisher_mean(pairs) -> float | None:
    """The correlations of (xs, ys) pairs averaged through Fisher's z, weighted by n − 3."""
    z_sum = weight = 0.0
    for xs, ys in pairs:
        r = pearson(xs, ys)
        if r.defined and len(xs) > 3:
            clipped = max(-0.999999, min(0.999999, r.value))
            z_sum += math.atanh(clipped) * (len(xs) - 3)
            weight += len(xs) - 3
    return math.tanh(z_sum / weight) if weight else None
