"""Finding candidates: on a position's list and across all positions, by name, e-mail or
external id, whatever the case and accents; by code only under blind review; in natural
order ("Person 2" before "Person 10"); through numbered pages with a jump."""

from __future__ import annotations

import re

import pytest

from assessment.candidates.search_index import fold, natural_key, terms_of, typed_code
from assessment.comparison.listing import PAGE_SIZE
from assessment.comparison.refresh import fill_missing
from assessment.database import write_transaction
from assessment.positions.services import add_candidate
from tests.web.helpers import statements_during

NAME = re.compile(r'<th scope="row" class="who"><a href="/candidates/\d+"><bdi>([^<]+)</bdi>')
FOUND = re.compile(r'<td class="who"><a href="/candidates/\d+"><bdi>([^<]+)</bdi>')


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


def names_on(client, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200, url
    return NAME.findall(page.get_data(as_text=True))


def found_on(client, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200, url
    return FOUND.findall(page.get_data(as_text=True))


def _summaries(position) -> None:
    with write_transaction():
        fill_missing(position.id)


def test_folding_and_natural_keys():
    assert fold("Ægir ØST-Müller") == "aegir ost-muller"
    assert fold("Łukasz Straße") == "lukasz strasse"
    assert natural_key("Person 2") < natural_key("Person 10") < natural_key("person 11")
    assert natural_key("Émile") < natural_key("Eva")  # accents sort with their letter
    assert {"ext", "00123", "ext00123"} <= terms_of("A B", "a@b.org", "EXT-00123")
    assert {"anna", "mueller", "annamueller", "example", "org"} <= terms_of(
        "Anna", "anna.mueller@example.org", None
    )
    assert typed_code("Candidate 482913") == typed_code("#482913") == "482913"
    assert typed_code(" 482 913 ") == "482913"
    assert typed_code("Anna") is None and typed_code("42") is None


def test_position_search_by_name_email_and_external_id(client, hr, make_position, make_candidate):
    position = make_position()
    make_candidate(position, name="Anna Müller", email="a.mueller@example.org", external_id="X-77")
    make_candidate(position, name="Émile Zola", email="ez@example.org")
    make_candidate(position, name="Bob Builder", email="bob@work.example")
    other = make_position()
    make_candidate(other, name="Anna Other", email="anna@elsewhere.example")
    _summaries(position)
    base = f"/positions/{position.id}?q="
    assert names_on(client, base + "MULLER") == ["Anna Müller"]
    assert names_on(client, base + "müll") == ["Anna Müller"]
    assert names_on(client, base + "emile") == ["Émile Zola"]
    assert names_on(client, base + "EMI zo") == ["Émile Zola"]
    assert names_on(client, base + "work.example") == ["Bob Builder"]
    assert names_on(client, base + "x-77") == ["Anna Müller"]
    assert names_on(client, base + "anna") == ["Anna Müller"]  # not the other position's
    page = client.get(base + "nobody").get_data(as_text=True)
    assert "No candidate matches “nobody”" in page
    assert names_on(client, base + "%25_") == []  # LIKE's wildcards are plain characters


def test_blind_position_searches_codes_only(client, hr, make_position, make_candidate):
    position = make_position(blind=True)
    anna = make_candidate(position, name="Anna Müller")
    make_candidate(position, name="Bob Builder")
    _summaries(position)
    base = f"/positions/{position.id}?q="
    assert names_on(client, base + "anna") == []  # a name reveals nothing under blind review
    page = client.get(base + "anna").get_data(as_text=True)
    assert "Anna" not in page.replace("“anna”", "")
    code = f"Candidate {anna.code}"
    assert names_on(client, base + anna.code) == [code]
    assert names_on(client, base + code.replace(" ", "+")) == [code]


def test_natural_order_of_names(client, hr, make_position, make_candidate):
    position = make_position()
    for n in (10, 2, 1, 21, 3):
        make_candidate(position, name=f"Person {n}")
    make_candidate(position, name="émile")
    make_candidate(position, name="Eve")
    _summaries(position)
    listed = names_on(client, f"/positions/{position.id}")
    assert listed == [
        "émile",
        "Eve",
        "Person 1",
        "Person 2",
        "Person 3",
        "Person 10",
        "Person 21",
    ]
    desc = names_on(client, f"/positions/{position.id}?dir=desc")
    assert desc == list(reversed(listed))


def test_added_and_edited_candidates_are_found(client, hr, make_position):
    position = make_position()
    add_candidate(position.id, "Zoë Ångström", "zoe@example.org", "HR-1", None)
    assert names_on(client, f"/positions/{position.id}?q=angstrom") == ["Zoë Ångström"]


def test_pager_has_numbers_and_a_jump(client, hr, make_position, make_candidate):
    position = make_position()
    for n in range(PAGE_SIZE * 3 + 1):
        make_candidate(position, name=f"Person {n + 1}")
    _summaries(position)
    first = client.get(f"/positions/{position.id}?sort=candidate").get_data(as_text=True)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</span>' in first
    assert f'href="/positions/{position.id}?page=4"' in first  # the last page, by number
    assert 'name="page" min="1" max="4"' in first  # the jump
    third = names_on(client, f"/positions/{position.id}?page=3")
    assert third[0] == f"Person {2 * PAGE_SIZE + 1}"
    searched = client.get(f"/positions/{position.id}?q=person&page=2").get_data(as_text=True)
    assert '<input type="hidden" name="q" value="person">' in searched  # the jump keeps it


def test_position_search_uses_the_term_index(app, client, hr, make_position, make_candidate):
    position = make_position()
    make_candidate(position, name="Anna Müller")
    _summaries(position)
    seen = statements_during(lambda: client.get(f"/positions/{position.id}?q=mul"))
    searched = [s for s in seen if "candidate_term" in s]
    assert searched, "the search reads the term index"
    assert all(" LIKE " not in s.upper() for s in searched)


# --- across every position ---------------------------------------------------------------


def test_find_anyone_across_positions(client, hr, make_position, make_candidate):
    support, sales = make_position(title="Support"), make_position(title="Sales")
    make_candidate(support, name="Anna Müller", email="anna@x.example", external_id="ATS-1")
    make_candidate(sales, name="Anna Zed", email="az@x.example")
    make_candidate(sales, name="Bob", email="bob@x.example")
    assert found_on(client, "/candidates?q=ANNA") == ["Anna Müller", "Anna Zed"]
    assert found_on(client, "/candidates?q=muller") == ["Anna Müller"]
    assert found_on(client, "/candidates?q=ats-1") == ["Anna Müller"]
    assert found_on(client, "/candidates?q=bob%40x") == ["Bob"]
    page = client.get("/candidates?q=zzz").get_data(as_text=True)
    assert "No candidate matches “zzz”" in page
    assert "Search 3 candidates" in client.get("/candidates").get_data(as_text=True)


def test_across_positions_blind_ones_are_found_by_code_only(
    client, hr, make_position, make_candidate
):
    blind = make_position(blind=True)
    hidden = make_candidate(blind, name="Anna Hidden", email="hidden@x.example")
    open_one = make_candidate(make_position(), name="Anna Open")
    assert found_on(client, "/candidates?q=anna") == ["Anna Open"]
    assert found_on(client, "/candidates?q=hidden") == []
    code = f"Candidate {hidden.code}"
    assert found_on(client, f"/candidates?q={hidden.code}") == [code]
    page = client.get(f"/candidates?q={hidden.code}").get_data(as_text=True)
    assert "Hidden" not in page and "hidden@x" not in page
    assert open_one.id != hidden.id


def test_across_positions_closed_and_paged_in_natural_order(
    client, hr, users, make_position, make_candidate
):
    from assessment.positions.closing import close_position
    from assessment.positions.services import PAGE_SIZE as SEARCH_PAGE

    position = make_position(title="Old role")
    for n in range(SEARCH_PAGE + 5, 0, -1):
        make_candidate(position, name=f"Person {n}")
    close_position(position.id, users["hr"])
    first = client.get("/candidates?q=person").get_data(as_text=True)
    names = FOUND.findall(first)
    assert names[:3] == ["Person 1", "Person 2", "Person 3"] and len(names) == SEARCH_PAGE
    assert "closed" in first and 'name="page" min="1" max="2"' in first
    assert found_on(client, "/candidates?q=person&page=2")[-1] == f"Person {SEARCH_PAGE + 5}"


def test_search_across_positions_is_for_hr_and_admins(client, users, login):
    login(users["manager"])
    assert client.get("/candidates?q=a").status_code == 403
