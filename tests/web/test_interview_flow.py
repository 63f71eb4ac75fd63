"""Issue 3 end to end with the test client: from a kit to a debrief, a reopen and a reminder."""

from __future__ import annotations

import io
from datetime import timedelta

from assessment.extensions import db
from assessment.models import AuditEntry, Candidate, Interview, Position, Rating, utcnow
from tests.conftest import csrf_token, post_form
from tests.web.test_debrief import sign_out
from tests.web.test_interviews import recommend, save
from tests.web.test_positions import panel_data, setup_data
from tests.web.test_reminders import Inbox, free_port  # noqa: F401  (the real SMTP server)

CSV = b"""name,email,external_id
Ada Okafor,ada@example.org,REQ-1
,nobody@example.org,REQ-2
Ben Ito,not-an-email,REQ-3
Chen Wu,chen@example.org,
"""


def test_the_whole_interview_flow(app, client, login, users, make_user, bank, monkeypatch):
    hr, maya, tom = users["hr"], users["manager"], make_user("manager", name="Tom Rivera")

    # HR: a position from a kit, one question dropped and a weight changed.
    login(hr)
    post_form(client, "/positions/new", {"title": "Support lead", "kit": "support-lead"})
    position = db.session.scalars(db.select(Position)).one()
    kit = bank.kits["support-lead"]
    kept = list(kit.questions)[1:]
    response = post_form(
        client, f"/positions/{position.id}/setup", setup_data(bank, dict(kit.weights), kept)
    )
    assert response.status_code == 302
    db.session.refresh(position)
    assert {q["id"] for q in position.questions} == set(kept)  # kept in bank order

    # Candidates: one by form, more by CSV (bad rows reported by line, good rows kept).
    token = csrf_token(client.get(f"/positions/{position.id}"))
    client.post(
        f"/positions/{position.id}/candidates",
        data={"csrf_token": token, "name": "Dana Cruz", "email": "dana@example.org"},
    )
    report = client.post(
        f"/positions/{position.id}/candidates/import",
        data={"csrf_token": token, "file": (io.BytesIO(CSV), "people.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Line 3" in report and "Line 4" in report
    names = set(db.session.scalars(db.select(Candidate.name)))
    assert names == {"Dana Cruz", "Ada Okafor", "Chen Wu"}

    # A panel of two for Ada, her interview yesterday morning.
    ada = db.session.scalar(db.select(Candidate).where(Candidate.name == "Ada Okafor"))
    yesterday = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    panel = panel_data({maya: yesterday, tom: yesterday})
    assert post_form(client, f"/candidates/{ada.id}/panel", panel).status_code == 302
    mine, theirs = (
        db.session.scalar(
            db.select(Interview).where(
                Interview.candidate_id == ada.id, Interview.interviewer_id == u.id
            )
        )
        for u in (maya, tom)
    )
    sign_out(client)

    # Maya rates one by one; a repeated save makes no second row.
    login(maya)
    assert "Ada Okafor" in client.get("/interviews").get_data(as_text=True)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    for item in mine.items:
        token = save(client, mine, item["id"], "4", "Concrete example", token=token).json[
            "csrf_token"
        ]
    again = save(client, mine, mine.items[0]["id"], "4", "Concrete example", token=token)
    assert again.status_code == 200
    count = db.session.scalar(
        db.select(db.func.count(Rating.id)).where(Rating.interview_id == mine.id)
    )
    assert count == len(mine.items)

    # An extreme rating without a note is refused at submit; with the note it goes through.
    token = save(client, mine, mine.items[0]["id"], "5", "", token=token).json["csrf_token"]
    assert (
        client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token}).status_code == 303
    )
    token = save(client, mine, mine.items[0]["id"], "5", "Cut churn by half", token=token).json[
        "csrf_token"
    ]
    token = recommend(client, mine, "strong_yes", "Owns outcomes, with numbers.", token=token)
    assert (
        client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token}).status_code == 303
    )
    sign_out(client)

    # Tom, before submitting, cannot read Maya's ratings: not on the page, not on the debrief.
    login(tom)
    for url in (f"/candidates/{ada.id}", f"/candidates/{ada.id}/debrief", f"/interviews/{mine.id}"):
        refused = client.get(url)
        assert refused.status_code == 403, url
        assert "Cut churn by half" not in refused.get_data(as_text=True)
    token = csrf_token(client.get(f"/interviews/{theirs.id}"))
    for item in theirs.items:
        token = save(client, theirs, item["id"], "2", "Vague", token=token).json["csrf_token"]
    token = recommend(client, theirs, "no", "Vague throughout.", token=token)
    client.post(f"/interviews/{theirs.id}/submit", data={"csrf_token": token})

    # After submitting: the panel's results and the debrief, Maya's notes beside his.
    results = client.get(f"/candidates/{ada.id}").get_data(as_text=True)
    assert "Cut churn by half" in results
    debrief = client.get(f"/candidates/{ada.id}/debrief").get_data(as_text=True)
    assert "Cut churn by half" in debrief and "Vague" in debrief and "panel disagrees" in debrief
    sign_out(client)

    # HR reopens Tom's interview with a reason; the audit log has who, when, old and new.
    login(hr)
    token = csrf_token(client.get(f"/candidates/{ada.id}/debrief"))
    client.post(
        f"/interviews/{theirs.id}/reopen",
        data={"csrf_token": token, "reason": "Tom rated from the wrong notes"},
    )
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "interview.reopen"))
    assert entry.user_id == hr.id and entry.at is not None
    assert entry.old["ratings"][theirs.items[0]["id"]]["value"] == 2
    assert db.session.get(Interview, theirs.id).status == "in_progress"

    # A day after its date, the reopened interview is overdue: one reminder e-mail.
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for key, value in {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "MAIL_FROM": "hiring@example.com",
            "BASE_URL": "https://hiring.example.com",
        }.items():
            monkeypatch.setitem(app.config, key, value)
        result = app.test_cli_runner().invoke(args=["send-reminders"])
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    [mail] = inbox.to(tom.email)
    body = mail.get_content()
    assert "Ada Okafor" in body and f"https://hiring.example.com/interviews/{theirs.id}" in body
    assert "Vague" not in body and not inbox.to(maya.email)


def test_an_hr_person_on_the_panel_is_sealed_until_they_submit(
    client, login, users, make_candidate, make_interview
):
    hr, maya = users["hr"], users["manager"]
    candidate = make_candidate()
    theirs, mine = make_interview(candidate, maya), make_interview(candidate, hr)
    login(maya)
    token = csrf_token(client.get(f"/interviews/{theirs.id}"))
    save(client, theirs, theirs.items[0]["id"], "4", "Evidence from Maya", token=token)
    sign_out(client)
    login(hr)
    for url in (f"/candidates/{candidate.id}", f"/candidates/{candidate.id}/debrief"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Evidence from Maya" not in response.get_data(as_text=True)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    for item in mine.items:
        token = save(client, mine, item["id"], "3", "", token=token).json["csrf_token"]
    token = recommend(client, mine, token=token)
    client.post(f"/interviews/{mine.id}/submit", data={"csrf_token": token})
    assert "Evidence from Maya" in client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
