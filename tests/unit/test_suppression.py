"""Small groups are hidden, and so is whatever would give them back by subtraction
(assessment.fairness.suppression, pure)."""

from assessment.fairness.suppression import SMALL, SUBTRACTION, suppress


def test_nothing_hidden_when_every_group_has_five():
    counts = {"f": 5, "m": 9, "undisclosed": 6}
    assert suppress(counts, [list(counts)]) == {}


def test_one_small_group_takes_the_smallest_other_with_it():
    # The total, 22, is known (the position's candidates): hiding "another" (2) alone would
    # give it back as 22 − 9 − 6 − 5. So the next smallest, 5, is hidden too: 7 together.
    counts = {"f": 9, "m": 6, "another": 2, "undisclosed": 5}
    hidden = suppress(counts, [list(counts)])
    assert hidden == {"another": SMALL, "undisclosed": SUBTRACTION}


def test_two_small_groups_under_five_together_take_a_third():
    counts = {"a": 1, "b": 2, "c": 8, "d": 20}
    assert suppress(counts, [list(counts)]) == {"a": SMALL, "b": SMALL, "c": SUBTRACTION}


def test_two_small_groups_of_five_together_are_enough():
    counts = {"a": 2, "b": 3, "c": 8, "d": 20}
    assert suppress(counts, [list(counts)]) == {"a": SMALL, "b": SMALL}


def test_a_total_under_five_is_never_split():
    counts = {"a": 3, "b": 0, "c": 0}
    assert suppress(counts, [list(counts)]) == {"a": SMALL, "b": SUBTRACTION, "c": SUBTRACTION}


def test_empty_groups_are_shown_when_they_hide_nobody():
    counts = {"a": 2, "b": 0, "c": 7, "d": 9}
    assert suppress(counts, [list(counts)]) == {"a": SMALL, "c": SUBTRACTION}


def test_across_positions_the_overall_count_cannot_give_a_position_back():
    # Women: 3 in position 1, 7 in position 2, 10 over both. Hiding position 1's 3 alone
    # would leave 10 − 7 = 3; so position 2's cell is hidden too (the overall stays).
    counts = {("p1", "f"): 3, ("p2", "f"): 7, ("all", "f"): 10,
              ("p1", "m"): 6, ("p2", "m"): 8, ("all", "m"): 14}  # fmt: skip
    constraints = [
        [("p1", "f"), ("p1", "m")],
        [("p2", "f"), ("p2", "m")],
        [("all", "f"), ("all", "m")],
        [("p1", "f"), ("p2", "f"), ("all", "f")],
        [("p1", "m"), ("p2", "m"), ("all", "m")],
    ]
    hidden = suppress(counts, constraints)
    assert hidden[("p1", "f")] == SMALL
    # Every constraint now hides none, all, or at least two cells of at least 5 people.
    for group in constraints:
        inside = [c for c in group if c in hidden]
        assert (
            not inside
            or len(inside) == len(group)
            or (len(inside) >= 2 and sum(counts[c] for c in inside) >= 5)
        )
    assert ("all", "f") not in hidden or ("all", "m") in hidden


def test_the_result_does_not_depend_on_the_order_of_the_constraints():
    counts = {("p1", "a"): 2, ("p1", "b"): 9, ("all", "a"): 2, ("all", "b"): 9}
    constraints = [
        [("p1", "a"), ("p1", "b")],
        [("all", "a"), ("all", "b")],
        [("p1", "a"), ("all", "a")],
        [("p1", "b"), ("all", "b")],
    ]
    assert suppress(counts, constraints) == suppress(counts, list(reversed(constraints)))


def test_a_spare_cell_is_hidden_before_a_real_group():
    # "Not disclosed" is never compared: hiding it keeps the women and men comparable.
    counts = {"f": 36, "m": 30, "another": 2, "undisclosed": 59}
    hidden = suppress(counts, [list(counts)], spare={"undisclosed"})
    assert hidden == {"another": SMALL, "undisclosed": SUBTRACTION}


def test_hidden_empty_cells_give_nobody_away():
    # Margins: the women's intersections (all empty here) add up to at most the women's 12.
    # An empty intersection hidden elsewhere must not drag the women's count with it.
    counts = {"f+hisp": 0, "f+white": 0, "f": 12, "m": 10, "another": 2, "undisclosed": 7}
    constraints = [
        ["f+hisp", "f+white", "f"],
        ["f", "m", "another", "undisclosed"],
        ["f+hisp", "x"],
    ]
    counts["x"] = 3
    hidden = suppress(counts, constraints, spare={"undisclosed"})
    assert "f" not in hidden and "m" not in hidden
    assert hidden["another"] == SMALL and hidden["x"] == SMALL
