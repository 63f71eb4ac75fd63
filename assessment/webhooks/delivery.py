"""Sending a delivery: signed with the hook's secret, retried with backoff, recorded.

With REDIS_URL each attempt is an RQ job on the "webhooks" queue (retries scheduled by RQ,
so they survive a restarted web process; `flask worker` runs them); without it a thread of
the web process makes the attempts. Either way the row says how it went.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import logging
import socket
import threading
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app

from ..database import write_transaction
from ..extensions import db
from ..models import utcnow
from .models import Webhook, WebhookDelivery

QUEUE = "webhooks"
BACKOFF = (10, 60, 300, 1800, 7200)  # seconds before each retry; WEBHOOK_BACKOFF
TIMEOUT = 10  # seconds for the receiver to answer
SIGNATURE = "X-Webhook-Signature"

log = logging.getLogger(__name__)


def signature(secret: str, body: bytes) -> str:
    """The header's value: sha256=<hex HMAC-SHA256 of the body with the hook's secret>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Refused(Exception):
    """The target is not one we send to (scheme, or a private address)."""


def check_target(url: str, allow_private: bool) -> None:
    """Only http(s), and (unless allowed) only public addresses: no requests into the
    network the app runs in (SSRF). Checked again at each attempt, for DNS changes."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("only http:// and https:// URLs with a host")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise Refused(f"the host does not resolve ({error})") from None
    for info in infos:
        if not ipaddress.ip_address(info[4][0]).is_global:
            raise Refused("the host resolves to a private or local address")


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """One POST, no redirects followed; the receiver's status."""
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def attempt(delivery_id: int) -> float | None:
    """One attempt; returns the seconds to wait before the next, or None when done
    (delivered, failed for good, or nothing to do)."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != "pending":
        return None
    hook = db.session.get(Webhook, delivery.webhook_id)
    body = delivery.body.encode()
    status, error = None, None
    try:
        check_target(hook.url, current_app.config.get("WEBHOOK_ALLOW_PRIVATE", False))
        status = _post(hook.url, body, _headers(hook, delivery, body))
        if not 200 <= status < 300:
            error = f"the receiver answered {status}"
    except Refused as refused:
        error = f"not sent: {refused}"
    except (OSError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}"[:500]
    return _record(delivery_id, status, error)


def _headers(hook: Webhook, delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "hiring-assessment-webhooks/1",
        "X-Webhook-Event": delivery.event,
        "X-Webhook-Delivery": str(delivery.id),
        SIGNATURE: signature(hook.secret, body),
    }


def _record(delivery_id: int, status: int | None, error: str | None) -> float | None:
    backoff = current_app.config.get("WEBHOOK_BACKOFF", BACKOFF)
    now = utcnow()
    with write_transaction() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        delivery.attempts += 1
        delivery.last_status, delivery.last_error = status, error
        wait = None
        if error is None:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                "delivered",
                now,
                None,
            )
        elif delivery.attempts > len(backoff) or error.startswith("not sent"):
            delivery.status, delivery.next_attempt_at = "failed", None
        else:
            wait = backoff[delivery.attempts - 1]
            delivery.next_attempt_at = now + timedelta(seconds=wait)
    return wait


def dispatch(app: Flask, delivery_ids: list[int]) -> None:
    """Start sending (after the commit that made them): RQ jobs, else a thread."""
    url = app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        try:
            queue = Queue(QUEUE, connection=Redis.from_url(url))
            for delivery_id in delivery_ids:
                queue.enqueue(deliver_job, delivery_id, result_ttl=0, job_timeout=60)
            return
        except Exception:  # noqa: BLE001 - Redis is down: the fact is committed, send here
            log.exception("could not queue webhook deliveries %s; sending them here", delivery_ids)
    thread = threading.Thread(
        target=_deliver_in_thread, args=(app, list(delivery_ids)), daemon=True
    )
    thread.start()


def _deliver_in_thread(app: Flask, delivery_ids: list[int]) -> None:
    with app.app_context():
        try:
            for delivery_id in delivery_ids:
                wait = attempt(delivery_id)
                while wait is not None:
                    time.sleep(wait)
                    wait = attempt(delivery_id)
        except Exception:  # noqa: BLE001 - a thread must not die silently
            log.exception("webhook deliveries %s", delivery_ids)
        finally:
            db.session.remove()


def deliver_job(delivery_id: int) -> None:
    """The RQ job: one attempt; a retry is scheduled on the same queue after the backoff."""
    from ..worker import in_app

    in_app(_attempt_and_schedule, delivery_id)


def _attempt_and_schedule(delivery_id: int) -> None:
    wait = attempt(delivery_id)
    if wait is not None:
        from redis import Redis
        from rq import Queue

        queue = Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))
        queue.enqueue_in(timedelta(seconds=wait), deliver_job, delivery_id, result_ttl=0)
