"""The adverse-impact report (/fairness and its CSV) on hand-computed tables, through pages."""

from __future__ import annotations

import pytest

from tests.web.fairness_data import add_people, group, selected
from tests.web.helpers import ROLE_REFUSAL, read_csv


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


def rows_of(client, **query) -> dict[tuple[str, str, str], dict]:
    data = read_csv(client.get("/fairness.csv", query_string=query).data)
    return {(r["scope"], r["table"], r["group"]): r for r in data}


def test_the_published_example_through_the_page_and_the_csv(client, hr, make_position):
    # SCIENCE §10 / the Uniform Guidelines' Q&A: 12 of 40 (.30) against 48 of 80 (.60).
    position = make_position(title="Support lead")
    add_people(
        position, hr, selected(12, 40, group(sex="female")) + selected(48, 80, group(sex="male"))
    )
    page = client.get("/fairness").get_data(as_text=True)
    assert "120</strong> candidates with a final decision" in page
    assert "0.50" in page and "below .80" in page
    row = rows_of(client)[("All positions", "Sex", "Female")]
    assert (row["candidates"], row["advanced"], row["selection rate"]) == ("40", "12", "0.3")
    assert float(row["impact ratio"]) == pytest.approx(0.5)
    assert (
        float(row["impact ratio 95% low"]),
        float(row["impact ratio 95% high"]),
    ) == pytest.approx((0.3014, 0.8294), abs=1e-4)
    assert row["below four-fifths"] == "yes"
    assert float(row["Z_IR"]) == pytest.approx(-3.5794, abs=1e-4)
    assert float(row["Fisher exact p (two-sided)"]) == pytest.approx(0.003409, abs=1e-6)
    male = rows_of(client)[("All positions", "Sex", "Male")]
    assert male["reference group"] == "yes" and male["impact ratio"] == "1.0"
    # The same figures for the position, which is the only one.
    assert rows_of(client)[("Support lead", "Sex", "Female")]["impact ratio"] == "0.5"


def test_fisher_and_z_ir_on_a_small_hand_computed_table(client, hr, make_position):
    # 3 of 10 against 6 of 10: Fisher's tables with 9 selected have weights 10, 450, 5400,
    # 25200, 52920, 52920, 25200, 5400, 450, 10 (of C(20,9) = 167960); those no more likely
    # than the observed 25200 add to 62120: p = .3698. Z_IR: ln(.5)/√(.55/.45 · .2) = −1.402.
    position = make_position()
    people = selected(3, 10, group(race="black")) + selected(6, 10, group(race="white"))
    add_people(position, hr, people)
    row = rows_of(client)[("All positions", "Race or ethnicity", "Black")]
    assert float(row["Fisher exact p (two-sided)"]) == pytest.approx(62120 / 167960, abs=1e-4)
    assert float(row["Z_IR"]) == pytest.approx(-1.402, abs=1e-3)
    assert row["low power (under 30)"] == "yes"
    assert row["below four-fifths"] == "yes"


def test_small_groups_are_hidden_with_the_reason_and_nothing_gives_them_back(
    client, hr, make_position
):
    position = make_position()
    people = (selected(6, 12, group(sex="female")) + selected(5, 10, group(sex="male"))
              + selected(2, 2, group(sex="another")) + selected(3, 7, {}))  # fmt: skip
    add_people(position, hr, people)
    rows = rows_of(client)
    another = rows[("All positions", "Sex", "Another sex or gender")]
    assert another["candidates"] == "" and another["advanced"] == ""
    assert another["hidden because"] == "fewer than 5 people"
    # With the total known (31 decided), "not disclosed" would give the 2 back: hidden too.
    undisclosed = rows[("All positions", "Sex", "Not disclosed")]
    assert undisclosed["candidates"] == "" and "subtraction" in undisclosed["hidden because"]
    page = client.get("/fairness").get_data(as_text=True)
    assert "Hidden: fewer than 5 people." in page
    assert "subtraction" in page
    # Women and men stay compared.
    assert rows[("All positions", "Sex", "Female")]["reference group"] == "yes"


def test_held_and_undecided_candidates_are_not_counted(client, hr, make_position):
    position = make_position()
    add_people(position, hr, selected(3, 6, group(sex="female")) + [
        {"groups": group(sex="female"), "decision": "hold"}, {"groups": group(sex="female")}
    ])  # fmt: skip
    page = client.get(f"/fairness?position={position.id}").get_data(as_text=True)
    assert "6</strong> candidates with a final decision" in page
    assert "2 more, held or not yet decided, are not counted" in page
    assert rows_of(client)[("All positions", "Sex", "Female")]["candidates"] == "6"


def test_each_position_and_all_positions(client, hr, make_position):
    first, second = make_position(title="First"), make_position(title="Second")
    add_people(first, hr, selected(5, 10, group(sex="female")) + selected(5, 10, group(sex="male")))
    add_people(
        second, hr, selected(2, 10, group(sex="female")) + selected(8, 10, group(sex="male"))
    )
    rows = rows_of(client)
    assert rows[("First", "Sex", "Female")]["impact ratio"] == "1.0"
    assert float(rows[("Second", "Sex", "Female")]["impact ratio"]) == pytest.approx(0.25)
    assert float(rows[("All positions", "Sex", "Female")]["impact ratio"]) == pytest.approx(
        7 / 13, abs=1e-4
    )
    page = client.get(f"/fairness?position={second.id}").get_data(as_text=True)
    assert "Selection rates for Second" in page and "0.25" in page


def test_intersections_as_local_law_144_lays_them_out(client, hr, make_position):
    position = make_position()
    add_people(position, hr,
               selected(4, 5, group(sex="female", race="hispanic"))
               + selected(2, 5, group(sex="male", race="hispanic"))
               + selected(3, 5, group(sex="female", race="white"))
               + selected(3, 6, group(sex="male", race="white")))  # fmt: skip
    rows = rows_of(client)
    top = rows[("All positions", "Sex × race or ethnicity", "Hispanic or Latino, Female")]
    assert top["reference group"] == "yes"
    low = rows[("All positions", "Sex × race or ethnicity", "Hispanic or Latino, Male")]
    assert float(low["impact ratio"]) == pytest.approx(0.5)
    page = client.get("/fairness").get_data(as_text=True)
    assert "Sex × race or ethnicity" in page and "White, Male" in page


def test_score_differences_d_with_its_interval(client, hr, make_position):
    # Women's overall 1…5 against men's 3…7: d = −1.26 [−2.62, +0.09] (hand-computed in
    # tests/unit/test_stats_fairness.py); the men's mirror +1.26.
    position = make_position()
    women = [{"groups": group(sex="female"), "overall": float(x)} for x in (1, 2, 3, 4, 5)]
    men = [{"groups": group(sex="male"), "overall": float(x)} for x in (3, 4, 5, 6, 7)]
    add_people(position, hr, women + men)
    page = client.get("/fairness").get_data(as_text=True)
    assert "-1.26" in page and "[-2.62, +0.09]" in page and "+1.26" in page
    assert "Too few to show: Another sex or gender." in page


def test_dif_needs_thirty_on_each_side(client, hr, make_position):
    add_people(make_position(), hr, selected(3, 6, group(sex="female")))
    page = client.get("/fairness").get_data(as_text=True)
    assert "No sent self-assessments yet" in page


def test_an_unknown_position_is_404(client, hr):
    assert client.get("/fairness?position=999").status_code == 404
    assert client.get("/fairness?position=abc").status_code == 404


def test_an_empty_report_reads_well(client, hr):
    response = client.get("/fairness")
    assert response.status_code == 200
    assert "0</strong> candidates with a final decision" in response.get_data(as_text=True)
    assert read_csv(client.get("/fairness.csv").data)  # the header and empty rows


@pytest.mark.parametrize("role", ["manager", "expert"])
def test_only_hr_and_admins(client, users, make_user, login, role):
    login(users["manager"] if role == "manager" else make_user("expert"))
    for url in ("/fairness", "/fairness.csv"):
        response = client.get(url)
        assert response.status_code == 403
        assert ROLE_REFUSAL in response.get_data(as_text=True)


def test_the_seal_keeps_the_totals_from_a_panellist_with_an_open_interview(
    client, users, login, make_position, make_candidate, make_interview
):
    # HR on a panel has not submitted: every figure built from colleagues' ratings, scores
    # and decisions stays sealed for them, these totals included.
    first, second = make_position(title="First"), make_position(title="Second")
    add_people(first, users["hr"], selected(3, 6, group(sex="female")))
    make_interview(make_candidate(first), users["hr"])
    login(users["hr"])
    for url in ("/fairness", "/fairness.csv", f"/fairness?position={first.id}", "/validity"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Sealed for now" in response.get_data(as_text=True)
    assert client.get(f"/fairness?position={second.id}").status_code == 200
