"""Where a self-assessment stands, in one word: the rule the invite page and the position
list share. Pure: no Flask, no database."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def assessment_state(assessment: Any, answered: int, now: datetime | None = None) -> str:
    """submitted, revoked, expired, in_progress or invited. Without `now` expiry is not
    judged (a stored summary decides it when shown, as time passes)."""
    if assessment.status == "submitted":
        return "submitted"
    if assessment.revoked_at is not None:
        return "revoked"
    if now is not None and assessment.expires_at is not None and assessment.expires_at <= now:
        return "expired"
    started = assessment.status == "in_progress" or answered > 0
    return "in_progress" if started else "invited"
