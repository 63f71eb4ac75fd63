"""Events into deliveries: written in the same transaction as the fact (an outbox), sent
once it commits, so a rolled-back submission never announces itself."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from sqlalchemy import event

from ..extensions import db
from ..models import utcnow
from .models import EVENTS, Webhook, WebhookDelivery

PENDING = "webhook_deliveries"  # session.info key: deliveries to send after the commit


def emit_event(name: str, candidate_id: int | None, data: dict[str, Any]) -> None:
    """One delivery per active hook subscribed to `name`, in the caller's transaction.

    Payloads carry ids and facts, never names or ratings: the receiver reads the rest
    through the API, where blind review and the seal apply to its token."""
    assert name in EVENTS, name
    session = db.session()
    hooks = session.scalars(db.select(Webhook).where(Webhook.active.is_(True))).all()
    now = utcnow()
    for hook in hooks:
        if name not in hook.events:
            continue
        delivery = WebhookDelivery(
            webhook_id=hook.id, event=name, candidate_id=candidate_id, body="", created_at=now
        )
        session.add(delivery)
        session.flush()
        delivery.body = json.dumps(
            {
                "id": delivery.id,
                "event": name,
                "created_at": now.isoformat(timespec="seconds") + "Z",
                "data": data,
            },
            separators=(",", ":"),
        )
        session.info.setdefault(PENDING, []).append(delivery.id)


def _after_commit(session) -> None:
    ids = session.info.pop(PENDING, None)
    if ids:
        from .delivery import dispatch

        dispatch(current_app._get_current_object(), ids)


def _after_rollback(session, _previous_transaction) -> None:
    session.info.pop(PENDING, None)


def listen_for_commits() -> None:
    """Once per process: send deliveries when the app's session commits."""
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_rollback)
