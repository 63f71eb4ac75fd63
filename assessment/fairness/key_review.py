"""The bank's keys page: per scenario item, the experts' keys beside the shipped one, their
agreement (ICC) and consensus; and adopting a consensus key (admins, audited)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.bank.model import Bank, ScenarioItem

from ..audit import record_audit
from ..database import write_transaction
from ..extensions import db
from ..models import User
from . import consensus
from .adopted import current_adoptions, item_hash, version_with
from .keying import REASON_MAX, KeyingError, KeyingNotFound
from .models import AdoptedKey, KeyingTask


@dataclass(frozen=True)
class ResponseKeys:
    id: str
    text: str
    shipped: int  # the key in questions/
    current: int  # the key new self-assessments get (an adopted one, or the shipped one)
    ratings: tuple[int, ...]  # each expert's, in the order of ItemKeys.experts
    mean: float | None
    sd: float | None
    consensus: int | None  # None: fewer than MIN_EXPERTS keys

    @property
    def differs(self) -> bool:
        return self.consensus is not None and self.consensus != self.shipped


@dataclass(frozen=True)
class ItemKeys:
    item: ScenarioItem  # as shipped
    experts: tuple[str, ...]  # who sent a key for this wording, in the order they sent
    pending: tuple[str, ...]  # invited, not sent yet
    responses: tuple[ResponseKeys, ...]
    agreement: consensus.Agreement | None
    consensus: dict[str, int] | None
    problem: str | None  # why the consensus could not become the key
    adopted: AdoptedKey | None  # in force for new self-assessments
    history: tuple[AdoptedKey, ...]

    @property
    def enough(self) -> bool:
        return len(self.experts) >= consensus.MIN_EXPERTS

    @property
    def differs(self) -> int:
        return sum(1 for r in self.responses if r.differs)

    @property
    def adoptable(self) -> bool:
        current = {r.id: r.current for r in self.responses}
        return self.enough and self.problem is None and self.consensus != current


def _review(item: ScenarioItem, tasks, adopted: AdoptedKey | None, history) -> ItemKeys:
    sent = [(name, t.ratings) for t, name in tasks if t.submitted_at is not None]
    pending = tuple(name for t, name in tasks if t.submitted_at is None)
    keyings = [ratings for _, ratings in sent]
    ids = [r.id for r in item.responses]
    agreed = (
        consensus.consensus_keys(keyings, ids) if len(keyings) >= consensus.MIN_EXPERTS else None
    )
    current = adopted.keys if adopted else item.keys
    responses = []
    for r in item.responses:
        mean, sd = consensus.spread(keyings, r.id) if keyings else (None, None)
        ratings = tuple(k[r.id] for k in keyings)
        agreed_key = agreed[r.id] if agreed else None
        responses.append(
            ResponseKeys(r.id, r.text, r.key, current[r.id], ratings, mean, sd, agreed_key)
        )
    return ItemKeys(
        item=item,
        experts=tuple(name for name, _ in sent),
        pending=pending,
        responses=tuple(responses),
        agreement=consensus.agreement(keyings, ids) if len(keyings) >= 2 else None,
        consensus=agreed,
        problem=consensus.key_problem(agreed) if agreed else None,
        adopted=adopted,
        history=tuple(history),
    )


def review_keys(bank: Bank, item_id: str | None = None) -> list[ItemKeys]:
    """Every scenario item of the bank (or one), in bank order, in three queries."""
    items = [bank.scenarios[item_id]] if item_id else list(bank.scenarios.values())
    hashes = {item.id: item_hash(item) for item in items}
    rows = db.session.execute(
        db.select(KeyingTask, User.name)
        .join(User, User.id == KeyingTask.expert_id)
        .where(KeyingTask.item_id.in_(list(hashes)))
        .order_by(KeyingTask.submitted_at, KeyingTask.id)
    ).all()
    adoptions = current_adoptions(bank)
    history = db.session.scalars(
        db.select(AdoptedKey)
        .where(AdoptedKey.item_id.in_(list(hashes)))
        .order_by(AdoptedKey.id.desc())
    ).all()
    return [
        _review(
            item,
            [
                (t, name)
                for t, name in rows
                if t.item_id == item.id and t.item_hash == hashes[item.id]
            ],
            adoptions.get(item.id),
            [a for a in history if a.item_id == item.id],
        )
        for item in items
    ]


def item_review(bank: Bank, item_id: str) -> ItemKeys:
    if item_id not in bank.scenarios:
        raise KeyingNotFound("There is no such scenario item in the bank.")
    return review_keys(bank, item_id)[0]


def adopt_consensus(bank: Bank, item_id: str, actor: User, reason: str | None) -> AdoptedKey:
    """Make the experts' consensus the key of new self-assessments; the bank version moves on."""
    reason = (reason or "").strip() or None
    if reason and len(reason) > REASON_MAX:
        raise KeyingError(f"The reason is too long: at most {REASON_MAX} characters.")
    with write_transaction() as session:
        review = item_review(bank, item_id)
        if not review.enough:
            raise KeyingError(f"A consensus needs {consensus.MIN_EXPERTS} experts' keys; "
                              f"{len(review.experts)} sent so far.")  # fmt: skip
        if review.problem:
            raise KeyingError(f"The consensus cannot be a key: {review.problem}.")
        if not review.adoptable:
            raise KeyingError("The consensus is already the key in use.")
        previous = {r.id: r.current for r in review.responses}
        old_version = version_with(bank, review.adopted.id) if review.adopted else bank.version
        row = AdoptedKey(
            item_id=item_id, item_hash=item_hash(review.item), keys=review.consensus,
            previous=previous, experts=len(review.experts), bank_version="", adopted_by_id=actor.id,
            reason=reason,
        )  # fmt: skip
        session.add(row)
        session.flush()
        row.bank_version = version_with(bank, row.id)
        icc = review.agreement.mean.value if review.agreement else None
        record_audit(
            "keying.adopt", "adopted_key", row.id, actor,
            old={"item": item_id, "keys": previous, "bank_version": old_version},
            new={"item": item_id, "keys": review.consensus, "bank_version": row.bank_version,
                 "experts": len(review.experts), "icc_2k": icc},
            reason=reason,
        )  # fmt: skip
    return row
