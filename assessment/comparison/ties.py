"""Which neighbours in a sorted list are within measurement error (pure; SCIENCE §4).

Two candidates are not reliably different on a score when |X_a − X_b| < 1.96·√(SEM_a² + SEM_b²),
the same as 1.96·SD·√(2 − r_a − r_b) for a shared SD. The list then must not imply a rank
between them, so it marks each row that is not reliably different from the row above.
"""

from __future__ import annotations

from collections.abc import Sequence

from assessment.scoring import stats

Scored = tuple[float, float] | None  # (score, SEM) on the same scale, or None: no score


def ties_with_previous(scores: Sequence[Scored], previous: Scored = None) -> list[bool | None]:
    """For each score in list order: True when it is not reliably different from the one
    just above it (`previous` is the row above the first, e.g. the last row of the page
    before); False when the gap is a reliable difference; None when either has no score."""
    marks: list[bool | None] = []
    above = previous
    for current in scores:
        if current is None or above is None:
            marks.append(None)
        else:
            marks.append(stats.not_reliably_different(current[0], above[0], current[1], above[1]))
        above = current
    return marks
