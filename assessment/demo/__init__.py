"""A believable demo company, generated from a fixed seed: `flask --app app demo`."""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..auth.passwords import hash_password
from ..bank.model import Bank, ScenarioItem
from ..comparison.refresh import fill_missing
from ..database import write_transaction
from ..extensions import db
from ..models import Answer, Candidate, Interview, Position, Rating, SelfAssessment, User, utcnow
from ..question_bank import current_bank
from .fairness import add_fairness_evidence
from .text import FIRST_NAMES, LAST_NAMES, note_for

DEMO_PASSWORD = "demo-password-2026"
STAFF = (  # email, name, role, leniency on the 1-5 scale (calibration has something to find)
    ("admin@demo.example", "Avery Admin", "admin", 0.0),
    ("hr@demo.example", "Hana Lindqvist", "hr", 0.0),
    ("maya@demo.example", "Maya Okafor", "manager", 0.1),
    ("tom@demo.example", "Tom Brennan", "manager", 0.6),
    ("priya@demo.example", "Priya Raman", "manager", -0.1),
    ("jonas@demo.example", "Jonas Weber", "manager", -0.6),
    ("lucia@demo.example", "Lucía Torres", "manager", 0.2),
)
CANDIDATES_PER_POSITION = (14, 13, 13)


class DemoError(Exception):
    """The demo cannot be loaded (e.g. the database already holds positions)."""


@dataclass(frozen=True)
class Person:
    """A demo candidate's hidden truth, from which every answer is generated."""

    level: dict[str, float]  # true standing per competency, 1-5
    inflation: float  # how much higher they describe themselves
    careless: bool


def load_demo(seed: int = 2026) -> list[tuple[str, str, str]]:
    """Fill an empty database with the demo company; returns (email, role, password) logins."""
    bank = current_bank()
    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    with write_transaction() as session:
        if session.scalar(db.select(Position.id).limit(1)) is not None:
            raise DemoError(
                "The database already has positions: the demo loads only into an "
                "empty one. Point DATABASE_URL at a new database to try it."
            )
        taken = set(session.scalars(db.select(User.email)))
        clash = sorted(taken & {email for email, *_ in STAFF})
        if clash:
            raise DemoError(f"Demo accounts already exist: {', '.join(clash)}.")
        password_hash = hash_password(DEMO_PASSWORD)
        staff = [User(email=e, name=n, role=r, password_hash=password_hash) for e, n, r, _ in STAFF]
        session.add_all(staff)
        session.flush()
        leniency = {u.id: STAFF[i][3] for i, u in enumerate(staff)}
        managers = [u for u in staff if u.role == "manager"]
        names = _unique_names(rng, sum(CANDIDATES_PER_POSITION))
        for kit, count in zip(bank.kits.values(), CANDIDATES_PER_POSITION, strict=False):
            position = _position(bank, kit.id, staff[1].id, now - timedelta(days=30))
            session.add(position)
            session.flush()
            for _ in range(count):
                name = names.pop()
                _candidate(session, rng, bank, position, name, managers, leniency, now)
        fill_missing()  # every demo candidate's summary row, for the comparison list
        add_fairness_evidence(rng, now)  # decisions, self-identification, outcomes (fairness.py)
    return [(email, role, DEMO_PASSWORD) for email, _, role, _ in STAFF]


def _unique_names(rng: random.Random, count: int) -> list[str]:
    pairs = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
    return [f"{f} {last}" for f, last in rng.sample(pairs, count)]


def _position(bank: Bank, kit_id: str, hr_id: int, created: datetime) -> Position:
    kit = bank.kits[kit_id]
    return Position(
        title=kit.title,
        kit_id=kit.id,
        bank_version=bank.version,
        weights=dict(kit.weights),
        method_weights=dict(kit.method_weights),
        questions=[bank.questions[q].snapshot() for q in kit.questions],
        created_at=created,
        created_by_id=hr_id,
    )


def _candidate(session, rng, bank, position, name, managers, leniency, now) -> None:
    base = rng.gauss(3.2, 0.55)
    person = Person(
        level={c: rng.gauss(base, 0.45) for c in bank.competencies},
        inflation=abs(rng.gauss(0.45, 0.35)),
        careless=rng.random() < 0.08,
    )
    email = name.lower().replace(" ", ".").replace("í", "i").replace("é", "e") + "@mail.example"
    candidate = Candidate(
        position_id=position.id,
        name=name,
        email=email,
        created_at=now - timedelta(days=rng.randint(8, 28)),
    )
    session.add(candidate)
    session.flush()
    panel_size = rng.choices([0, 1, 2, 3], weights=[2, 3, 10, 10])[0]
    for i, interviewer in enumerate(rng.sample(managers, panel_size)):
        _interview(
            session,
            rng,
            candidate,
            position,
            interviewer,
            leniency[interviewer.id],
            person,
            now - timedelta(days=rng.randint(1, 7), hours=i),
        )
    if rng.random() < 0.8:
        _self_assessment(session, rng, bank, candidate, person, now)


def _interview(session, rng, candidate, position, interviewer, lenient, person, when) -> None:
    state = rng.choices(["submitted", "in_progress", "not_started"], weights=[82, 10, 8])[0]
    interview = Interview(
        candidate_id=candidate.id,
        interviewer_id=interviewer.id,
        status=state,
        bank_version=position.bank_version,
        items=position.questions,
        scheduled_for=when,
        started_at=when if state != "not_started" else None,
        submitted_at=when + timedelta(minutes=rng.randint(50, 90))
        if state == "submitted"
        else None,
    )
    session.add(interview)
    session.flush()
    questions = position.questions
    if state == "not_started":
        return
    if state == "in_progress":
        questions = questions[: rng.randint(2, len(questions) - 2)]
    for question in questions:
        if rng.random() < 0.06:
            session.add(
                Rating(
                    interview_id=interview.id,
                    question_id=question["id"],
                    not_covered=True,
                    notes="Ran out of time before this one.",
                    updated_at=when,
                )
            )
            continue
        true = person.level[question["competency"]] + lenient + rng.gauss(0, 0.55)
        value = min(5, max(1, round(true)))
        session.add(
            Rating(
                interview_id=interview.id,
                question_id=question["id"],
                value=value,
                notes=note_for(rng, question, value),
                updated_at=when,
            )
        )


def _self_assessment(session, rng, bank, candidate, person, now) -> None:
    items = [*bank.scenarios.values(), *bank.statements.values(), *bank.validity.values()]
    order_seed = rng.randrange(2**31)
    shown = items[:]
    random.Random(order_seed).shuffle(shown)
    started = now - timedelta(days=rng.randint(1, 6))
    state = rng.choices(["submitted", "in_progress", "invited"], weights=[80, 12, 8])[0]
    token_hash = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()
    assessment = SelfAssessment(
        candidate_id=candidate.id,
        status=state,
        bank_version=bank.version,
        items=[item.snapshot() for item in shown],
        seed=order_seed,
        token_hash=token_hash,
        expires_at=started + timedelta(days=14),
        consented_at=started if state != "invited" else None,
        submitted_at=started + timedelta(minutes=25) if state == "submitted" else None,
        created_at=started - timedelta(days=1),
    )
    session.add(assessment)
    session.flush()
    if state == "invited":
        return
    answered = shown if state == "submitted" else shown[: len(shown) // 2]
    run_value = rng.randint(3, 4)
    for position, item in enumerate(answered):
        ms = (
            int(rng.uniform(700, 1600))
            if person.careless
            else int(max(2100, rng.gauss(7000, 2500)))
        )
        answer = Answer(
            assessment_id=assessment.id,
            item_id=item.id,
            position=position,
            ms_to_first_answer=ms,
            ms_total=ms + rng.randint(200, 4000),
            answered_at=started,
            updated_at=started,
        )
        if isinstance(item, ScenarioItem):
            answer.most, answer.least = _picks(rng, item, person.level[item.competency])
        elif person.careless:
            answer.value = run_value
        elif hasattr(item, "reverse"):
            agree = person.level[item.competency] + person.inflation + rng.gauss(0, 0.6)
            agree = min(5, max(1, round(agree)))
            answer.value = 6 - agree if item.reverse else agree
        else:  # a validity item: honest people mostly disagree
            answer.value = rng.choices([1, 2, 3, 4], weights=[60, 30, 8, 2])[0]
        session.add(answer)


def _picks(rng: random.Random, item: ScenarioItem, level: float) -> tuple[str, str]:
    """Better candidates more often spot the best and the worst response."""
    by_key = sorted(item.responses, key=lambda r: r.key)
    skill = min(0.95, max(0.2, (level - 1) / 4))
    most = by_key[-1] if rng.random() < skill else rng.choice(by_key[:-1])
    rest = [r for r in by_key if r.id != most.id]
    least = rest[0] if rng.random() < skill else rng.choice(rest)
    return most.id, least.id
