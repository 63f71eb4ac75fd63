"""The audit log as admins read it: a page of entries, newest first, each in plain words.

Entries name what they are about by table and id; a page resolves them in one query per
kind (never one per entry), and applies blind review as everywhere else: a candidate of a
blind position is shown by code, and the name, e-mail and external id an entry recorded
for them are left out. The seal holds here too (visibility.py): to an admin on a
candidate's panel who has not submitted, an entry that records ratings, notes or a
decision says what happened and when, but not what was recorded, nor the reason given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import url_for

from ..blind import is_blind, shown_name
from ..extensions import db
from ..models import AuditEntry, Candidate, Interview, Position, SelfAssessment, User
from ..positions.services import Page, paged
from ..visibility import hidden_evidence

VALUE_CHARS = 200  # a value longer than this is cut, with "…"
IDENTITY_KEYS = frozenset({"name", "email", "external_id"})
# Entries whose values and reason come from the panel's ratings: ratings and notes as they
# were (re-submit, reopen, revise), and HR's decision with the scores' band.
EVIDENCE_ACTIONS = frozenset(
    {"interview.submit", "interview.reopen", "rating.revise", "decision.record"}
)

# Every action the app records, in words; the filter offers these.
ACTIONS: Mapping[str, str] = {
    "create_user": "Account created",
    "user.role": "Role changed",
    "user.deactivate": "Account deactivated",
    "user.reactivate": "Account reactivated",
    "user.reset_link": "Password reset link made",
    "user.password_reset": "Password set through a reset link",
    "user.password_change": "Password changed",
    "user.password_set": "Password set by the operator",
    "position.create": "Position created",
    "position.weights": "Weights changed",
    "position.questions": "Questions changed",
    "position.reveal_names": "Names revealed (blind review off)",
    "position.hide_names": "Names hidden again (blind review on)",
    "position.rename": "Position renamed",
    "position.close": "Position closed",
    "position.reopen": "Position reopened",
    "candidate.create": "Candidate added",
    "candidate.import": "Candidates imported",
    "candidate.edit": "Candidate's details changed",
    "candidate.withdraw": "Candidate withdrawn",
    "candidate.reinstate": "Candidate back in the process",
    "candidate.access": "Candidate's data downloaded (access request)",
    "candidate.erase": "Candidate's personal data erased",
    "panel.assign": "Panel changed",
    "interview.submit": "Interview submitted",
    "interview.reopen": "Interview reopened",
    "rating.revise": "Rating revised after the debrief",
    "decision.record": "Decision recorded",
    "invite.create": "Invite created",
    "invite.renew": "Invite renewed",
    "invite.revoke": "Invite revoked",
    "selfassess.consent": "Self-assessment started",
    "selfassess.submit": "Self-assessment sent",
    "export.start": "Export started",
    "outcome.record": "Outcome of a hire recorded",
    "keying.invite": "Experts asked to key scenario items",
    "keying.submit": "Expert's key sent",
    "keying.adopt": "Consensus key adopted",
}


@dataclass(frozen=True)
class Subject:
    """What an entry is about, as this viewer may see it, and where to look at it."""

    label: str
    href: str | None = None
    hidden_identity: bool = False  # a blind candidate: their recorded identity is left out


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None  # None: not recorded before
    new: str | None  # None: not recorded after


@dataclass(frozen=True)
class LogLine:
    at: datetime
    actor: str
    action: str
    subject: Subject
    changes: Sequence[Change]
    reason: str | None
    identity_left_out: bool  # it recorded a blind candidate's name or contact details
    sealed: bool = False  # it recorded evidence sealed for this viewer: values left out


def action_words(action: str) -> str:
    return ACTIONS.get(action, action)


def audit_page(viewer: Any, number: int = 1, action: str | None = None) -> Page:
    """Page `number` of the log (newest first), only `action` entries when given."""
    where = [AuditEntry.action == action] if action else []
    query = (
        db.select(AuditEntry, User.name)
        .outerjoin(User, AuditEntry.user_id == User.id)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    page = paged(query, db.select(db.func.count(AuditEntry.id)).where(*where), number)
    entries = [entry for entry, _ in page.items]
    owners = _owners(entries)
    subjects = _subjects(entries, viewer, owners)
    sealed = hidden_evidence(viewer, {owners[_about(e)] for e in entries if _about(e) in owners})
    lines = []
    for entry, actor in page.items:
        subject = subjects.get(_about(entry)) or _plain(entry)
        hide = entry.action in EVIDENCE_ACTIONS and owners.get(_about(entry)) in sealed
        lines.append(
            LogLine(
                at=entry.at,
                actor=actor or ("the candidate" if _by_candidate(entry) else "the system"),
                action=action_words(entry.action),
                subject=subject,
                changes=[] if hide else changes(entry.old, entry.new, subject.hidden_identity),
                reason=None if hide else entry.reason,
                identity_left_out=subject.hidden_identity and _names_someone(entry),
                sealed=hide,
            )
        )
    return replace(page, items=lines)


def _about(entry: AuditEntry) -> tuple[str, int | None]:
    return entry.entity, entry.entity_id


def _names_someone(entry: AuditEntry) -> bool:
    recorded = set(entry.old or {}) | set(entry.new or {})
    return bool(recorded & IDENTITY_KEYS)


def _by_candidate(entry: AuditEntry) -> bool:
    return entry.action.startswith("selfassess.")  # through their invite link, signed in as no one


def _plain(entry: AuditEntry) -> Subject:
    kind = entry.entity.replace("_", " ")
    return Subject(f"{kind} {entry.entity_id}" if entry.entity_id is not None else kind)


def _ids(entries: Iterable[AuditEntry], entity: str) -> set[int]:
    return {e.entity_id for e in entries if e.entity == entity and e.entity_id is not None}


def _owners(entries: Sequence[AuditEntry]) -> dict[tuple[str, int], int]:
    """{(entity, id): candidate id} for the entries about a candidate, an interview or a
    self-assessment: one query per kind."""
    owners = {("candidate", cid): cid for cid in _ids(entries, "candidate")}
    for model, entity in ((Interview, "interview"), (SelfAssessment, "self_assessment")):
        ids = _ids(entries, entity)
        if ids:
            query = db.select(model.id, model.candidate_id).where(model.id.in_(ids))
            owners.update(((entity, i), c) for i, c in db.session.execute(query))
    return owners


def _subjects(
    entries: Sequence[AuditEntry], viewer: Any, owners: dict[tuple[str, int], int]
) -> dict[tuple[str, int], Subject]:
    """{(entity, id): Subject} for the page's entries: one query per kind of subject."""
    found: dict[tuple[str, int], Subject] = {}
    people = _candidates(set(owners.values()), viewer)
    for (entity, i), cid in owners.items():
        who = people.get(cid)
        if who is None:
            continue
        if entity == "candidate":
            found[(entity, i)] = who
        else:
            kind = "Interview" if entity == "interview" else "Self-assessment"
            found[(entity, i)] = Subject(f"{kind} of {who.label}", who.href, who.hidden_identity)
    position_ids = _ids(entries, "position")
    if position_ids:
        query = db.select(Position.id, Position.title).where(Position.id.in_(position_ids))
        for pid, title in db.session.execute(query):
            found[("position", pid)] = Subject(title, url_for("positions.show", position_id=pid))
    user_ids = _ids(entries, "user")
    if user_ids:
        query = db.select(User.id, User.name).where(User.id.in_(user_ids))
        for uid, name in db.session.execute(query):
            found[("user", uid)] = Subject(f"Account of {name}")
    return found


def _candidates(ids: set[int], viewer: Any) -> dict[int, Subject]:
    if not ids:
        return {}
    rows = db.session.execute(
        # A row reads as its position and as its candidate (blind.shown_name).
        db.select(Candidate.id, Candidate.name, Candidate.code, Position.blind)
        .join(Position, Candidate.position_id == Position.id)
        .where(Candidate.id.in_(ids))
    ).all()
    subjects = {}
    for row in rows:
        href = url_for("candidates.show", candidate_id=row.id)
        subjects[row.id] = Subject(shown_name(row, row, viewer), href, is_blind(row, viewer))
    return subjects


def changes(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, hide_identity: bool
) -> list[Change]:
    """Field by field, old and new as short text; a blind candidate's identity left out."""
    old, new = old or {}, new or {}
    result = []
    for field in sorted(set(old) | set(new), key=str):
        if hide_identity and field in IDENTITY_KEYS:
            continue
        before = _text(old[field]) if field in old else None
        after = _text(new[field]) if field in new else None
        result.append(Change(str(field), before, after))
    return result


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"
