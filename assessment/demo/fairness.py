"""The demo's evidence for the fairness and validity pages: decisions, the optional
self-identification of candidates who sent their self-assessment, and hired people's outcomes.

No group effect is built in: groups are drawn independently of every score, so an impact
ratio under .80 or a C-level item in the demo is chance, which its tests then show. Outcomes
follow the overall score with noise, so the validity page has something real to find.
"""

from __future__ import annotations

import math
import random
import statistics
from datetime import datetime

from ..comparison.refresh import refresh_summaries
from ..comparison.summary_model import CandidateSummary
from ..extensions import db
from ..fairness.groups import DECLINED
from ..fairness.models import Outcome, SelfIdentification
from ..models import Candidate, Decision, SelfAssessment, User
from ..review.rules import band_text, goes_against

# Shares of each answer among those who answer the question (roughly a US applicant pool).
SHARES = {
    "sex": {"female": 47, "male": 49, "another": 4},
    "race": {"white": 52, "hispanic": 17, "black": 13, "asian": 12, "two": 4, "nhpi": 1, "aian": 1},
    "age": {"under25": 14, "25to39": 50, "40to54": 27, "55plus": 9},
    "disability": {"yes": 9, "no": 91},
}
ANSWER_RATE = 0.85  # of the candidates who sent their self-assessment
ADVANCE, DECLINE = 0.40, 0.50  # shares of each position's scored candidates; the rest held


def add_fairness_evidence(rng: random.Random, now: datetime) -> None:
    """Decisions for candidates without one, self-identification, and outcomes of the hired."""
    hr_id = db.session.scalar(db.select(User.id).where(User.role == "hr").order_by(User.id))
    _self_identification(rng)
    decided = _decisions(rng, hr_id, now)
    refresh_summaries(decided)  # the position list shows the decisions
    _outcomes(rng, hr_id, now)


def _pick(rng: random.Random, shares: dict[str, int]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _self_identification(rng: random.Random) -> None:
    sent = db.session.scalars(
        db.select(SelfAssessment.candidate_id).where(SelfAssessment.status == "submitted")
    )
    for candidate_id in sorted(set(sent)):
        if rng.random() > ANSWER_RATE:
            continue  # never required: some skip the questions altogether
        answers = {}
        for question, shares in SHARES.items():
            roll = rng.random()
            answers[question] = (
                DECLINED if roll < 0.04 else None if roll < 0.07 else _pick(rng, shares)
            )
        db.session.add(SelfIdentification(candidate_id=candidate_id, **answers))


def _decisions(rng: random.Random, hr_id: int, now: datetime) -> list[int]:
    """Advance the best-scored 40 % of each position (by overall, with a person's judgement
    as noise), decline half, hold the rest; candidates without an overall stay undecided."""
    rows = db.session.execute(
        db.select(
            Candidate.id, Candidate.position_id, CandidateSummary.overall, CandidateSummary.label
        )
        .join(CandidateSummary, CandidateSummary.candidate_id == Candidate.id)
        .where(
            CandidateSummary.overall.is_not(None),
            ~Candidate.id.in_(db.select(Decision.candidate_id)),
        )
        .order_by(Candidate.id)
    ).all()
    by_position: dict[int, list] = {}
    for row in rows:
        by_position.setdefault(row.position_id, []).append(row)
    decided = []
    for group in by_position.values():
        ranked = sorted(group, key=lambda r: r.overall + rng.gauss(0, 6), reverse=True)
        cut_advance, cut_decline = round(len(ranked) * ADVANCE), round(len(ranked) * (1 - DECLINE))
        for rank, row in enumerate(ranked):
            decision = (
                "advance" if rank < cut_advance else "hold" if rank < cut_decline else "decline"
            )
            band = band_text(row.label)
            db.session.add(
                Decision(
                    candidate_id=row.id,
                    decided_by_id=hr_id,
                    decision=decision,
                    rationale=RATIONALES[decision],
                    band=band,
                    against_band_reason=AGAINST if goes_against(decision, band) else None,
                    created_at=now,
                )
            )
            decided.append(row.id)
    db.session.flush()
    return decided


RATIONALES = {
    "advance": "Strong, consistent examples across the panel; worth the next step.",
    "hold": "Promising, but we want to see the rest of the shortlist first.",
    "decline": "Others showed clearer evidence on the competencies this role weighs most.",
}
AGAINST = "The panel's notes outweigh the band here; discussed in the debrief."


def _outcomes(rng: random.Random, hr_id: int, now: datetime) -> None:
    """A six-month rating (1-5) and twelve-month retention for most people hired, both
    following the overall score (r about .4) with noise."""
    hired = db.session.execute(
        db.select(Decision.candidate_id, CandidateSummary.overall)
        .join(CandidateSummary, CandidateSummary.candidate_id == Decision.candidate_id)
        .where(Decision.decision == "advance", CandidateSummary.overall.is_not(None))
        .order_by(Decision.candidate_id)
    ).all()
    if len(hired) < 2:
        return
    mean, sd = (
        statistics.fmean(r.overall for r in hired),
        statistics.stdev(r.overall for r in hired) or 1,
    )
    for candidate_id, overall in hired:
        if rng.random() < 0.1:
            continue  # not rated yet
        performance = 0.45 * (overall - mean) / sd + rng.gauss(0, 0.9)
        rating = min(5, max(1, round(3.2 + performance)))
        stays = rng.random() < 1 / (1 + math.exp(-(1.4 + 0.8 * performance)))
        employed = None if rng.random() < 0.15 else stays  # twelve months not reached yet
        db.session.add(
            Outcome(
                candidate_id=candidate_id,
                rating=rating,
                rating_months=6,
                employed_12m=employed,
                recorded_by_id=hr_id,
                recorded_at=now,
            )
        )
