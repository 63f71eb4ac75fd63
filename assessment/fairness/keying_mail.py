"""The e-mail that tells an expert there are scenario items for them to key."""

from __future__ import annotations

from flask import current_app

from ..mail import MailError, send_mail
from ..models import User


def keying_body(name: str, count: int, link: str) -> str:
    items = "a customer scenario" if count == 1 else f"{count} customer scenarios"
    return (
        f"Hello {name},\n\n"
        f"You have been asked, as a subject-matter expert, to key {items}: to rate how "
        "effective each possible response is, from 1 (very ineffective) to 5 (very "
        "effective), on your own judgement.\n\n"
        f"Sign in here to start: {link}\n\n"
        "A scenario takes a few minutes. Nobody else's ratings are shown to you, and yours are "
        "compared with the other experts' only when all are in.\n\n"
        "Thank you for your help.\n"
    )


def mail_experts(new_tasks: dict[User, int]) -> list[str]:
    """One e-mail per expert with new tasks; returns the problems (empty when all went)."""
    link = current_app.config["BASE_URL"].rstrip("/") + "/keying"
    problems = []
    for expert, count in new_tasks.items():
        try:
            send_mail(expert.email, "Scenarios to key", keying_body(expert.name, count, link))
        except MailError as error:
            problems.append(str(error))
    return problems
