"""A believable demo company, generated from a fixed seed: `flask --app app demo`.

Two sizes. "small" (40 candidates) is quick to read through. "large" (150 candidates, 120
submitted self-assessments, 36 candidates of one position interviewed by the same panel
of three) has enough evidence for every statistics page to show real figures (SCIENCE
§7's minimums: 30 candidates for an ICC, 100 respondents for α) and for the bands to use
the company's own figures instead of the defaults (docs/scoring.md §5).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..auth.passwords import hash_password
from ..bank.model import Bank, ScenarioItem
from ..candidates.search_index import index_candidates
from ..comparison.figures_refresh import compute_all_figures
from ..comparison.refresh import fill_missing
from ..database import write_transaction
from ..extensions import db
from ..models import Answer, Candidate, Interview, Position, Rating, SelfAssessment, User, utcnow
from ..question_bank import current_bank
from .fairness import add_fairness_evidence
from .text import FIRST_NAMES, LAST_NAMES, key_evidence_for, note_for

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
SIZES = {"small": (14, 13, 13), "large": (60, 45, 45)}  # candidates per position
SHARED_PANEL = 36  # large: candidates of the first position all interviewed by one panel
# large: the self-assessments, exactly (120 submitted of 150, for α's 100 respondents)
LARGE_SELF = {"submitted": 120, "in_progress": 12, "invited": 8, None: 10}
HALO = 0.3  # SD of an interviewer's general impression of a candidate, on 1–5


class DemoError(Exception):
    """The demo cannot be loaded (e.g. the database already holds positions)."""


@dataclass(frozen=True)
class Person:
    """A demo candidate's hidden truth, from which every answer is generated."""

    level: dict[str, float]  # true standing per competency, 1-5
    inflation: float  # how much higher they describe themselves
    careless: bool


@dataclass(frozen=True)
class Plan:
    """What one demo candidate gets, when the size decides it rather than chance."""

    shared_panel: bool = False  # the large demo's panel of three, all submitted; else random
    self_state: str | None = "random"  # "random", a status, or None for no self-assessment


def _plans(rng: random.Random, size: str, counts: tuple[int, ...]) -> list[list[Plan]]:
    """Per position, per candidate: the large demo's shared panel and exact self-assessments."""
    if size != "large":
        return [[Plan()] * n for n in counts]
    states = [state for state, n in LARGE_SELF.items() for _ in range(n)]
    rng.shuffle(states)
    plans, at = [], 0
    for position, n in enumerate(counts):
        plans.append([Plan(position == 0 and i < SHARED_PANEL, states[at + i]) for i in range(n)])
        at += n
    return plans


def load_demo(seed: int = 2026, size: str = "small") -> list[tuple[str, str, str]]:
    """Fill an empty database with the demo company; returns (email, role, password) logins."""
    if size not in SIZES:
        raise DemoError(f"No demo of size {size!r}: choose {' or '.join(SIZES)}.")
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
        counts = SIZES[size]
        names = _unique_names(rng, sum(counts))
        plans = _plans(rng, size, counts)
        for kit, mine in zip(bank.kits.values(), plans, strict=False):
            position = _position(bank, kit.id, staff[1].id, now - timedelta(days=30))
            session.add(position)
            session.flush()
            for plan in mine:
                name = names.pop()
                _candidate(session, rng, bank, position, name, (managers, leniency), now, plan)
        compute_all_figures()  # the company's own figures, where there is enough evidence
        fill_missing()  # every demo candidate's summary row, for the comparison list
        add_fairness_evidence(rng, now)  # decisions, self-identification, outcomes (fairness.py)
        index_candidates(session.scalars(db.select(Candidate.id)))  # search and name order
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


def _candidate(session, rng, bank, position, name, staff, now, plan: Plan) -> None:
    managers, leniency = staff
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
    if plan.shared_panel:
        panel, state = managers[:3], "submitted"
    else:
        panel_size = rng.choices([0, 1, 2, 3], weights=[2, 3, 10, 10])[0]
        panel, state = rng.sample(managers, panel_size), None
    for i, interviewer in enumerate(panel):
        _interview(
            session,
            rng,
            (candidate, position, person),
            interviewer,
            leniency[interviewer.id],
            now - timedelta(days=rng.randint(1, 7), hours=i),
            state,
        )
    self_state = plan.self_state
    if self_state == "random":
        self_state = "random" if rng.random() < 0.8 else None
    if self_state is not None:
        _self_assessment(session, rng, bank, candidate, person, now, self_state)


def _interview(session, rng, who, interviewer, lenient, when, state=None) -> None:
    candidate, position, person = who
    if state is None:
        state = rng.choices(["submitted", "in_progress", "not_started"], weights=[82, 10, 8])[0]
    impression = rng.gauss(0, HALO)  # shared by every rating this interviewer gives them
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
    values = [_rate(session, rng, interview, question, person, (lenient, impression), when)
              for question in questions]  # fmt: skip
    if state == "submitted":
        # A random stream of its own, so the ratings and everything after stay as they were.
        own = random.Random(f"recommendation {candidate.id} {interviewer.id}")
        interview.recommendation = _recommendation(own, values)
        interview.key_evidence = key_evidence_for(own, interview.recommendation)


def _recommendation(rng: random.Random, values: list[int | None]) -> str:
    """The interviewer's overall call: mostly follows their own ratings, now and then not
    (so the debrief has a recommendation that disagrees with its ratings to point out)."""
    rated = [v for v in values if v is not None]
    mean = (sum(rated) / len(rated) if rated else 3.0) + rng.gauss(0, 0.35)
    if rng.random() < 0.05:
        mean = 6 - mean  # a holistic call against the interviewer's own ratings
    for key, below in (("strong_no", 2.2), ("no", 3.0), ("yes", 3.8)):
        if mean < below:
            return key
    return "strong_yes"


def _rate(session, rng, interview, question, person, bias: tuple[float, float], when):
    """One rating of one question (now and then "not covered"); returns its value."""
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
        return None
    lenient, impression = bias
    true = person.level[question["competency"]] + lenient + impression + rng.gauss(0, 0.55)
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
    return value


def _self_assessment(session, rng, bank, candidate, person, now, state="random") -> None:
    items = [*bank.scenarios.values(), *bank.statements.values(), *bank.validity.values()]
    order_seed = rng.randrange(2**31)
    shown = items[:]
    random.Random(order_seed).shuffle(shown)
    started = now - timedelta(days=rng.randint(1, 6))
    if state == "random":
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
