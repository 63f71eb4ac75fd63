"""Erasure (GDPR art. 17): after a confirmation naming what goes, a candidate's name,
e-mail, external id, the notes and rationales about them and every copy in the audit log
and the export files are gone, from the whole database file (its write-ahead log and free
pages included) on SQLite, and from every table on PostgreSQL; their numbers stay."""

from __future__ import annotations

import html
import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from assessment.candidates.editing import edit_candidate
from assessment.candidates.search_index import terms_of
from assessment.comparison.summary_model import CandidateSummary
from assessment.extensions import db
from assessment.interviews.services import (
    RatingInput,
    record_ratings,
    reopen_interview,
    submit_interview,
)
from assessment.models import (
    Answer,
    AuditEntry,
    Candidate,
    Decision,
    Rating,
    SelfAssessment,
)
from assessment.privacy.erasure import erase_candidate
from assessment.review.services import record_decision
from assessment.scorecard.job_model import ExportFile
from assessment.selfassess.answers import AnswerInput, record_answer, record_consent
from assessment.selfassess.invites import create_invite
from assessment.webhooks.models import Webhook, WebhookDelivery
from tests.conftest import csrf_token
from tests.web.helpers import audits, wait_done

NAME = "Zorglub Ångström-Vauquelin"
OLD_NAME = "Zorglub Earliername"
EMAIL = "zorglub.vauquelin@erasure.example"
EXTERNAL = "EXT-9988776"
NOTE = "juggled three flaming torches while answering"
RATIONALE = "declined because the marmalade plan was thin"
REOPEN = "reopened to recheck the periwinkle example"
KEY = "KEY: sold lemonade to the whole marching band"
SECRETS = (NAME, OLD_NAME, EMAIL, EXTERNAL, NOTE, RATIONALE, REOPEN, KEY)


def needles() -> list[bytes]:
    """Each secret as it could be stored: UTF-8, \\u-escaped inside JSON, and the folded
    words the search index keeps of the name, e-mail and external id."""
    found = set()
    for secret in SECRETS:
        found |= {secret.encode(), json.dumps(secret)[1:-1].encode()}
    for term in terms_of(NAME, EMAIL, EXTERNAL) | terms_of(OLD_NAME, EMAIL, EXTERNAL):
        if any(word in term for word in ("zorglub", "angstrom", "vauquelin", "9988776")):
            found.add(term.encode())
    return sorted(found)


def stored_bytes(app) -> bytes:
    """Everything the database keeps: on SQLite its files (main, write-ahead log, shared
    memory) byte by byte; on PostgreSQL every row of every table as text."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        main = Path(url.removeprefix("sqlite:///"))
        parts = [str(p) for p in (main, Path(f"{main}-wal"), Path(f"{main}-shm")) if p.exists()]
        # Read by another process: closing a file this process opened would drop SQLite's
        # POSIX locks on it (sqlite.org, "How To Corrupt An SQLite Database File", 2.2).
        return subprocess.run(["cat", *parts], capture_output=True, check=True).stdout
    rows = []
    for table in db.metadata.sorted_tables:
        query = text(f'SELECT CAST(t AS text) FROM "{table.name}" AS t')
        rows += [r[0] for r in db.session.execute(query)]
    return "\n".join(rows).encode()


def erase(client, candidate_id: int, **data):
    """Confirm the erasure on the candidate's personal-data page."""
    token = csrf_token(client.get(f"/candidates/{candidate_id}/data"))
    return client.post(f"/candidates/{candidate_id}/erase", data={"csrf_token": token, **data})


def exported_bytes() -> bytes:
    """The finished export files, which live in the database (export_file)."""
    return b"".join(db.session.scalars(db.select(ExportFile.data)))


@pytest.fixture
def story(client, login, users, make_position, make_candidate, make_interview, bank):
    """A candidate with every kind of personal data the app keeps, and a second candidate
    of the same position who must stay untouched."""
    hr, manager = users["hr"], users["manager"]
    position = make_position()
    candidate = make_candidate(position, name=OLD_NAME, email=EMAIL, external_id=EXTERNAL)
    edit_candidate(candidate.id, NAME, EMAIL, EXTERNAL, hr)  # the old name goes to the log
    other = make_candidate(position, name="Ada Keeper", email="ada@keep.example")
    interview = make_interview(candidate, manager)
    entries = [RatingInput(q["id"], "4", f"{NOTE} ({q['id']})") for q in interview.items]
    entries.append(RatingInput("recommendation", "yes", KEY))
    record_ratings(interview.id, manager, entries)
    submit_interview(interview.id, manager)
    reopen_interview(interview.id, hr, REOPEN)  # copies the notes into the audit log
    submit_interview(interview.id, manager)
    assessment, _ = create_invite(candidate.id, hr)
    record_consent(assessment.id)
    number = next(n for n, i in enumerate(assessment.items, 1) if i["type"] != "scenario")
    record_answer(assessment.id, number, AnswerInput(value="4"))
    record_decision(candidate.id, hr, "decline", f"{NAME}: {RATIONALE}", f"{RATIONALE}!")
    login(hr)
    page = client.get(f"/positions/{position.id}")
    started = client.post(
        f"/positions/{position.id}/exports",
        data={"csrf_token": csrf_token(page), "kind": "csv", "paper": "A4", "confirm_all": "y"},
    )
    assert wait_done(client, started.headers["Location"])["status"] == "done"
    assert NAME.encode() in exported_bytes()
    assert client.get(f"/candidates/{candidate.id}/data.json").status_code == 200
    return candidate.id, other.id, interview.id, len(interview.items), assessment.id


def test_erasure_leaves_nothing_behind(app, client, story):
    candidate, other, interview, questions, assessment = story
    db.session.remove()
    before = stored_bytes(app)
    assert all(n in before for n in (NAME.encode(), NOTE.encode(), RATIONALE.encode()))
    confirm = html.unescape(client.get(f"/candidates/{candidate}/data").get_data(as_text=True))
    for promise in ("interviewers' notes", "decision rationales", "finished export files"):
        assert promise in confirm
    response = erase(client, candidate, why="request", confirm="y")
    assert response.status_code == 302
    db.session.remove()
    stored, exported = stored_bytes(app), exported_bytes()
    left = [n for n in needles() if n in stored or n in exported]
    assert left == [], f"still stored: {left}"
    # The numbers stay, about an anonymous candidate; the other candidate is untouched.
    ratings = db.session.scalars(db.select(Rating).where(Rating.interview_id == interview))
    assert {(r.value, r.notes) for r in ratings} == {(4, "")}
    assert db.session.scalar(db.select(Answer.value).where(Answer.assessment_id == assessment))
    assert db.session.scalar(db.select(Decision.decision)) == "decline"
    assert db.session.get(CandidateSummary, candidate).overall is not None
    assert db.session.get(Candidate, other).name == "Ada Keeper"
    assert db.session.get(SelfAssessment, assessment).token_hash is None
    [entry] = audits("candidate.erase")
    assert entry.new["why"] == "request" and entry.new["notes"] == questions
    page = client.get(f"/candidates/{candidate}").get_data(as_text=True)
    assert "personal data was erased" in page and "Zorglub" not in page


def test_erasure_needs_its_confirmation(client, story):
    candidate = story[0]
    refused = erase(client, candidate, why="request")
    assert refused.status_code == 422 and "Tick this to confirm" in refused.get_data(as_text=True)
    assert db.session.get(Candidate, candidate).erased_at is None


def test_an_erased_candidate_cannot_be_changed_or_erased_twice(client, story):
    candidate, _, interview, _, _ = story
    erase_candidate(candidate, None, "request")
    token = csrf_token(client.get(f"/candidates/{candidate}"))
    again = client.post(
        f"/candidates/{candidate}/erase",
        data={"csrf_token": token, "why": "request", "confirm": "y"},
    )
    assert again.status_code == 409
    for url in (f"/candidates/{candidate}/edit", f"/candidates/{candidate}/withdraw"):
        assert client.post(url, data={"csrf_token": token}).status_code == 409
    assert client.post(f"/interviews/{interview}/reopen", data={}).status_code == 409


def test_the_command_erases_after_saying_what_goes(app, runner, story):
    candidate = story[0]
    asked = runner.invoke(args=["erase-candidate", str(candidate)], input="n\n")
    assert asked.exit_code == 1 and "interviewers' notes" in asked.output
    assert db.session.get(Candidate, candidate).erased_at is None
    done = runner.invoke(args=["erase-candidate", str(candidate), "--yes"])
    assert done.exit_code == 0, done.output
    db.session.remove()
    assert NAME.encode() not in stored_bytes(app)
    again = runner.invoke(args=["erase-candidate", str(candidate), "--yes"])
    assert again.exit_code == 1 and "already erased" in again.output
    assert runner.invoke(args=["erase-candidate", "999999", "--yes"]).exit_code == 1


def test_erasure_scrubs_every_audit_copy_and_keeps_the_facts(story):
    erase_candidate(story[0], None, "request")
    entries = db.session.scalars(db.select(AuditEntry)).all()
    for entry in entries:
        flat = json.dumps([entry.old, entry.new, entry.reason], ensure_ascii=False)
        assert all(secret not in flat for secret in SECRETS), entry.action
    assert {e.action for e in entries} >= {"candidate.edit", "interview.reopen", "decision.record"}


def test_erasure_deletes_the_webhook_deliveries_about_them(client, story, users):
    candidate, other, *_ = story
    hook = Webhook(url="https://hooks.example/in", events=["decision.recorded"], secret="s")
    db.session.add(hook)
    db.session.flush()
    for about in (candidate, candidate, other):
        db.session.add(
            WebhookDelivery(webhook_id=hook.id, event="x", candidate_id=about, body="{}")
        )
    db.session.commit()
    confirm = html.unescape(client.get(f"/candidates/{candidate}/data").get_data(as_text=True))
    assert "webhook deliveries about them (sent or waiting): 2" in confirm
    assert erase(client, candidate, why="request", confirm="y").status_code == 302
    left = db.session.scalars(db.select(WebhookDelivery.candidate_id)).all()
    assert left == [other]


def test_erasure_deletes_their_self_identification_without_saying_they_gave_one(client, story):
    from assessment.fairness.models import SelfIdentification

    candidate, other, *_ = story
    for who in (candidate, other):
        db.session.add(SelfIdentification(candidate_id=who, sex="declined"))
    db.session.commit()
    confirm = html.unescape(client.get(f"/candidates/{candidate}/data").get_data(as_text=True))
    assert (
        "their optional answers about themselves (sex, ethnicity, age, disability), if any"
        in confirm
    )
    assert "if any:" not in confirm  # never a count: the page does not tell if they answered
    assert erase(client, candidate, why="request", confirm="y").status_code == 302
    left = db.session.scalars(db.select(SelfIdentification.candidate_id)).all()
    assert left == [other]
