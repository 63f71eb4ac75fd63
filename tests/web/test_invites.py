"""Invites, staff side: create (shown once, hash stored), renew, expire, revoke, e-mail, CLI."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Answer, AuditEntry, SelfAssessment, utcnow
from assessment.selfassess.invite_mail import InviteLetter, invite_body
from assessment.selfassess.invites import (
    InviteError,
    InviteInvalid,
    create_invite,
    find_by_token,
    may_invite,
    revoke_invite,
)
from tests.conftest import PASSWORD, csrf_token, post_form
from tests.web.test_reminders import Inbox, free_port

BASE_URL = "https://hiring.example.com"
LINK_RE = re.compile(r'value="(https?://[^"]*/a/([A-Za-z0-9_-]+))"')


@pytest.fixture(autouse=True)
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)
    monkeypatch.setitem(app.config, "SMTP_HOST", None)


@pytest.fixture
def inbox(app, monkeypatch):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 5)
    monkeypatch.setitem(app.config, "MAIL_FROM", "Hiring <hiring@example.com>")
    yield handler
    controller.stop()


def url(candidate) -> str:
    return f"/candidates/{candidate.id}/invite"


def invite(client, candidate, **data):
    """Create an invite through the page; returns (response, link, token)."""
    response = post_form(client, url(candidate), {"days": "14", **data})
    match = LINK_RE.search(response.get_data(as_text=True))
    return response, (match.group(1) if match else None), (match.group(2) if match else None)


def latest(candidate) -> SelfAssessment:
    return db.session.scalar(
        db.select(SelfAssessment)
        .where(SelfAssessment.candidate_id == candidate.id)
        .order_by(SelfAssessment.id.desc())
    )


def answer(assessment: SelfAssessment, value: int = 4) -> None:
    item = next(i for i in assessment.items if i["type"] == "statement")
    with write_transaction() as session:
        session.add(Answer(assessment_id=assessment.id, item_id=item["id"], value=value))


def set_status(assessment_id: int, **values) -> None:
    with write_transaction() as session:
        session.execute(
            update(SelfAssessment).where(SelfAssessment.id == assessment_id).values(**values)
        )


# --- creating, and what is stored ---------------------------------------------------------


def test_hr_creates_an_invite_and_only_its_hash_is_stored(client, login, users, make_candidate):
    candidate = make_candidate()
    login(users["hr"])
    before = client.get(url(candidate)).get_data(as_text=True)
    assert "not invited" in before and "Create the link" in before

    response, link, token = invite(client, candidate)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert link == f"{BASE_URL}/a/{token}" and len(token) >= 40
    assert "only time it is shown" in page and "cannot be shown again" in page
    assessment = latest(candidate)
    assert assessment.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert find_by_token(token).id == assessment.id
    # The token itself is nowhere in the database: not in any column, not in the audit log.
    row = db.session.execute(db.select(SelfAssessment.__table__)).mappings().one()
    assert all(token not in str(value) for value in row.values())
    entries = db.session.execute(db.select(AuditEntry.__table__)).mappings().all()
    [created] = [e for e in entries if e["entity"] == "self_assessment"]
    assert created["action"] == "invite.create" and created["user_id"] == users["hr"].id
    assert all(token not in str(value) for e in entries for value in e.values())
    # Later visits show the state, never the link again.
    after = client.get(url(candidate)).get_data(as_text=True)
    assert token not in after
    assert "invited" in after and "Create a new link" in after


def test_the_link_is_built_from_base_url_whatever_the_host_header(
    client, login, users, make_candidate
):
    candidate = make_candidate()
    hostile = {"Host": "evil.example.net"}
    form = client.get("/login", headers=hostile)
    signed_in = client.post(
        "/login",
        data={
            "email": users["hr"].email,
            "password": PASSWORD,
            "csrf_token": csrf_token(form),
        },
        headers=hostile,
    )
    assert signed_in.status_code == 302
    form = client.get(url(candidate), headers=hostile)
    assert form.status_code == 200  # TRUSTED_HOSTS is unset: the app answers any Host

    response = client.post(
        url(candidate),
        data={"days": "14", "csrf_token": csrf_token(form)},
        headers=hostile,
    )

    assert response.status_code == 200
    link = LINK_RE.search(response.get_data(as_text=True)).group(1)
    assert link.startswith(BASE_URL + "/a/")
    assert "evil.example.net" not in response.get_data(as_text=True)


@pytest.mark.parametrize("days", ["0", "91", "", "soon"])
def test_the_expiry_must_be_1_to_90_days(client, login, users, make_candidate, days):
    candidate = make_candidate()
    login(users["admin"])
    response, link, _ = invite(client, candidate, days=days)
    assert response.status_code == 422 and link is None
    assert latest(candidate) is None
    assert f'value="{days}"' in response.get_data(as_text=True)  # what was typed is kept


def test_the_expiry_is_the_chosen_number_of_days(client, login, users, make_candidate):
    candidate = make_candidate()
    login(users["hr"])
    start = utcnow()
    _, _, token = invite(client, candidate, days="3")
    expires = find_by_token(token).expires_at
    assert start + timedelta(days=3) <= expires <= utcnow() + timedelta(days=3)


# --- expiry, revoking, renewing -----------------------------------------------------------


def test_an_expired_link_is_refused_and_shown_as_expired(client, login, users, make_candidate):
    candidate = make_candidate()
    _, token = create_invite(candidate.id, users["hr"], days=2, now=utcnow() - timedelta(days=3))

    with pytest.raises(InviteInvalid) as refused:
        find_by_token(token)
    assert refused.value.reason == "expired" and refused.value.status == 410
    login(users["hr"])
    page = client.get(url(candidate)).get_data(as_text=True)
    assert "expired" in page and "no longer works" in page
    assert "Revoke the link" not in page  # nothing left to stop


def test_a_link_stops_at_its_expiry_time(users, make_candidate):
    candidate = make_candidate()
    assessment, token = create_invite(candidate.id, users["hr"], days=14)
    assert find_by_token(token, now=assessment.expires_at - timedelta(seconds=1))
    with pytest.raises(InviteInvalid):
        find_by_token(token, now=assessment.expires_at)


def test_revoking_needs_a_confirmation_then_stops_the_link(client, login, users, make_candidate):
    candidate = make_candidate()
    assessment, token = create_invite(candidate.id, users["hr"])
    login(users["hr"])
    revoke_url = url(candidate) + "/revoke"

    form = client.get(url(candidate))
    unconfirmed = client.post(revoke_url, data={"csrf_token": csrf_token(form)})
    assert unconfirmed.status_code == 422
    assert "Tick the box" in unconfirmed.get_data(as_text=True)
    assert find_by_token(token).id == assessment.id  # still works

    page = client.get(url(candidate))
    confirmed = client.post(revoke_url, data={"confirm": "y", "csrf_token": csrf_token(page)})

    assert confirmed.status_code == 302
    with pytest.raises(InviteInvalid) as refused:
        find_by_token(token)
    assert refused.value.reason == "revoked"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "invite.revoke"))
    assert entry.entity_id == assessment.id and entry.user_id == users["hr"].id
    shown = client.get(url(candidate)).get_data(as_text=True)
    assert "revoked" in shown and "Create a new link" in shown


def test_a_new_link_replaces_the_old_one_and_keeps_the_answers(
    client, login, users, make_candidate
):
    candidate = make_candidate()
    first, old_token = create_invite(candidate.id, users["hr"])
    answer(first)
    login(users["hr"])
    page = client.get(url(candidate)).get_data(as_text=True)
    assert "in progress" in page and f"answered 1 of {len(first.items)}" in page
    assert "replaces the current one" in page

    response, _, new_token = invite(client, candidate)

    assert response.status_code == 200
    assert "previous link no longer works" in response.get_data(as_text=True)
    with pytest.raises(InviteInvalid) as refused:
        find_by_token(old_token)
    assert refused.value.reason == "unknown"
    renewed = find_by_token(new_token)
    assert renewed.id == first.id and renewed.items == first.items and renewed.seed == first.seed
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 1
    assert db.session.scalar(db.select(db.func.count(SelfAssessment.id))) == 1
    actions = db.session.scalars(
        db.select(AuditEntry.action)
        .where(AuditEntry.entity == "self_assessment")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["invite.create", "invite.renew"]


def test_a_revoked_invite_can_be_renewed(users, make_candidate):
    candidate = make_candidate()
    assessment, _ = create_invite(candidate.id, users["hr"])
    revoke_invite(assessment.id, users["hr"])
    _, token = create_invite(candidate.id, users["hr"])
    assert find_by_token(token).id == assessment.id


def test_a_submitted_assessment_cannot_be_invited_again(
    client, runner, login, users, make_candidate
):
    candidate = make_candidate()
    assessment, _ = create_invite(candidate.id, users["hr"])
    set_status(assessment.id, status="submitted", submitted_at=datetime(2026, 3, 1, 10, 0))
    login(users["hr"])

    page = client.get(url(candidate)).get_data(as_text=True)
    assert "submitted" in page and "no new invite can be made" in page
    assert "Create a new link" not in page and "Revoke the link" not in page
    token = csrf_token(client.get("/"))
    response = client.post(url(candidate), data={"days": "14", "csrf_token": token})
    assert response.status_code == 422
    assert "already submitted" in response.get_data(as_text=True)
    with pytest.raises(InviteError):
        create_invite(candidate.id, users["hr"])
    with pytest.raises(InviteError):
        revoke_invite(assessment.id, users["hr"])
    result = runner.invoke(args=["invite", str(candidate.id)])
    assert result.exit_code == 1 and "already submitted" in result.output
    assert latest(candidate).token_hash == assessment.token_hash


# --- who may invite -------------------------------------------------------------------------


def test_a_manager_on_the_panel_may_invite(client, login, users, make_candidate, make_interview):
    candidate = make_candidate()
    make_interview(candidate, users["manager"])  # not submitted: inviting needs no scores
    login(users["manager"])

    response, link, token = invite(client, candidate)

    assert response.status_code == 200 and link.startswith(BASE_URL)
    assert find_by_token(token).created_by_id == users["manager"].id


def test_a_manager_not_on_the_panel_is_refused_with_a_reason(
    client, login, users, make_user, make_candidate, make_interview
):
    candidate = make_candidate()
    make_interview(candidate, make_user("manager"))
    login(users["manager"])

    shown = client.get(url(candidate))
    token = csrf_token(client.get("/"))
    posted = client.post(url(candidate), data={"days": "14", "csrf_token": token})
    revoked = client.post(url(candidate) + "/revoke", data={"confirm": "y", "csrf_token": token})

    for response in (shown, posted, revoked):
        assert response.status_code == 403
        assert "interview panel" in response.get_data(as_text=True)
    assert latest(candidate) is None


def test_may_invite_by_role_and_panel(users, make_user, make_candidate, make_interview):
    candidate = make_candidate()
    panellist = make_user("manager")
    make_interview(candidate, panellist)
    assert may_invite(users["hr"], candidate.id) and may_invite(users["admin"], candidate.id)
    assert may_invite(panellist, candidate.id)
    assert not may_invite(users["manager"], candidate.id)


def test_an_unknown_candidate_is_not_found(client, login, users):
    login(users["hr"])
    assert client.get("/candidates/999/invite").status_code == 404


def test_the_candidate_page_links_to_the_invite_page(client, login, users, make_candidate):
    candidate = make_candidate()
    login(users["hr"])
    page = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    assert f'href="/candidates/{candidate.id}/invite"' in page


# --- e-mail ---------------------------------------------------------------------------------


def test_the_invite_is_emailed_with_the_link_and_a_friendly_text(
    client, login, admin, make_user, make_candidate, inbox
):
    candidate = make_candidate(name="Ada Lovelace", email="ada@example.org")
    hr = make_user("hr", email="hana@example.com", name="Hana Hart")
    login(hr)
    form = client.get(url(candidate)).get_data(as_text=True)
    assert "Also e-mail it to ada@example.org" in form

    response, link, token = invite(client, candidate, send_email="y")

    assert response.status_code == 200
    assert "e-mailed to ada@example.org" in response.get_data(as_text=True)
    [message] = inbox.messages
    assert message["To"] == "ada@example.org"
    assert message["Reply-To"] == "hana@example.com"
    assert "questionnaire" in message["Subject"]
    body = message.get_content()
    assessment = find_by_token(token)
    assert link in body and link.startswith(BASE_URL)
    assert "Hello Ada Lovelace" in body and "Hana Hart" in body and "hana@example.com" in body
    assert re.search(r"about \d+ minutes", body)
    assert "same link" in body and "stop at any time" in body
    assert assessment.expires_at.strftime("%B %Y") in body
    for jargon in ("token", "self-assessment", "validity", "scenario", "SJT", "score"):
        assert jargon.lower() not in body.lower()


def test_under_blind_review_the_invite_page_hides_the_address_the_letter_uses(
    client, login, users, make_position, make_candidate, inbox
):
    candidate = make_candidate(make_position(blind=True), name="Ada Lovelace", email="ada@x.org")
    login(users["hr"])
    form = client.get(url(candidate)).get_data(as_text=True)
    assert "Also e-mail it to the candidate (their address stays hidden: blind review)" in form
    assert "ada@x.org" not in form and "Ada Lovelace" not in form
    response, _, _ = invite(client, candidate, send_email="y")
    page = response.get_data(as_text=True)
    assert "e-mailed to the candidate" in page and "ada@x.org" not in page
    [message] = inbox.messages
    assert message["To"] == "ada@x.org"


def test_no_email_unless_asked(client, login, users, make_candidate, inbox):
    candidate = make_candidate()
    login(users["hr"])
    response, link, _ = invite(client, candidate)
    assert response.status_code == 200 and link
    assert inbox.messages == []


def test_a_mail_failure_is_explained_and_the_link_still_shown(
    app, client, login, users, make_candidate, monkeypatch
):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nobody listens there
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 2)
    candidate = make_candidate()
    login(users["hr"])

    response, link, token = invite(client, candidate, send_email="y")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "could not be sent" in page and "send it to the candidate yourself" in page
    assert link.startswith(BASE_URL) and find_by_token(token)


def test_without_smtp_there_is_no_email_option(client, login, users, make_candidate):
    candidate = make_candidate()
    login(users["hr"])
    page = client.get(url(candidate)).get_data(as_text=True)
    assert "Also e-mail it" not in page and "E-mail is not set up" in page
    response, link, _ = invite(client, candidate, send_email="y")  # ignored
    assert response.status_code == 200 and link
    assert "could not be sent" not in response.get_data(as_text=True)


def test_the_email_text_wraps_but_never_breaks_the_link():
    link = BASE_URL + "/a/" + "x" * 43
    letter = InviteLetter(
        candidate_name="Zoë Example",
        candidate_email="zoe@example.org",
        position_title="Founding account executive",
        link=link,
        minutes=25,
        expires_at=datetime(2026, 3, 24, 9, 5),
        sender_name="Sam Manager",
        sender_email="sam@example.com",
    )
    body = invite_body(letter)
    assert f"    {link}\n" in body
    assert "Tuesday 24 March 2026 at 09:05 (UTC)" in body.replace("\n", " ")
    assert all(len(line) <= 72 for line in body.splitlines() if link not in line)


# --- the command ----------------------------------------------------------------------------


def test_the_invite_command_prints_the_link(runner, make_candidate):
    candidate = make_candidate(name="Ada Lovelace")

    result = runner.invoke(args=["invite", str(candidate.id), "--days", "5"])

    assert result.exit_code == 0, result.output
    link = result.stdout.strip()  # only the link on stdout, for scripts
    assert link.startswith(BASE_URL + "/a/")
    assert "Ada Lovelace" in result.output and "cannot be shown again" in result.output
    assessment = find_by_token(link.rsplit("/", 1)[1])
    assert assessment.candidate_id == candidate.id
    assert assessment.expires_at - utcnow() > timedelta(days=4, hours=23)
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.entity == "self_assessment"))
    assert entry.action == "invite.create" and entry.user_id is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["invite", "999"], "no such candidate"),
        (["invite", "{id}", "--days", "0"], "1 to 90 days"),
        (["invite", "{id}", "--days", "91"], "1 to 90 days"),
    ],
)
def test_the_invite_command_fails_clearly(runner, make_candidate, args, says):
    candidate = make_candidate()
    result = runner.invoke(args=[a.format(id=candidate.id) for a in args])
    assert result.exit_code == 1
    assert says in result.output and "Traceback" not in result.output
    assert latest(candidate) is None
