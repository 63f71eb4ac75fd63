"""Outgoing e-mail: plain-text messages sent through the configured SMTP server."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app


class MailError(Exception):
    """A message could not be sent; the text says why (never the SMTP password)."""


class MailNotConfigured(MailError):
    """No SMTP server is configured (SMTP_HOST is unset)."""


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


# (file name, MIME type, text, Content-Type parameters), e.g. an .ics with method=REQUEST
Attachment = tuple[str, str, str, dict[str, str]]


def build_message(
    to: str | Sequence[str],
    subject: str,
    body: str,
    *,
    reply_to: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """A plain-text UTF-8 message with From, To, Subject, Date and Message-ID.

    The default policy refuses a header value with a line break, so a value that came
    from a user can never add headers of its own.
    """
    sender = current_app.config["MAIL_FROM"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    # An explicit domain: make_msgid's default asks the resolver for this host's name.
    message["Message-ID"] = make_msgid(domain=domain)
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(body)
    for filename, mimetype, text, params in attachments:
        maintype, subtype = mimetype.split("/")
        message.add_attachment(
            text.encode(), maintype=maintype, subtype=subtype, filename=filename, params=params
        )
    return message


def send_mail(
    to: str | Sequence[str],
    subject: str,
    body: str,
    *,
    reply_to: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> str:
    """Send one plain-text message (with attachments); return its Message-ID, or MailError."""
    if not mail_configured():
        raise MailNotConfigured("SMTP is not configured: set SMTP_HOST to send e-mail.")
    message = build_message(to, subject, body, reply_to=reply_to, attachments=attachments)
    deliver(message)
    return message["Message-ID"]


def deliver(message: EmailMessage) -> None:
    """Hand a built message to the SMTP server (one connection, closed afterwards)."""
    config = current_app.config
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    try:
        with smtplib.SMTP(host, port, timeout=config.get("SMTP_TIMEOUT", 10)) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(
            f"could not send to {message['To']} via {host}:{port}: {_describe(error)}"
        ) from error


def _describe(error: Exception) -> str:
    """The server's answer or the network error, in one line."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = [_reply(code, text) for code, text in error.recipients.values()]
        return "recipient refused: " + "; ".join(answers)
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    return str(error) or type(error).__name__


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()
