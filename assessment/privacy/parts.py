"""Everything erasure removes about a candidate, in one list: PARTS.

A feature that keeps personal data about candidates adds one Part here (a rendered-PDF
cache, voluntary self-identification answers …): what the confirmation page calls it, how
to count it, and how to erase it. Erasure, retention and withdrawn consent all go through
this list, and tests/web/test_erasure.py searches the whole database file and the export
folder for an erased candidate afterwards, so a copy left out fails a test.

What stays: ratings, answers and scores, as numbers about an anonymous candidate, for the
bank's and the interviewers' statistics.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, delete, or_, update

from ..candidates.search_index import index_candidates
from ..extensions import db
from ..models import AuditEntry, Candidate, Decision, Interview, Rating, SelfAssessment, utcnow
from ..scorecard.cache_model import ScorecardPdf
from ..scorecard.job_model import ExportFile, ExportJob
from ..webhooks.models import WebhookDelivery

ERASED_NAME = "Erased candidate"
ERASED = "(erased)"  # what an audit entry shows where erased data was
# The keys of audit entries' old and new values that hold what people typed or who they are.
PERSONAL_KEYS = frozenset(
    {"name", "email", "external_id", "notes", "rationale", "against_band_reason", "reason"}
    | {"recommendation", "key_evidence"}  # [recommendation, key evidence] at a submit
)


@dataclass(frozen=True)
class Subject:
    """The candidate being erased, as they were, and the rows that hang off them."""

    candidate_id: int
    position_id: int
    name: str
    email: str
    external_id: str | None
    interview_ids: tuple[int, ...]
    assessment_ids: tuple[int, ...]


UNCOUNTED = ("identity", "self_identification")  # listed without a count


@dataclass(frozen=True)
class Part:
    key: str  # in the erasure's own audit entry, which records counts only
    label: str  # on the confirmation page: "3 interviewers' notes"
    count: Callable[[Subject], int]
    erase: Callable[[Subject], Sequence[Path]]  # files to delete once the erasure commits

    def describe(self, count: int) -> str:
        """The part as the confirmation lists it."""
        return self.label if self.key in UNCOUNTED else f"{self.label}: {count}"


def _count(query) -> int:
    return db.session.scalar(query) or 0


# --- the candidate's identity and the search index -----------------------------------


def _erase_identity(subject: Subject) -> Sequence[Path]:
    now = utcnow()
    db.session.execute(
        update(Candidate)
        .where(Candidate.id == subject.candidate_id)
        .values(
            name=ERASED_NAME,
            email=f"erased-{subject.candidate_id}@erased.invalid",  # unique per position
            external_id=None,
            erased_at=now,
            withdrawn_at=db.func.coalesce(Candidate.withdrawn_at, now),
        )
    )
    index_candidates([subject.candidate_id])  # drops their search terms and sort key
    return ()


# --- what interviewers and deciders wrote about them ----------------------------------


def _notes(subject: Subject):
    return Rating.interview_id.in_(subject.interview_ids), Rating.notes != ""


def _erase_notes(subject: Subject) -> Sequence[Path]:
    """Notes on ratings, and the key evidence given with each recommendation."""
    db.session.execute(update(Rating).where(*_notes(subject)).values(notes=""))
    evidence = Interview.id.in_(subject.interview_ids)
    db.session.execute(update(Interview).where(evidence).values(key_evidence=""))
    return ()


def _erase_rationales(subject: Subject) -> Sequence[Path]:
    db.session.execute(
        update(Decision)
        .where(Decision.candidate_id == subject.candidate_id)
        .values(rationale="", against_band_reason=None)
    )
    return ()


# --- their self-assessment link ---------------------------------------------------------


def _links(subject: Subject):
    return SelfAssessment.candidate_id == subject.candidate_id, SelfAssessment.token_hash.is_not(
        None
    )


def _erase_links(subject: Subject) -> Sequence[Path]:
    db.session.execute(
        update(SelfAssessment)
        .where(*_links(subject))
        .values(token_hash=None, revoked_at=db.func.coalesce(SelfAssessment.revoked_at, utcnow()))
    )
    return ()


# --- the audit log ------------------------------------------------------------------------


def _traces(subject: Subject) -> list[str]:
    """How their name and e-mail can appear in stored JSON (as typed, and \\u-escaped)."""
    found = []
    for value in (subject.name, subject.email, subject.external_id):
        if value and len(value) >= 3:
            found += [value, json.dumps(value)[1:-1]]
    return list(dict.fromkeys(found))


def _entries(subject: Subject):
    about = or_(
        (AuditEntry.entity == "candidate") & (AuditEntry.entity_id == subject.candidate_id),
        (AuditEntry.entity == "interview") & AuditEntry.entity_id.in_(subject.interview_ids),
        (AuditEntry.entity == "self_assessment") & AuditEntry.entity_id.in_(subject.assessment_ids),
    )
    # Anywhere else their name or e-mail was copied into an entry: found and scrubbed too.
    texts = (cast(AuditEntry.old, String), cast(AuditEntry.new, String), AuditEntry.reason)
    named = [text.contains(trace, autoescape=True) for text in texts for trace in _traces(subject)]
    return or_(about, *named)


def _scrubbed(value: Any, traces: Sequence[str]) -> Any:
    """The value with personal keys and any text naming them replaced by ERASED."""
    if isinstance(value, dict):
        return {
            k: ERASED if k in PERSONAL_KEYS and v not in (None, "") else _scrubbed(v, traces)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrubbed(v, traces) for v in value]
    if isinstance(value, str) and any(trace in value for trace in traces):
        return ERASED
    return value


def _erase_audit(subject: Subject) -> Sequence[Path]:
    traces = _traces(subject)
    for entry in db.session.scalars(db.select(AuditEntry).where(_entries(subject))):
        entry.old = _scrubbed(entry.old, traces)
        entry.new = _scrubbed(entry.new, traces)
        entry.reason = None if entry.reason is None else ERASED
    return ()


# --- finished export files --------------------------------------------------------------


def _exports(subject: Subject) -> list[ExportJob]:
    jobs = db.session.scalars(
        db.select(ExportJob).where(
            ExportJob.position_id == subject.position_id, ExportJob.file_name.is_not(None)
        )
    )
    return [j for j in jobs if j.candidate_ids is None or subject.candidate_id in j.candidate_ids]


def _erase_exports(subject: Subject) -> Sequence[Path]:
    ids = [job.id for job in _exports(subject)]
    if ids:
        db.session.execute(delete(ExportFile).where(ExportFile.job_id.in_(ids)))
        db.session.execute(update(ExportJob).where(ExportJob.id.in_(ids)).values(file_name=None))
    return ()  # the files live in the database; their pages then say they are gone


def _erase_self_identification(subject: Subject) -> Sequence[Path]:
    from ..fairness.selfid import erase_self_identification

    erase_self_identification(subject.candidate_id)
    return ()


# --- rendered scorecards ---------------------------------------------------------------


def _pdfs(subject: Subject):
    return ScorecardPdf.candidate_id == subject.candidate_id


def _erase_pdfs(subject: Subject) -> Sequence[Path]:
    db.session.execute(delete(ScorecardPdf).where(_pdfs(subject)))
    return ()


# --- webhook deliveries -----------------------------------------------------------------


def _deliveries(subject: Subject):
    return WebhookDelivery.candidate_id == subject.candidate_id


def _erase_deliveries(subject: Subject) -> Sequence[Path]:
    db.session.execute(delete(WebhookDelivery).where(_deliveries(subject)))
    return ()


PARTS: tuple[Part, ...] = (
    Part(
        "identity",
        "name, e-mail and external id (and their search index entries)",
        lambda s: 1,
        _erase_identity,
    ),
    Part(
        "notes",
        "interviewers' notes (and the key evidence of their recommendations)",
        lambda s: _count(db.select(db.func.count(Rating.id)).where(*_notes(s))),
        _erase_notes,
    ),
    Part(
        "rationales",
        "decision rationales",
        lambda s: _count(
            db.select(db.func.count(Decision.id)).where(Decision.candidate_id == s.candidate_id)
        ),
        _erase_rationales,
    ),
    Part(
        "links",
        "self-assessment links",
        lambda s: _count(db.select(db.func.count(SelfAssessment.id)).where(*_links(s))),
        _erase_links,
    ),
    Part(
        "audit",
        "audit-log entries about them (kept, without their data)",
        lambda s: _count(db.select(db.func.count(AuditEntry.id)).where(_entries(s))),
        _erase_audit,
    ),
    Part(
        "exports",
        "finished export files",
        lambda s: len(_exports(s)),
        _erase_exports,
    ),
    Part(
        "scorecards",
        "scorecard PDFs kept to serve them faster",
        lambda s: _count(db.select(db.func.count(ScorecardPdf.key)).where(_pdfs(s))),
        _erase_pdfs,
    ),
    Part(
        "self_identification",
        "their optional answers about themselves (sex, ethnicity, age, disability), if any",
        lambda s: 1,
        _erase_self_identification,
    ),
    Part(
        "webhooks",
        "webhook deliveries about them (sent or waiting)",
        lambda s: _count(db.select(db.func.count(WebhookDelivery.id)).where(_deliveries(s))),
        _erase_deliveries,
    ),
)
