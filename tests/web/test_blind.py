"""Blind review: HR and admins see candidate codes, not names, in every page and export of a
blind position, until someone reveals the names (audited); interviewers see the name."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from assessment.blind import candidate_code
from assessment.extensions import db
from assessment.models import Candidate, Position
from assessment.scorecard import batch
from assessment.scorecard.export import export_scorecards
from assessment.scorecard.export_commands import export_scorecards_command
from tests.conftest import csrf_token, post_form
from tests.web.helpers import (
    ROLE_REFUSAL,
    audits,
    pdf_text,
    rate_every_question,
    read_csv,
    sign_out,
    wait_done,
)

NAME, EMAIL, EXTERNAL = "Ada Lovelace", "ada@secret.example", "EXT-7781"


@pytest.fixture(scope="module", autouse=True)
def _close_pool():
    yield
    batch.close_pool()  # the warm worker processes, if a test started them


@pytest.fixture
def blind(users, make_position, make_candidate, make_interview):
    """A blind position with Ada (rated and submitted by the manager) and Bo (no evidence)."""
    position = make_position(blind=True)
    ada = make_candidate(position, name=NAME, email=EMAIL, external_id=EXTERNAL)
    rate_every_question(make_interview(ada, users["manager"]), 4, "solid")
    bo = make_candidate(position, name="Bo Bell", email="bo@secret.example")
    return position, ada, bo


def hidden(text: str, *people) -> bool:
    """None of the people's name, e-mail or external id is in `text`."""
    values = [v for p in people for v in (p.name, p.email, p.external_id) if v]
    return not any(v in text for v in values)


# --- the default ----------------------------------------------------------------------


def test_new_positions_are_blind(client, login, users):
    login(users["hr"])
    post_form(client, "/positions/new", {"title": "Support lead", "kit": "support-lead"})
    assert db.session.scalars(db.select(Position.blind)).one() is True


def test_the_demo_positions_are_blind_and_read_well(client, login, make_user):
    from assessment.demo import load_demo

    load_demo()
    assert set(db.session.scalars(db.select(Position.blind))) == {True}
    login(make_user("hr"))
    position_id = db.session.scalars(db.select(Position.id).order_by(Position.id)).first()
    page = client.get(f"/positions/{position_id}")
    assert page.status_code == 200 and "Reveal names" in page.get_data(as_text=True)


# --- codes (finding 6) ------------------------------------------------------------------


def test_codes_are_random_unique_and_say_nothing_about_who_came_when(
    client, login, users, make_position
):
    from assessment.positions.services import add_candidate, import_candidates

    position = make_position(blind=True)
    people = [
        add_candidate(position.id, f"Person {n}", f"p{n}@example.org", None, users["hr"])
        for n in range(12)
    ]
    rows = "\n".join(f"Later {n},l{n}@example.org" for n in range(12))
    import_candidates(position.id, f"name,email\n{rows}\n".encode(), users["hr"])
    codes = list(db.session.scalars(
        db.select(Candidate.code).where(Candidate.position_id == position.id)
        .order_by(Candidate.id)
    ))  # fmt: skip
    assert len(codes) == len(set(codes)) == 24
    assert all(re.fullmatch(r"[1-9][0-9]{5}", code) for code in codes)
    assert codes != sorted(codes) and codes != sorted(codes, reverse=True)  # 2 in 24! by chance
    assert not [p for p in people if int(p.code) == p.id]  # the old codes were the ids
    # The list goes by code, not by who came first.
    login(users["hr"])
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert re.findall(r"Candidate (\d{6})</bdi>", page) == sorted(codes)


def test_a_duplicate_is_refused_without_naming_anyone(client, login, users, make_position):
    position = make_position(blind=True)
    login(users["hr"])
    url = f"/positions/{position.id}/candidates"
    first = {"name": "Ada Lovelace", "email": "ada@secret.example"}
    assert post_form(client, url, first).status_code == 302
    again = post_form(client, url, {"name": "Someone", "email": "ADA@secret.example"})
    message = re.search(r'<p class="error">([^<]*)</p>', again.get_data(as_text=True))[1]
    assert again.status_code == 422 and "already has a candidate" in message
    assert "ada" not in message.lower() and "Lovelace" not in message
    token = csrf_token(client.get(url))
    upload = client.post(
        f"{url}/import",
        data={
            "csrf_token": token,
            "file": (io.BytesIO(b"name,email\nX,ada@secret.example\n"), "a.csv"),
        },
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    line = re.search(r"Line 2: ([^<]*)", upload)[1]
    assert "already has a candidate" in line and "ada" not in line.lower()


# --- pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_admins_see_the_code_on_the_candidate_page(client, login, users, blind, role):
    _, ada, _ = blind
    login(users[role])
    page = client.get(f"/candidates/{ada.id}").get_data(as_text=True)
    assert candidate_code(ada) in page and hidden(page, ada)
    assert "blind review" in page


def test_interviewers_see_the_name(client, login, users, blind):
    _, ada, _ = blind
    login(users["manager"])
    page = client.get(f"/candidates/{ada.id}").get_data(as_text=True)
    assert NAME in page and EMAIL in page and candidate_code(ada) not in page


def test_an_hr_panellist_follows_the_position_rule_on_hr_pages(
    client, login, users, blind, make_interview
):
    """Simplest rule: HR pages show codes to every HR person and admin, panellist or not."""
    _, ada, _ = blind
    rate_every_question(make_interview(ada, users["hr"]), 4, "solid")
    login(users["hr"])
    page = client.get(f"/candidates/{ada.id}").get_data(as_text=True)
    assert candidate_code(ada) in page and hidden(page, ada)


def test_the_scorecard_page_and_pdf_show_the_code(client, login, users, blind):
    _, ada, _ = blind
    login(users["hr"])
    html = client.get(f"/candidates/{ada.id}/scorecard").get_data(as_text=True)
    assert candidate_code(ada) in html and hidden(html, ada)
    response = client.get(f"/candidates/{ada.id}/scorecard.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert candidate_code(ada) in text and hidden(text, ada)
    disposition = response.headers["Content-Disposition"]
    # The code alone: the id would say who came when.
    assert disposition == f"attachment; filename=scorecard-candidate-{ada.code}.pdf"


def test_debrief_invites_and_panel_pages_show_the_code(client, login, users, blind):
    _, ada, _ = blind
    login(users["hr"])
    for url in (
        f"/candidates/{ada.id}/debrief",
        f"/candidates/{ada.id}/invite",
        f"/candidates/{ada.id}/panel",
    ):
        page = client.get(url).get_data(as_text=True)
        assert candidate_code(ada) in page and hidden(page, ada), url
    created = post_form(client, f"/candidates/{ada.id}/invite", {"days": "14"})
    page = created.get_data(as_text=True)
    assert created.status_code == 200 and candidate_code(ada) in page and hidden(page, ada)


def test_the_position_list_shows_codes(client, login, users, blind):
    position, ada, bo = blind
    login(users["hr"])
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert candidate_code(ada) in page and candidate_code(bo) in page
    assert hidden(page, ada, bo)


# --- exports --------------------------------------------------------------------------


def test_csv_zip_and_combined_pdf_follow_the_exporting_viewer(app, users, blind, tmp_path):
    position, ada, bo = blind
    hr = users["hr"].id
    export_scorecards(position.id, "csv", tmp_path / "s.csv", viewer_id=hr)
    rows = read_csv((tmp_path / "s.csv").read_bytes())
    in_code_order = sorted([ada, bo], key=lambda c: c.code)  # never by name or arrival
    assert [(r["name"], r["email"], r["external_id"]) for r in rows] == [
        (candidate_code(c), "", "") for c in in_code_order
    ]
    export_scorecards(position.id, "zip", tmp_path / "s.zip", viewer_id=hr)
    with zipfile.ZipFile(tmp_path / "s.zip") as archive:
        names = archive.namelist()
        texts = [pdf_text(archive.read(n)) for n in names]
    assert names == [f"candidate-{c.code}.pdf" for c in in_code_order]
    assert all(hidden(t, ada, bo) for t in texts) and candidate_code(in_code_order[0]) in texts[0]
    export_scorecards(position.id, "pdf", tmp_path / "s.pdf", viewer_id=hr)
    text = pdf_text((tmp_path / "s.pdf").read_bytes())
    assert candidate_code(ada) in text and candidate_code(bo) in text
    assert hidden(text, ada, bo)


def test_a_manager_made_export_would_show_names(app, users, blind, tmp_path):
    """The rule follows the viewer, not the file: a manager (were one allowed to export)
    sees names, as on every page."""
    position, ada, _ = blind
    export_scorecards(position.id, "csv", tmp_path / "m.csv", viewer_id=users["manager"].id)
    assert NAME in [r["name"] for r in read_csv((tmp_path / "m.csv").read_bytes())]


@pytest.mark.parametrize("kind", ["csv", "pdf"])
def test_an_export_from_the_position_page_is_blind(client, login, users, blind, kind):
    position, ada, bo = blind
    login(users["hr"])
    token = csrf_token(client.get(f"/positions/{position.id}"))
    data = {"csrf_token": token, "kind": kind, "paper": "A4", "confirm_all": "y"}
    response = client.post(f"/positions/{position.id}/exports", data=data)
    state = wait_done(client, response.headers["Location"])
    assert state["status"] == "done", state
    data = client.get(state["download"]).data
    text = data.decode("utf-8-sig") if kind == "csv" else pdf_text(data)
    assert candidate_code(ada) in text and hidden(text, ada, bo)


def test_the_cli_export_is_blind_unless_asked_to_reveal(app, runner, blind, tmp_path):
    position, ada, bo = blind
    out = tmp_path / "cli.csv"
    args = ["--position", str(position.id), "-o", str(out)]
    result = runner.invoke(export_scorecards_command, args)
    assert result.exit_code == 0, result.output
    assert "blind review" in result.output  # the note on stderr (mixed into output here)
    text = out.read_text(encoding="utf-8-sig")
    assert candidate_code(ada) in text and hidden(text, ada, bo)
    assert runner.invoke(export_scorecards_command, [*args, "--reveal-names"]).exit_code == 0
    rows = read_csv(out.read_bytes())
    assert (NAME, EMAIL, EXTERNAL) in [(r["name"], r["email"], r["external_id"]) for r in rows]


# --- reveal and hide ------------------------------------------------------------------


def test_revealing_asks_for_confirmation_and_is_audited(client, login, users, blind):
    position, ada, _ = blind
    login(users["hr"])
    url = f"/positions/{position.id}/reveal"
    confirm = client.get(url).get_data(as_text=True)
    assert "Reveal names" in confirm and "Nobody has revealed them yet" in confirm
    unconfirmed = post_form(client, url, {"reason": "Shortlist agreed"})
    assert unconfirmed.status_code == 422
    page = unconfirmed.get_data(as_text=True)
    assert "Tick the box to confirm" in page and "Shortlist agreed" in page
    db.session.refresh(position)
    assert position.blind is True and audits("position.reveal_names") == []

    response = post_form(client, url, {"reason": "Shortlist agreed", "confirm": "y"})
    assert response.status_code == 302
    db.session.refresh(position)
    assert position.blind is False
    [entry] = audits("position.reveal_names")
    assert (entry.entity, entry.entity_id) == ("position", position.id)
    assert entry.user_id == users["hr"].id
    assert entry.reason == "Shortlist agreed" and entry.new == {"blind": False}
    page = client.get(f"/candidates/{ada.id}").get_data(as_text=True)
    assert NAME in page and EMAIL in page and EXTERNAL in page
    history = client.get(url).get_data(as_text=True)
    assert "Revealed" in history and users["hr"].name in history and "Shortlist agreed" in history


def test_hiding_again_is_audited_and_brings_the_codes_back(client, login, users, blind):
    position, ada, _ = blind
    login(users["admin"])
    post_form(client, f"/positions/{position.id}/reveal", {"confirm": "y"})
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "Hide names again" in page
    token = csrf_token(client.get(f"/positions/{position.id}"))
    response = client.post(f"/positions/{position.id}/hide", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(position)
    assert position.blind is True
    [entry] = audits("position.hide_names")
    assert entry.user_id == users["admin"].id and entry.new == {"blind": True}
    assert audits("position.reveal_names")[0].reason is None  # the reason is optional
    page = client.get(f"/candidates/{ada.id}").get_data(as_text=True)
    assert candidate_code(ada) in page and hidden(page, ada)


def test_only_hr_and_admins_reveal_or_hide(client, login, users, blind):
    position, *_ = blind
    login(users["manager"])
    for url, method in (
        (f"/positions/{position.id}/reveal", "GET"),
        (f"/positions/{position.id}/reveal", "POST"),
        (f"/positions/{position.id}/hide", "POST"),
    ):
        response = client.open(url, method=method, data={"confirm": "y"})
        assert response.status_code == 403 and ROLE_REFUSAL in response.get_data(as_text=True)
    db.session.refresh(position)
    assert position.blind is True
    sign_out(client)
    response = client.post(f"/positions/{position.id}/reveal", data={"confirm": "y"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert audits("position.reveal_names") == []
