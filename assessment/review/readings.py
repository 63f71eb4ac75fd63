"""Pure: how candidates' scores compare once measurement error is counted (SCIENCE §4).

Two scores are not reliably different when their gap is under 1.96·√(SEM_a² + SEM_b²)
(stats.difference_threshold; for a shared SD it equals 1.96·SD·√(2 − r_a − r_b)). Then
the page says so and shows no order between them. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from assessment.scoring import stats
from assessment.scoring.rounding import number


@dataclass(frozen=True)
class Score:
    """One candidate's score on 0–100 with its SEM; None where there is none (§7)."""

    key: str  # the candidate's letter on the page: A, B, C, D
    value: float | None
    sem: float | None


@dataclass(frozen=True)
class Reading:
    """A pair of candidates on one score: the gap against the error it must exceed."""

    a: str
    b: str
    gap: float  # |a − b|, 0–100 points
    threshold: float  # the smallest gap that counts as a reliable difference
    higher: str | None  # the reliably higher one's key; None: not reliably different

    @property
    def different(self) -> bool:
        return self.higher is not None

    @property
    def text(self) -> str:
        if not self.different:
            return (
                f"{self.a} and {self.b} are not reliably different: the gap of "
                f"{number(self.gap)} points is within measurement error "
                f"(under {number(self.threshold)})."
            )
        lower = self.b if self.higher == self.a else self.a
        return (
            f"{self.higher} is reliably higher than {lower}: the gap of {number(self.gap)} "
            f"points exceeds measurement error ({number(self.threshold)})."
        )


def pair_readings(scores: Sequence[Score]) -> list[Reading]:
    """Every pair that both have a score, in the order given (never ranked by score)."""
    readings = []
    for one, two in combinations(scores, 2):
        if None in (one.value, one.sem, two.value, two.sem):
            continue
        gap = abs(one.value - two.value)
        threshold = stats.difference_threshold(one.sem, two.sem)
        within = stats.not_reliably_different(one.value, two.value, one.sem, two.sem)
        higher = None if within else (one.key if one.value > two.value else two.key)
        readings.append(Reading(one.key, two.key, gap, threshold, higher))
    return readings


def summary(scores: Sequence[Score], readings: Sequence[Reading], on: str, none: str) -> str:
    """Sentences over all pairs: who is level with whom, and who has no score.

    `on` says which score ("on the overall"), `none` what is missing ("no overall score")."""
    missing = [s.key for s in scores if s.value is None or s.sem is None]
    parts = []
    if readings and not any(r.different for r in readings):
        keys = sorted({k for r in readings for k in (r.a, r.b)})
        together = ", ".join(keys[:-1]) + " and " + keys[-1]
        parts.append(f"{together} are not reliably different {on}: read them as level, not ranked.")
    elif readings:
        n = sum(r.different for r in readings)
        parts.append(
            f"{n} of {len(readings)} pairs differ {on} by more than measurement error"
            + ("; the others are level." if n < len(readings) else ".")
        )
    if missing:
        who = ", ".join(missing)
        has, is_ = ("has", "is") if len(missing) == 1 else ("have", "are")
        parts.append(f"{who} {has} {none} yet and {is_} left out of the comparison.")
    return " ".join(parts)
