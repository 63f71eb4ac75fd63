"""Changes to a person's own settings, each in one write transaction."""

from __future__ import annotations

from ..database import write_transaction
from ..local_time import is_zone
from ..models import User


class SettingsError(Exception):
    """A setting that cannot be saved; the message says why."""


def set_time_zone(user_id: int, zone: str) -> None:
    """Show and read this person's times in `zone` (an IANA name) from now on."""
    if not is_zone(zone):
        raise SettingsError(f"“{zone}” is not a time zone this server knows.")
    with write_transaction() as session:
        session.get(User, user_id).time_zone = zone


def adopt_browser_zone(user_id: int, zone: str | None) -> bool:
    """The first sign-in: take the browser's zone, unless the person has one already."""
    if not is_zone(zone):
        return False
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user.time_zone:
            return False
        user.time_zone = zone
    return True
