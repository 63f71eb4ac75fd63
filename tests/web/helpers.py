"""Helpers shared by the web tests: rate an interview in one
go, sign out, read back an export, find audit entries, see the SQL a call runs."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable

from pypdf import PdfReader
from sqlalchemy import event

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import AuditEntry, Interview, Rating, utcnow
from tests.conftest import csrf_token

ROLE_REFUSAL = "Your account does not have access to this page."


def rate_every_question(
    interview, value: int, notes: str | Callable[[str], str] = "seen", recommendation="yes"
) -> None:
    """Every question of the interview rated `value` with `notes` (or notes(question id)),
    an overall recommendation with its key evidence, then the interview submitted."""
    with write_transaction() as session:
        row = session.get(Interview, interview.id)
        for q in row.items:
            note = notes(q["id"]) if callable(notes) else notes
            session.add(Rating(interview_id=row.id, question_id=q["id"], value=value, notes=note))
        row.recommendation, row.key_evidence = recommendation, "Concrete examples."
        row.status, row.submitted_at = "submitted", utcnow()


def statements_during(call: Callable[[], object]) -> list[str]:
    """The SQL statements `call()` runs (BEGIN too), seen on the engine's
    before_cursor_execute."""
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return seen


def sign_out(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})


def audits(action: str) -> list[AuditEntry]:
    query = db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return db.session.scalars(query).all()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def wait_done(client, url: str, seconds: float = 60) -> dict:
    """Poll an export's progress (as JSON) until it is done or failed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(url, headers={"X-Requested-With": "fetch"}).get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"export still {state['status']} after {seconds} s")
