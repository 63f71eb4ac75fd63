"""Every number shown is rounded half up (62.5 → 63), never half to even."""

import pytest

from assessment.scoring.rounding import coefficient, half_up, number, percent


@pytest.mark.parametrize(
    ("x", "places", "text"),
    [
        (62.5, 0, "63"),  # "%.0f" % 62.5 is "62"
        (87.5, 0, "88"),
        (2.25, 1, "2.3"),  # "%.1f" % 2.25 is "2.2"
        (0.125, 2, "0.13"),
        (66.666, 0, "67"),
        (-2.5, 0, "-3"),
        (-0.4, 0, "0"),  # never "-0"
        (100.0, 0, "100"),
        (3.6667, 1, "3.7"),
    ],
)
def test_number_rounds_half_up(x, places, text):
    assert number(x, places) == text


def test_signs_none_and_half_up_values():
    assert number(4, sign=True) == "+4"
    assert number(-12.5, sign=True) == "-13"
    assert number(None) == "–"
    assert half_up(62.5) == 63.0
    assert half_up(1.005, 2) == 1.01  # repr 1.005, not 1.00499999…


def test_percent_and_coefficients():
    assert percent(0.125) == "13%"
    assert percent(0.145) == "15%"  # 100 × 0.145 is 14.499… in binary
    assert percent(None) == "–"
    assert coefficient(0.445) == ".45"
    assert coefficient(-0.07) == "-.07"
    assert coefficient(1.0) == "1.00"


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_rounding_refuses_nan(bad):
    with pytest.raises(ValueError):
        number(bad)
