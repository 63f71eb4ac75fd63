"""What a candidate's summary row holds, computed from their scored evidence (no database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from assessment import scoring
from assessment.bank.model import DEFAULT_METHOD_WEIGHTS
from assessment.scorecard.build import answered_count, scored_version
from assessment.scoring import CandidateScore, CompetencyScore, Figures, Part
from assessment.scoring.combine import METHOD_ORDER
from assessment.selfassess.state import assessment_state

from .summary_model import DECISION_RANKS, SELF_RANKS

# What a combined score keeps: a competency's entry, and the summary's overall columns.
ENTRY_KEYS = ("score", "sem", "lo", "hi", "reason")
OVERALL_KEYS = ("overall", "overall_sem", "overall_lo", "overall_hi", "reason")


def scored(combined: scoring.Overall, keys: Sequence[str]) -> dict[str, Any]:
    """Score, SEM, band (lo, hi) and why there is none, under `keys`."""
    lo, hi = combined.band or (None, None)
    return dict(zip(keys, (combined.score, combined.sem, lo, hi, combined.reason), strict=True))


def entry_of(
    parts: Mapping[str, Part],
    flags: Sequence[str],
    method_weights: Mapping[str, float],
    figures: Figures,
) -> dict[str, Any]:
    """One competency over its methods, combined like the overall (scoring.combine): the
    weighted mean of the parts present, the interview needed, the 50% rule. Each part's raw
    score and the ratings behind it are kept, so new weights or new local figures need no
    evidence (recombine.py)."""
    combined = scoring.combine_overall(
        [(parts[m], method_weights.get(m, 0.0)) for m in METHOD_ORDER], figures
    )
    return {
        **scored(combined, ENTRY_KEYS),
        "parts": {m: [parts[m].score, parts[m].sem] for m in METHOD_ORDER},
        "evidence": {m: [parts[m].raw, parts[m].ratings] for m in METHOD_ORDER},
        "flags": list(flags),
    }


def competency_entry(
    cs: CompetencyScore, method_weights: Mapping[str, float], figures: Figures
) -> dict[str, Any]:
    """A scored competency's entry in the summary row."""
    parts = {m: cs.part(m) for m in METHOD_ORDER}
    flags = [f.code for f in scoring.competency_flags(cs)]
    return entry_of(parts, flags, method_weights, figures)


def self_status(assessment: Any | None, answered: int) -> str:
    """none, invited, in_progress, submitted or revoked; "expired" is decided when shown."""
    return "none" if assessment is None else assessment_state(assessment, answered)


def codes_text(codes: Iterable[str]) -> str:
    """ ",code,code," (each once, sorted) so a filter can look for ",code," anywhere in it."""
    found = sorted(set(codes))
    return f",{','.join(found)}," if found else ""


def _self_fields(assessment: Any | None, answers: Sequence[Any]) -> dict[str, Any]:
    answered = answered_count(answers)
    status = self_status(assessment, answered)
    return {
        "self_status": status,
        "self_rank": SELF_RANKS[status],
        "self_answered": answered,
        "self_total": len(assessment.items) if assessment is not None else 0,
        "self_expires_at": assessment.expires_at if assessment is not None else None,
    }


def _decision_fields(decision: Any | None) -> dict[str, Any]:
    made = decision.decision if decision is not None else None
    return {
        "decision": made,
        "decision_rank": DECISION_RANKS.get(made, 0),
        "decided_at": decision.created_at if decision is not None else None,
    }


def overall_fields(overall: scoring.Overall) -> dict[str, Any]:
    """The summary's columns for the overall: score, SEM, band, why none, label."""
    fields = scored(overall, OVERALL_KEYS)
    fields["reason"] = (fields["reason"] or "")[:200] or None
    return {**fields, "label": overall.label, "default_reliability": overall.default_reliability}


def summary_values(
    candidate_id: int,
    position: Any,
    score: CandidateScore,
    statuses: Sequence[str],
    assessment: Any | None,
    answers: Sequence[Any],
    decision: Any | None,
    now: datetime,
    figures: Figures,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the summary row, one row per competency of the position) as column → value."""
    method_weights = position.method_weights or DEFAULT_METHOD_WEIGHTS
    competencies = {
        c.competency: competency_entry(c, method_weights, figures) for c in score.competencies
    }
    row = {
        "candidate_id": candidate_id,
        "position_id": position.id,
        **overall_fields(score.overall),
        "competencies": competencies,
        "assessment_version": scored_version(assessment),
        "interviews_done": sum(1 for s in statuses if s == "submitted"),
        "interviews_planned": len(statuses),
        "flag_count": len(score.flags),
        "flag_codes": codes_text(f.code for f in score.flags),
        "updated_at": now,
        **_self_fields(assessment, answers),
        **_decision_fields(decision),
    }
    by_competency = [
        {
            "candidate_id": candidate_id,
            "competency": c,
            "position_id": position.id,
            "score": e["score"],
            "sem": e["sem"],
        }
        for c, e in competencies.items()
    ]
    return row, by_competency
