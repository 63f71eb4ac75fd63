"""How every number is rounded for display: half up (62.5 → 63, 87.5 → 88, 2.25 → 2.3).

Python's own formatting rounds a float's exact binary value half to even ("%.0f" % 62.5
is "62"), so the same score could read 62 here and 63 in a hand calculation. Here a float
is read as the shortest decimal that stands for it (its repr) and rounded half away from
zero, as people round. Pure: no Flask, no DB.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def half_up(x: float, places: int = 0) -> float:
    """x rounded half up to `places` decimals (halves away from zero: −2.5 → −3)."""
    if not math.isfinite(x):
        raise ValueError(f"cannot round {x!r}")
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP))


def number(x: float | None, places: int = 0, sign: bool = False, none: str = "–") -> str:
    """x as text, rounded half up: number(62.5) "63", number(0.125, 2) "0.13",
    number(4, 0, sign=True) "+4"; `none` for None. Never "-0"."""
    if x is None:
        return none
    rounded = half_up(x, places) + 0.0  # + 0.0 turns −0.0 into 0.0
    return f"{rounded:{'+' if sign else ''}.{places}f}"


def coefficient(x: float | None, none: str = "–") -> str:
    """A correlation or reliability as printed in reports: two decimals, no leading zero
    (.44, −.07, 1.00)."""
    if x is None:
        return none
    text = number(x, 2)
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def percent(share: float | None, places: int = 0, none: str = "–") -> str:
    """A share of 1 as a percentage: percent(0.125) "13%", percent(0.145) "15%" (scaled in
    decimal, so 100 × 0.145 is not 14.4999…)."""
    if share is None:
        return none
    if not math.isfinite(share):
        raise ValueError(f"cannot round {share!r}")
    scaled = Decimal(repr(float(share))).scaleb(2)
    rounded = scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{float(rounded) + 0.0:.{places}f}%"
