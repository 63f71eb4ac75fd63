"""One scale for the three methods, so their scores can be combined and compared.

A 50 means different things by method: anchor 3 ("acceptable") in the interview, chance
in the scenarios, "neutral" in self-report, and applicants average well above 50 on the
last two. Each method's score is therefore placed on the interview's scale by where it
stands among candidates (linear, mean–sigma equating):

    common = mean_I + SD_I · (raw − mean_M) / SD_M

with mean_M, SD_M the method's norm and mean_I, SD_I the interview's, on the same
competency: this company's candidates once §7's minimum is met (≥ 30 with that score),
else the documented defaults of scoring.figures. The interview's own score is unchanged,
so 50 keeps meaning anchor 3 and the advisory labels keep their meaning. Pure.
"""

from __future__ import annotations

from .figures import DEFAULT, Figures, Source


def to_common(
    figures: Figures, competency: str, method: str, raw: float
) -> tuple[float, float, Source]:
    """(the score on the common scale, unclipped; the common scale's SD on the
    competency, which sizes every part's SEM; where the norms came from: this company's
    data only when every norm used is, with the smallest n)."""
    mean_i, sd_i, interview = figures.norm(competency, "interview")
    if method == "interview":
        return raw, sd_i, interview
    mean_m, sd_m, own = figures.norm(competency, method)
    source = Source(min(own.n, interview.n)) if own.local and interview.local else DEFAULT
    return mean_i + sd_i * (raw - mean_m) / sd_m, sd_i, source


def clip_score(x: float) -> float:
    """A score on the common scale, kept within 0–100 like every score the app shows."""
    return max(0.0, min(100.0, x))
