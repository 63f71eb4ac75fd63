"""The invite e-mail to a candidate: plain, friendly text with their link."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime

from ..local_time import spelled_out
from ..mail import send_mail

WIDTH = 72  # plain-text e-mail lines


@dataclass(frozen=True)
class InviteLetter:
    """What the e-mail says: to whom, from whom, the link and how long it lasts."""

    candidate_name: str
    candidate_email: str
    position_title: str
    link: str
    minutes: int
    expires_at: datetime  # naive UTC
    sender_name: str
    sender_email: str
    time_zone: str | None = None  # the sender's; the expiry is written in it and in UTC


def invite_subject(letter: InviteLetter) -> str:
    return f"Your next step for the {letter.position_title} role: a short questionnaire"


def expiry_text(moment: datetime, zone: str | None = None) -> str:
    """e.g. "Tuesday 24 March 2026 at 10:00 Europe/Berlin time (09:00 UTC)": unambiguous in
    any country."""
    return spelled_out(moment, zone)


def invite_body(letter: InviteLetter) -> str:
    """Who it is from, what it is, how long it takes, pausing, the expiry, whom to ask."""
    paragraphs = [
        f"Hello {letter.candidate_name},",
        f"Thank you for your interest in the {letter.position_title} role. I'm "
        f"{letter.sender_name} from the hiring team, and I'd like to invite you to the next "
        "step: a short questionnaire about how you work with customers and colleagues.",
        f"It takes about {letter.minutes} minutes. You'll read a few everyday work situations "
        "and say how you would handle them, and say how well some statements describe you. "
        "There is nothing to prepare: answer as you would really act.",
        "Open it with this link:",
        None,  # the link, on its own line and never wrapped
        "You don't need to finish in one go. Your answers are saved as you give them, so you "
        "can stop at any time and come back later with the same link to carry on where you "
        "left off. It works on a phone as well as on a computer.",
        f"The link works until {expiry_text(letter.expires_at, letter.time_zone)}. It is "
        "personal to you, so please don't pass it on.",
        "If you have a question, need more time, or the link doesn't work, just reply to this "
        f"e-mail or write to me at {letter.sender_email}.",
        f"Best wishes,\n{letter.sender_name}",
    ]
    text = [f"    {letter.link}" if p is None else _wrap(p) for p in paragraphs]
    return "\n\n".join(text) + "\n"


def _wrap(paragraph: str) -> str:
    return "\n".join(
        textwrap.fill(line, WIDTH, break_long_words=False, break_on_hyphens=False)
        for line in paragraph.split("\n")
    )


def send_invite_mail(letter: InviteLetter) -> str:
    """Send the invite (replies go to the person who sent it); raises MailError."""
    return send_mail(
        letter.candidate_email,
        invite_subject(letter),
        invite_body(letter),
        reply_to=letter.sender_email,
    )
