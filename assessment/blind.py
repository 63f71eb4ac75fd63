"""Blind review: who sees a candidate's name, and what they see instead.

A position under blind review (the default) shows HR and admins a candidate code in place
of the name, e-mail and external id, in pages and in exports, until a person reveals the
names for that position (an audited choice). Interviewers on a candidate's panel always see
the name: they meet the person. Every page and export asks these two functions.
"""

from __future__ import annotations

from typing import Any

BLIND_ROLES = ("hr", "admin")


def candidate_code(candidate_id: int) -> str:
    """A stable, meaningless label: it says nothing about the person or their order."""
    return f"Candidate {candidate_id:04d}"


def is_blind(position: Any, viewer: Any) -> bool:
    """True when `viewer` must see codes for this position's candidates."""
    return bool(getattr(position, "blind", False)) and getattr(viewer, "role", None) in BLIND_ROLES


def shown_name(candidate: Any, position: Any, viewer: Any) -> str:
    return candidate_code(candidate.id) if is_blind(position, viewer) else candidate.name


def shown_email(candidate: Any, position: Any, viewer: Any) -> str | None:
    """The e-mail, or None when it is hidden."""
    return None if is_blind(position, viewer) else candidate.email
