"""SCIENCE.md's worked examples and tolerances, shared by the statistics tests."""

from assessment.scoring.stats import Stat

TOL = 0.005  # SCIENCE.md conventions
TOL3 = 0.0005  # where the document gives three decimals
TOL4 = 0.00005  # where it gives four

# §3.1: four persons × three items. α .80; corrected item-total r .632, .904, .546.
ALPHA_ROWS = [(2, 1, 2), (3, 3, 2), (3, 4, 5), (4, 4, 3)]

# §3.2: Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: Uses in assessing
# rater reliability. Psychological Bulletin, 86(2), 420–428, Table 2: 6 targets × 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]

# §5's flag case: ten deviations, L = .65, SD(d) = .412, SE = .130 → lenient.
FLAG_CASE = (1, 1, 0.5, 0, 1, 0.5, 1, 0, 0.5, 1)


def assert_undefined(stat: Stat) -> None:
    """SCIENCE conventions: an undefined statistic is None with a reason, never 0."""
    assert stat.value is None
    assert stat.reason
    assert not stat.defined
