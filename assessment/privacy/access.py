"""An access request (GDPR art. 15): everything held about a candidate, as one JSON document.

Profile, invites, answers with their timings, interviews with every rating and note, scores,
decisions and the audit entries about them. It is read as the person asking may see it:
the seal holds (an interviewer who has not submitted gets EvidenceSealed) and so does blind
review (the code instead of the name, e-mail and external id); the scorecard PDF that goes
with it comes from the candidate's ordinary PDF link.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..admin.audit_log import IDENTITY_KEYS, action_words
from ..blind import candidate_code
from ..extensions import db
from ..models import Answer, AuditEntry, Decision, Interview, Rating, SelfAssessment, User, utcnow
from ..scorecard import build_scorecard

FORMAT = "hiring-assessment candidate record, version 1"


def plain(value: Any) -> Any:
    """JSON-ready: dataclasses and mappings as objects, tuples as lists, times as ISO text,
    NaN and infinities as null."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def candidate_record(candidate_id: int, viewer: User) -> dict[str, Any]:
    """The document; CandidateNotFound or EvidenceSealed as for the scorecard."""
    card = build_scorecard(candidate_id, viewer)
    who = card.candidate
    interviews = _interviews(candidate_id)
    return plain(
        {
            "format": FORMAT,
            "exported_at": utcnow(),
            "exported_by": viewer.name,
            "candidate": {
                "id": who.id,
                "name": who.name,
                "email": who.email or None,
                "external_id": who.external_id,
                "identity_hidden": who.blind,  # blind review: name and contacts left out
                **_standing(candidate_id),
            },
            "position": {"id": card.position.id, "title": card.position.title},
            "self_assessments": _assessments(candidate_id),
            "interviews": interviews,
            "scores": card.score,
            "decisions": _decisions(candidate_id),
            "audit_log": _audit(candidate_id, interviews, who.blind),
        }
    )


def _standing(candidate_id: int) -> dict[str, Any]:
    from ..models import Candidate

    row = db.session.execute(
        db.select(
            Candidate.code, Candidate.created_at, Candidate.withdrawn_at, Candidate.erased_at
        ).where(Candidate.id == candidate_id)
    ).one()
    return {
        "code": candidate_code(row),
        "added_at": row.created_at,
        "withdrawn_at": row.withdrawn_at,
        "erased_at": row.erased_at,
    }


def _item_text(item: Mapping[str, Any], answer: Answer) -> dict[str, Any]:
    """What the candidate read and chose, in words (never the scoring key)."""
    if item.get("type") == "scenario":
        texts = {r["id"]: r["text"] for r in item.get("responses", ())}
        return {
            "situation": item.get("situation"),
            "most_effective": texts.get(answer.most or ""),
            "least_effective": texts.get(answer.least or ""),
        }
    return {"statement": item.get("text"), "agreement_1_to_5": answer.value}


def _assessments(candidate_id: int) -> list[dict[str, Any]]:
    assessments = db.session.scalars(
        db.select(SelfAssessment)
        .where(SelfAssessment.candidate_id == candidate_id)
        .order_by(SelfAssessment.id)
    ).all()
    result = []
    for a in assessments:
        items = {item["id"]: item for item in a.items}
        answers = db.session.scalars(
            db.select(Answer).where(Answer.assessment_id == a.id).order_by(Answer.position)
        )
        result.append(
            {
                "id": a.id,
                "status": a.status,
                "invited_at": a.created_at,
                "link_expires_at": a.expires_at,
                "link_revoked_at": a.revoked_at,
                "consented_at": a.consented_at,
                "consent_version": a.consent_version,
                "submitted_at": a.submitted_at,
                "bank_version": a.bank_version,
                "answers": [
                    {
                        "item_id": answer.item_id,
                        "shown_as_number": None if answer.position is None else answer.position + 1,
                        **_item_text(items.get(answer.item_id, {}), answer),
                        "ms_to_first_answer": answer.ms_to_first_answer,
                        "ms_total": answer.ms_total,
                        "answered_at": answer.answered_at,
                        "updated_at": answer.updated_at,
                    }
                    for answer in answers
                ],
            }
        )
    return result


def _interviews(candidate_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        db.select(Interview, User.name)
        .join(User, User.id == Interview.interviewer_id)
        .where(Interview.candidate_id == candidate_id)
        .order_by(Interview.id)
    ).all()
    result = []
    for interview, interviewer in rows:
        questions = {q["id"]: q.get("text") for q in interview.items}
        ratings = db.session.scalars(
            db.select(Rating).where(Rating.interview_id == interview.id).order_by(Rating.id)
        )
        result.append(
            {
                "id": interview.id,
                "interviewer": interviewer,
                "status": interview.status,
                "scheduled_for": interview.scheduled_for,
                "started_at": interview.started_at,
                "submitted_at": interview.submitted_at,
                "recommendation": interview.recommendation,
                "key_evidence": interview.key_evidence,
                "ratings": [
                    {
                        "question_id": r.question_id,
                        "question": questions.get(r.question_id),
                        "rating_1_to_5": r.value,
                        "not_covered": r.not_covered,
                        "notes": r.notes,
                        "updated_at": r.updated_at,
                    }
                    for r in ratings
                ],
            }
        )
    return result


def _decisions(candidate_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        db.select(Decision, User.name)
        .join(User, User.id == Decision.decided_by_id)
        .where(Decision.candidate_id == candidate_id)
        .order_by(Decision.created_at, Decision.id)
    )
    return [
        {
            "decision": d.decision,
            "by": by,
            "at": d.created_at,
            "rationale": d.rationale,
            "band_then": d.band,
            "against_band_reason": d.against_band_reason,
        }
        for d, by in rows
    ]


def _audit(candidate_id: int, interviews: list[dict], blind: bool) -> list[dict[str, Any]]:
    assessments = db.select(SelfAssessment.id).where(SelfAssessment.candidate_id == candidate_id)
    about = db.or_(
        (AuditEntry.entity == "candidate") & (AuditEntry.entity_id == candidate_id),
        (AuditEntry.entity == "interview")
        & AuditEntry.entity_id.in_([i["id"] for i in interviews]),
        (AuditEntry.entity == "self_assessment") & AuditEntry.entity_id.in_(assessments),
    )
    rows = db.session.execute(
        db.select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(about)
        .order_by(AuditEntry.at, AuditEntry.id)
    )

    def shown(values):  # under blind review, the identity an entry recorded is left out
        if values is None or not blind:
            return values
        return {k: v for k, v in values.items() if k not in IDENTITY_KEYS}

    return [
        {
            "at": entry.at,
            "by": by,
            "what": action_words(entry.action),
            "old": shown(entry.old),
            "new": shown(entry.new),
            "reason": entry.reason,
        }
        for entry, by in rows
    ]
