"""What a new password must be (NIST SP 800-63B 5.1.1.2): long, not common, not the e-mail.

No composition rules (no "one digit and one symbol"): length and a blocklist do more for
people, and every character is allowed and kept exactly as typed.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

PASSWORD_MIN = 12
# Long passphrases are welcome (ASVS 6.2.9); the cap only keeps hashing bounded.
PASSWORD_MAX = 256
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
# What is stripped from the ends before the blocklist is asked again: "password1234!"
# is the common "password" with a common decoration.
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_NAME_PARTS = re.compile(r"[._+\-]+")
MIN_NAME_PART = 3


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _email_names(email: str | None) -> list[str]:
    """The e-mail's local part and its pieces ("jane.doe" → jane.doe, jane, doe)."""
    local = (email or "").strip().lower().partition("@")[0]
    names = [local, *_NAME_PARTS.split(local)]
    return [name for name in dict.fromkeys(names) if len(name) >= MIN_NAME_PART]


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why this password may not be used, in words for the form; None when it may."""
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters: a few words make a good password."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    folded = password.casefold()
    common = common_passwords()
    if folded in common or _DECORATION.sub("", folded) in common:
        return "This password is among the most common ones: choose another."
    if len(set(folded)) < 3:
        return "This password repeats one or two characters: choose another."
    for name in _email_names(email):
        if name in folded:
            return "The password may not contain your e-mail's name."
    return None
