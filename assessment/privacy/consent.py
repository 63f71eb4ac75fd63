"""What a candidate agrees to on the welcome page, and which version of it they agreed to.

The page states how long answers are kept (RETENTION_DAYS after the hiring process ends),
whom to contact (PRIVACY_CONTACT, else MAIL_FROM) and how to withdraw consent (a link that
erases their data). The version stored with each consent names the wording and the period:
change CONSENT_WORDING whenever templates/selfassess/welcome.html's consent text changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app

CONSENT_WORDING = "2026-12"


@dataclass(frozen=True)
class ConsentTerms:
    retention_days: int
    contact: str  # an e-mail address

    @property
    def version(self) -> str:
        return f"{CONSENT_WORDING}; kept {self.retention_days} days"


def consent_terms() -> ConsentTerms:
    config = current_app.config
    contact = config.get("PRIVACY_CONTACT") or parseaddr(config["MAIL_FROM"])[1]
    return ConsentTerms(int(config["RETENTION_DAYS"]), contact)


def consent_version() -> str:
    """What the candidate consenting now agrees to (stored with their consent)."""
    return consent_terms().version
