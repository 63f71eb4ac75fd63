"""Times in a reader's zone: shown with the zone named, typed times read back to UTC, and
the nights the clocks change (Europe/Berlin: forward on 29 March 2026, back on 25 October
2026; America/New_York: forward on 8 March 2026)."""

from __future__ import annotations

from datetime import datetime

import pytest

from assessment.local_time import (
    TimeNotInZone,
    is_zone,
    known_zones,
    local_naive,
    show,
    spelled_out,
    to_utc,
    zone_name,
)

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


@pytest.mark.parametrize(
    "stored, zone, style, shown",
    [
        (datetime(2026, 12, 4, 13, 5), BERLIN, "datetime", "4 Dec 2026, 14:05 CET"),
        (datetime(2026, 7, 4, 13, 5), BERLIN, "datetime", "4 Jul 2026, 15:05 CEST"),
        (datetime(2026, 12, 4, 13, 5), NEW_YORK, "day", "Fri 4 Dec 2026, 08:05 EST"),
        (datetime(2026, 12, 4, 13, 5), None, "datetime", "4 Dec 2026, 13:05 UTC"),
        (datetime(2026, 12, 4, 13, 5), "Not/AZone", "time", "13:05 UTC"),
        (datetime(2026, 12, 4, 23, 30), "Asia/Tokyo", "date", "5 Dec 2026"),  # the next day
        (datetime(2026, 12, 4, 12, 0), "Asia/Kolkata", "time", "17:30 IST"),
        (datetime(2026, 12, 4, 12, 0), "America/Sao_Paulo", "time", "09:00 UTC-03"),
        (datetime(2026, 12, 4, 12, 0), "Asia/Kathmandu", "time", "17:45 UTC+05:45"),
    ],
)
def test_a_stored_time_is_shown_in_the_readers_zone_and_names_it(stored, zone, style, shown):
    assert show(stored, zone, style) == shown


def test_nothing_to_show_is_an_empty_text():
    assert show(None, BERLIN) == ""


@pytest.mark.parametrize(
    "typed, zone, stored",
    [
        (datetime(2026, 3, 28, 10, 0), BERLIN, datetime(2026, 3, 28, 9, 0)),  # winter, +1
        (datetime(2026, 3, 29, 10, 0), BERLIN, datetime(2026, 3, 29, 8, 0)),  # summer, +2
        (datetime(2026, 3, 29, 1, 59), BERLIN, datetime(2026, 3, 29, 0, 59)),  # just before
        (datetime(2026, 3, 29, 3, 0), BERLIN, datetime(2026, 3, 29, 1, 0)),  # just after
        (datetime(2026, 10, 25, 2, 30), BERLIN, datetime(2026, 10, 25, 0, 30)),  # twice: first
        (datetime(2026, 10, 25, 3, 30), BERLIN, datetime(2026, 10, 25, 2, 30)),
        (datetime(2026, 3, 8, 9, 0), NEW_YORK, datetime(2026, 3, 8, 13, 0)),
        (datetime(2026, 3, 7, 9, 0), NEW_YORK, datetime(2026, 3, 7, 14, 0)),
        (datetime(2026, 3, 29, 2, 30), None, datetime(2026, 3, 29, 2, 30)),  # UTC: as typed
    ],
)
def test_a_typed_time_is_read_in_the_zone_across_the_clock_changes(typed, zone, stored):
    assert to_utc(typed, zone) == stored


@pytest.mark.parametrize(
    "typed, zone, instead",
    [
        (datetime(2026, 3, 29, 2, 30), BERLIN, "03:30"),
        (datetime(2026, 3, 8, 2, 15), NEW_YORK, "03:15"),
    ],
)
def test_a_time_the_clocks_skip_is_refused_naming_the_time_meant(typed, zone, instead):
    with pytest.raises(TimeNotInZone, match=f"does not exist.*Did you mean {instead}"):
        to_utc(typed, zone)


def test_shown_and_typed_times_go_round_unchanged_through_a_clock_change():
    """Every hour of the day Berlin's clocks go back comes back as stored, but the
    repeated hour's second 02:15 (01:15 UTC), which a wall clock cannot tell apart."""
    back = {}
    for hour in range(24):
        stored = datetime(2026, 10, 25, hour, 15)
        back[stored] = to_utc(local_naive(stored, BERLIN), BERLIN)
    changed = {s: b for s, b in back.items() if s != b}
    assert changed == {datetime(2026, 10, 25, 1, 15): datetime(2026, 10, 25, 0, 15)}
    assert local_naive(None, BERLIN) is None


def test_an_email_spells_the_time_out_in_the_zone_and_in_utc():
    moment = datetime(2026, 3, 24, 9, 0)
    assert spelled_out(moment, BERLIN) == (
        "Tuesday 24 March 2026 at 10:00 Europe/Berlin time (09:00 UTC)"
    )
    assert spelled_out(moment, None) == "Tuesday 24 March 2026 at 09:00 (UTC)"


def test_the_zones_offered_are_the_systems_with_utc_first():
    zones = known_zones()
    assert zones[0] == "UTC" and BERLIN in zones and NEW_YORK in zones
    assert is_zone(BERLIN) and not is_zone("Mars/Olympus") and not is_zone(None)
    assert zone_name("Mars/Olympus") == "UTC" and zone_name(BERLIN) == BERLIN
