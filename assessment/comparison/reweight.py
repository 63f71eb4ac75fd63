"""New competency weights for a position: every summary's overall again, from its stored parts.

The weights change only how the parts combine (SCIENCE §2.4): each competency's part scores
and SEMs, its combined score and its flags stay what they were. So the summary rows keep
those parts (summary_rows.competency_entry) and a new set of weights is one pass over the
rows, with no evidence read: about a second for 10,000 candidates, where recomputing every
candidate from their ratings and answers took fifteen. A competency the position did not
weigh before has no stored parts; then, and for rows written before the parts were kept,
every candidate is recomputed from the evidence (refresh.refresh_position).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select, update

from assessment import scoring
from assessment.bank.model import DEFAULT_METHOD_WEIGHTS
from assessment.extensions import db
from assessment.models import utcnow

from .cells import with_new_overall
from .refresh import drop_unweighted, refresh_position
from .summary_model import CandidateSummary
from .summary_rows import codes_text, overall_fields

S = CandidateSummary.__table__.c
COMPETENCY_FLAGS = frozenset({"disagreement", "self_gap"})  # the rest are about answers
KEPT = ("competencies", "flag_count", "flag_codes", "cells")
ROW = select(S.candidate_id, *(S[k] for k in KEPT)).where(S.position_id == bindparam("pid"))
CHANGED = (
    "overall",
    "overall_sem",
    "overall_lo",
    "overall_hi",
    "label",
    "reason",
    "default_reliability",
    "competencies",
    "flag_count",
    "flag_codes",
    "cells",
    "updated_at",
)


def _update(columns: tuple[str, ...]):
    """One statement for all rows (executemany); parameters are named new_<column>, as
    SQLAlchemy keeps a column's own name for itself."""
    return (
        update(CandidateSummary.__table__)
        .where(S.candidate_id == bindparam("cid"))
        .values({name: bindparam("new_" + name) for name in columns})
    )


UPDATES = {True: _update(CHANGED), False: _update(tuple(c for c in CHANGED if c != "competencies"))}


class StoredPart(NamedTuple):
    """What combine_overall reads of a scoring.Part, as the summary keeps it."""

    competency: str
    method: str
    score: float | None
    sem: float | None
    default_reliability: bool


def reweight_position(position: Any, before: Mapping[str, float]) -> int:
    """Every summary of the position after its weights changed from `before` (in the
    caller's write transaction, after position.weights was set); returns how many."""
    session = db.session
    session.flush()
    weights = dict(position.weights)
    method_weights = position.method_weights or DEFAULT_METHOD_WEIGHTS
    rows = session.execute(ROW, {"pid": position.id}).all()
    if not all(has_parts(row.competencies, weights) for row in rows):
        return refresh_position(position.id)
    now = utcnow()
    changes = [reweighted(row, weights, method_weights, list(before), now) for row in rows]
    dropped = set(before) != set(weights)  # else the stored competencies stay as they are
    columns = CHANGED if dropped else tuple(c for c in CHANGED if c != "competencies")
    if changes:
        session.execute(
            UPDATES[dropped],
            [{"cid": c["candidate_id"], **{"new_" + k: c[k] for k in columns}} for c in changes],
        )
    drop_unweighted(position.id, weights)
    return len(changes)


def has_parts(entries: Mapping[str, Any] | None, weights: Mapping[str, float]) -> bool:
    """Whether a summary keeps what reweighting needs for every weighted competency."""
    entries = entries or {}
    return all("parts" in entries.get(c, {}) and "flags" in entries[c] for c in weights)


def overall_of(
    entries: Mapping[str, Any], weights: Mapping[str, float], method_weights: Mapping[str, float]
) -> scoring.Overall:
    """The overall from the stored parts, combined as score_candidate combines them."""
    stored = ((w, partial(_stored_part, c, entries[c]["parts"])) for c, w in weights.items())
    return scoring.combine_weighted(stored, method_weights)


def _stored_part(competency: str, parts: Mapping[str, list], method: str) -> StoredPart:
    return StoredPart(competency, method, *parts[method])


def reweighted(
    row: Any,
    weights: Mapping[str, float],
    method_weights: Mapping[str, float],
    before: list[str],
    now,
) -> dict[str, Any]:
    """One summary row's new values: the overall, the competencies kept, and the flags of
    those competencies with the flags about the answers."""
    entries = {c: row.competencies[c] for c in weights}
    overall = overall_of(entries, weights, method_weights)
    had = sum(len(e.get("flags", ())) for e in row.competencies.values())
    kept = [code for e in entries.values() for code in e["flags"]]
    answers = {c for c in row.flag_codes.split(",") if c and c not in COMPETENCY_FLAGS}
    values = {
        "candidate_id": row.candidate_id,
        **overall_fields(overall),
        "competencies": entries,
        "flag_count": row.flag_count - had + len(kept),
        "flag_codes": codes_text(answers | set(kept)),
        "updated_at": now,
    }
    values["cells"] = with_new_overall(row.cells, values, before, list(weights))
    return values
