"""Every page of the main journeys, as the people who use them open them.

`visits(live_server)` yields one Visit per page, building what the next pages need as it
goes: the setup and sign-in pages on an empty database, then the demo company (one position
with names revealed, the others blind) and a candidate's self-assessment from invite to
thanks. The accessibility and layout tests (test_every_page.py) walk this list, so a new
page is checked by adding one line here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func

from assessment.auth.services import create_user
from assessment.database import write_transaction
from assessment.demo import DEMO_PASSWORD, load_demo
from assessment.extensions import db
from assessment.fairness.keying import invite_experts
from assessment.fairness.models import KeyingTask
from assessment.models import (
    Answer,
    Candidate,
    Decision,
    Interview,
    Position,
    SelfAssessment,
    User,
    utcnow,
)
from assessment.question_bank import current_bank
from assessment.selfassess.answers import record_consent, submit_assessment
from assessment.selfassess.invites import create_invite, revoke_invite

HR, ADMIN, MANAGER = "hr@demo.example", "admin@demo.example", "maya@demo.example"
EXPERT = "ezra@expert.example"


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    who: str | None = None  # the e-mail to be signed in as; None: signed out
    status: int = 200


def _interview_of(manager: User, status: str) -> int:
    """The id of one of the manager's interviews in that state."""
    return db.session.scalar(
        db.select(func.min(Interview.id)).where(
            Interview.interviewer_id == manager.id, Interview.status == status
        )
    )


def _fully_interviewed(position_id: int, count: int) -> list[int]:
    """Candidates of the position whose panel of two or more has all submitted."""
    done = func.sum(func.cast(Interview.status == "submitted", db.Integer))
    rows = db.session.execute(
        db.select(Candidate.id)
        .join(Interview, Interview.candidate_id == Candidate.id)
        .where(Candidate.position_id == position_id)
        .group_by(Candidate.id)
        .having(func.count(Interview.id) >= 2, done == func.count(Interview.id))
        .order_by(Candidate.id)
        .limit(count)
    )
    return [r[0] for r in rows]


def _uninvited(position_id: int | None = None) -> int:
    """A candidate without an invite: of the position, else of any open position."""
    invited = db.select(SelfAssessment.candidate_id)
    where = [Candidate.id.not_in(invited), Candidate.withdrawn_at.is_(None)]
    if position_id is not None:
        where.append(Candidate.position_id == position_id)
    else:
        where.append(Candidate.position_id.in_(db.select(Position.id).where(~Position.archived)))
    found = db.session.scalar(db.select(func.min(Candidate.id)).where(*where))
    assert found is not None, "the demo has no candidate left to invite"
    return found


def _user_id(email: str) -> int:
    return db.session.scalar(db.select(User.id).where(User.email == email))


def staff_visits() -> Iterator[Visit]:
    """The demo company's pages for HR, an admin and an interviewer, and the error pages."""
    load_demo()
    positions = db.session.scalars(db.select(Position).order_by(Position.id)).all()
    with write_transaction() as session:  # names shown: the longest lines a list can have
        session.get(Position, positions[0].id).blind = False
    p = positions[0].id
    picked = _fully_interviewed(p, 3)
    c = picked[0]
    compare = "&".join(f"c={i}" for i in picked)
    yield from (
        Visit("home (HR)", "/", HR),
        Visit("positions", "/positions", HR),
        Visit("new position", "/positions/new", HR),
        Visit("position setup", f"/positions/{p}/setup", HR),
        Visit("comparison list", f"/positions/{p}", HR),
        Visit("comparison list, sorted", f"/positions/{p}?sort=overall&dir=desc", HR),
        Visit("comparison list, filtered", f"/positions/{p}?sort=c.trust&flag=any", HR),
        Visit("comparison list, blind", f"/positions/{positions[1].id}?sort=overall", HR),
        Visit("side by side", f"/positions/{p}/compare?{compare}", HR),
        Visit("add candidates", f"/positions/{p}/candidates", HR),
        Visit("reveal names", f"/positions/{positions[1].id}/reveal", HR),
        Visit("exports", f"/positions/{p}/exports", HR),
        Visit("candidate", f"/candidates/{c}", HR),
        Visit("scorecard", f"/candidates/{c}/scorecard", HR),
        Visit("debrief", f"/candidates/{c}/debrief", HR),
        Visit("panel", f"/candidates/{c}/panel", HR),
        Visit("invite", f"/candidates/{_uninvited(p)}/invite", HR),
        Visit("calibration", "/calibration", HR),
        Visit("position calibration", f"/positions/{p}/calibration", HR),
        Visit("bank quality", "/bank/quality", HR),
        Visit("settings", "/account", HR),
        Visit("change password", "/account/password", HR),
        Visit("all candidates", "/candidates", HR),
        Visit("all candidates, searched", "/candidates?q=a", HR),
        Visit("edit candidate", f"/candidates/{c}/edit", HR),
        Visit("candidate's data", f"/candidates/{c}/data", HR),
        Visit("position settings", f"/positions/{p}/settings", HR),
        Visit("404", "/no-such-page", HR, 404),
        Visit("fairness report", "/fairness", HR),
        Visit("validity", "/validity", HR),
        Visit("outcomes", "/validity/outcomes", HR),
        Visit("an outcome", f"/candidates/{_advanced()}/outcome", HR),
        Visit("accounts", "/admin/users", ADMIN),
        Visit("audit log", "/admin/audit", ADMIN),
        Visit("account", f"/admin/users/{_user_id(MANAGER)}", ADMIN),
        Visit("API tokens", "/admin/api-tokens", ADMIN),
        Visit("webhooks", "/admin/webhooks", ADMIN),
    )
    yield from expert_visits()
    maya = db.session.scalar(db.select(User).where(User.email == MANAGER))
    yield from (
        Visit("my interviews", "/interviews", MANAGER),
        Visit("interview", f"/interviews/{_interview_of(maya, 'in_progress')}", MANAGER),
        Visit("submitted interview", f"/interviews/{_interview_of(maya, 'submitted')}", MANAGER),
        Visit("403", "/positions", MANAGER, 403),
    )


def _advanced() -> int:
    """A candidate the demo advanced (hired), whose outcome HR may record."""
    advanced = db.select(Decision.candidate_id).where(Decision.decision == "advance")
    return db.session.scalar(advanced.order_by(Decision.candidate_id).limit(1))


def expert_visits() -> Iterator[Visit]:
    """Scenario keys: the admin's overview of an item, and an expert keying it."""
    bank = current_bank()
    scenario = next(iter(bank.scenarios))
    admin = db.session.scalar(db.select(User).where(User.email == ADMIN))
    expert = create_user(EXPERT, "Ezra Expert", "expert", DEMO_PASSWORD, admin)
    invite_experts(bank, [scenario], [expert.id], admin)
    task = db.session.scalar(db.select(KeyingTask.id).where(KeyingTask.expert_id == expert.id))
    yield from (
        Visit("scenario keys", "/bank/keys", ADMIN),
        Visit("an item's keys", f"/bank/keys/{scenario}", ADMIN),
        Visit("items to key", "/keying", EXPERT),
        Visit("keying an item", f"/keying/{task}", EXPERT),
    )


def candidate_visits() -> Iterator[Visit]:
    """A candidate's self-assessment, every kind of page: welcome, a scenario, a statement,
    the review, thanks, and the pages of a link that does not work."""
    hr = db.session.scalar(db.select(User).where(User.email == HR))
    assessment, token = create_invite(_uninvited(), hr)
    items = assessment.items
    yield Visit("self-assessment welcome", f"/a/{token}")
    record_consent(assessment.id)
    yield Visit("self-assessment welcome back", f"/a/{token}")
    for kind in ("scenario", "statement"):
        number = next(n for n, i in enumerate(items, 1) if i["type"] == kind)
        yield Visit(f"self-assessment {kind}", f"/a/{token}/item/{number}")
    yield Visit("self-assessment review", f"/a/{token}/review")
    yield Visit("self-assessment, stop and withdraw", f"/a/{token}/withdraw")
    yield Visit("self-assessment, no such item", f"/a/{token}/item/999", status=404)
    yield Visit("self-assessment, unknown link", "/a/not-a-real-link", status=404)
    stopped_assessment, stopped = create_invite(_uninvited(), hr)
    revoke_invite(stopped_assessment.id, hr)
    yield Visit("self-assessment, revoked link (410)", f"/a/{stopped}", status=410)
    _, late = create_invite(_uninvited(), hr, now=utcnow() - timedelta(days=30))
    yield Visit("self-assessment, expired link (410)", f"/a/{late}", status=410)
    _answer_all(assessment)
    submit_assessment(assessment.id)
    yield Visit("self-assessment thanks (410 once sent)", f"/a/{token}", status=410)
    yield Visit("about you (optional, once sent)", f"/a/{token}/about-you")


def _answer_all(assessment: SelfAssessment) -> None:
    with write_transaction() as session:
        for item in assessment.items:
            if item["type"] == "scenario":
                ids = [r["id"] for r in item["responses"]]
                values = {"most": ids[0], "least": ids[1]}
            else:
                values = {"value": 3}
            session.add(Answer(assessment_id=assessment.id, item_id=item["id"], **values))


def visits() -> Iterator[Visit]:
    """Every page, in an order that builds what each needs (see the module's docstring)."""
    yield Visit("setup (first run)", "/setup")
    with write_transaction() as session:  # past the first run: the sign-in page shows
        session.add(User(email="first@example.com", name="First", role="admin", password_hash="-"))
    yield Visit("sign in", "/login")
    yield from staff_visits()
    yield from candidate_visits()


__all__ = ["DEMO_PASSWORD", "Visit", "visits"]
