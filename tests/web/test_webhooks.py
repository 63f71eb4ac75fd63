"""Webhooks: registered by admins, sent signed to a receiver on 127.0.0.1 after the fact
commits, retried with backoff, listed with their status; also through RQ."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assessment.extensions import db
from assessment.interviews.services import IncompleteInterview, submit_interview
from assessment.webhooks.hooks import WebhookError, register_webhook
from assessment.webhooks.models import Webhook, WebhookDelivery
from tests.conftest import csrf_token, post_form
from tests.web.helpers import audits, rate_every_question


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps what it is sent and answers the statuses it is
    told to (then 200)."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/hiring"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, seconds: float = 10) -> list[dict]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


@pytest.fixture
def receiver(app):
    app.config.update(WEBHOOK_ALLOW_PRIVATE=True, WEBHOOK_BACKOFF=(0.05, 0.05, 0.05))
    served = Receiver()
    yield served
    served.server.shutdown()
    app.config.update(WEBHOOK_ALLOW_PRIVATE=False)
    app.config.pop("WEBHOOK_BACKOFF")


def wait_status(delivery_id: int, status: str, seconds: float = 10) -> WebhookDelivery:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        row = db.session.get(WebhookDelivery, delivery_id)
        if row is not None and row.status == status:
            return row
        time.sleep(0.05)
    raise AssertionError(f"delivery {delivery_id} is {row.status if row else None}")


def submitted_interview(users, make_candidate, make_interview):
    candidate = make_candidate(name="Secret Name")
    interview = make_interview(candidate, users["manager"])
    rate_every_question(interview, 4)
    with db.session.begin():
        row = db.session.get(type(interview), interview.id)
        row.status, row.submitted_at = "in_progress", None  # rated, not yet submitted
    return candidate, interview


def test_an_admin_registers_a_hook_and_a_submission_reaches_it_signed(
    client, login, users, receiver, make_candidate, make_interview
):
    login(users["admin"])
    data = {"url": receiver.url, "events": ["interview.submitted", "decision.recorded"]}
    page = post_form(client, "/admin/webhooks", data)
    text = page.get_data(as_text=True)
    assert page.status_code == 201 and "not shown again" in text
    secret = text.split('id="new-secret">')[1].split("<")[0]
    assert audits("webhook.create")[0].new["events"] == data["events"]
    candidate, interview = submitted_interview(users, make_candidate, make_interview)
    submit_interview(interview.id, users["manager"])
    (request,) = receiver.wait_for(1)
    body, headers = request["body"], request["headers"]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Webhook-Signature"], expected)
    assert headers["X-Webhook-Event"] == "interview.submitted"
    payload = json.loads(body)
    assert payload["event"] == "interview.submitted"
    assert payload["data"]["candidate_id"] == candidate.id
    assert payload["data"]["interview_id"] == interview.id
    assert b"Secret Name" not in body and b"rating" not in body  # ids, never names or scores
    delivery = wait_status(payload["id"], "delivered")
    assert delivery.attempts == 1 and delivery.last_status == 200
    assert delivery.candidate_id == candidate.id  # findable by candidate, for erasure
    listing = client.get(f"/admin/webhooks/{delivery.webhook_id}").get_data(as_text=True)
    assert "interview.submitted" in listing and "delivered" in listing


def test_failures_are_retried_with_backoff_then_marked_failed(
    app, client, login, users, receiver, make_candidate, make_interview
):
    register_webhook(receiver.url, ["interview.submitted"], users["admin"])
    receiver.answers = [500, 503]  # two failures, then 200
    _, interview = submitted_interview(users, make_candidate, make_interview)
    submit_interview(interview.id, users["manager"])
    receiver.wait_for(3)
    first = db.session.scalar(db.select(WebhookDelivery.id))
    delivered = wait_status(first, "delivered")
    assert delivered.attempts == 3 and len({r["body"] for r in receiver.received}) == 1
    # A receiver that never accepts: four attempts (one and three retries), then failed.
    receiver.answers = [500] * 10
    receiver.received.clear()
    candidate2 = make_candidate(name="Second")
    interview2 = make_interview(candidate2, users["manager"])
    rate_every_question(interview2, 3)
    with db.session.begin():
        db.session.get(type(interview2), interview2.id).status = "in_progress"
    submit_interview(interview2.id, users["manager"])
    second = db.session.scalar(
        db.select(WebhookDelivery.id).where(WebhookDelivery.candidate_id == candidate2.id)
    )
    failed = wait_status(second, "failed")
    assert failed.attempts == 4 and failed.last_status == 500
    assert "answered 500" in failed.last_error
    login(users["admin"])
    page = client.get(f"/admin/webhooks/{failed.webhook_id}")
    assert "Send again" in page.get_data(as_text=True)
    receiver.answers = []
    url = f"/admin/webhooks/{failed.webhook_id}/deliveries/{second}/resend"
    assert client.post(url, data={"csrf_token": csrf_token(page)}).status_code == 303
    assert wait_status(second, "delivered").attempts == 1


def test_a_rolled_back_submission_announces_nothing(
    users, receiver, make_candidate, make_interview
):
    register_webhook(receiver.url, ["interview.submitted"], users["admin"])
    interview = make_interview(make_candidate(), users["manager"])  # nothing rated
    with pytest.raises(IncompleteInterview):
        submit_interview(interview.id, users["manager"])
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0
    time.sleep(0.2)
    assert receiver.received == []


def test_decisions_and_self_assessments_are_events_too(
    client, users, receiver, make_candidate, make_interview
):
    from assessment.database import write_transaction
    from assessment.models import Answer, SelfAssessment
    from assessment.review.services import record_decision
    from assessment.selfassess.answers import record_consent, submit_assessment
    from assessment.selfassess.invites import create_invite

    register_webhook(
        receiver.url, ["decision.recorded", "self_assessment.submitted"], users["admin"]
    )
    candidate = make_candidate()
    rate_every_question(make_interview(candidate, users["manager"]), 4)
    record_decision(candidate.id, users["hr"], "advance", "Strong on every competency.", "x")
    assessment, _ = create_invite(candidate.id, users["hr"])
    record_consent(assessment.id)
    with write_transaction() as session:
        row = session.get(SelfAssessment, assessment.id)
        for item in row.items:
            value = (
                {"value": 3}
                if item["type"] != "scenario"
                else {"most": item["responses"][0]["id"], "least": item["responses"][1]["id"]}
            )
            session.add(Answer(assessment_id=row.id, item_id=item["id"], **value))
    assert submit_assessment(assessment.id)
    events = sorted(json.loads(r["body"])["event"] for r in receiver.wait_for(2))
    assert events == ["decision.recorded", "self_assessment.submitted"]
    decided = next(json.loads(r["body"]) for r in receiver.received if b"decision" in r["body"])
    assert (
        decided["data"]["decision"] == "advance" and decided["data"]["candidate_id"] == candidate.id
    )


def test_private_targets_and_other_schemes_are_refused(app, users):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x", "ftp://x.org/"):
        with pytest.raises(WebhookError):
            register_webhook(url, ["decision.recorded"], users["admin"])
    with pytest.raises(WebhookError):
        register_webhook("https://example.com/x", [], users["admin"])
    assert db.session.scalar(db.select(db.func.count(Webhook.id))) == 0


def test_removing_a_hook_asks_first(client, login, users, receiver):
    hook_id = register_webhook(receiver.url, ["decision.recorded"], users["admin"])[0].id
    login(users["admin"])
    ask = client.get(f"/admin/webhooks/{hook_id}/delete")
    assert "Remove the webhook" in ask.get_data(as_text=True)
    client.post(f"/admin/webhooks/{hook_id}/delete", data={"csrf_token": csrf_token(ask)})
    assert db.session.get(Webhook, hook_id) is None
    assert [a.entity_id for a in audits("webhook.delete")] == [hook_id]


def test_with_redis_deliveries_are_rq_jobs(app, runner, users, receiver, make_candidate, redis_url):
    from redis import Redis
    from rq import Queue

    from assessment.review.services import record_decision

    app.config["REDIS_URL"] = redis_url
    try:
        register_webhook(receiver.url, ["decision.recorded"], users["admin"])
        candidate = make_candidate()
        record_decision(candidate.id, users["hr"], "hold", "Waiting for the panel.", "x")
        assert Queue("webhooks", connection=Redis.from_url(redis_url)).count == 1
        assert receiver.received == []  # nothing sent by the web process
        result = runner.invoke(args=["worker", "--burst", "--queue", "webhooks"])
        assert result.exit_code == 0, result.output
        (request,) = receiver.wait_for(1)
        assert json.loads(request["body"])["data"]["decision"] == "hold"
        assert db.session.scalar(db.select(WebhookDelivery.status)) == "delivered"
    finally:
        app.config["REDIS_URL"] = None
