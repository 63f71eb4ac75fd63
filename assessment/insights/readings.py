"""Plain words for the calibration and bank-quality pages: thresholds, readings and problems.

Pure: no Flask, no database. Thresholds come from SCIENCE.md where it gives one; the others
are named here with why, so the bank's authors can argue with them.
"""

from __future__ import annotations

from collections.abc import Sequence

from assessment.bank.model import ScenarioItem
from assessment.scoring.rounding import number, percent
from assessment.scoring.stats.items import ItemSummary, PickCounts

LOW_ALPHA = 0.70  # SCIENCE §3.1: the bank-quality page highlights α below .70
LOW_ITEM_TOTAL = 0.10  # SCIENCE §3.1: item-total r below .10, or negative (often a keying error)
# Not in SCIENCE.md or FRAMEWORK.md; judgement calls, named so they can be changed in one place.
CEILING_MEAN = 4.5  # a 1–5 statement nearly everyone agrees with tells candidates apart poorly
FLOOR_MEAN = 1.5  # ... and one nearly everyone disagrees with
LOW_SD = 0.5  # answers this alike (on 1–5) barely separate candidates
RARE_PICK = 0.02  # a response picked (as most or least) by under 2 % does no work
EASY_SCENARIO = 90.0  # mean item score on 0–100 at which nearly everyone finds the key
CHANCE_SCENARIO = 50.0  # random picks average k(most) − k(least) = 0, i.e. 50 on 0–100


def not_enough(have: int, need: int, noun: str) -> str:
    """§7's wording on HR pages, with how many more are needed."""
    return f"not enough data yet ({have} of {need} {noun}; {need - have} more needed)"


def leniency_words(value: float) -> str:
    """L in words, the sign spelled out: positive means the interviewer rates higher."""
    shown = number(abs(value), 1)
    if shown == "0.0":
        return "rates in line with their panels"
    direction = "higher" if value > 0 else "lower"
    return f"rates {shown} {direction} than their panels"


def alpha_problem(alpha: float) -> str | None:
    """What a low α means; a negative one is no lower bound of anything: the items do not
    hang together (often one is keyed the wrong way)."""
    if alpha >= LOW_ALPHA:
        return None
    if alpha < 0:
        return (
            f"α = {number(alpha, 2)} is negative: the statements vary against each other "
            "more than with each other, so they do not hang together and their sum measures "
            "nothing in particular. Often one statement is keyed the wrong way: look first at "
            "those with a negative item-total r."
        )
    return (
        f"α = {number(alpha, 2)} is below {number(LOW_ALPHA, 2)}: the statements may not "
        "measure one thing. Look first at the statements with a low item-total r."
    )


def scenario_alpha_note(alpha: float) -> str:
    """How to read the scenario items' α: a lower bound when positive, else what it means."""
    if alpha < 0:
        return (
            "negative: the items vary against each other more than with each other; "
            "not a lower bound of anything"
        )
    return "a lower bound"


def statement_problems(summary: ItemSummary | None, item_total: float | None) -> list[str]:
    """Why a self-report statement behaves badly; pass None for a statistic not shown (§7)."""
    problems = []
    if item_total is not None and item_total < 0:
        problems.append(
            f"goes against the rest of its scale (item-total r = {number(item_total, 2)}): check "
            "the "
            "wording, and whether it should be reverse-keyed"
        )
    elif item_total is not None and item_total < LOW_ITEM_TOTAL:
        problems.append(
            f"barely related to the rest of its scale (item-total r = {number(item_total, 2)}, "
            f"below {number(LOW_ITEM_TOTAL, 2)})"
        )
    if summary is not None and summary.mean is not None:
        if summary.mean >= CEILING_MEAN:
            problems.append(
                f"almost everyone agrees (mean {number(summary.mean, 1)} of 5): it hardly tells "
                "candidates apart"
            )
        elif summary.mean <= FLOOR_MEAN:
            problems.append(
                f"almost everyone disagrees (mean {number(summary.mean, 1)} of 5): it hardly tells "
                "candidates apart"
            )
    if summary is not None and summary.sd.defined and summary.sd.value < LOW_SD:
        sd = number(summary.sd.value, 2)
        problems.append(f"answers barely vary (SD {sd}, below {number(LOW_SD, 1)})")
    return problems


def _extremes(item: ScenarioItem) -> tuple[Sequence[str], Sequence[str]]:
    keys = item.keys
    top, bottom = max(keys.values()), min(keys.values())
    return [r for r, k in keys.items() if k == top], [r for r, k in keys.items() if k == bottom]


def scenario_problems(
    item: ScenarioItem, counts: PickCounts, mean_score: float | None
) -> list[str]:
    """Why a scenario item behaves badly, from its pick counts (shown only at n ≥ §7's minimum)."""
    problems = []
    n = counts.n
    keys = item.keys
    for rid in keys:
        picked = counts.most[rid] + counts.least[rid]
        if picked == 0:
            problems.append(f"nobody picks response {rid} (key {keys[rid]}), as most or as least")
        elif picked < RARE_PICK * n:
            problems.append(
                f"response {rid} (key {keys[rid]}) is picked by only {picked} of {n} "
                f"respondents (under {percent(RARE_PICK)}): it does little work"
            )
    best, worst = _extremes(item)
    for rid in best:
        if counts.least[rid] > counts.most[rid]:
            problems.append(
                f"the keyed best response {rid} (key {keys[rid]}) is picked as LEAST "
                f"effective more often ({counts.least[rid]}) than as MOST "
                f"({counts.most[rid]}): check the key"
            )
    # Only a single keyed-worst response: a tie at the bottom makes no claim about which is worst.
    for rid in worst if len(worst) == 1 else ():
        if counts.most[rid] > counts.least[rid]:
            problems.append(
                f"the keyed worst response {rid} (key {keys[rid]}) is picked as MOST "
                f"effective more often ({counts.most[rid]}) than as LEAST "
                f"({counts.least[rid]}): check the key"
            )
    if mean_score is not None and mean_score >= EASY_SCENARIO:
        problems.append(
            f"nearly everyone finds the key (mean item score {number(mean_score)} of 100): "
            "it hardly tells candidates apart"
        )
    elif mean_score is not None and mean_score <= CHANCE_SCENARIO:
        problems.append(
            f"respondents do no better than random picks (mean item score {number(mean_score)}; "
            f"chance is {number(CHANCE_SCENARIO)}): check the key"
        )
    return problems
