"""The interviewer's overall recommendation: its choices, its rules, and when it goes
against the interviewer's own ratings. Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable

RECOMMENDATION_ID = "recommendation"  # its place among a page's entries and problems
RECOMMENDATIONS = {
    "strong_no": "Strong no",
    "no": "No",
    "yes": "Yes",
    "strong_yes": "Strong yes",
}
KEY_EVIDENCE_MAX = 2_000  # a short summary: the ratings' notes hold the detail
MIDPOINT = 3.0  # the middle of the 1-5 scale


class RecommendationError(ValueError):
    """A recommendation the rules refuse."""

    status = 422


def check_recommendation(raw: str | None, evidence: str | None) -> tuple[str | None, str]:
    """(key or None, key evidence) from a page's values; RecommendationError otherwise."""
    key = (raw or "").strip().lower() or None
    if key is not None and key not in RECOMMENDATIONS:
        raise RecommendationError("A recommendation is strong no, no, yes or strong yes.")
    evidence = evidence or ""
    if len(evidence) > KEY_EVIDENCE_MAX:
        raise RecommendationError(
            f"The key evidence is limited to {KEY_EVIDENCE_MAX:,} characters; it has "
            f"{len(evidence):,}. Nothing was cut: shorten it to save."
        )
    return key, evidence


def recommendation_problems(key: str | None, evidence: str) -> list[str]:
    """What keeps the recommendation from being submitted."""
    problems = []
    if key is None:
        problems.append("Choose your overall recommendation: strong no, no, yes or strong yes.")
    if not evidence.strip():
        problems.append("Summarise the key evidence behind your recommendation.")
    return problems


def mean_rating(values: Iterable[int | None]) -> float | None:
    """The mean of an interviewer's 1-5 ratings ("not covered" is no rating)."""
    rated = [v for v in values if v is not None]
    return sum(rated) / len(rated) if rated else None


def disagreement(key: str | None, mean: float | None) -> str | None:
    """A sentence when a recommendation points the other way from the interviewer's own
    ratings (their mean on the other side of the scale's midpoint), else None."""
    if key is None or mean is None:
        return None
    label = RECOMMENDATIONS[key].lower()
    if key.endswith("yes") and mean < MIDPOINT:
        side = "below"
    elif key.endswith("no") and mean > MIDPOINT:
        side = "above"
    else:
        return None
    return (
        f"Recommends “{label}”, but their own ratings average {mean:.1f} of 5, "
        f"{side} the scale's midpoint of 3."
    )
