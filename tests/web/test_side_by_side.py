"""Two to four candidates of a position side by side: overlaid chart, overall with bands and
the not-reliably-different wording, evidence per competency; sealed columns; refusals."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from assessment.blind import candidate_code
from tests.web.helpers import ROLE_REFUSAL, rate_every_question


@pytest.fixture
def four(users, make_position, make_candidate, make_interview):
    """A position with four candidates rated 2, 4, 4 and 5 by the manager (submitted)."""
    position = make_position()
    people = []
    for n, value in enumerate((2, 4, 4, 5)):
        person = make_candidate(position, name=f"Person {'ABCD'[n]}{value}")
        rate_every_question(
            make_interview(person, users["manager"]), value, f"note-for-{person.name}"
        )
        people.append(person)
    return position, people


def compare_url(position, *ids) -> str:
    return f"/positions/{position.id}/compare?" + "&".join(f"c={i}" for i in ids)


def test_two_candidates_side_by_side(client, login, users, four):
    position, (p2, p4, p4b, p5) = four
    login(users["hr"])
    response = client.get(compare_url(position, p4.id, p4b.id))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 candidates side by side" in page
    assert p4.name in page and p4b.name in page and p2.name not in page
    # Equal scores: level, never ranked; both bands are shown.
    assert "A and B are not reliably different" in page and "reliably higher" not in page
    assert page.count("[") >= 2
    # The overlaid chart: a lane per candidate in every row, well-formed SVG.
    svgs = re.findall(r"<svg viewBox.*?</svg>", page, flags=re.S)
    assert len(svgs) >= 2
    for svg in svgs:
        ElementTree.fromstring(svg)
    # Evidence per competency, next to each other: each one's notes in its own column.
    assert f"note-for-{p4.name}" in page and f"note-for-{p4b.name}" in page
    assert "All methods combined" in page and "Self-view" in page and "Flags" in page


def test_four_candidates_with_reliable_and_unreliable_differences(client, login, users, four):
    position, (p2, p4, p4b, p5) = four
    login(users["hr"])
    page = client.get(compare_url(position, p2.id, p4.id, p4b.id, p5.id)).get_data(as_text=True)
    assert "4 candidates side by side" in page
    assert all(p.name in page for p in (p2, p4, p4b, p5))
    assert "B and C are not reliably different" in page
    assert "B is reliably higher than A" in page and "D is reliably higher than A" in page
    assert page.index(p2.name) < page.index(p4.name) < page.index(p5.name)  # as picked


def test_a_candidate_without_evidence_is_left_out_of_the_readings(
    client, login, users, four, make_candidate
):
    position, (p2, *_rest) = four
    empty = make_candidate(position, name="No Evidence Yet")
    login(users["admin"])
    page = client.get(compare_url(position, p2.id, empty.id)).get_data(as_text=True)
    assert "insufficient evidence" in page
    assert "B has no overall score yet and is left out of the comparison" in page


@pytest.mark.parametrize("count", [0, 1, 5])
def test_fewer_than_two_or_more_than_four_are_refused(
    client, login, users, four, make_candidate, count
):
    position, people = four
    people = people + [make_candidate(position)]
    login(users["hr"])
    response = client.get(compare_url(position, *[p.id for p in people[:count]]))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Pick 2 to 4 candidates" in page and "Compare selected" in page
    assert f'href="/positions/{position.id}"' in page


def test_a_repeated_candidate_counts_once(client, login, users, four):
    position, (p2, *_) = four
    login(users["hr"])
    assert client.get(compare_url(position, p2.id, p2.id)).status_code == 400


def test_a_candidate_of_another_position_or_none_at_all_is_refused(
    client, login, users, four, make_candidate
):
    position, (p2, *_) = four
    stranger = make_candidate(name="Elsewhere Person")  # in a new position
    login(users["hr"])
    for other in (stranger.id, 999999):
        response = client.get(compare_url(position, p2.id, other))
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert f"No candidate {other} in" in page and "Elsewhere Person" not in page
    bad = client.get(f"/positions/{position.id}/compare?c={p2.id}&c=abc")
    assert bad.status_code == 400 and "is not a candidate id" in bad.get_data(as_text=True)
    assert client.get(compare_url(type("P", (), {"id": 999999}), p2.id, 1)).status_code == 404


def test_an_hr_panellist_gets_a_sealed_column_until_their_own_submit(
    client, login, users, four, make_candidate, make_interview
):
    position, (p2, *_) = four
    mine = make_candidate(position, name="Mine To Interview")
    rate_every_question(make_interview(mine, users["manager"]), 5, "colleague-secret-note")
    own = make_interview(mine, users["hr"])
    login(users["hr"])
    page = client.get(compare_url(position, p2.id, mine.id)).get_data(as_text=True)
    assert "Submit your own interview first" in page and "sealed" in page
    assert "colleague-secret-note" not in page and f"note-for-{p2.name}" in page
    assert "Mine To Interview" in page  # the name (the position is not blind)
    rate_every_question(own, 4, "my-own-note")
    page = client.get(compare_url(position, p2.id, mine.id)).get_data(as_text=True)
    assert "colleague-secret-note" in page and "my-own-note" in page


def test_names_follow_blind_review(
    client, login, users, make_position, make_candidate, make_interview
):
    position = make_position(blind=True)
    people = [make_candidate(position, name=f"Secret Name {n}") for n in range(2)]
    for person in people:
        rate_every_question(make_interview(person, users["manager"]), 3, "fine")
    login(users["hr"])
    page = client.get(compare_url(position, *[p.id for p in people])).get_data(as_text=True)
    assert "Secret Name" not in page and "@example.org" not in page
    assert candidate_code(people[0]) in page and candidate_code(people[1]) in page
    assert "Blind review" in page


def test_a_hostile_name_is_escaped_in_the_chart(
    client, login, users, make_position, make_candidate
):
    position = make_position()
    people = [make_candidate(position, name="<script>alert(1)</script>"), make_candidate(position)]
    login(users["hr"])
    page = client.get(compare_url(position, *[p.id for p in people])).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_managers_cannot_compare(client, login, users, four):
    position, (p2, p4, *_) = four
    login(users["manager"])
    response = client.get(compare_url(position, p2.id, p4.id))
    assert response.status_code == 403 and ROLE_REFUSAL in response.get_data(as_text=True)


def test_the_position_page_has_the_compare_form(client, login, users, four):
    position, _ = four
    login(users["hr"])
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert f'id="compare-form" method="get" action="/positions/{position.id}/compare"' in page
    assert "Compare selected" in page


def test_a_draft_counts_in_no_reading(client, login, users, four, make_candidate, make_interview):
    """A candidate whose only interview is in progress is left out of the readings, however
    high the draft's ratings: drafts count nowhere."""
    from assessment.database import write_transaction
    from assessment.models import Interview, Rating

    position, (p2, *_rest) = four
    drafted = make_candidate(position, name="Drafted Five")
    interview = make_interview(drafted, users["manager"])
    with write_transaction() as session:
        row = session.get(Interview, interview.id)
        row.status = "in_progress"
        for q in row.items:
            session.add(Rating(interview_id=row.id, question_id=q["id"], value=5, notes="Draft"))
    login(users["admin"])
    page = client.get(compare_url(position, p2.id, drafted.id)).get_data(as_text=True)
    assert "reliably higher" not in page
    assert "B has no overall score yet and is left out of the comparison." in page
    assert "in progress, not counted" in page
