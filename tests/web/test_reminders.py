"""Reminders: the overdue rule, and `send-reminders` against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import socket
from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from flask import url_for
from sqlalchemy import event, update

from assessment import reminders
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.mail import MailNotConfigured, send_mail
from assessment.models import Interview, Rating, User
from assessment.reminders import is_overdue, send_reminders

NOW = datetime(2026, 3, 10, 9, 0)
LATE = NOW - timedelta(days=2)  # an interview two days ago: overdue
BASE_URL = "https://hiring.example.com"


# --- the rule ------------------------------------------------------------------------


def interview_at(scheduled_for, status="in_progress"):
    return SimpleNamespace(status=status, scheduled_for=scheduled_for)


@pytest.mark.parametrize(
    ("since", "status", "overdue"),
    [
        (timedelta(days=1), "in_progress", False),  # exactly a day: not yet
        (timedelta(days=1, seconds=1), "in_progress", True),
        (timedelta(days=1, seconds=1), "not_started", True),
        (timedelta(days=5), "submitted", False),
        (timedelta(hours=23), "not_started", False),
        (-timedelta(days=3), "not_started", False),  # in the future
    ],
)
def test_is_overdue_boundaries(since, status, overdue):
    assert is_overdue(interview_at(NOW - since, status), NOW) is overdue


def test_an_unscheduled_interview_is_never_overdue():
    assert not is_overdue(interview_at(None, "not_started"), NOW + timedelta(days=365))


# --- a local SMTP server ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message and refuses chosen recipients."""

    def __init__(self):
        self.messages = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def configured(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)
    monkeypatch.setitem(app.config, "MAIL_FROM", "Hiring <hiring@example.com>")
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 5)
    return app


@pytest.fixture
def inbox(configured, monkeypatch):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(configured.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(configured.config, "SMTP_PORT", port)
    yield handler
    controller.stop()


@pytest.fixture
def clock(monkeypatch):
    """Set the time the command sees."""

    def at(moment: datetime) -> None:
        monkeypatch.setattr(reminders, "utcnow", lambda: moment)

    at(NOW)
    return at


@pytest.fixture
def late(make_user, make_candidate, make_interview):
    """An overdue interview; pass `interviewer=` to give several to one person."""

    def make(interviewer=None, scheduled_for=LATE, status="in_progress", **candidate):
        interviewer = interviewer or make_user("manager")
        person = make_candidate(**candidate)
        return make_interview(
            person, interviewer, status=status, scheduled_for=scheduled_for
        ), interviewer

    return make


def reminded_at(interview_id: int):
    return db.session.scalar(db.select(Interview.reminded_at).where(Interview.id == interview_id))


# --- sending ---------------------------------------------------------------------------


def test_an_overdue_interview_gets_one_email_with_a_link_and_no_notes(
    app, runner, inbox, clock, late
):
    interview, interviewer = late(name="Ada Lovelace")
    question = interview.items[0]["id"]
    with write_transaction() as session:
        session.add(
            Rating(interview_id=interview.id, question_id=question, value=5, notes="SECRET-NOTE")
        )

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert f"Sent to {interviewer.email}: 1 overdue interview" in result.output
    assert "1 sent, 0 failed" in result.output
    [message] = inbox.messages
    assert message["To"] == interviewer.email
    assert message["From"] == "Hiring <hiring@example.com>"
    assert message["Subject"] == "Reminder: an interview to submit"
    assert message["Date"] and message["Message-ID"].endswith("@example.com>")
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert "Ada Lovelace" in body
    assert "Sun 8 Mar 2026" in body
    with app.test_request_context():
        path = url_for("interviews.show", interview_id=interview.id)
    assert f"{BASE_URL}{path}" in body
    assert "SECRET-NOTE" not in body and "score" not in body.lower()
    assert reminded_at(interview.id) == NOW


def test_once_a_day_per_interviewer_then_again_the_next_day(runner, inbox, clock, late):
    interview, interviewer = late()
    assert runner.invoke(args=["send-reminders"]).exit_code == 0
    assert len(inbox.messages) == 1

    clock(NOW + timedelta(hours=6))
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "0 sent, 0 failed" in result.output
    assert len(inbox.messages) == 1
    assert reminded_at(interview.id) == NOW

    tomorrow = NOW + timedelta(days=1, minutes=-5)  # cron a little early the next day
    clock(tomorrow)
    assert runner.invoke(args=["send-reminders"]).exit_code == 0
    assert len(inbox.to(interviewer.email)) == 2
    assert reminded_at(interview.id) == tomorrow


def test_one_email_lists_all_of_an_interviewers_overdue_interviews(runner, inbox, clock, late):
    first, interviewer = late(name="First Person")
    second, _ = late(interviewer, scheduled_for=LATE - timedelta(days=3), name="Second Person")

    result = runner.invoke(args=["send-reminders"])

    assert "2 overdue interviews" in result.output
    [message] = inbox.messages
    assert message["Subject"] == "Reminder: 2 interviews to submit"
    body = message.get_content()
    assert body.index("Second Person") < body.index("First Person")  # oldest first
    assert reminded_at(first.id) == reminded_at(second.id) == NOW


def test_a_newly_overdue_interview_waits_for_the_next_days_email(runner, inbox, clock, late):
    earlier, interviewer = late()
    with write_transaction() as session:
        session.execute(
            update(Interview)
            .where(Interview.id == earlier.id)
            .values(reminded_at=NOW - timedelta(hours=2))
        )
    newer, _ = late(interviewer)

    runner.invoke(args=["send-reminders"])
    assert inbox.messages == []

    clock(NOW + timedelta(days=1))
    runner.invoke(args=["send-reminders"])
    [message] = inbox.messages
    assert message["Subject"] == "Reminder: 2 interviews to submit"


def test_nothing_is_sent_for_interviews_not_due(runner, inbox, clock, late, make_position):
    late(status="submitted")
    late(scheduled_for=NOW - timedelta(hours=20))  # yesterday evening: not a day yet
    late(scheduled_for=None)
    _, gone = late()
    with write_transaction() as session:
        session.execute(update(User).where(User.id == gone.id).values(active=False))
    closed = make_position(archived=True)
    late(position=closed)

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert "0 sent, 0 failed" in result.output
    assert inbox.messages == []
    assert db.session.scalar(db.select(Interview).where(Interview.reminded_at.is_not(None))) is None


def test_a_refused_recipient_is_reported_and_does_not_stop_the_others(runner, inbox, clock, late):
    ann_interview, ann = late()
    bob_interview, bob = late()
    inbox.refuse.add(bob.email)

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 1
    assert f"Sent to {ann.email}" in result.output
    assert f"Not sent to {bob.email}" in result.output and "550" in result.output
    assert "1 sent, 1 failed" in result.output
    assert len(inbox.to(ann.email)) == 1 and inbox.to(bob.email) == []
    assert reminded_at(ann_interview.id) == NOW
    assert reminded_at(bob_interview.id) is None  # the next run tries again


def test_an_unreachable_smtp_server_is_reported_and_nothing_is_marked(
    configured, runner, clock, late, monkeypatch
):
    monkeypatch.setitem(configured.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(configured.config, "SMTP_PORT", free_port())  # nobody listens there
    interview, interviewer = late()

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 1
    assert f"Not sent to {interviewer.email}" in result.output
    assert "could not send" in result.output and "0 sent, 1 failed" in result.output
    assert reminded_at(interview.id) is None


def test_without_smtp_the_command_says_so_and_fails(app, runner, clock, late, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    interview, _ = late()

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code != 0
    assert "SMTP is not configured" in result.output and "SMTP_HOST" in result.output
    assert reminded_at(interview.id) is None


def test_a_dry_run_lists_what_is_due_and_marks_nothing(app, runner, clock, late, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)  # previewing needs no mail server
    interview, interviewer = late()
    late(interviewer)

    result = runner.invoke(args=["send-reminders", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert f"Would send to {interviewer.email}: 2 overdue interviews" in result.output
    assert "nothing sent or marked" in result.output
    assert reminded_at(interview.id) is None


def test_finding_reminders_takes_the_same_queries_for_many_interviewers(app, late):
    def selects() -> int:
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            run = send_reminders(now=NOW, dry_run=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        db.session.rollback()
        return len(run.planned), sum(s.lstrip().upper().startswith("SELECT") for s in statements)

    late()
    one = selects()
    for _ in range(3):
        _, person = late()
        late(person)
    many = selects()
    assert one[0] == 1 and many[0] == 4
    assert one[1] == many[1] <= 2


# --- the mail module, as other features will use it ------------------------------------


def test_send_mail_sends_a_plain_message(app, inbox):
    to = ["a@example.org", "b@example.org"]
    message_id = send_mail(to, "Hello", "Body text ✓", reply_to="hr@example.com")
    [message] = inbox.messages
    assert message["Message-ID"] == message_id
    assert message["To"] == "a@example.org, b@example.org"
    assert message["Reply-To"] == "hr@example.com"
    assert message.get_content().rstrip() == "Body text ✓"


def test_send_mail_refuses_a_header_with_a_line_break(app, inbox):
    with pytest.raises(ValueError):
        send_mail("a@example.org", "Hi\nBcc: someone@example.net", "Body")
    assert inbox.messages == []


def test_send_mail_without_smtp_raises(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    with pytest.raises(MailNotConfigured):
        send_mail("a@example.org", "Hello", "Body")


# --- as RQ jobs (REDIS_URL) ------------------------------------------------------------


def test_with_redis_reminders_are_rq_jobs_sent_by_the_worker(
    app, runner, inbox, clock, late, redis_url
):
    from redis import Redis
    from rq import Queue

    interview, interviewer = late(name="Queued Person")
    app.config["REDIS_URL"] = redis_url
    try:
        queued = runner.invoke(args=["send-reminders"])
        assert queued.exit_code == 0, queued.output
        assert f"Queued for {interviewer.email}" in queued.output and "1 queued" in queued.output
        assert Queue("mail", connection=Redis.from_url(redis_url)).count == 1
        assert inbox.messages == [] and reminded_at(interview.id) is None
        again = runner.invoke(args=["send-reminders"])  # a second cron run before the worker
        assert "1 queued" in again.output
        worked = runner.invoke(args=["worker", "--burst", "--queue", "mail"])
        assert worked.exit_code == 0, worked.output
        [message] = inbox.to(interviewer.email)  # two jobs, one e-mail
        assert "Queued Person" in message.get_content()
        assert reminded_at(interview.id) == NOW
    finally:
        app.config["REDIS_URL"] = None


def test_a_failed_reminder_job_gives_its_claim_back_for_the_retry(
    app, runner, inbox, clock, late, redis_url
):
    from redis import Redis
    from rq.registry import ScheduledJobRegistry

    interview, interviewer = late()
    inbox.refuse.add(interviewer.email)
    app.config["REDIS_URL"] = redis_url
    try:
        assert runner.invoke(args=["send-reminders"]).exit_code == 0
        runner.invoke(args=["worker", "--burst", "--queue", "mail"])
        assert inbox.messages == []
        assert reminded_at(interview.id) is None  # the next attempt may send
        retries = ScheduledJobRegistry("mail", connection=Redis.from_url(redis_url))
        assert retries.count == 1  # RQ tries again later
    finally:
        app.config["REDIS_URL"] = None
