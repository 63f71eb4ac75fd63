"""Scenario keys from subject-matter experts: admins invite expert accounts to key items, each
expert rates every response 1-5 on their own (they see neither the shipped key nor anyone's
ratings), the bank's keys page compares the experts' consensus with the shipped key, and an
admin may adopt the consensus (audited; see adopted.py for how past scores keep their keys)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from assessment.bank.model import Bank

from ..audit import record_audit
from ..database import write_transaction
from ..extensions import db
from ..models import User, utcnow
from .adopted import item_hash, public_item
from .models import KeyingTask

REASON_MAX = 2000


class KeyingError(Exception):
    """A keying step that cannot be taken; `status` is the HTTP answer."""

    status = 422


class KeyingNotFound(KeyingError):
    status = 404


class KeyingLocked(KeyingError):
    status = 409


def expert_accounts() -> list[User]:
    query = db.select(User).where(User.role == "expert", User.active.is_(True)).order_by(User.name)
    return list(db.session.scalars(query))


def invite_experts(
    bank: Bank, item_ids: Collection[str], expert_ids: Collection[int], actor: User
) -> dict[User, int]:
    """A keying task per item and expert not already asked for this wording; returns how many
    new tasks each expert got (experts with none are left out)."""
    items = [bank.scenarios[i] for i in item_ids if i in bank.scenarios]
    if not items:
        raise KeyingError("Tick at least one scenario item.")
    with write_transaction() as session:
        experts = session.scalars(
            db.select(User).where(User.id.in_(list(expert_ids)), User.role == "expert")
        ).all()
        if not experts:
            raise KeyingError("Tick at least one expert.")
        asked = set(session.execute(db.select(KeyingTask.item_hash, KeyingTask.expert_id)).all())
        created: dict[User, int] = {}
        for item in items:
            digest = item_hash(item)
            for expert in experts:
                if (digest, expert.id) not in asked:
                    session.add(
                        KeyingTask(item_id=item.id, item_hash=digest, item=public_item(item),
                                   expert_id=expert.id, invited_by_id=actor.id)
                    )  # fmt: skip
                    created[expert] = created.get(expert, 0) + 1
        record_audit(
            "keying.invite",
            "expert_keying",
            None,
            actor,
            new={"items": [i.id for i in items], "experts": [e.email for e in experts]},
        )
    return created


def my_tasks(expert: User) -> list[KeyingTask]:
    """The expert's own tasks: open ones first, then the ones sent, oldest first."""
    query = (
        db.select(KeyingTask)
        .where(KeyingTask.expert_id == expert.id)
        .order_by(KeyingTask.submitted_at.is_not(None), KeyingTask.invited_at, KeyingTask.id)
    )
    return list(db.session.scalars(query))


def task_of(task_id: int, expert: User) -> KeyingTask:
    """The expert's own task; anyone else's is as unknown as a missing one."""
    task = db.session.get(KeyingTask, task_id)
    if task is None or task.expert_id != expert.id:
        raise KeyingNotFound("There is no such keying task for you.")
    return task


def submit_keying(task_id: int, expert: User, ratings: Mapping[str, int]) -> None:
    """Store the expert's key of every response, once: a sent key is final."""
    with write_transaction() as session:
        task = session.scalar(
            db.select(KeyingTask).where(KeyingTask.id == task_id).with_for_update()
        )
        if task is None or task.expert_id != expert.id:
            raise KeyingNotFound("There is no such keying task for you.")
        if task.submitted_at is not None:
            raise KeyingLocked("You sent your key for this item already; it is final.")
        ids = [r["id"] for r in task.item["responses"]]
        if set(ratings) != set(ids) or any(ratings[r] not in range(1, 6) for r in ids):
            raise KeyingError("Rate every response from 1 to 5.")
        task.ratings = {r: int(ratings[r]) for r in ids}
        task.submitted_at = utcnow()
        record_audit(
            "keying.submit", "expert_keying", task.id, expert,
            new={"item": task.item_id, "ratings": task.ratings},
        )  # fmt: skip
