"""Panel e-mails: put on a panel, moved or taken off, an interviewer gets an e-mail with
the interview as a calendar invitation (.ics) for its date."""

from __future__ import annotations

from datetime import datetime

import pytest
from aiosmtpd.controller import Controller

from assessment.positions.calendar import CalendarInterview, interview_ics
from tests.conftest import post_form
from tests.web.conftest import free_port
from tests.web.test_positions import panel_data
from tests.web.test_reminders import Inbox


def unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_the_ics_escapes_text_and_folds_long_lines():
    event = CalendarInterview(
        uid="interview-7@hr.example.com",
        sequence=3,
        start=datetime(2026, 3, 10, 9, 30),
        summary="Interview: Smith, Jr.; Ünal\nNew line (Support lead)",
        description="Open it: https://hr.example.com/interviews/7 " + "é" * 60,
        url="https://hr.example.com/interviews/7",
        organizer_email="hiring@example.com",
        attendee_name='Mo "The" Manager',
        attendee_email="mo@example.com",
    )
    ics = interview_ics(event, datetime(2026, 3, 1, 8, 0))
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    lines = unfold(ics)
    assert "METHOD:REQUEST" in lines and "STATUS:CONFIRMED" in lines
    assert "DTSTART:20260310T093000Z" in lines and "DTEND:20260310T103000Z" in lines
    assert "DTSTAMP:20260301T080000Z" in lines and "SEQUENCE:3" in lines
    assert "SUMMARY:Interview: Smith\\, Jr.\\; Ünal\\nNew line (Support lead)" in lines
    assert any(line.startswith("DESCRIPTION:") and line.endswith("é" * 60) for line in lines)
    assert (
        "ATTENDEE;CN=\"Mo 'The' Manager\";ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:mo@example.com"
        in lines
    )
    cancelled = unfold(interview_ics(
        CalendarInterview(**{**event.__dict__, "cancelled": True}), datetime(2026, 3, 2)
    ))  # fmt: skip
    assert "METHOD:CANCEL" in cancelled and "STATUS:CANCELLED" in cancelled


@pytest.fixture
def inbox(app, monkeypatch):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "BASE_URL", "https://hr.example.com")
    yield handler
    controller.stop()


def calendar_of(message) -> tuple[str, list[str]]:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "interview.ics"
    return part.get_param("method"), unfold(part.get_content())


def test_added_moved_and_removed_interviewers_get_mail_with_the_invitation(
    client, login, users, make_user, make_candidate, inbox
):
    candidate = make_candidate(name="Ada Lovelace")
    mo = make_user("manager", name="Mo Manager")
    login(users["hr"])
    url = f"/candidates/{candidate.id}/panel"
    assert post_form(client, url, panel_data({mo: "2026-03-10T09:30"})).status_code == 302
    [message] = inbox.to(mo.email)
    assert message["Subject"].strip().startswith("You are on the interview panel for Ada Lovelace")
    body = message.get_body(("plain",)).get_content()
    interview_id = int(body.split("/interviews/")[1].split()[0])
    assert f"https://hr.example.com/interviews/{interview_id}" in body
    assert "Tuesday 10 March 2026, 09:30 UTC" in body
    method, lines = calendar_of(message)
    assert method == "REQUEST" and "DTSTART:20260310T093000Z" in lines
    uid = f"UID:interview-{interview_id}@hr.example.com"
    assert (
        uid in lines
        and f'ATTENDEE;CN="Mo Manager";ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{mo.email}' in lines
    )
    first_sequence = next(int(x.split(":")[1]) for x in lines if x.startswith("SEQUENCE:"))

    assert post_form(client, url, panel_data({mo: "2026-03-11T14:00"})).status_code == 302
    moved = inbox.to(mo.email)[-1]
    assert moved["Subject"].strip().startswith("New time for your interview with Ada Lovelace")
    method, lines = calendar_of(moved)
    assert uid in lines and "DTSTART:20260311T140000Z" in lines
    assert next(int(x.split(":")[1]) for x in lines if x.startswith("SEQUENCE:")) >= first_sequence

    post_form(client, url, panel_data({mo: "2026-03-11T14:00"}))  # unchanged: no e-mail
    assert len(inbox.to(mo.email)) == 2
    other = make_user("manager")
    data = {**panel_data({other: ""}), "confirm_removal": "y"}
    assert post_form(client, url, data).status_code == 302
    removed = inbox.to(mo.email)[-1]
    assert removed["Subject"].strip().startswith("You are no longer on the interview panel")
    assert calendar_of(removed)[0] == "CANCEL"
    [no_date] = inbox.to(other.email)  # no date yet: the e-mail, without an invitation
    assert not [p for p in no_date.iter_attachments()]


def test_a_refused_e_mail_is_said_on_the_page_and_the_panel_is_saved(
    client, login, users, make_user, make_candidate, inbox
):
    candidate = make_candidate()
    mo = make_user("manager", name="Mo Manager")
    inbox.refuse.add(mo.email)
    login(users["hr"])
    response = post_form(
        client, f"/candidates/{candidate.id}/panel", panel_data({mo: "2026-03-10T09:30"}),
        follow_redirects=True,
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert "Panel saved" in page and "The e-mail to Mo Manager could not be sent" in page


def test_without_smtp_the_panel_is_saved_quietly(client, login, users, make_user, make_candidate):
    candidate = make_candidate()
    login(users["hr"])
    data = panel_data({make_user("manager"): "2026-03-10T09:30"})
    response = post_form(client, f"/candidates/{candidate.id}/panel", data, follow_redirects=True)
    assert "could not be sent" not in response.get_data(as_text=True)


def test_with_redis_panel_e_mails_are_jobs_for_the_worker(
    app, client, runner, login, users, make_user, make_candidate, inbox, redis_url
):
    candidate = make_candidate(name="Queued Person")
    mo = make_user("manager", name="Mo Manager")
    app.config["REDIS_URL"] = redis_url
    try:
        login(users["hr"])
        data = panel_data({mo: "2026-03-10T09:30"})
        assert post_form(client, f"/candidates/{candidate.id}/panel", data).status_code == 302
        assert inbox.messages == []  # queued, not sent by the web request
        worked = runner.invoke(args=["worker", "--burst", "--queue", "mail"])
        assert worked.exit_code == 0, worked.output
        [message] = inbox.to(mo.email)
        assert calendar_of(message)[0] == "REQUEST"
    finally:
        app.config["REDIS_URL"] = None
