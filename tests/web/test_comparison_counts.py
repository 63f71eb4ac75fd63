"""The comparison list's counts: the pager and the split of a score sort into the lines
with a value and those without, for a viewer with and without sealed candidates."""

from __future__ import annotations

import re

import pytest

from assessment.comparison.listing import PAGE_SIZE
from tests.web.test_comparison import NAME, listed, summary


@pytest.fixture
def crowd(make_position, make_candidate):
    """PAGE_SIZE + 5 candidates with a lead score each (the last two without one)."""
    position = make_position()
    people = [make_candidate(position, name=f"P{n:03d}") for n in range(PAGE_SIZE + 5)]
    for n, person in enumerate(people):
        lead = None if n >= PAGE_SIZE + 3 else 90.0 - n
        summary(person, overall=lead, scores={} if lead is None else {"lead": lead})
    return position, people


@pytest.mark.parametrize("query", ["?sort=c.lead", "?sort=overall"])
def test_a_score_sort_counts_each_candidate_once(client, users, login, crowd, query):
    position, people = crowd
    login(users["hr"])
    page = client.get(f"/positions/{position.id}{query}").get_data(as_text=True)
    assert "Page 1 of 2" in page
    assert [int(i) for i in NAME.findall(page)] == [p.id for p in people[:PAGE_SIZE]]
    assert listed(client, position, query + "&page=2") == [p.id for p in people[PAGE_SIZE:]]


@pytest.mark.parametrize("query", ["?sort=c.lead", "?sort=overall", "?sort=c.lead&selfassess=none"])
def test_sealed_candidates_are_counted_once_and_listed_last(
    client, users, login, make_interview, crowd, query
):
    """HR on the panel of the first candidate, interview open: that line goes after the
    others with a value, before those without one; the pages count every candidate once."""
    position, people = crowd
    make_interview(people[0], users["hr"])
    login(users["hr"])
    page = client.get(f"/positions/{position.id}{query}").get_data(as_text=True)
    assert "Page 1 of 2" in page
    assert re.search(r"You are on the panel of 1 candidate\b", page)
    first = [int(i) for i in NAME.findall(page)]
    rest = listed(client, position, query + "&page=2")
    with_value = [p.id for p in people[1 : PAGE_SIZE + 3]]
    assert first + rest == [*with_value, people[0].id, *(p.id for p in people[PAGE_SIZE + 3 :])]
