"""An interview as an iCalendar invitation (RFC 5545): pure, text in, .ics text out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

INTERVIEW_LENGTH = timedelta(hours=1)
PRODID = "-//Hiring assessment//Interview panel//EN"


@dataclass(frozen=True)
class CalendarInterview:
    """What the invitation says; times are naive UTC, as the database keeps them."""

    uid: str  # stable per interview, so a new date updates the same calendar entry
    sequence: int  # grows with every change: calendars keep the highest
    start: datetime
    summary: str
    description: str
    url: str
    organizer_email: str
    attendee_name: str
    attendee_email: str
    cancelled: bool = False


def _text(value: str) -> str:
    """TEXT escaping: backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _param(value: str) -> str:
    """A parameter value (CN=…): quoted, without the characters a quote cannot hold."""
    return '"' + value.replace('"', "'").replace("\r", " ").replace("\n", " ") + '"'


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a character
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def interview_ics(event: CalendarInterview, now: datetime) -> str:
    """A METHOD:REQUEST invitation, or METHOD:CANCEL for an interview taken off the panel."""
    method = "CANCEL" if event.cancelled else "REQUEST"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(event.start)}",
        f"DTEND:{_utc(event.start + INTERVIEW_LENGTH)}",
        f"SUMMARY:{_text(event.summary)}",
        f"DESCRIPTION:{_text(event.description)}",
        f"URL:{event.url}",
        f"ORGANIZER:mailto:{event.organizer_email}",
        f"ATTENDEE;CN={_param(event.attendee_name)};ROLE=REQ-PARTICIPANT;RSVP=FALSE:"
        f"mailto:{event.attendee_email}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
