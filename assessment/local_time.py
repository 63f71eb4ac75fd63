"""Times in the reader's zone. Stored times stay naive UTC; pages, forms and e-mails show
and read them in a person's IANA time zone (Europe/Berlin, America/New_York...) and name it.

One formatter (`show`, the templates' `when` filter) and one parser (`to_utc`) are used
everywhere, so a time is never shown in one zone and read back in another.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC_NAME = "UTC"
ZONE_COOKIE = "zone"  # the browser's zone, set by static/js/zone.js for the first sign-in
STYLES = {
    "date": "{d} {m:%b} {y}",  # 4 Dec 2026 (the page's footer names the zone)
    "short": "{d} {m:%b}",  # 4 Dec
    "time": "{m:%H:%M} {zone}",  # 14:05 CET
    "datetime": "{d} {m:%b} {y}, {m:%H:%M} {zone}",  # 4 Dec 2026, 14:05 CET
    "day": "{m:%a} {d} {m:%b} {y}, {m:%H:%M} {zone}",  # Fri 4 Dec 2026, 14:05 CET
}


class TimeNotInZone(ValueError):
    """A local time the clocks skip (the hour lost when summer time starts)."""


@functools.cache
def known_zones() -> tuple[str, ...]:
    """Every IANA zone name this system knows, sorted; UTC first."""
    names = sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))
    return (UTC_NAME, *names)


@functools.cache
def _zone_set() -> frozenset[str]:
    return frozenset(known_zones())


def is_zone(name: str | None) -> bool:
    return bool(name) and name in _zone_set()


@functools.lru_cache(maxsize=64)
def zone_info(name: str | None) -> ZoneInfo:
    """The zone of that name; UTC for none or an unknown name."""
    try:
        return ZoneInfo(name) if name and is_zone(name) else ZoneInfo(UTC_NAME)
    except ZoneInfoNotFoundError:
        return ZoneInfo(UTC_NAME)


def zone_name(name: str | None) -> str:
    """The name itself when known, else "UTC" (what times are then shown in)."""
    return name if is_zone(name) else UTC_NAME


def to_local(moment: datetime, zone: str | None) -> datetime:
    """A stored (naive UTC) time as an aware time in `zone`."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone_info(zone))


def local_naive(moment: datetime | None, zone: str | None) -> datetime | None:
    """A stored time as the wall-clock time in `zone`, for a form's date-time field."""
    return None if moment is None else to_local(moment, zone).replace(tzinfo=None)


def to_utc(wall: datetime, zone: str | None) -> datetime:
    """A wall-clock time typed in `zone` as a stored (naive UTC) time.

    A time that happens twice (the hour repeated when summer time ends) is taken the first
    time; one the clocks skip raises TimeNotInZone, naming the time to use instead.
    """
    tz = zone_info(zone)
    aware = wall.replace(tzinfo=tz, fold=0)
    stored = aware.astimezone(UTC)
    if stored.astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None):
        later = stored.astimezone(tz)
        raise TimeNotInZone(
            f"{wall:%H:%M} does not exist on {wall.day} {wall:%b %Y} in {zone_name(zone)}: "
            f"the clocks go forward that night. Did you mean {later:%H:%M}?"
        )
    return stored.replace(tzinfo=None)


def abbreviation(local: datetime) -> str:
    """CET, EDT, or the offset (+0530) where the zone has no letters."""
    letters = local.strftime("%Z")
    if letters and not letters.startswith(("+", "-")):
        return letters
    offset = local.strftime("%z")  # +0530
    minutes = offset[3:5]
    return f"UTC{offset[:3]}" + (f":{minutes}" if minutes != "00" else "")


def show(moment: datetime | None, zone: str | None, style: str = "datetime") -> str:
    """A stored time for a reader in `zone`, e.g. "4 Dec 2026, 14:05 CET"; "" for None."""
    if moment is None:
        return ""
    local = to_local(moment, zone)
    return STYLES[style].format(d=local.day, m=local, y=local.year, zone=abbreviation(local))


def spelled_out(moment: datetime, zone: str | None) -> str:
    """For an e-mail: "Tuesday 24 March 2026 at 10:00 Europe/Berlin time (09:00 UTC)"."""
    local = to_local(moment, zone)
    text = f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"
    name = zone_name(zone)
    if name == UTC_NAME:
        return f"{text} (UTC)"
    return f"{text} {name} time ({to_local(moment, UTC_NAME):%H:%M} UTC)"
