"""The flask commands: questions check, create-user, demo; and start-up with a bad bank."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from assessment.extensions import db
from assessment.models import Answer, Candidate, Interview, Position, Rating, SelfAssessment, User

ROOT = Path(__file__).resolve().parents[2]


def broken_bank(tmp_path: Path) -> Path:
    """A copy of the shipped bank with an anchor removed and a kit naming a missing question."""
    copy = tmp_path / "bank"
    shutil.copytree(ROOT / "questions", copy)
    path = copy / "interview" / "lead.yaml"
    data = yaml.safe_load(path.read_text())
    del data["questions"][0]["anchors"][5]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    kit = copy / "kits" / "support-lead.yaml"
    kit.write_text(kit.read_text().replace("lead-beh-1", "lead-beh-99", 1))
    return copy


def test_questions_check_passes_on_the_shipped_bank(runner, bank):
    result = runner.invoke(args=["questions", "check"])
    assert result.exit_code == 0, result.output
    assert bank.version in result.output


def test_questions_check_json(runner, bank):
    result = runner.invoke(args=["questions", "check", "--json"])
    data = json.loads(result.output)
    assert data["version"] == bank.version and data["errors"] == []
    assert set(data["competencies"]) == {
        "lead",
        "own",
        "perspective",
        "process",
        "trust",
        "relationship",
    }
    for counts in data["competencies"].values():
        assert counts["behavioural"] >= 3 and counts["situational"] >= 1
        assert counts["scenario"] >= 3 and counts["self"] >= 4
    assert data["validity"] >= 3 and data["kits"] >= 3


def test_questions_check_reports_every_problem_and_fails(runner, tmp_path):
    bad = broken_bank(tmp_path)
    result = runner.invoke(args=["questions", "check", str(bad)])
    assert result.exit_code == 1
    assert "lead-beh-1" in result.output and "anchors" in result.output
    assert "lead-beh-99" in result.output and "support-lead" in result.output
    result = runner.invoke(args=["questions", "check", str(bad), "--json"])
    errors = json.loads(result.output)["errors"]
    assert {(e["item"], e["field"]) for e in errors} >= {("lead-beh-1", "anchors")}
    assert any(e["file"].endswith("support-lead.yaml") for e in errors)


def test_app_refuses_to_start_with_an_invalid_bank(tmp_path):
    bad = broken_bank(tmp_path)
    env = {
        **os.environ,
        "QUESTIONS_DIR": str(bad),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "SECRET_KEY": "x" * 32,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "invalid" in result.stderr and "lead-beh-1" in result.stderr
    assert "Traceback" not in result.stderr


def test_create_user_with_password(runner):
    result = runner.invoke(
        args=["create-user", "hr@example.com", "--role", "hr", "--password", "a good passphrase"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role, user.name) == ("hr@example.com", "hr", "hr")


def test_create_user_prompts_for_the_password(runner):
    result = runner.invoke(
        args=["create-user", "m@example.com", "--role", "manager"],
        input="a good passphrase\na good passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User.role)) == "manager"


def test_create_user_refuses_bad_input(runner, make_user):
    make_user("hr", email="taken@example.com")
    taken = runner.invoke(
        args=["create-user", "taken@example.com", "--role", "hr", "--password", "a good passphrase"]
    )
    assert taken.exit_code == 1 and "already exists" in taken.output
    short = runner.invoke(args=["create-user", "x@example.com", "--role", "hr", "--password", "x"])
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    role = runner.invoke(
        args=["create-user", "y@example.com", "--role", "root", "--password", "a good passphrase"]
    )
    assert role.exit_code == 2
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_demo_loads_a_believable_company(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "hr@demo.example" in result.output and "demo-password-2026" in result.output
    assert _count(Position) == 3
    assert 35 <= _count(Candidate) <= 45
    panels = db.session.execute(
        db.select(Interview.candidate_id, db.func.count()).group_by(Interview.candidate_id)
    ).all()
    assert sum(1 for _, n in panels if n >= 2) >= _count(Candidate) // 2
    assert _count(Rating) > 500 and _count(Answer) > 500
    assert _count(SelfAssessment) >= 25
    extremes = db.session.scalars(db.select(Rating).where(Rating.value.in_([1, 5]))).all()
    assert extremes and all(r.notes for r in extremes)  # evidence for every extreme rating


def test_demo_is_reproducible_and_refuses_a_full_database(runner):
    runner.invoke(args=["demo", "--seed", "7"])
    first = db.session.execute(
        db.select(Rating.question_id, Rating.value).order_by(Rating.id)
    ).all()
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 1 and "already has positions" in again.output
    from tests.conftest import _empty_tables

    _empty_tables()
    runner.invoke(args=["demo", "--seed", "7"])
    second = db.session.execute(
        db.select(Rating.question_id, Rating.value).order_by(Rating.id)
    ).all()
    assert first == second


def test_the_large_demo_gives_every_statistics_page_real_figures(runner, client, login, make_user):
    result = runner.invoke(args=["demo", "--size", "large"])
    assert result.exit_code == 0, result.output
    assert _count(Candidate) == 150
    submitted = db.select(db.func.count()).where(SelfAssessment.status == "submitted")
    assert db.session.scalar(submitted.select_from(SelfAssessment)) == 120
    by_panel = db.session.execute(
        db.select(Interview.candidate_id, Interview.interviewer_id, Interview.status)
    ).all()
    panels: dict[int, set] = {}
    for candidate_id, interviewer_id, status in by_panel:
        if status == "submitted":
            panels.setdefault(candidate_id, set()).add(interviewer_id)
    shared = max(
        sum(1 for p in panels.values() if p == panel) for panel in map(frozenset, panels.values())
    )
    assert shared >= 30  # one panel of three interviewed 36 candidates

    login(make_user("hr"))
    first = db.session.scalar(db.select(Position.id).order_by(Position.id))
    calibration = client.get(f"/positions/{first}/calibration").get_data(as_text=True)
    assert "95% interval" in calibration and "all scored by the same panel" in calibration
    assert "this company&#39;s data, n = " in calibration  # what the bands use
    quality = client.get("/bank/quality").get_data(as_text=True)
    assert "<strong>120</strong> submitted self-assessments" in quality
    assert "Cronbach’s α = " in quality
    assert "not enough data yet" not in quality
    candidate = db.session.scalar(
        db.select(Interview.candidate_id).where(Interview.status == "submitted").limit(1)
    )
    card = client.get(f"/candidates/{candidate}").get_data(as_text=True)
    assert "reliability this company&#39;s data, n = " in card
