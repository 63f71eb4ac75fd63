"""The e-mail an interviewer gets when put on a panel, moved, or taken off: what, when,
the link, and the interview as a calendar invitation (.ics) when it has a date.

With REDIS_URL the e-mails are RQ jobs on the "mail" queue; without it they are sent
after the panel is saved, and the page says which could not be sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from flask import current_app

from ..mail import MailError, mail_configured, send_mail
from ..models import utcnow
from .calendar import CalendarInterview, interview_ics


@dataclass(frozen=True)
class PanelNotice:
    """One interviewer to tell about one interview (plain values: it may go to a queue)."""

    kind: str  # "added", "moved" or "removed"
    interview_id: int
    email: str
    name: str
    scheduled_for: datetime | None
    candidate_name: str  # interviewers always see the name: they meet the person
    position_title: str


SUBJECTS = {
    "added": "You are on the interview panel for {who} ({title})",
    "moved": "New time for your interview with {who} ({title})",
    "removed": "You are no longer on the interview panel for {who} ({title})",
}


def notice_body(notice: PanelNotice, link: str) -> str:
    when = (
        notice.scheduled_for.strftime("%A %d %B %Y, %H:%M UTC")
        if notice.scheduled_for
        else "no date set yet"
    )
    if notice.kind == "removed":
        lines = [f"Hello {notice.name},", "", f"Your interview with {notice.candidate_name} "
                 f"for {notice.position_title} ({when}) has been taken off your list."]  # fmt: skip
    else:
        lines = [
            f"Hello {notice.name},",
            "",
            f"You interview {notice.candidate_name} for {notice.position_title}: {when}.",
            "",
            "The interview screen has the questions, what to listen for and the rating scales:",
            f"    {link}",
            "",
            "Rate on your own: you see your colleagues' ratings once you have submitted yours.",
        ]
        if notice.scheduled_for:
            lines += ["", "The attached invitation (interview.ics) adds it to your calendar."]
    return "\n".join(lines) + "\n"


def calendar_file(notice: PanelNotice, link: str) -> str | None:
    if notice.scheduled_for is None:
        return None
    sender = parseaddr(current_app.config["MAIL_FROM"])[1] or "hiring@localhost"
    domain = current_app.config["BASE_URL"].split("//")[-1].split("/")[0].split(":")[0]
    now = utcnow()
    event = CalendarInterview(
        uid=f"interview-{notice.interview_id}@{domain}",
        sequence=int(now.timestamp()),
        start=notice.scheduled_for,
        summary=f"Interview: {notice.candidate_name} ({notice.position_title})",
        description=f"Structured interview. Open it here: {link}",
        url=link,
        organizer_email=sender,
        attendee_name=notice.name,
        attendee_email=notice.email,
        cancelled=notice.kind == "removed",
    )
    return interview_ics(event, now)


def send_notice(notice: PanelNotice) -> None:
    """Send one notice now; MailError when the server refuses."""
    link = f"{current_app.config['BASE_URL']}/interviews/{notice.interview_id}"
    subject = SUBJECTS[notice.kind].format(who=notice.candidate_name, title=notice.position_title)
    ics = calendar_file(notice, link)
    method = "CANCEL" if notice.kind == "removed" else "REQUEST"
    attachments = [("interview.ics", "text/calendar", ics, {"method": method})] if ics else []
    send_mail(notice.email, subject, notice_body(notice, link), attachments=attachments)


def notify_panel(notices: list[PanelNotice]) -> list[tuple[PanelNotice, str]]:
    """Tell each interviewer; returns the ones that could not be sent, with why. Nothing
    happens while SMTP is not configured."""
    if not notices or not mail_configured():
        return []
    if current_app.config.get("REDIS_URL") and _queued(notices):
        return []
    failed = []
    for notice in notices:
        try:
            send_notice(notice)
        except MailError as error:
            failed.append((notice, str(error)))
    return failed


def _queued(notices: list[PanelNotice]) -> bool:
    """As RQ jobs on the mail queue; False when Redis cannot be reached (send them now)."""
    from redis import Redis
    from rq import Queue, Retry

    try:
        queue = Queue("mail", connection=Redis.from_url(current_app.config["REDIS_URL"]))
        for notice in notices:
            queue.enqueue(send_notice_job, notice, retry=Retry(max=3, interval=[60, 300, 1800]),
                          result_ttl=0)  # fmt: skip
    except Exception:  # noqa: BLE001 - the panel is saved; the e-mails go out from here
        current_app.logger.exception("could not queue panel e-mails; sending them now")
        return False
    return True


def send_notice_job(notice: PanelNotice) -> None:
    from ..worker import in_app

    in_app(send_notice, notice)
