"""The measurement model's inputs: the documented defaults, and this company's own figures.

Every band rests on three things per competency × method (docs/scoring.md):

- r1, the reliability of ONE rating: one interviewer's rating of one question, or one
  scenario item, or one statement. A part's reliability is r1 stepped up by Spearman–Brown
  to the ratings or items actually behind it (scoring.parts);
- a norm, the mean and SD of the method's scores among candidates: the SD sizes the SEM,
  and the means and SDs put the methods on one scale (scoring.scale);
- for each method, how much its errors on different competencies go together (halo for
  the interview, response style for self-report), which widens the overall's band.

Defaults are SCIENCE §4's planning values, split down to one rating so the number of
ratings can count. Local figures (`Figures`) replace them once SCIENCE §7's minimums are
met, and say what they rest on. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from assessment.bank.model import frozen_map

from . import stats

# SCIENCE §4's defaults, each for the amount of evidence it describes; r1 is that figure
# stepped down by Spearman–Brown (r1 = r / (m − (m − 1)·r)).
DEFAULT_RELIABILITY = {
    # .44 for one interviewer (Huffcutt et al. 2013, separate interviews), read as one
    # interviewer's score of a competency from 2 questions, the least a kit asks.
    "interview": (0.44, 2),
    "scenario": (0.50, 3),  # planning value for a competency's 3 scenario items
    "self": (0.70, 4),  # planning value for a competency's 4 statements
}
DEFAULT_R1 = {method: stats.step_down(r, m).value for method, (r, m) in DEFAULT_RELIABILITY.items()}
DEFAULT_SD = 20.0  # on 0–100 for every method (0.8 on the interview's 1–5 scale)
# Where each method's scores sit among applicants, before this company's data shows it:
# the interview's anchor 3 ("acceptable") is 50; random scenario picks average 50, and
# applicants mostly find the keyed best response; applicants describe themselves about
# half an SD above non-applicants (Birkeland et al. 2006). Planning values, not findings.
DEFAULT_MEAN = {"interview": 50.0, "scenario": 75.0, "self": 70.0}
# Error correlation between two competencies' parts of one method: one interviewer's
# ratings share their general impression (halo); one person's statements share their
# response style. Scenario items each belong to one competency and have no rater: 0.
DEFAULT_ERROR_CORRELATION = {"interview": 0.30, "scenario": 0.0, "self": 0.30}
MIN_NORM_SD = 1.0  # a local SD below one point on 0–100 cannot rescale anything


@dataclass(frozen=True)
class Estimate:
    """A local figure: its value, how many candidates (or respondents) it rests on, and
    what it is, in words ("ICC(2,1) = .52 over 2 questions")."""

    value: float
    n: int
    basis: str = ""

    def __post_init__(self) -> None:
        stats.require_finite(local_figure=self.value)


@dataclass(frozen=True)
class Norm:
    """A method's scores among this company's candidates: mean and SD on 0–100."""

    mean: float
    sd: float
    n: int

    def __post_init__(self) -> None:
        stats.require_finite(norm_mean=self.mean, norm_sd=self.sd)


@dataclass(frozen=True)
class Source:
    """Where a figure came from: "default", or "this company's data, n = 34"."""

    n: int | None = None  # None: the default
    basis: str = ""

    @property
    def local(self) -> bool:
        return self.n is not None

    def __str__(self) -> str:
        return "default" if self.n is None else f"this company's data, n = {self.n}"


DEFAULT = Source()


@dataclass(frozen=True)
class Figures:
    """This company's figures where §7's minimums are met; anything absent is a default.
    Keys are (competency, method), error correlations by method."""

    r1: Mapping[tuple[str, str], Estimate] = field(default_factory=frozen_map)
    norms: Mapping[tuple[str, str], Norm] = field(default_factory=frozen_map)
    error_corr: Mapping[str, Estimate] = field(default_factory=frozen_map)

    def single_reliability(self, competency: str, method: str) -> tuple[float, Source]:
        """r1 of one rating or item, clamped to [0, 1], and its source."""
        found = self.r1.get((competency, method))
        if found is None:
            return DEFAULT_R1[method], DEFAULT
        return min(1.0, max(0.0, found.value)), Source(found.n, found.basis)

    def norm(self, competency: str, method: str) -> tuple[float, float, Source]:
        """(mean, SD, source) of the method's scores on the competency."""
        found = self.norms.get((competency, method))
        if found is None or found.sd < MIN_NORM_SD:
            return DEFAULT_MEAN[method], DEFAULT_SD, DEFAULT
        return found.mean, found.sd, Source(found.n)

    def error_correlation(self, method: str) -> tuple[float, Source]:
        found = self.error_corr.get(method)
        if found is None:
            return DEFAULT_ERROR_CORRELATION[method], DEFAULT
        return min(1.0, max(0.0, found.value)), Source(found.n, found.basis)


NO_LOCAL_FIGURES = Figures()


def part_reliability(r1: float, ratings: float) -> float:
    """r1 stepped up to the ratings (or items) behind a part: Spearman–Brown."""
    if ratings <= 0 or math.isnan(ratings):
        raise ValueError(f"a part needs at least one rating, got {ratings}")
    return stats.spearman_brown(r1, ratings).value
