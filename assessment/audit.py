"""The audit log: one call that services make inside their own transaction."""

from __future__ import annotations

from typing import Any

from .extensions import db
from .models import AuditEntry


def record_audit(
    action: str,
    entity: str,
    entity_id: int | None,
    actor: Any = None,
    *,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Add an audit entry to the caller's transaction (it commits or rolls back with it)."""
    db.session.add(
        AuditEntry(
            user_id=getattr(actor, "id", None),
            action=action,
            entity=entity,
            entity_id=entity_id,
            old=old,
            new=new,
            reason=reason,
        )
    )
