"""Pure rules for decisions: which decisions go against the scores' advisory band (SCIENCE §4).

No Flask, no database. A decision is a person's; the band only decides whether the person
must say, in writing, why they go against it.
"""

from __future__ import annotations

DECISIONS = ("advance", "hold", "decline")
DECISION_NAMES = {"advance": "Advance", "hold": "Hold", "decline": "Decline"}
INSUFFICIENT = "insufficient evidence"  # the band when there is no overall score (§7)
# Which bands a decision goes against: advancing on evidence against (or on too little
# evidence to read), declining on evidence for. Holding never goes against the band, and
# "inconclusive" never makes a decision go against it.
AGAINST = {
    "advance": frozenset({"evidence against", "strong evidence against", INSUFFICIENT}),
    "decline": frozenset({"evidence for", "strong evidence for"}),
    "hold": frozenset(),
}
RATIONALE_MAX = 5000
REASON_MAX = 2000


def band_text(label: str | None) -> str:
    """The advisory label of the overall, or "insufficient evidence" when there is none."""
    return label or INSUFFICIENT


def goes_against(decision: str, band: str) -> bool:
    """True when `decision` goes against the band and so needs a reason for it."""
    return band in AGAINST.get(decision, frozenset())


def against_message(decision: str, band: str) -> str:
    """What the form says when a decision goes against the band without a reason."""
    verb = {"advance": "Advancing", "decline": "Declining"}.get(decision, "This decision")
    if band == INSUFFICIENT:
        why = "the scores do not yet carry enough evidence for an overall reading"
    else:
        why = f"the scores read “{band}”"
    return (
        f"{verb} goes against the scores: {why}. Say why you decide otherwise in "
        "“Reason for going against the band”."
    )


def against_hint(band: str) -> str:
    """Which decisions would need a reason, for this band, in plain words."""
    needs = [DECISION_NAMES[d].lower() for d in DECISIONS if goes_against(d, band)]
    if not needs:
        return "No decision goes against this band: the reason below is not needed."
    return f"With this band, to {' or '.join(needs)} you also give a reason for going against it."
