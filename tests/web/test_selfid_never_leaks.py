"""No individual's self-identification reaches any page, export or API answer.

One candidate has everything (interview, self-assessment, decision, outcome) and answered the
optional questions with the rarest choices. Every GET route of the app is opened for that
candidate, as every role and as the candidate (by their link), as a page and as JSON; the
scorecard PDF, every export and the audit log are read too. None names their answers; the
aggregate report, the one reader, hides a group of one. And in the code, only the fairness
report (and the step that writes the answers) touch the table.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.fairness.keying import invite_experts
from assessment.fairness.models import KeyingTask, Outcome, SelfIdentification
from assessment.models import AuditEntry, Candidate, Decision, SelfAssessment, utcnow
from assessment.scorecard.export import export_scorecards
from assessment.selfassess.invites import create_invite
from tests.conftest import ROOT
from tests.web.helpers import pdf_text, rate_every_question, read_csv

# The candidate's answers, as every page, export and log could spell them.
ANSWERS = {"sex": "another", "race": "nhpi", "age": "55plus", "disability": "yes"}
TELLTALES = re.compile(
    r"Native Hawaiian|Pacific Islander|Another sex|55 or older|55plus|nhpi"
    r"|I have a disability|self_identification|self-identification",
    re.IGNORECASE,
)
AGGREGATE = {"fairness.report", "fairness.report_csv"}  # the one reader: group labels, no person


@pytest.fixture
def expert(make_user):
    return make_user("expert")


@pytest.fixture
def everything(users, expert, make_candidate, make_interview, bank):
    """The candidate with every kind of evidence, and the URL arguments that name it."""
    candidate = make_candidate(name="Rare Answers")
    interview = make_interview(candidate, users["manager"])
    rate_every_question(interview, 4)
    assessment, token = create_invite(candidate.id, users["hr"])
    with write_transaction() as session:
        row = session.get(SelfAssessment, assessment.id)
        row.status, row.consented_at, row.submitted_at = "submitted", utcnow(), utcnow()
        session.add(SelfIdentification(candidate_id=candidate.id, **ANSWERS))
        session.add(Decision(candidate_id=candidate.id, decided_by_id=users["hr"].id,
                             decision="advance", rationale="strong"))  # fmt: skip
        session.add(
            Outcome(candidate_id=candidate.id, rating=4, rating_months=6, employed_12m=True)
        )
    scenario = next(iter(bank.scenarios))
    invite_experts(bank, [scenario], [expert.id], users["admin"])
    return {
        "token": token,
        "assessment_id": assessment.id,
        "item": 1,
        "position_id": candidate.position_id,
        "candidate_id": candidate.id,
        "interview_id": interview.id,
        "question_id": interview.items[0]["id"],
        "item_id": scenario,
        "task_id": db.session.scalar(db.select(KeyingTask.id)),
        "user_id": users["manager"].id,
    }


def _text(response) -> str:
    if response.mimetype == "application/pdf":
        return pdf_text(response.data)
    return response.get_data(as_text=True)


def _get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            yield rule


@pytest.mark.parametrize("role", ["anonymous", "admin", "hr", "manager", "expert"])
def test_no_page_or_api_answer_names_the_answers(
    app, client, users, expert, login, everything, role
):
    if role != "anonymous":
        login(expert if role == "expert" else users[role])
    opened = 0
    for rule in _get_routes(app):
        # API tokens, webhooks and deliveries hold nothing about a candidate: id 1 will do.
        url = rule.build({k: everything.get(k, 1) for k in rule.arguments})[1]
        for headers in ({}, {"Accept": "application/json", "X-Requested-With": "fetch"}):
            response = client.get(url, headers=headers)
            assert response.status_code != 500, url
            if rule.endpoint in AGGREGATE:
                continue
            found = TELLTALES.search(_text(response))
            assert found is None, (role, url, found and found.group(0))
            opened += 1
    assert opened > 40


def test_the_aggregate_report_hides_a_group_of_one(client, users, login, everything):
    login(users["hr"])
    rows = read_csv(client.get("/fairness.csv").data)
    mine = [r for r in rows if r["group"].startswith(("Native Hawaiian", "Another sex", "55 or"))]
    assert mine and all(r["candidates"] == "" and r["advanced"] == "" for r in mine)
    page = client.get("/fairness").get_data(as_text=True)
    code = db.session.get(Candidate, everything["candidate_id"]).code
    assert "Rare Answers" not in page and code not in page


def test_no_export_or_audit_entry_names_the_answers(app, users, everything, tmp_path):
    position = everything["position_id"]
    for kind in ("csv", "pdf", "zip"):
        out = tmp_path / f"all.{kind}"
        export_scorecards(position, kind, out)
        data = out.read_bytes()
        text = pdf_text(data) if kind == "pdf" else data.decode("latin-1")
        assert TELLTALES.search(text) is None, kind
    for entry in db.session.scalars(db.select(AuditEntry)):
        recorded = f"{entry.action} {entry.entity} {entry.old} {entry.new} {entry.reason}"
        assert TELLTALES.search(recorded) is None, recorded
        assert not any(code in recorded for code in ("'another'", "'nhpi'", "'55plus'"))


# The model, or the table named in a string or in SQL.
PATTERN = (
    r"SelfIdentification|[\"']self_identification[\"']|(from|join|into|update) +self_identification"
)


def test_only_the_fairness_report_and_the_step_that_writes_them_touch_the_table():
    """The model has no relationship to anything; the source names it in four places only."""
    found = subprocess.run(
        ["grep", "-rliE", PATTERN, "assessment"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    allowed = {
        "assessment/fairness/models.py",  # the table
        "assessment/fairness/selfid.py",  # the candidate's step writes (and withdraws) it
        "assessment/fairness/report.py",  # the one reader: totals only
        "assessment/demo/fairness.py",  # the demo's answers
        "assessment/privacy/parts.py",  # erasure deletes them (through selfid.py)
    }
    found = {path for path in found if not path.startswith("assessment/migrations/")}
    assert found == allowed, sorted(found - allowed)
    assert not any(
        rel.mapper.class_ is SelfIdentification or rel.target.name == "self_identification"
        for rel in SelfIdentification.__mapper__.relationships
    )
    assert Path(ROOT, "assessment/fairness/report.py").read_text().count("SelfIdentification") >= 1
