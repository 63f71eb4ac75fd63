"""The report's pure tables from people: d per group and part, DIF per item, selection."""

import pytest

from assessment.fairness.differences import dif_table, difference_tables
from assessment.fairness.people import ALL, Person, parts_from_summary
from assessment.fairness.selection import count_cells, hidden_cells, selection_table


def person(i, sex, items=None, parts=None, decision=None, position=1):
    groups = {"sex": sex, "race": None, "age": None, "disability": None}
    return Person(i, position, decision, groups, parts or {}, items or {})


def test_an_item_harder_for_one_group_at_equal_totals_is_flagged_c():
    people = []
    for i in range(40):
        level = (i % 5) * 20.0  # five levels of skill, the same in both groups
        fair = level + (10.0 if i % 2 else 0.0)  # i3 varies alike in both groups
        people.append(person(i, "male", {"i1": level, "i2": level, "i3": fair}))
        harder = max(0.0, level - 20)  # i1 costs women a step at every level
        people.append(person(100 + i, "female", {"i1": harder, "i2": level, "i3": fair}))
    table = dif_table(people, ["i1", "i2", "i3"])
    assert ("sex", "female") in table.groups and ("sex", "male") in table.groups
    women = table.groups.index(("sex", "female"))
    by_item = {row.item_id: row.by_group[women] for row in table.items}
    assert by_item["i1"].level == "C" and by_item["i1"].smd.value < 0
    assert by_item["i3"].level == "A"
    assert "Another sex or gender" in table.too_few
    assert table.flagged >= 1


def test_dif_waits_for_thirty_on_each_side():
    people = [person(i, "female" if i % 2 else "male", {"i1": 50.0}) for i in range(50)]
    table = dif_table(people, ["i1"])
    assert table.groups == ()
    assert "Female" in table.too_few


def test_d_per_group_and_part():
    people = [
        person(i, "female", parts={"overall": float(x)}) for i, x in enumerate((1, 2, 3, 4, 5))
    ]
    people += [
        person(10 + i, "male", parts={"overall": float(x)}) for i, x in enumerate((3, 4, 5, 6, 7))
    ]
    sex = difference_tables(people, ["overall"])[0]
    women = next(g for g in sex.groups if g.group == "female")
    assert women.by_part[0].d.value == pytest.approx(-1.2649, abs=1e-4)
    assert women.low_power
    assert sex.too_few == ("Another sex or gender",)


def test_d_needs_five_on_each_side():
    people = [person(i, "female", parts={"overall": 50.0 + i}) for i in range(4)]
    people += [person(10 + i, "male", parts={"overall": 40.0 + i}) for i in range(9)]
    sex = difference_tables(people, ["overall"])[0]
    assert sex.groups == ()


def test_selection_table_reference_is_the_highest_rate():
    people = [person(i, "female", decision="advance" if i < 3 else "decline") for i in range(10)]
    people += [
        person(20 + i, "male", decision="advance" if i < 6 else "decline") for i in range(10)
    ]
    cells = count_cells(people, [1])
    table = selection_table(ALL, "sex", cells, hidden_cells(cells, [1]))
    assert table.reference.label == "Male"
    women = next(r for r in table.rows if r.group == "female")
    assert women.ratio.value == pytest.approx(0.5) and women.flagged


def test_parts_from_a_summary_row():
    competencies = {"lead": {"parts": {"interview": [62.5, 9, True], "self": [None, None, True]}}}
    assert parts_from_summary(70.0, competencies) == {"lead:interview": 62.5, "overall": 70.0}
    assert parts_from_summary(None, None) == {}
