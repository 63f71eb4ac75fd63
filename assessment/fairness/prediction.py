"""Predictive validity (/validity): how each part of the assessment, and the overall, relates
to hired people's outcomes, raw and corrected for range restriction, once MIN_OUTCOMES hired
people have one; and weights suggested from the data, shown beside the positions' own and
never applied."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessment.bank.model import DEFAULT_METHOD_WEIGHTS, METHODS
from assessment.comparison.summary_model import CandidateSummary
from assessment.extensions import db
from assessment.models import Candidate, Decision, Position
from assessment.question_bank import current_bank
from assessment.scoring.stats import validity as stats

from .models import Outcome
from .outcomes import latest_decisions
from .people import ALL, part_keys, parts_from_summary

OUTCOMES = (("rating", "Performance rating (1–5)"), ("employed", "Still employed at 12 months"))


@dataclass(frozen=True)
class Hire:
    """One candidate as the validity page reads them; outcomes only for the hired."""

    position_id: int
    hired: bool
    scores: Mapping[str, float]  # part keys, competency ids, "method:<m>", "overall"
    outcomes: Mapping[str, float]  # "rating" 1-5, "employed" 1 or 0


@dataclass(frozen=True)
class OutcomeValidity:
    key: str
    title: str
    n: int  # hired people in scope with this outcome
    rows: tuple[tuple[str, stats.Validity | None], ...]  # None: too few with that score

    @property
    def enough(self) -> bool:
        return self.n >= stats.MIN_OUTCOMES

    @property
    def missing(self) -> int:
        return max(0, stats.MIN_OUTCOMES - self.n)


@dataclass(frozen=True)
class WeightLine:
    key: str  # a competency id or a method
    validity: stats.Validity | None
    suggested: float | None  # share of the total, 0-1
    current: tuple[float | None, ...]  # each shown position's share, in `weight_positions` order


@dataclass(frozen=True)
class ValidityReport:
    scope: tuple[int, str] | None
    positions: tuple[tuple[int, str], ...]
    hired: int
    outcomes: tuple[OutcomeValidity, ...]
    competency_weights: tuple[WeightLine, ...]
    method_weights: tuple[WeightLine, ...]
    weight_positions: tuple[tuple[int, str], ...]
    competency_names: dict[str, str]


class PositionNotFound(LookupError):
    pass


def _share(weights: Mapping[str, float], key: str) -> float | None:
    total = sum(weights.values())
    return weights.get(key, 0.0) / total if total else None


def _composites(parts: dict[str, float], competencies: Mapping, weights: Mapping[str, float]):
    """Each competency's combined score and each method's score over the competencies
    (weighted by the position's competency weights), beside the parts themselves."""
    scores = dict(parts)
    for competency, entry in (competencies or {}).items():
        if entry.get("score") is not None:
            scores[competency] = float(entry["score"])
    for method in METHODS:
        pairs = [
            (w, parts[f"{c}:{method}"]) for c, w in weights.items() if f"{c}:{method}" in parts
        ]
        total = sum(w for w, _ in pairs)
        if total > 0:
            scores[f"method:{method}"] = sum(w * x for w, x in pairs) / total
    return scores


def load_hires(weights: Mapping[int, Mapping[str, float]]) -> list[Hire]:
    latest = latest_decisions()
    rows = db.session.execute(
        db.select(
            Candidate.position_id,
            Decision.decision,
            CandidateSummary.overall,
            CandidateSummary.competencies,
            Outcome.rating,
            Outcome.employed_12m,
        )
        .outerjoin(latest, latest.c.candidate_id == Candidate.id)
        .outerjoin(Decision, Decision.id == latest.c.id)
        .outerjoin(CandidateSummary, CandidateSummary.candidate_id == Candidate.id)
        .outerjoin(Outcome, Outcome.candidate_id == Candidate.id)
    )
    hires = []
    for position_id, decision, overall, competencies, rating, employed in rows:
        hired = decision == "advance"
        outcomes = {}
        if hired and rating is not None:
            outcomes["rating"] = float(rating)
        if hired and employed is not None:
            outcomes["employed"] = 1.0 if employed else 0.0
        parts = parts_from_summary(overall, competencies)
        scores = _composites(parts, competencies, weights.get(position_id, {}))
        hires.append(Hire(position_id, hired, scores, outcomes))
    return hires


def _validity(people: Sequence[Hire], key: str, outcome: str) -> stats.Validity | None:
    pairs = [
        (p.scores[key], p.outcomes[outcome])
        for p in people
        if key in p.scores and outcome in p.outcomes
    ]
    if len(pairs) < stats.MIN_OUTCOMES:
        return None
    applicants = [p.scores[key] for p in people if key in p.scores]
    return stats.validity([x for x, _ in pairs], [y for _, y in pairs], applicants)


def _best(v: stats.Validity | None) -> float | None:
    """The corrected r where the correction is defined, else the raw r."""
    if v is None:
        return None
    return v.corrected.value if v.corrected.defined else v.r.value


def _weight_lines(
    people: Sequence[Hire], keys: Sequence[str], score_key, currents: Sequence[Mapping[str, float]]
) -> tuple[WeightLine, ...]:
    """Validity weights from the performance rating, beside each position's current shares."""
    validities = {key: _validity(people, score_key(key), "rating") for key in keys}
    suggested = stats.validity_weights({k: _best(v) for k, v in validities.items()})
    return tuple(
        WeightLine(
            key,
            validities[key],
            suggested.get(key) if suggested else None,
            tuple(_share(weights, key) for weights in currents),
        )
        for key in keys
    )


def _positions():
    """Each position's id, title and weights (not its question snapshots: never read here)."""
    columns = (Position.id, Position.title, Position.weights, Position.method_weights)
    return db.session.execute(db.select(*columns).order_by(Position.title, Position.id)).all()


def validity_report(position_id: int | None = None) -> ValidityReport:
    """The validity page of one position, or of all positions together (None)."""
    positions = _positions()
    chosen = next((p for p in positions if p.id == position_id), None)
    if position_id is not None and chosen is None:
        raise PositionNotFound(position_id)
    weights = {p.id: dict(p.weights or {}) for p in positions}
    scope = ALL if chosen is None else chosen.id
    people = [h for h in load_hires(weights) if scope == ALL or h.position_id == scope]
    bank = current_bank()
    scored = {k for p in people for k in p.scores}
    competencies = bank.in_order(
        {k.split(":")[0] for k in scored if ":" in k and not k.startswith("method:")}
    )
    parts = [k for k in part_keys(competencies) if k in scored]
    outcomes = tuple(
        OutcomeValidity(
            key,
            title,
            sum(1 for p in people if key in p.outcomes),
            tuple((part, _validity(people, part, key)) for part in parts),
        )
        for key, title in OUTCOMES
    )
    shown = [chosen] if chosen else positions
    methods = [{**DEFAULT_METHOD_WEIGHTS, **(p.method_weights or {})} for p in shown]
    return ValidityReport(
        scope=(chosen.id, chosen.title) if chosen else None,
        positions=tuple((p.id, p.title) for p in positions),
        hired=sum(1 for p in people if p.hired),
        outcomes=outcomes,
        competency_weights=_weight_lines(people, competencies, str, [weights[p.id] for p in shown]),
        method_weights=_weight_lines(people, METHODS, "method:{}".format, methods),
        weight_positions=tuple((p.id, p.title) for p in shown),
        competency_names=bank.competency_names,
    )
