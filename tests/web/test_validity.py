"""Predictive validity through pages: outcomes recorded for hired people only (audited), the
30-outcome minimum, raw and corrected correlations, suggested weights never applied."""

from __future__ import annotations

import math

import pytest

from assessment.extensions import db
from assessment.fairness.models import Outcome
from assessment.models import Position
from assessment.scoring.stats import validity as stats
from tests.conftest import post_form
from tests.web.fairness_data import add_people
from tests.web.helpers import ROLE_REFUSAL, audits


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


def hires(n: int, start: float = 40.0):
    """n advanced people whose overall rises by 2 a person and whose rating follows it,
    and as many declined candidates spread twice as wide (the applicant pool)."""
    people = []
    for i in range(n):
        overall = start + 2 * i
        parts = {"lead:interview": overall}
        people.append({"decision": "advance", "overall": overall, "parts": parts,
                       "rating": 1 + (i * 5) // n, "employed": i % 3 != 0})  # fmt: skip
    for i in range(n):
        people.append({"decision": "decline", "overall": start - 30 + 4 * i})
    return people


def test_not_enough_data_says_how_many_more(client, hr, make_position):
    add_people(make_position(), hr, hires(12))
    page = client.get("/validity").get_data(as_text=True)
    assert (
        "Not enough data yet: 12 of 30 hired people have this outcome; 18 more are needed." in page
    )
    assert "Thorndike II" in page  # the how-to-read note says what the correction is


def test_raw_and_corrected_correlations_once_thirty_have_an_outcome(client, hr, make_position):
    people = hires(30)
    add_people(make_position(), hr, people)
    page = client.get("/validity").get_data(as_text=True)
    assert "Not enough data yet: " not in page.split('id="rating"')[1].split("</section>")[0]
    hired = [p for p in people if p["decision"] == "advance"]
    xs = [p["overall"] for p in hired]
    ys = [float(p["rating"]) for p in hired]
    expected = stats.validity(xs, ys, [p["overall"] for p in people])
    assert f"{expected.r.value:+.2f}" in page
    lo, hi = expected.interval
    assert f"[{lo:+.2f}, {hi:+.2f}]" in page
    assert f"{expected.corrected.value:+.2f}" in page
    assert expected.corrected.value > expected.r.value  # the applicants vary more
    # Hand check of the correction on these figures: u = SD(all) / SD(hired).
    sd = lambda v: math.sqrt(sum((x - sum(v) / len(v)) ** 2 for x in v) / (len(v) - 1))  # noqa: E731
    u = sd([p["overall"] for p in people]) / sd(xs)
    r = expected.r.value
    assert expected.corrected.value == pytest.approx(r * u / math.sqrt(1 - r * r + r * r * u * u))


def test_suggested_weights_are_shown_beside_the_positions_and_never_applied(
    client, hr, make_position
):
    position = make_position(title="Support lead")
    before = dict(position.weights)
    add_people(position, hr, hires(30))
    page = client.get(f"/validity?position={position.id}").get_data(as_text=True)
    assert "Suggested weights" in page and "never applied by themselves" in page
    assert "Support lead</a><br>now" in page
    assert "100%" in page  # only one competency has scores, so it gets all the weight
    db.session.rollback()
    assert db.session.get(Position, position.id).weights == before


def test_outcomes_are_recorded_for_hired_people_only_and_audited(client, hr, make_position):
    hired, held = add_people(make_position(), hr, [{"decision": "advance"}, {"decision": "hold"}])
    listing = client.get("/validity/outcomes").get_data(as_text=True)
    assert "0</strong> of 1 hired person has an outcome" in listing
    response = post_form(client, f"/candidates/{hired}/outcome",
                         {"rating": "4", "rating_months": "6", "employed_12m": "yes"})  # fmt: skip
    assert response.status_code == 302
    db.session.rollback()
    outcome = db.session.get(Outcome, hired)
    assert (outcome.rating, outcome.rating_months, outcome.employed_12m) == (4, 6, True)
    entry = audits("outcome.record")[-1]
    assert entry.entity_id == hired and entry.old is None and entry.new["rating"] == 4
    post_form(client, f"/candidates/{hired}/outcome", {"rating": "2", "rating_months": "12"})
    assert audits("outcome.record")[-1].old["rating"] == 4
    refused = client.get(f"/candidates/{held}/outcome")
    assert refused.status_code == 409
    assert "hired (advanced) candidates only" in refused.get_data(as_text=True)
    assert client.post(f"/candidates/{held}/outcome", data={"rating": "3"}).status_code in (
        400,
        409,
    )
    db.session.rollback()
    assert db.session.get(Outcome, held) is None


@pytest.mark.parametrize(
    "data",
    [{"rating": "9"}, {"rating": "3", "rating_months": "0"}, {"rating": "3", "rating_months": "x"},
     {"employed_12m": "maybe"}, {}],
)  # fmt: skip
def test_bad_outcomes_come_back_with_a_message(client, hr, make_position, data):
    (hired,) = add_people(make_position(), hr, [{"decision": "advance"}])
    response = post_form(client, f"/candidates/{hired}/outcome", {"rating_months": "6", **data})
    assert response.status_code == 422
    db.session.rollback()
    assert db.session.get(Outcome, hired) is None


def test_unknown_things_are_404(client, hr):
    assert client.get("/candidates/999/outcome").status_code == 404
    assert client.get("/validity?position=999").status_code == 404
    assert client.get("/validity/outcomes?position=999").status_code == 404
    huge = "99999999999999999999"  # more than any id column holds: no route, no database error
    assert client.get(f"/candidates/{huge}/outcome").status_code == 404
    assert client.get(f"/validity?position={huge}").status_code == 404


@pytest.mark.parametrize("role", ["manager", "expert"])
def test_only_hr_and_admins(client, users, make_user, login, role):
    login(users["manager"] if role == "manager" else make_user("expert"))
    for url in ("/validity", "/validity/outcomes", "/candidates/1/outcome"):
        response = client.get(url)
        assert response.status_code == 403
        assert ROLE_REFUSAL in response.get_data(as_text=True)


def test_a_panellist_with_an_open_interview_sees_neither_that_outcome_nor_the_decision(
    client, users, login, make_position, make_interview
):
    from assessment.models import Candidate

    hired, other = add_people(make_position(), users["hr"], [{"decision": "advance"}] * 2)
    make_interview(db.session.get(Candidate, hired), users["hr"])
    login(users["hr"])
    listing = client.get("/validity/outcomes").get_data(as_text=True)
    assert f"/candidates/{other}/outcome" in listing
    assert f"/candidates/{hired}/outcome" not in listing
    assert client.get(f"/candidates/{hired}/outcome").status_code == 403
