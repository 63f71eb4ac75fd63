"""HR's side: positions from kits, their setup, candidates (form and CSV) and panels."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from sqlalchemy import event

from assessment.comparison.listing import PAGE_SIZE as COMPARISON_PAGE
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Candidate, Interview, Position
from assessment.positions.csv_import import CsvError, decode_upload, parse_candidates
from tests.conftest import csrf_token, post_form
from tests.web.helpers import audits


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


def setup_data(bank, weights: dict, question_ids, shown: bool = True) -> dict:
    data = {f"weight_{c}": str(weights.get(c, 0)) for c in bank.competencies}
    if shown:
        data["questions_shown"] = "1"
        data.update({f"q_{q}": "y" for q in question_ids})
    return data


def upload(client, position, content: bytes, name: str = "candidates.csv"):
    token = csrf_token(client.get(f"/positions/{position.id}"))
    return client.post(
        f"/positions/{position.id}/candidates/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def add_candidate(client, position, **fields):
    token = csrf_token(client.get(f"/positions/{position.id}"))
    return client.post(f"/positions/{position.id}/candidates", data={"csrf_token": token, **fields})


def candidates_of(position) -> list[Candidate]:
    query = db.select(Candidate).where(Candidate.position_id == position.id).order_by(Candidate.id)
    return db.session.scalars(query).all()


def interviews_of(candidate) -> list[Interview]:
    query = db.select(Interview).where(Interview.candidate_id == candidate.id)
    return db.session.scalars(query.order_by(Interview.interviewer_id)).all()


# Positions and their setup


def test_position_from_kit_with_changed_weights_and_a_dropped_question(client, hr, bank):
    kit = bank.kits["support-lead"]
    response = post_form(client, "/positions/new", {"title": "Support lead", "kit": kit.id})
    assert response.status_code == 302
    position = db.session.scalars(db.select(Position)).one()
    assert response.headers["Location"].endswith(f"/positions/{position.id}/setup")
    assert [q["id"] for q in position.questions] == list(kit.questions)
    assert (position.weights, position.bank_version) == (dict(kit.weights), bank.version)
    assert audits("position.create")[0].entity_id == position.id

    dropped, kept = "lead-beh-1", [q for q in kit.questions if q != "lead-beh-1"] + ["lead-sit-1"]
    weights = {**kit.weights, "trust": 3, "relationship": 0}
    kept.remove("relationship-beh-2")
    data = setup_data(bank, weights, kept)
    response = post_form(client, f"/positions/{position.id}/setup", data)
    assert response.status_code == 302, response.get_data(as_text=True)

    db.session.refresh(position)
    assert position.weights == {c: float(w) for c, w in weights.items() if w}
    order = list(bank.competencies)
    ids = [q["id"] for q in position.questions]
    assert dropped not in ids and "lead-sit-1" in ids and "relationship-beh-2" not in ids
    assert ids == sorted(
        ids, key=lambda q: (order.index(q.split("-")[0]), list(bank.questions).index(q))
    )
    assert position.questions[0] == bank.questions[ids[0]].snapshot()  # the snapshot is stored
    [changed] = audits("position.weights")
    assert changed.old["weights"]["trust"] == 2 and changed.new["weights"]["trust"] == 3
    [picked] = audits("position.questions")
    assert dropped in picked.old["questions"] and dropped not in picked.new["questions"]


def test_setup_errors_keep_what_was_typed(client, hr, make_position, bank):
    position = make_position()
    before = (dict(position.weights), [q["id"] for q in position.questions])
    no_lead = [q["id"] for q in position.questions if q["competency"] != "lead"]
    data = setup_data(bank, {**position.weights, "lead": 4.5}, no_lead)
    response = post_form(client, f"/positions/{position.id}/setup", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "has a weight but no question" in page
    assert 'value="4.5"' in page  # the typed weight stays

    response = post_form(client, f"/positions/{position.id}/setup", setup_data(bank, {}, []))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Pick at least one interview question" in page
    assert "at least one competency a weight above 0" in page

    data = setup_data(bank, {**position.weights, "own": 11}, before[1])
    response = post_form(client, f"/positions/{position.id}/setup", data)
    assert response.status_code == 422 and "from 0 to 10" in response.get_data(as_text=True)
    db.session.refresh(position)
    assert (position.weights, [q["id"] for q in position.questions]) == before
    assert audits("position.weights") == [] and audits("position.questions") == []


@pytest.mark.parametrize("typed", ["sNaN", "NaN", "nan", "Infinity", "-inf", "1e999"])
def test_a_weight_that_is_not_a_number_is_refused_never_a_500(
    client, hr, make_position, bank, typed
):
    position = make_position()
    before = dict(position.weights)
    ids = [q["id"] for q in position.questions]
    data = setup_data(bank, {**position.weights, "lead": typed}, ids)
    response = post_form(client, f"/positions/{position.id}/setup", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A weight is a number from 0 to 10." in page or "A weight is from 0 to 10." in page
    assert f'value="{typed}"' in page  # what was typed stays
    db.session.refresh(position)
    assert position.weights == before


def test_the_editor_says_when_a_weighted_competency_rests_on_one_question(
    client, hr, make_position, bank
):
    position = make_position()
    page = client.get(f"/positions/{position.id}/setup").get_data(as_text=True)
    assert "Rests on a single interview question" not in page  # every kit asks two or more
    trust = [q["id"] for q in position.questions if q["competency"] == "trust"]
    ids = [q["id"] for q in position.questions if q["id"] not in trust[1:]]
    response = post_form(
        client, f"/positions/{position.id}/setup", setup_data(bank, position.weights, ids)
    )
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lowers customer anxiety, builds trust: Rests on a single interview question" in shown
    assert "reliability of only .54 on it (two questions: .70)" in shown
    page = client.get(f"/positions/{position.id}/setup").get_data(as_text=True)
    assert 'id="thin-trust"' in page and 'id="thin-lead"' not in page


def test_questions_lock_once_an_interview_exists(
    client, hr, bank, make_candidate, make_interview, make_user
):
    candidate = make_candidate()
    position = db.session.get(Position, candidate.position_id)
    make_interview(candidate, make_user("manager"))
    ids = [q["id"] for q in position.questions]
    page = client.get(f"/positions/{position.id}/setup").get_data(as_text=True)
    assert "every candidate must get the same questions" in page
    assert 'name="q_' not in page

    stale = setup_data(bank, position.weights, ids[1:])  # a page opened before the lock
    response = post_form(client, f"/positions/{position.id}/setup", stale)
    assert response.status_code == 422 and "questions are fixed" in response.get_data(as_text=True)

    weights_only = setup_data(bank, {**position.weights, "lead": 2}, (), shown=False)
    assert post_form(client, f"/positions/{position.id}/setup", weights_only).status_code == 302
    db.session.refresh(position)
    assert position.weights["lead"] == 2 and [q["id"] for q in position.questions] == ids


# Candidates


def test_candidates_by_form_and_a_duplicate_refused(client, hr, make_position):
    position = make_position()
    response = add_candidate(
        client, position, name="Ada Lovelace", email="ada@example.org", external_id="ATS-1"
    )
    assert response.status_code == 302
    [ada] = candidates_of(position)
    assert (ada.name, ada.email, ada.external_id) == ("Ada Lovelace", "ada@example.org", "ATS-1")
    assert audits("candidate.create")[0].entity_id == ada.id

    response = add_candidate(client, position, name="Ada Again", email="ADA@example.org")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "this position already has a candidate with this e-mail" in page and "Ada Again" in page
    response = add_candidate(client, position, name="", email="not an address")
    assert response.status_code == 422
    assert len(candidates_of(position)) == 1


def test_csv_keeps_good_rows_and_reports_bad_ones_by_line(
    client, hr, make_position, make_candidate
):
    position = make_position()
    make_candidate(position, email="taken@example.org")
    rows = [
        "Email,Name,Notes,EXTERNAL_ID",
        "ann@example.org,Ann Archer,x,A-1",  # 2: good
        "bob@example.org,,,",  # 3: missing name
        "not-an-email,Cy,,",  # 4: invalid
        "ANN@example.org,Ann Again,,",  # 5: duplicate of line 2
        "taken@example.org,Tia,,",  # 6: already a candidate
        f"long@example.org,{'x' * 201},,",  # 7: too long
        "",
        "dee@example.org,Dee Diaz,,",  # 9: good
    ]
    response = upload(client, position, ("\n".join(rows) + "\n").encode("utf-8-sig"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Added 2 candidates; 5 rows skipped" in page
    for line, reason in [
        (3, "missing name"),
        (4, "invalid e-mail"),
        (5, "duplicate of line 2"),
        (6, "this position already has a candidate with this e-mail"),
        (7, "name too long"),
    ]:
        assert f"Line {line}: {reason}" in page
    added = {c.email: c for c in candidates_of(position)}
    assert added["ann@example.org"].external_id == "A-1" and "dee@example.org" in added
    [entry] = audits("candidate.import")
    assert entry.new["count"] == 2


@pytest.mark.parametrize(
    "content, message",
    [
        ("name,email\nZoë,zoe@example.org\n".encode("latin-1"), "not UTF-8"),
        (b"", "The file is empty"),
        (b"name,phone\nZoe,0301234\n", "no “email” column"),
        (b"name,e-mail,Email address\nZoe,z@example.org,z@example.org\n", "e-mail column twice"),
    ],
)
def test_csv_file_errors_are_one_clear_message(client, hr, make_position, content, message):
    position = make_position()
    response = upload(client, position, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert candidates_of(position) == []


def test_csv_parsing_counts_lines_from_the_header():
    text = 'name;email\n"Multi\nline name";m@example.org\n;x@example.org\n'
    parsed = parse_candidates(text)
    assert [(r.line, r.name, r.external_id) for r in parsed.rows] == [(2, "Multi line name", None)]
    assert [(p.line, p.reason) for p in parsed.problems] == [(4, "missing name")]
    assert decode_upload("\ufeffname,email\n".encode()) == "name,email\n"
    with pytest.raises(CsvError, match="header row"):
        parse_candidates("\n\n")


# Panels


def panel_data(people: dict, confirm: bool = False) -> dict:
    data = {}
    for user, when in people.items():
        data[f"pick_{user.id}"] = "y"
        data[f"when_{user.id}"] = when or ""
    if confirm:
        data["confirm_removal"] = "y"
    return data


def test_a_panel_of_two_creates_two_interviews_with_the_questions(
    client, hr, make_candidate, make_user
):
    candidate = make_candidate()
    position = db.session.get(Position, candidate.position_id)
    one, two = make_user("manager", name="Mo Manager"), make_user("hr", name="Hal Hr")
    data = panel_data({one: "2026-03-02T10:30", two: ""})
    response = post_form(client, f"/candidates/{candidate.id}/panel", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    first, second = interviews_of(candidate)
    assert (first.interviewer_id, second.interviewer_id) == (one.id, two.id)
    assert first.items == position.questions and second.items == position.questions
    assert first.bank_version == position.bank_version
    assert (first.scheduled_for, second.scheduled_for) == (datetime(2026, 3, 2, 10, 30), None)
    assert first.status == "not_started"
    [entry] = audits("panel.assign")
    assert entry.old["interviewers"] == [] and entry.new["interviewers"] == [one.id, two.id]
    page = client.get(f"/candidates/{candidate.id}/panel").get_data(as_text=True)
    assert "Mo Manager" in page and "not started" in page and "2026-03-02T10:30" in page


def test_a_double_submit_of_the_panel_makes_no_duplicate(client, hr, make_candidate, make_user):
    candidate = make_candidate()
    one, two = make_user("manager"), make_user("manager")
    url = f"/candidates/{candidate.id}/panel"
    token = csrf_token(client.get(url))
    data = {**panel_data({one: "", two: "2026-03-02T09:00"}), "csrf_token": token}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert len(interviews_of(candidate)) == 2
    assert len(audits("panel.assign")) == 1  # the repeat changed nothing


def test_removing_a_panellist_needs_confirmation_and_an_unstarted_interview(
    client, hr, make_candidate, make_user, make_interview
):
    candidate = make_candidate()
    idle, busy, stay = (make_user("manager", name=n) for n in ("Ida Idle", "Bea Busy", "Sam Stay"))
    for person in (idle, busy, stay):
        make_interview(candidate, person)
    with write_transaction() as session:
        session.execute(
            db.update(Interview)
            .where(Interview.interviewer_id == busy.id)
            .values(status="in_progress")
        )
    url = f"/candidates/{candidate.id}/panel"

    response = post_form(client, url, panel_data({busy: "", stay: ""}))
    assert response.status_code == 422 and "Ida Idle" in response.get_data(as_text=True)
    assert len(interviews_of(candidate)) == 3  # not confirmed: nothing removed

    response = post_form(client, url, panel_data({stay: ""}, confirm=True))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bea Busy cannot be removed" in page and "would lose their ratings" in page
    assert len(interviews_of(candidate)) == 3

    response = post_form(client, url, panel_data({busy: "", stay: ""}, confirm=True))
    assert response.status_code == 302
    assert [i.interviewer_id for i in interviews_of(candidate)] == [busy.id, stay.id]


# Access, pagination, queries


def test_managers_are_refused_everywhere_here(client, users, login, make_candidate):
    candidate = make_candidate()
    login(users["manager"])
    p, c = candidate.position_id, candidate.id
    for url in ("/positions", "/positions/new", f"/positions/{p}", f"/positions/{p}/setup"):
        assert client.get(url).status_code == 403, url
    for url in (
        "/positions/new",
        f"/positions/{p}/setup",
        f"/positions/{p}/candidates",
        f"/positions/{p}/candidates/import",
        f"/candidates/{c}/panel",
    ):
        assert client.post(url, data={}).status_code == 403, url
    assert client.get(f"/candidates/{c}/panel").status_code == 403


def test_lists_are_paginated(client, hr, make_position, make_candidate):
    position = make_position(title="Big position")
    size = COMPARISON_PAGE  # 25 lines of candidates; 50 positions
    for n in range(size + 1):
        make_candidate(position, name=f"Person {n:03d}", email=f"p{n}@example.org")
    first = client.get(f"/positions/{position.id}").get_data(as_text=True)
    last, next_one = f"Person {size - 1:03d}", f"Person {size:03d}"
    assert last in first and next_one not in first and "Page 1 of 2" in first
    second = client.get(f"/positions/{position.id}?page=2").get_data(as_text=True)
    assert next_one in second and "Person 000" not in second
    for n in range(50):
        make_position(title=f"Opening {n:02d}")
    listing = client.get("/positions").get_data(as_text=True)
    assert "Page 1 of 2" in listing and "Big position" not in listing  # the oldest, on page 2
    assert "Big position" in client.get("/positions?page=2").get_data(as_text=True)


def test_the_position_page_takes_the_same_queries_for_any_number_of_candidates(
    app, client, hr, make_position, make_candidate, make_interview, make_user
):
    position = make_position()
    panel = [make_user("manager"), make_user("manager")]

    def queries_for_page() -> int:
        count = []
        listener = lambda *args: count.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/positions/{position.id}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(count)

    def add(n):
        for _ in range(n):
            candidate = make_candidate(position)
            for person in panel:
                make_interview(candidate, person)

    add(2)
    few = queries_for_page()
    add(10)
    assert queries_for_page() == few


def test_index_lists_positions_and_has_an_empty_state(client, hr, make_position):
    assert "No positions yet" in client.get("/positions").get_data(as_text=True)
    position = make_position(title="Support lead, Berlin")
    page = client.get("/positions").get_data(as_text=True)
    assert "Support lead, Berlin" in page and "Customer support lead" in page
    home = client.get("/").get_data(as_text=True)
    assert f"/positions/{position.id}" in home


def test_a_question_the_bank_no_longer_has_keeps_the_positions_snapshot(
    client, hr, make_position, bank
):
    old = {**bank.questions["lead-beh-1"].snapshot(), "id": "lead-beh-old", "text": "Retired one"}
    position = make_position(questions=[old, bank.questions["own-beh-1"].snapshot()])
    page = client.get(f"/positions/{position.id}/setup").get_data(as_text=True)
    assert "Retired one" in page and "No longer in the question bank" in page
    data = setup_data(bank, {"lead": 1, "own": 1}, ["lead-beh-old", "own-beh-1", "own-beh-2"])
    assert post_form(client, f"/positions/{position.id}/setup", data).status_code == 302
    db.session.refresh(position)
    assert [q["id"] for q in position.questions] == ["lead-beh-old", "own-beh-1", "own-beh-2"]
    assert position.questions[0] == old
