"""Builders for the fairness and validity tests: many candidates at once, each with a
decision, self-identification, a summary row and an outcome as asked (bulk inserts)."""

from __future__ import annotations

from itertools import count

from assessment.comparison.summary_model import CandidateSummary
from assessment.database import write_transaction
from assessment.fairness.models import Outcome, SelfIdentification
from assessment.models import Candidate, Decision, User

_serial = count(1)


def add_people(position, hr: User, specs) -> list[int]:
    """One candidate per spec: a dict with any of `groups` (dimension → code), `decision`,
    `overall` and `parts` ({"lead:interview": 60, …}) for the summary row, `rating` and
    `employed` for an outcome. Returns the candidate ids in order."""
    ids = []
    with write_transaction() as session:
        for spec in specs:
            n = next(_serial)
            candidate = Candidate(
                position_id=position.id, name=f"Person {n}", email=f"p{n}@example.net"
            )
            session.add(candidate)
            session.flush()
            ids.append(candidate.id)
            if spec.get("groups"):
                session.add(SelfIdentification(candidate_id=candidate.id, **spec["groups"]))
            if spec.get("decision"):
                session.add(
                    Decision(candidate_id=candidate.id, decided_by_id=hr.id,
                             decision=spec["decision"], rationale="test")
                )  # fmt: skip
            if "overall" in spec or "parts" in spec:
                competencies = {}
                for key, score in (spec.get("parts") or {}).items():
                    competency, method = key.split(":")
                    entry = competencies.setdefault(competency, {"parts": {}})
                    entry["parts"][method] = [score, 5.0, True]
                session.add(
                    CandidateSummary(candidate_id=candidate.id, position_id=position.id,
                                     overall=spec.get("overall"), competencies=competencies)
                )  # fmt: skip
            if "rating" in spec or "employed" in spec:
                session.add(
                    Outcome(candidate_id=candidate.id, rating=spec.get("rating"),
                            rating_months=6 if spec.get("rating") else None,
                            employed_12m=spec.get("employed"))
                )  # fmt: skip
    return ids


def group(sex=None, race=None, age=None, disability=None) -> dict:
    return {"sex": sex, "race": race, "age": age, "disability": disability}


def selected(n_advanced: int, n_total: int, groups: dict, **extra) -> list[dict]:
    """n_total people of these groups, the first n_advanced advanced, the rest declined."""
    return [
        {"groups": groups, "decision": "advance" if i < n_advanced else "decline", **extra}
        for i in range(n_total)
    ]
