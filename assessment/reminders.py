"""Reminders: which interviews are overdue, and one e-mail a day to each late interviewer.

With REDIS_URL set, `send-reminders` queues one RQ job per e-mail on the "mail" queue (run
by `flask worker`, retried by RQ when the mail server fails); without it, it sends them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import groupby
from typing import Protocol

from flask import current_app
from sqlalchemy import func, update

from .database import write_transaction
from .extensions import db
from .local_time import show
from .mail import MailError, MailNotConfigured, mail_configured, send_mail
from .models import Candidate, Interview, Position, User, utcnow

# An interview is overdue once more than this has passed since its date.
OVERDUE_AFTER = timedelta(days=1)
# At most one e-mail per interviewer in this window. Less than a day, so a daily cron
# job that runs a few minutes earlier than yesterday still sends; more than half a day,
# so a second run on the same day sends nothing.
REMIND_EVERY = timedelta(hours=20)


class Schedulable(Protocol):
    status: str
    scheduled_for: datetime | None


def is_overdue(interview: Schedulable, now: datetime) -> bool:
    """Not submitted, and more than a day has passed since its date (all times naive UTC)."""
    return (
        interview.status != "submitted"
        and interview.scheduled_for is not None
        and now > interview.scheduled_for + OVERDUE_AFTER
    )


@dataclass(frozen=True)
class OverdueInterview:
    id: int
    status: str
    scheduled_for: datetime
    candidate_name: str
    position_title: str


@dataclass(frozen=True)
class Reminder:
    """One e-mail: an interviewer and all of their overdue interviews."""

    email: str
    name: str
    interviews: tuple[OverdueInterview, ...]
    time_zone: str | None = None  # the interviewer's: dates are written in it

    @property
    def interview_ids(self) -> list[int]:
        return [i.id for i in self.interviews]


@dataclass
class ReminderRun:
    """What a run sent (or, in a dry run, would send) and what failed, with why."""

    dry_run: bool
    planned: list[Reminder]
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)
    queued: bool = False  # handed to the worker as RQ jobs (REDIS_URL)


def send_reminders(now: datetime | None = None, dry_run: bool = False) -> ReminderRun:
    """E-mail every late interviewer not reminded in the last 20 hours; mark what was sent.

    Each e-mail is sent first, then its interviews are marked in their own short write
    transaction, so an SMTP failure marks nothing for that interviewer (the next run tries
    again) and never holds the database's write lock while the mail server answers.
    """
    if not dry_run and not mail_configured():
        raise MailNotConfigured(
            "SMTP is not configured: set SMTP_HOST (and SMTP_PORT, MAIL_FROM) to send "
            "reminders. Nothing was sent or marked."
        )
    now = _naive_utc(now or utcnow())
    run = ReminderRun(dry_run=dry_run, planned=due_reminders(now))
    if dry_run:
        return run
    if current_app.config.get("REDIS_URL"):
        queue_reminders(run.planned, now)
        run.queued = True
        return run
    base_url = current_app.config["BASE_URL"]
    for reminder in run.planned:
        try:
            send_mail(reminder.email, reminder_subject(reminder), reminder_body(reminder, base_url))
        except MailError as error:
            run.failed.append((reminder, str(error)))
            continue
        mark_reminded(reminder.interview_ids, now)
        run.sent.append(reminder)
    return run


def due_reminders(now: datetime) -> list[Reminder]:
    """The e-mails due now, by interviewer e-mail (two queries, however many interviews)."""
    rows = db.session.execute(
        db.select(
            User.id,
            User.email,
            User.name,
            User.time_zone,
            Interview.id,
            Interview.status,
            Interview.scheduled_for,
            Candidate.name,
            Position.title,
        )
        .select_from(Interview)
        .join(User, Interview.interviewer_id == User.id)
        .join(Candidate, Interview.candidate_id == Candidate.id)
        .join(Position, Candidate.position_id == Position.id)
        .where(
            Interview.status != "submitted",
            Interview.scheduled_for.is_not(None),
            Interview.scheduled_for < now - OVERDUE_AFTER,
            User.active.is_(True),
            Position.archived.is_(False),
        )
        .order_by(User.email, Interview.scheduled_for, Interview.id)
    ).all()
    last = last_reminded({row[0] for row in rows})
    reminders = []
    for (user_id, email, name, zone), group in groupby(rows, key=lambda row: row[:4]):
        interviews = [OverdueInterview(*row[4:]) for row in group]
        interviews = tuple(i for i in interviews if is_overdue(i, now))
        if interviews and not _reminded_since(last.get(user_id), now - REMIND_EVERY):
            reminders.append(Reminder(email, name, interviews, zone))
    return reminders


def last_reminded(user_ids: Iterable[int]) -> dict[int, datetime | None]:
    """Each interviewer's latest reminder, over all their interviews (submitted ones too)."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Interview.interviewer_id, func.max(Interview.reminded_at))
        .where(Interview.interviewer_id.in_(ids))
        .group_by(Interview.interviewer_id)
    )
    return {user_id: at for user_id, at in rows}


def mark_reminded(interview_ids: Sequence[int], now: datetime) -> None:
    with write_transaction() as session:
        session.execute(
            update(Interview).where(Interview.id.in_(interview_ids)).values(reminded_at=now)
        )


def reminder_subject(reminder: Reminder) -> str:
    count = len(reminder.interviews)
    if count == 1:
        return "Reminder: an interview to submit"
    return f"Reminder: {count} interviews to submit"


def reminder_body(reminder: Reminder, base_url: str) -> str:
    """Names, dates and links only: never a rating, a note or a score."""
    lines = [
        f"Hello {reminder.name},",
        "",
        "These interviews took place more than a day ago and are not submitted yet:",
        "",
    ]
    for interview in reminder.interviews:
        when = show(interview.scheduled_for, reminder.time_zone, "day")
        lines.append(f"- {interview.candidate_name}, {interview.position_title} ({when})")
        lines.append(f"  {base_url}/interviews/{interview.id}")
    lines += [
        "",
        "The panel's debrief waits until every interviewer has submitted, and notes are",
        "most accurate while the interview is fresh.",
        "",
        "You get this reminder at most once a day until these interviews are submitted.",
    ]
    return "\n".join(lines) + "\n"


# --- as RQ jobs ---------------------------------------------------------------------------

MAIL_QUEUE = "mail"
RETRY_AFTER = (60, 300, 1800)  # seconds: a mail server that is down for a while


def queue_reminders(planned: Sequence[Reminder], now: datetime) -> None:
    """One job per e-mail; the job checks again that it is due, so a second run's jobs or
    a retried one never send twice."""
    from redis import Redis
    from rq import Queue, Retry

    queue = Queue(MAIL_QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))
    for reminder in planned:
        queue.enqueue(
            send_reminder_job,
            reminder.interview_ids,
            now.isoformat(),
            retry=Retry(max=len(RETRY_AFTER), interval=list(RETRY_AFTER)),
            result_ttl=0,
            job_timeout=120,
        )


def send_reminder_job(interview_ids: list[int], now_text: str) -> bool:
    """The RQ job: claim the interviews, send, and give the claim back if sending failed
    (raising, so RQ retries). False when the reminder is no longer due."""
    from .worker import in_app

    return in_app(_send_claimed, interview_ids, datetime.fromisoformat(now_text))


def _send_claimed(interview_ids: list[int], now: datetime) -> bool:
    due = [r for r in due_reminders(now) if set(r.interview_ids) == set(interview_ids)]
    if not due or not _claim(interview_ids, now):
        return False
    reminder = due[0]
    try:
        send_mail(
            reminder.email,
            reminder_subject(reminder),
            reminder_body(reminder, current_app.config["BASE_URL"]),
        )
    except MailError:
        _unclaim(interview_ids, now)
        raise
    return True


def _claim(interview_ids: Sequence[int], now: datetime) -> bool:
    """Mark the interviews reminded unless another job did since the window began."""
    with write_transaction() as session:
        rows = session.scalars(
            db.select(Interview).where(Interview.id.in_(interview_ids)).with_for_update()
        ).all()
        if any(_reminded_since(r.reminded_at, now - REMIND_EVERY) for r in rows):
            return False
        for row in rows:
            row.reminded_at = now
    return True


def _unclaim(interview_ids: Sequence[int], now: datetime) -> None:
    with write_transaction() as session:
        session.execute(
            update(Interview)
            .where(Interview.id.in_(interview_ids), Interview.reminded_at == now)
            .values(reminded_at=None)
        )


def _reminded_since(reminded_at: datetime | None, since: datetime) -> bool:
    return reminded_at is not None and reminded_at > since


def _naive_utc(moment: datetime) -> datetime:
    """The database keeps naive UTC times; accept an aware time too."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
