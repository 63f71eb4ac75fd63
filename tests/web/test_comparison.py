"""The comparison list of a position: summary rows kept current by every save, sorting,
filtering, pages, sealed scores, "not reliably different" marks, blind codes, queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import and_, insert

from assessment.comparison.cells import render_cells
from assessment.comparison.listing import PAGE_SIZE
from assessment.comparison.refresh import refresh_summaries, refresh_summary
from assessment.comparison.summary_model import (
    DECISION_RANKS,
    SELF_RANKS,
    CandidateSummary,
    CompetencySummary,
)
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.interviews.services import RatingInput, record_ratings, submit_interview
from assessment.models import Candidate, Decision, Interview, Position, utcnow
from assessment.positions.panels import assign_panel
from assessment.positions.services import add_candidate, import_candidates, save_position_setup
from assessment.question_bank import current_bank
from assessment.scorecard import build_scorecard
from assessment.selfassess.answers import (
    AnswerInput,
    record_answer,
    record_consent,
    submit_assessment,
)
from assessment.selfassess.invites import create_invite
from tests.web.helpers import statements_during

ROW = re.compile(r'<tr(?: class="tied")?>\s*.*?</tr>', re.S)
NAME = re.compile(r'<th scope="row" class="who"><a href="/candidates/(\d+)">')
TIE = "≈ above"


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


def entry(score: float) -> dict:
    """A competency's stored entry: interviews only, SEM 5."""
    parts = {"interview": [score, 5.0, True], "scenario": [None] * 3, "self": [None] * 3}
    band = {"lo": score - 9.8, "hi": score + 9.8}
    return {"score": score, "sem": 5.0, **band, "reason": None, "parts": parts, "flags": []}


def summary(candidate, scores=None, **values):
    """Give a candidate's summary row chosen values (column → value; `scores`: competency →
    score), the rest as a candidate without evidence has them, and store its cells."""
    if values.get("overall") is not None:
        sem = values.setdefault("overall_sem", 5.0)
        values.update(overall_lo=values["overall"] - 1.96 * sem)
        values.update(overall_hi=values["overall"] + 1.96 * sem)
    if "self_status" in values:
        values["self_rank"] = SELF_RANKS[values["self_status"]]
    values["decision_rank"] = DECISION_RANKS[values.get("decision")]
    values["competencies"] = {c: entry(s) for c, s in (scores or {}).items()}
    S, CC = CandidateSummary.__table__, CompetencySummary.__table__
    with write_transaction() as session:
        refresh_summaries([candidate.id])  # as no evidence leaves it
        session.execute(S.update().where(S.c.candidate_id == candidate.id).values(**values))
        for c, score in (scores or {}).items():
            mine = and_(CC.c.candidate_id == candidate.id, CC.c.competency == c)
            session.execute(CC.update().where(mine).values(score=score, sem=5.0))
        row = session.execute(S.select().where(S.c.candidate_id == candidate.id)).one()
        order = list(session.get(Position, candidate.position_id).weights)
        cells = render_cells(row._asdict(), order)  # as refresh.py stores them
        session.execute(S.update().where(S.c.candidate_id == candidate.id).values(cells=cells))


def listed(client, position, query="") -> list[int]:
    """The candidate ids in the order the page lists them."""
    page = client.get(f"/positions/{position.id}{query}")
    assert page.status_code == 200, page.get_data(as_text=True)
    return [int(i) for i in NAME.findall(page.get_data(as_text=True))]


def rows_of(page: str) -> list[str]:
    return ROW.findall(page.split("<tbody>", 1)[1])


def stored(candidate) -> CandidateSummary:
    db.session.expire_all()
    return db.session.get(CandidateSummary, candidate.id)


# --- the summary row follows every save ------------------------------------------------


def test_the_summary_follows_ratings_submits_and_the_self_assessment(
    app, users, make_user, make_candidate
):
    hr, admin = users["hr"], make_user("admin")
    candidate = make_candidate()
    one, two = make_user("manager"), make_user("manager")
    assign_panel(candidate.id, {one.id: None, two.id: None}, hr)
    row = stored(candidate)
    assert (row.interviews_done, row.interviews_planned, row.overall) == (0, 2, None)
    assert row.self_status == "none"

    position = db.session.get(Position, candidate.position_id)
    interviews = {
        i.interviewer_id: i
        for i in db.session.scalars(
            db.select(Interview).where(Interview.candidate_id == candidate.id)
        )
    }
    entries = [RatingInput(q["id"], "4", "A concrete example.") for q in position.questions]
    entries.append(RatingInput("recommendation", "yes", "Concrete examples."))  # to submit
    record_ratings(interviews[one.id].id, one, entries)
    assert stored(candidate).overall is None  # a draft counts nowhere, rankings included

    submit_interview(interviews[one.id].id, one)
    row = stored(candidate)
    assert row.interviews_done == 1
    assert row.overall == pytest.approx(75)  # all 4s; the interviews carry 60% of the weight
    assert row.overall == build_scorecard(candidate.id, admin).score.overall.score
    assert all(entry["score"] == pytest.approx(75) for entry in row.competencies.values())
    record_ratings(
        interviews[two.id].id,
        two,
        [RatingInput(q["id"], "5", "Strong.") for q in position.questions]
        + [RatingInput("recommendation", "strong_yes", "Strong throughout.")],
    )
    assert all(e["score"] == pytest.approx(75) for e in stored(candidate).competencies.values())
    submit_interview(interviews[two.id].id, two)
    assert all(e["score"] == pytest.approx(87.5) for e in stored(candidate).competencies.values())

    assessment, _ = create_invite(candidate.id, hr)
    assert stored(candidate).self_status == "invited"
    record_consent(assessment.id)
    item = assessment.items[0]
    answer = (
        AnswerInput(most=item["responses"][0]["id"], least=item["responses"][1]["id"])
        if item["type"] == "scenario"
        else AnswerInput(value="4")
    )
    record_answer(assessment.id, 1, answer)
    row = stored(candidate)
    assert (row.self_status, row.self_answered, row.self_total) == (
        "in_progress",
        1,
        len(assessment.items),
    )
    for number, item in enumerate(assessment.items, 1):
        if item["type"] == "scenario":
            ids = [r["id"] for r in item["responses"]]
            record_answer(assessment.id, number, AnswerInput(most=ids[0], least=ids[-1]))
        else:
            record_answer(assessment.id, number, AnswerInput(value="3"))
    submit_assessment(assessment.id)
    row = stored(candidate)
    card = build_scorecard(candidate.id, admin)
    assert row.self_status == "submitted"
    assert row.overall == pytest.approx(card.score.overall.score)
    assert (row.overall_lo, row.overall_hi) == pytest.approx(card.score.overall.band)
    assert row.label == card.score.overall.label
    assert row.flag_count == len(card.score.flags)


def test_a_drafts_saves_leave_the_summary_alone_and_the_submit_refreshes_it(
    app, users, make_user, make_candidate
):
    candidate = make_candidate()
    manager = make_user("manager")
    assign_panel(candidate.id, {manager.id: None}, users["hr"])
    interview = db.session.scalar(
        db.select(Interview).where(Interview.candidate_id == candidate.id)
    )
    first = db.session.get(Position, candidate.position_id).questions[0]["id"]
    record_ratings(interview.id, manager, [RatingInput(first, "4", "First note.")])
    written = stored(candidate).updated_at
    save = record_ratings(interview.id, manager, [RatingInput(first, "4", "A longer note.")])
    assert save.answered == 1  # counted from the ratings as stored now
    assert stored(candidate).updated_at == written  # notes change no score: no recompute
    record_ratings(interview.id, manager, [RatingInput(first, "2", "A longer note.")])
    assert stored(candidate).updated_at == written  # nor does a draft's rating
    position = db.session.get(Position, candidate.position_id)
    rest = [RatingInput(q["id"], "3", "Heard.") for q in position.questions[1:]]
    rest.append(RatingInput("recommendation", "no", "Mixed evidence."))
    record_ratings(interview.id, manager, rest)
    submit_interview(interview.id, manager)
    row = stored(candidate)
    assert row.updated_at > written
    assert row.overall is not None
    assert row.overall == build_scorecard(candidate.id, users["hr"]).score.overall.score


def test_a_repeated_answer_leaves_the_summary_alone_and_a_changed_one_refreshes_it(
    app, users, make_candidate
):
    candidate = make_candidate()
    assessment, _ = create_invite(candidate.id, users["hr"])
    record_consent(assessment.id)
    number, item = next(
        (n, i) for n, i in enumerate(assessment.items, 1) if i["type"] == "statement"
    )
    record_answer(assessment.id, number, AnswerInput(value="4"))
    written = stored(candidate).updated_at
    record_consent(assessment.id)  # a resume: already started
    record_answer(assessment.id, number, AnswerInput(value="4"))  # Next after the script's save
    assert stored(candidate).updated_at == written
    record_answer(assessment.id, number, AnswerInput(value="2"))
    assert stored(candidate).updated_at > written


def test_a_decision_and_new_weights_reach_the_summary(app, users, make_candidate, make_user):
    candidate = make_candidate()
    manager = make_user("manager")
    assign_panel(candidate.id, {manager.id: None}, users["hr"])
    interview = db.session.scalar(
        db.select(Interview).where(Interview.candidate_id == candidate.id)
    )
    position = db.session.get(Position, candidate.position_id)
    entries = [
        RatingInput(q["id"], "5" if q["competency"] == "lead" else "3", "Heard it.")
        for q in position.questions
    ] + [RatingInput("recommendation", "yes", "Leads well.")]
    record_ratings(interview.id, manager, entries)
    submit_interview(interview.id, manager)
    with write_transaction() as session:
        for decision in ("hold", "advance"):
            session.add(
                Decision(
                    candidate_id=candidate.id,
                    decided_by_id=users["hr"].id,
                    decision=decision,
                    rationale="Why.",
                )
            )
            session.flush()
        refresh_summary(candidate.id)  # what helper C's decision service calls
    row = stored(candidate)
    assert (row.decision, row.decision_rank) == ("advance", DECISION_RANKS["advance"])

    before = stored(candidate).overall
    weights = {c: (5.0 if c == "lead" else 1.0) for c in position.weights}
    weights["relationship"] = 0  # leaves the kit: its sort rows go too
    save_position_setup(position.id, weights, None, current_bank(), users["hr"])
    kept = {c for c, w in weights.items() if w}
    assert set(stored(candidate).competencies) == kept
    sortable = db.session.scalars(
        db.select(CompetencySummary.competency).where(
            CompetencySummary.candidate_id == candidate.id
        )
    )
    assert set(sortable) == kept
    after = stored(candidate).overall
    assert after > before  # "lead" rated 5, the rest 3: more weight on lead, a higher overall
    assert after == pytest.approx(build_scorecard(candidate.id, users["admin"]).score.overall.score)


def test_candidates_added_by_form_or_csv_get_a_row_and_the_command_rebuilds(
    app, hr, make_position, runner
):
    position = make_position()
    ada = add_candidate(position.id, "Ada", "ada@example.org", None, hr)
    import_candidates(position.id, b"name,email\nBo,bo@example.org\n", hr)
    assert stored(ada) is not None
    bo = db.session.scalar(db.select(Candidate).where(Candidate.name == "Bo"))
    assert stored(bo).self_status == "none"

    with write_transaction() as session:
        session.execute(db.delete(CompetencySummary))
        session.execute(db.delete(CandidateSummary))
    result = runner.invoke(args=["rebuild-summaries"])
    assert result.exit_code == 0 and "Rebuilt 2 candidate summaries" in result.output
    assert stored(ada) is not None and stored(bo) is not None


def test_candidates_without_a_summary_row_are_summarised_when_listed(
    client, hr, make_position, make_candidate
):
    position = make_position()
    made = [make_candidate(position, name=f"Person {n}") for n in range(3)]  # no services
    assert stored(made[0]) is None
    assert listed(client, position) == [c.id for c in made]
    assert all(stored(c) is not None for c in made)


def test_adding_a_candidate_summarises_those_added_before_outside_the_services(
    client, hr, make_position, make_candidate
):
    """The list checks only that the newest candidate has a summary row (one index step),
    so adding one summarises any older one still without."""
    position = make_position()
    early = make_candidate(position, name="Early")  # no services: no summary row
    late = add_candidate(position.id, "Late", "late@example.org", None, hr)
    assert stored(early) is not None
    assert sorted(listed(client, position)) == sorted([early.id, late.id])


def test_cells_of_an_older_version_are_made_again_when_listed(
    client, hr, make_position, make_candidate
):
    position = make_position()
    ada = make_candidate(position, name="Ada")
    summary(ada, overall=61.0, scores={"lead": 48.0})
    current = stored(ada).cells
    old = "c0ld\n" + current.split("\n", 1)[1].replace("61", "99")  # another template's
    with write_transaction() as session:
        session.execute(
            db.update(CandidateSummary).where(CandidateSummary.candidate_id == ada.id),
            {"cells": old},
        )
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert listed(client, position) == [ada.id] and ">99<" not in page
    assert stored(ada).cells.split("\n", 1)[0] == current.split("\n", 1)[0]  # written again


# --- sorting, filtering, pages ---------------------------------------------------------


# The five candidates' chosen summaries: (name, overall, lead score, interviews done of
# planned, self-assessment, flag codes, decision).
FIVE = (
    ("Cora", 70.0, 40.0, (2, 2), "submitted", ("disagreement",), "advance"),
    ("Abe", 40.0, 90.0, (1, 3), "in_progress", (), "decline"),
    ("Eve", None, None, (0, 0), "invited", ("self_gap", "straight_lining"), None),
    ("Dan", 55.0, 60.0, (3, 3), "submitted", (), "hold"),
    ("Bea", 85.0, None, (0, 1), "revoked", (), None),
)


@pytest.fixture
def five(make_position, make_candidate):
    """Five candidates with the summaries of FIVE; (position, [a, b, c, d, e])."""
    position = make_position()
    people = []
    for name, overall, lead, (done, planned), status, flags, decision in FIVE:
        person = make_candidate(position, name=name)
        summary(
            person,
            scores={} if lead is None else {"lead": lead},
            overall=overall,
            interviews_done=done,
            interviews_planned=planned,
            self_status=status,
            flag_count=len(flags),
            flag_codes=f",{','.join(flags)}," if flags else "",
            decision=decision,
        )
        people.append(person)
    return position, people


def test_sorting_by_each_kind_of_column(client, hr, five):
    position, (a, b, c, d, e) = five
    ids = lambda *people: [p.id for p in people]  # noqa: E731
    assert listed(client, position) == ids(b, e, a, d, c)  # by name: Abe, Bea, Cora, Dan, Eve
    assert listed(client, position, "?sort=candidate&dir=desc") == ids(c, d, a, e, b)
    # Scores: missing values last in both directions.
    assert listed(client, position, "?sort=overall") == ids(e, a, d, b, c)
    assert listed(client, position, "?sort=overall&dir=asc") == ids(b, d, a, e, c)
    assert listed(client, position, "?sort=c.lead") == ids(b, d, a, c, e)
    assert listed(client, position, "?sort=c.lead&dir=asc") == ids(a, d, b, c, e)
    # Statuses: ties broken by id, in the same direction.
    assert listed(client, position, "?sort=interviews") == ids(d, a, b, e, c)
    assert listed(client, position, "?sort=self&dir=asc") == ids(e, c, b, a, d)
    assert listed(client, position, "?sort=flags") == ids(c, a, e, d, b)
    assert listed(client, position, "?sort=decision") == ids(a, d, b, e, c)


@pytest.mark.parametrize(
    "query", ["?sort=name desc, (select 1)", "?sort=c.nope", "?dir=sideways", "?flag=evil"]
)
def test_unknown_sort_keys_and_filters_are_refused(client, hr, five, query):
    position, _ = five
    assert client.get(f"/positions/{position.id}{query}").status_code == 400


def test_filters(client, hr, five):
    position, (a, b, c, d, e) = five
    ids = lambda *people: sorted(p.id for p in people)  # noqa: E731
    got = lambda q: sorted(listed(client, position, q))  # noqa: E731
    assert got("?interviews=complete") == ids(a, d)
    assert got("?interviews=open") == ids(b, e)
    assert got("?interviews=none") == ids(c)
    assert got("?selfassess=submitted") == ids(a, d)
    assert got("?selfassess=revoked") == ids(e)
    assert got("?decision=none") == ids(c, e)
    assert got("?decision=hold") == ids(d)
    assert got("?flag=any") == ids(a, c)
    assert got("?flag=none") == ids(b, d, e)
    assert got("?flag=straight_lining") == ids(c)
    assert got("?flag=disagreement&interviews=complete") == ids(a)
    line = next(r for r in rows_of(client.get(f"/positions/{position.id}").get_data(as_text=True))
                if f"/candidates/{c.id}\"" in r)  # fmt: skip
    # The kinds open with a tap or the keyboard (a <details>), not only on hover.
    assert '<span class="tip-text">2 flags: self-view gap, straight-lining</span>' in line
    page = client.get(f"/positions/{position.id}?flag=too_fast_statements").get_data(as_text=True)
    assert "No candidate matches these filters" in page and "Clear filters" in page


def test_an_expired_link_is_its_own_status(client, hr, make_position, make_candidate):
    position = make_position()
    late, fine = make_candidate(position), make_candidate(position)
    summary(late, self_status="invited", self_expires_at=utcnow() - timedelta(days=1))
    summary(fine, self_status="invited", self_expires_at=utcnow() + timedelta(days=1))
    assert listed(client, position, "?selfassess=expired") == [late.id]
    assert listed(client, position, "?selfassess=invited") == [fine.id]
    assert "link expired" in client.get(f"/positions/{position.id}").get_data(as_text=True)


def test_pages_keep_the_sort_and_the_filters(client, hr, make_position, make_candidate):
    position = make_position()
    size = PAGE_SIZE
    people = [make_candidate(position, name=f"P{n:03d}") for n in range(2 * size + 20)]
    for n, person in enumerate(people):
        # Overall 100 − n/4 with SEM 5: neighbours 0.25 apart, far within 1.96·√50 = 13.9.
        summary(person, overall=100 - n / 4, flag_count=1, flag_codes=",self_gap,")
    query = "?sort=overall&flag=self_gap"
    first = client.get(f"/positions/{position.id}{query}").get_data(as_text=True)
    assert "Page 1 of 3" in first
    nxt = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "sort=overall" in nxt and "flag=self_gap" in nxt and "page=2" in nxt
    second = client.get(nxt).get_data(as_text=True)
    ids = [int(i) for i in NAME.findall(second)]
    assert ids == [p.id for p in people[size : 2 * size]]
    # The first line of page 2 is compared with the last line of page 1.
    assert TIE in rows_of(second)[0]
    sort_link = re.search(r'href="([^"]+)">Decision', second).group(1).replace("&amp;", "&")
    assert "flag=self_gap" in sort_link and "sort=decision" in sort_link
    assert "page=" not in sort_link  # a new sort starts at page 1
    third = listed(client, position, query + "&page=3")
    assert third == [p.id for p in people[2 * size :]]
    assert listed(client, position, query + "&page=99") == third  # past the end: the last


# --- not reliably different, sealed, blind ---------------------------------------------


def test_neighbours_within_measurement_error_are_marked(client, hr, make_position, make_candidate):
    """SEM 10 each: the threshold is 1.96·√(10² + 10²) = 27.72 on 0-100."""
    position = make_position()
    a, b, c, d = (make_candidate(position, name=n) for n in "ABCD")
    summary(a, overall=90.0, overall_sem=10.0, scores={"lead": 80.0})
    summary(b, overall=70.0, overall_sem=10.0, scores={"lead": 79.0})  # 20 below a: tied
    summary(c, overall=42.0, overall_sem=10.0, scores={"lead": 50.0})  # 28 below b: different
    summary(d, overall=None)
    page = client.get(f"/positions/{position.id}?sort=overall").get_data(as_text=True)
    lines = rows_of(page)
    assert [TIE in line for line in lines] == [False, True, False, False]
    assert "not reliably different from the one above" in lines[1]
    # By a competency (SEM 5 each, threshold 13.86): 80 vs 79 tied, 79 vs 50 not.
    page = client.get(f"/positions/{position.id}?sort=c.lead").get_data(as_text=True)
    assert [TIE in line for line in rows_of(page)] == [False, True, False, False]
    # Sorted by name no rank is implied, so nothing is marked.
    assert TIE not in "".join(
        rows_of(client.get(f"/positions/{position.id}").get_data(as_text=True))
    )


def test_scores_stay_sealed_for_hr_on_the_panel_until_they_submit(
    client, users, login, make_position, make_candidate, make_interview
):
    hr = users["hr"]
    position = make_position()
    mine, other = make_candidate(position, name="Mine"), make_candidate(position, name="Other")
    interview = make_interview(mine, hr)
    summary(mine, overall=99.0, flag_count=1, flag_codes=",disagreement,")
    summary(other, overall=10.0, flag_count=1, flag_codes=",disagreement,")
    login(hr)
    page = client.get(f"/positions/{position.id}?sort=overall").get_data(as_text=True)
    mine_row, other_row = rows_of(page)[1], rows_of(page)[0]  # sealed: listed last
    assert "Sealed until you submit your interview" in mine_row and "99" not in mine_row
    assert "interviewers disagree" not in mine_row
    assert '<span class="num-score">10</span>' in other_row
    assert "have not submitted your interview" in page
    assert listed(client, position, "?flag=disagreement") == [other.id]
    assert listed(client, position, "?sort=flags") == [other.id, mine.id]
    with write_transaction() as session:
        row = session.get(Interview, interview.id)
        row.status, row.submitted_at = "submitted", utcnow()
    assert listed(client, position, "?sort=overall") == [mine.id, other.id]
    assert "Sealed until" not in client.get(f"/positions/{position.id}").get_data(as_text=True)


@pytest.mark.parametrize("blind", [True, False])
def test_blind_review_shows_codes_to_hr(client, hr, make_position, make_candidate, blind):
    position = make_position(blind=blind)
    ada = make_candidate(position, name="Ada Lovelace", email="ada@example.org")
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    code = f"Candidate {ada.code}"
    if blind:
        assert code in page and "Ada Lovelace" not in page and "ada@example.org" not in page
    else:
        assert "Ada Lovelace" in page and "ada@example.org" in page


def test_managers_may_not_see_the_list(client, users, login, five):
    position, _ = five
    login(users["manager"])
    response = client.get(f"/positions/{position.id}?sort=overall")
    assert response.status_code == 403


def test_empty_position_says_what_to_do(client, hr, make_position):
    position = make_position()
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "No candidates yet" in page and "<table" not in page
    assert f'href="/positions/{position.id}/candidates">Add candidates' in page
    forms = client.get(f"/positions/{position.id}/candidates").get_data(as_text=True)
    assert "Add a candidate" in forms and "Upload candidates (CSV)" in forms


# --- queries ---------------------------------------------------------------------------


def _grow(position, start: int, count: int, interviewers) -> None:
    """Bulk: candidates with two interviews and a summary row each."""
    with write_transaction() as session:
        ids = range(start, start + count)
        session.execute(
            insert(Candidate.__table__),
            [
                dict(
                    id=i,
                    position_id=position.id,
                    name=f"P{i}",
                    email=f"p{i}@x.org",
                    created_at=utcnow(),
                )
                for i in ids
            ],
        )
        session.execute(
            insert(Interview.__table__),
            [
                dict(
                    candidate_id=i,
                    interviewer_id=u.id,
                    status="submitted",
                    bank_version="v",
                    items=[],
                    created_at=utcnow(),
                )
                for i in ids
                for u in interviewers
            ],
        )
    with write_transaction():
        refresh_summaries(list(ids))


@pytest.mark.parametrize("query", ["", "?sort=overall", "?sort=c.lead&flag=any", "?sort=self"])
def test_the_list_takes_the_same_few_queries_at_10_and_200_candidates(
    client, hr, make_position, make_user, query
):
    position = make_position()
    panel = [make_user("manager"), make_user("manager")]

    def count() -> int:
        url = f"/positions/{position.id}{query}"
        return len(statements_during(lambda: client.get(url)))

    _grow(position, 1, 10, panel)
    few = count()
    _grow(position, 11, 190, panel)
    assert count() == few <= 10
