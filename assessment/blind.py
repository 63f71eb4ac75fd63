"""Blind review: who sees a candidate's name, and what they see instead.

A position under blind review (the default) shows HR and admins a candidate code in place
of the name, e-mail and external id, in pages and in exports, until a person reveals the
names for that position (an audited choice). The rule is the same for every HR person and
admin, on the candidate's panel or not: what HR pages and exports show depends on the
position alone. Managers always see the name: they interview the person. The interview
screen itself shows every interviewer the name, as they meet the person. Every page and
export asks these functions.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any, NamedTuple

BLIND_ROLES = ("hr", "admin")
# A code is six digits drawn at random when the candidate is added, unique within the
# position: unlike the database id it follows no order, so knowing who applied when maps
# no code to a name. 900,000 codes keep a random draw unlikely to meet a taken one.
CODE_LOW, CODE_HIGH = 100_000, 999_999


class Identity(NamedTuple):
    """What a viewer is shown of a candidate: under blind review the code, "" and None."""

    name: str
    email: str
    external_id: str | None


def random_code() -> str:
    return str(CODE_LOW + secrets.randbelow(CODE_HIGH - CODE_LOW + 1))


_drawn: set[str] = set()  # the codes this process gave as the model's default


def unrepeated_code() -> str:
    """A random code this process has not given before: the model's default for candidates
    added without a service (the demo, tests), so a batch of them never repeats one."""
    if len(_drawn) > (CODE_HIGH - CODE_LOW) // 2:
        _drawn.clear()
    code = random_code()
    while code in _drawn:
        code = random_code()
    _drawn.add(code)
    return code


def fresh_codes(count: int, taken: Collection[str]) -> list[str]:
    """`count` random codes, none of them in `taken` nor twice."""
    chosen: set[str] = set()
    while len(chosen) < count:
        code = random_code()
        if code not in taken:
            chosen.add(code)
    return list(chosen)


def candidate_code(candidate: Any) -> str:
    """The label HR sees under blind review: stable, and it says nothing about the person
    or when they applied."""
    return f"Candidate {candidate.code}"


def is_blind(position: Any, viewer: Any) -> bool:
    """True when `viewer` must see codes for this position's candidates.

    A viewer with `reveal_names` set (the command line's `--reveal-names`) sees names."""
    if getattr(viewer, "reveal_names", False):
        return False
    return bool(getattr(position, "blind", False)) and getattr(viewer, "role", None) in BLIND_ROLES


def shown_name(candidate: Any, position: Any, viewer: Any) -> str:
    return candidate_code(candidate) if is_blind(position, viewer) else candidate.name


def identity(candidate: Any, position: Any, viewer: Any) -> Identity:
    """Name, e-mail and external id as this viewer may see them (all hidden together)."""
    if is_blind(position, viewer):
        return Identity(candidate_code(candidate), "", None)
    return Identity(candidate.name, candidate.email, candidate.external_id)
