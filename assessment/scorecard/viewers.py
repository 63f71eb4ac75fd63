"""Whom an export is made for: a signed-in person, or the command line's viewer."""

from __future__ import annotations

from types import SimpleNamespace

from assessment.extensions import db
from assessment.models import User

from .build import build_scorecard
from .model import EvidenceSealed, Scorecard

# The command line's viewer: whoever can run `flask` on the server can read the database
# anyway, so it reads as an admin on no panel (no user has id 0): nothing is sealed.
SYSTEM_VIEWER = SimpleNamespace(id=0, role="admin")
# The same with --reveal-names: names even where the position is under blind review.
REVEALING_VIEWER = SimpleNamespace(**vars(SYSTEM_VIEWER), reveal_names=True)


class ExportError(Exception):
    """An export that cannot be made as asked; the message says why."""


def load_viewer(viewer_id: int | None, reveal_names: bool = False):
    """The person the export is made for, or the CLI's SYSTEM_VIEWER for None (revealing
    names under blind review only when the command was asked to: `reveal_names`)."""
    if viewer_id is None:
        return REVEALING_VIEWER if reveal_names else SYSTEM_VIEWER
    viewer = db.session.get(User, viewer_id)
    if viewer is None:
        raise ExportError(f"There is no user {viewer_id}.")
    return viewer


def detached(viewer) -> SimpleNamespace:
    """What the seal and blind rules read of a viewer, free of any database session (to
    hand to another process, or to keep past the end of a read)."""
    return SimpleNamespace(
        id=viewer.id, role=viewer.role, reveal_names=getattr(viewer, "reveal_names", False)
    )


def visible_card(candidate_id: int, viewer) -> Scorecard | None:
    """The scorecard, or None when it is sealed for this viewer (their interview is open)."""
    try:
        return build_scorecard(candidate_id, viewer)
    except EvidenceSealed:
        return None
