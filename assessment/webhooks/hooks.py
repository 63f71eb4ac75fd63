"""Registering webhooks, and what their deliveries did (admins)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from flask import current_app
from sqlalchemy import delete, func, update

from ..audit import record_audit
from ..database import write_transaction
from ..extensions import db
from ..models import utcnow
from .delivery import Refused, check_target, dispatch
from .models import EVENTS, Webhook, WebhookDelivery

URL_MAX = 2000


class WebhookError(Exception):
    """A hook cannot be registered as asked; `field` names the form field."""

    def __init__(self, message: str, field: str = "url"):
        super().__init__(message)
        self.field = field


def register_webhook(url: str, events: Sequence[str], actor) -> tuple[Webhook, str]:
    """A new hook and its secret (shown to the admin once; the signature needs it kept)."""
    url = (url or "").strip()
    if not url or len(url) > URL_MAX:
        raise WebhookError(f"Give the receiver's URL (at most {URL_MAX} characters).")
    try:
        check_target(url, current_app.config.get("WEBHOOK_ALLOW_PRIVATE", False))
    except Refused as refused:
        raise WebhookError(f"This URL cannot receive webhooks: {refused}.") from None
    chosen = [e for e in EVENTS if e in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise WebhookError("Tick at least one event.", "events")
    secret = secrets.token_hex(32)
    with write_transaction() as session:
        hook = Webhook(url=url, events=chosen, secret=secret, created_by_id=actor.id)
        session.add(hook)
        session.flush()
        record_audit(
            "webhook.create", "webhook", hook.id, actor, new={"url": url, "events": chosen}
        )
    return hook, secret


def delete_webhook(hook_id: int, actor) -> bool:
    """Remove a hook and its deliveries; False when there is none."""
    with write_transaction() as session:
        hook = session.get(Webhook, hook_id)
        if hook is None:
            return False
        old = {"url": hook.url, "events": hook.events}
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook_id))
        session.delete(hook)
        record_audit("webhook.delete", "webhook", hook_id, actor, old=old)
    return True


def list_webhooks() -> list[tuple[Webhook, dict[str, int]]]:
    """Each hook with its deliveries counted by status."""
    hooks = db.session.scalars(db.select(Webhook).order_by(Webhook.id)).all()
    counts: dict[int, dict[str, int]] = {h.id: {} for h in hooks}
    rows = db.session.execute(
        db.select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.webhook_id, WebhookDelivery.status
        )
    )
    for hook_id, status, n in rows:
        counts.setdefault(hook_id, {})[status] = n
    return [(hook, counts[hook.id]) for hook in hooks]


def deliveries_of(hook_id: int, limit: int = 50) -> list[WebhookDelivery]:
    """The newest deliveries of a hook."""
    return list(
        db.session.scalars(
            db.select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == hook_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def resend_delivery(hook_id: int, delivery_id: int, actor) -> bool:
    """A failed delivery back to pending with fresh attempts, and sent again now."""
    with write_transaction() as session:
        done = session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.webhook_id == hook_id,
                WebhookDelivery.status == "failed",
            )
            .values(status="pending", attempts=0, next_attempt_at=utcnow())
        ).rowcount
        if done:
            record_audit("webhook.resend", "webhook_delivery", delivery_id, actor)
    if done:
        dispatch(current_app._get_current_object(), [delivery_id])
    return bool(done)
