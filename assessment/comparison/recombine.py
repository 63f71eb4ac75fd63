"""Summaries combined again from their stored parts, reading no evidence: after new competency
weights, or new local figures (SCIENCE §2.4, §4; docs/scoring.md).

Neither changes what the evidence says: each part's raw score and the ratings behind it.
Weights change how the parts combine; local figures change each part's reliability, its
place on the common scale, its band, and so the combined scores, the self-view gap flags
and the cells. So the summary rows keep each part's raw score and ratings
(summary_rows.entry_of), and either change is one pass over the rows: about a second for
10,000 candidates, where recomputing every candidate from their ratings and answers took
fifteen. A row without those stored parts (written by an older version, or a competency
the position did not weigh before) is recomputed from the evidence (refresh.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select, update

from assessment import scoring
from assessment.bank.model import DEFAULT_METHOD_WEIGHTS
from assessment.extensions import db
from assessment.insights.local_figures import bank_scope, position_scope, stored, to_figures
from assessment.models import Position, utcnow
from assessment.scoring import Figures, Part
from assessment.scoring.combine import METHOD_ORDER

from .cells import render_cells, with_new_overall
from .refresh import drop_unweighted, refresh_position, refresh_summaries
from .summary_model import CandidateSummary
from .summary_rows import codes_text, entry_of, overall_fields

S = CandidateSummary.__table__.c
COMPETENCY_FLAGS = frozenset({"disagreement", "self_gap"})  # the rest are about answers
EVIDENCE_FLAGS = frozenset({"disagreement"})  # read from the ratings: kept as stored
KEPT = ("position_id", "assessment_version", "competencies", "flag_count", "flag_codes", "cells")
ROWS = select(S.candidate_id, *(S[k] for k in KEPT))
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
UPDATE = (
    update(CandidateSummary.__table__)
    .where(S.candidate_id == bindparam("cid"))
    .values({name: bindparam("new_" + name) for name in CHANGED})
)  # parameters are named new_<column>, as SQLAlchemy keeps a column's own name for itself


class Kit(NamedTuple):
    weights: Mapping[str, float]
    method_weights: Mapping[str, float]


def has_parts(entries: Mapping[str, Any] | None, weights: Mapping[str, float]) -> bool:
    """Whether a summary keeps what recombining needs for every weighted competency."""
    entries = entries or {}
    return all("evidence" in entries.get(c, {}) and "flags" in entries[c] for c in weights)


def stored_parts(competency: str, entry: Mapping[str, Any], figures: Figures) -> dict[str, Part]:
    """A competency's parts from its stored raw scores and ratings, as scoring made them."""
    parts = {}
    for method in METHOD_ORDER:
        raw, ratings = entry["evidence"][method]
        if raw is None:
            parts[method] = Part(competency, method, None, None, None, False, 0, 0, "stored")
        else:
            parts[method] = scoring.make_part(competency, method, raw, ratings, (0, 0), figures)
    return parts


def recombined(row: Any, kit: Kit, figures: Figures, before: Sequence[str] | None, now) -> dict:
    """One summary row's new values from its stored parts: the competencies, the overall,
    the competency flags (the answers' flags stay) and the cells."""
    parts, entries = {}, {}
    for c in kit.weights:
        entry = row.competencies[c]
        parts[c] = stored_parts(c, entry, figures)
        flags = [f for f in entry["flags"] if f in EVIDENCE_FLAGS]
        if scoring.self_gap(parts[c]["self"], parts[c]["interview"])[1]:
            flags.append("self_gap")
        entries[c] = entry_of(parts[c], flags, kit.method_weights, figures)
    overall = scoring.combine_weighted(
        ((w, parts[c].__getitem__) for c, w in kit.weights.items()), kit.method_weights, figures
    )
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
    order = list(kit.weights)
    if before is not None and [row.competencies.get(c) for c in order] == [
        {**entries[c]} for c in order
    ]:  # new weights alone: only the overall's cell changes
        values["cells"] = with_new_overall(row.cells, values, before, order)
    else:
        values["cells"] = render_cells(values, order)
    return values


def _kits(position_ids: set[int]) -> dict[int, Kit]:
    rows = db.session.execute(
        select(Position.id, Position.weights, Position.method_weights).where(
            Position.id.in_(sorted(position_ids))
        )
    )
    return {pid: Kit(dict(w), mw or DEFAULT_METHOD_WEIGHTS) for pid, w, mw in rows}


def _recombine(condition, before: Sequence[str] | None = None) -> tuple[int, list[int]]:
    """(rows recombined, candidates left to recompute from the evidence) for the summary
    rows matching `condition`."""
    session = db.session
    session.flush()
    rows = session.execute(ROWS.where(condition)).all()
    kits = _kits({r.position_id for r in rows})
    scopes = {position_scope(p) for p in kits} | {
        bank_scope(r.assessment_version) for r in rows if r.assessment_version
    }
    found = stored(scopes)
    figures: dict[tuple, Figures] = {}
    now = utcnow()
    changes, stale = [], []
    for row in rows:
        kit = kits[row.position_id]
        if not has_parts(row.competencies, kit.weights):
            stale.append(row.candidate_id)
            continue
        key = (row.position_id, row.assessment_version)
        if key not in figures:
            version = row.assessment_version
            figures[key] = to_figures(
                found.get(position_scope(row.position_id)),
                found.get(bank_scope(version)) if version else None,
            )
        changes.append(recombined(row, kit, figures[key], before, now))
    if changes:
        session.execute(
            UPDATE,
            [{"cid": c["candidate_id"], **{f"new_{k}": c[k] for k in CHANGED}} for c in changes],
        )
    return len(changes), stale


def reweight_position(position: Any, before: Mapping[str, float]) -> int:
    """Every summary of the position after its weights changed from `before` (in the
    caller's write transaction, after position.weights was set); returns how many."""
    weights = dict(position.weights)
    if set(weights) - set(before):  # a competency newly weighed: no stored parts for it
        return refresh_position(position.id)
    done, stale = _recombine(S.position_id == position.id, list(before))
    if stale:
        return refresh_position(position.id)
    drop_unweighted(position.id, weights)
    return done


def recombine_position(position_id: int) -> int:
    """Every summary of a position after its local figures changed."""
    done, stale = _recombine(S.position_id == position_id)
    return done + refresh_summaries(stale)


def recombine_version(version: str) -> int:
    """Every summary whose self-assessment is of this bank version, after its figures
    changed."""
    done, stale = _recombine(S.assessment_version == version)
    return done + refresh_summaries(stale)
