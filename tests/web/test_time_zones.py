"""Each account's time zone: taken from the browser at the first sign-in, changeable, and
used for every time shown, typed (panel dates) and e-mailed; stored times stay UTC."""

from __future__ import annotations

from datetime import datetime

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Interview, User
from assessment.reminders import OverdueInterview, Reminder, reminder_body
from assessment.selfassess.invite_mail import InviteLetter, invite_body
from tests.conftest import PASSWORD, csrf_token, post_form
from tests.web.helpers import sign_out

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


def zone_of(user) -> str | None:
    return db.session.scalar(db.select(User.time_zone).where(User.id == user.id))


def set_zone(user, zone: str | None) -> None:
    with write_transaction() as session:
        session.get(User, user.id).time_zone = zone


def sign_in(client, user):
    form = client.get("/login")
    data = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(form)}
    return client.post("/login", data=data)


def test_the_first_sign_in_takes_the_browsers_zone(client, users):
    client.set_cookie("zone", BERLIN)  # static/js/zone.js sets it on every page
    assert sign_in(client, users["hr"]).status_code == 302
    assert zone_of(users["hr"]) == BERLIN


def test_a_zone_already_chosen_is_kept_and_a_bogus_one_ignored(client, users):
    set_zone(users["hr"], "Asia/Tokyo")
    client.set_cookie("zone", BERLIN)
    assert sign_in(client, users["hr"]).status_code == 302
    assert zone_of(users["hr"]) == "Asia/Tokyo"
    sign_out(client)
    client.set_cookie("zone", "Not/AZone")
    assert sign_in(client, users["manager"]).status_code == 302
    assert zone_of(users["manager"]) is None


def test_the_settings_page_changes_the_zone(client, login, users):
    login(users["manager"])
    page = client.get("/account").get_data(as_text=True)
    assert "Time zone" in page and "Dates and times are in UTC" in page
    response = post_form(client, "/account", {"time_zone": NEW_YORK})
    assert response.status_code == 302 and zone_of(users["manager"]) == NEW_YORK
    page = client.get("/account").get_data(as_text=True)
    assert "Times are now shown in America/New_York" in page
    assert "Dates and times are in America/New_York" in page
    refused = post_form(client, "/account", {"time_zone": "Mars/Olympus"})
    assert refused.status_code == 422 and zone_of(users["manager"]) == NEW_YORK


def test_times_are_shown_in_the_readers_zone_and_say_so(
    client, login, users, make_candidate, make_interview
):
    interview = make_interview(
        make_candidate(name="Ada Okafor"),
        users["manager"],
        scheduled_for=datetime(2026, 12, 4, 13, 5),  # UTC, as stored
    )
    set_zone(users["manager"], BERLIN)
    login(users["manager"])
    mine = client.get("/interviews").get_data(as_text=True)
    assert "4 Dec 2026, 14:05 CET" in mine and "Dates and times are in Europe/Berlin" in mine
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert "Fri 4 Dec 2026, 14:05 CET" in page
    set_zone(users["manager"], None)  # no zone yet: the browser's, else UTC
    client.set_cookie("zone", NEW_YORK)
    assert "4 Dec 2026, 08:05 EST" in client.get("/interviews").get_data(as_text=True)


def panel_url(candidate) -> str:
    return f"/candidates/{candidate.id}/panel"


def test_panel_dates_are_typed_in_the_readers_zone_and_stored_in_utc(
    client, login, users, make_candidate
):
    candidate, manager = make_candidate(), users["manager"]
    set_zone(users["hr"], NEW_YORK)
    login(users["hr"])
    data = {f"pick_{manager.id}": "y", f"when_{manager.id}": "2026-03-08T09:00"}  # EDT
    assert post_form(client, panel_url(candidate), data).status_code == 302
    stored = db.session.scalar(db.select(Interview.scheduled_for))
    assert stored == datetime(2026, 3, 8, 13, 0)
    page = client.get(panel_url(candidate)).get_data(as_text=True)
    assert 'value="2026-03-08T09:00"' in page and "optional, America/New_York" in page


def test_a_panel_date_the_clocks_skip_is_refused_and_kept_as_typed(
    client, login, users, make_candidate
):
    candidate, manager = make_candidate(), users["manager"]
    set_zone(users["hr"], NEW_YORK)
    login(users["hr"])
    data = {f"pick_{manager.id}": "y", f"when_{manager.id}": "2026-03-08T02:30"}
    response = post_form(client, panel_url(candidate), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "02:30 does not exist on 8 Mar 2026 in America/New_York" in page
    assert "Did you mean 03:30?" in page and 'value="2026-03-08T02:30"' in page
    assert db.session.scalar(db.select(Interview.id)) is None


def test_a_reminder_gives_the_date_in_the_interviewers_zone():
    interview = OverdueInterview(
        7, "in_progress", datetime(2026, 3, 8, 10, 0), "Ada Lovelace", "Support lead"
    )
    berlin = Reminder("m@example.com", "Mo", (interview,), BERLIN)
    assert "(Sun 8 Mar 2026, 11:00 CET)" in reminder_body(berlin, "https://h.example")
    nowhere = Reminder("m@example.com", "Mo", (interview,))
    assert "(Sun 8 Mar 2026, 10:00 UTC)" in reminder_body(nowhere, "https://h.example")


def test_the_invite_email_gives_the_expiry_in_the_senders_zone_and_utc():
    letter = InviteLetter(
        candidate_name="Zoë Example",
        candidate_email="zoe@example.org",
        position_title="Support lead",
        link="https://h.example/a/x",
        minutes=25,
        expires_at=datetime(2026, 7, 24, 9, 5),
        sender_name="Sam",
        sender_email="sam@example.com",
        time_zone=BERLIN,
    )
    body = invite_body(letter).replace("\n", " ")
    assert "Friday 24 July 2026 at 11:05 Europe/Berlin time (09:05 UTC)" in body
