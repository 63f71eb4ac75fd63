"""Candidate CSV files as spreadsheets write them, and a file over the size limit."""

from __future__ import annotations

import pytest

from assessment.positions.csv_import import column_of, parse_candidates
from tests.web.test_positions import candidates_of, upload


@pytest.fixture
def hr(users, login):
    login(users["hr"])
    return users["hr"]


@pytest.mark.parametrize(
    "heading, column",
    [
        ("name", "name"),
        ("Full name", "name"),
        ("E-mail", "email"),
        ("Email address", "email"),
        ("E-Mail-Adresse", None),  # not one of ours: the header row reports it
        ("EMAIL_ADDRESS", "email"),
        ("External ID", "external_id"),
        ("external_id", "external_id"),
        ("external-id", "external_id"),
        ("Notes", None),
    ],
)
def test_the_usual_header_spellings_name_our_columns(heading, column):
    assert column_of(heading) == column


def test_a_file_with_spreadsheet_headings_is_imported(client, hr, make_position):
    position = make_position()
    text = "Full Name;E-mail;External ID\nAnn Archer;ann@example.org;A-1\nBo Berg;bo@example.org;\n"
    response = upload(client, position, text.encode("utf-8-sig"))
    assert response.status_code == 200
    assert "Added 2 candidates; 0 rows skipped" in response.get_data(as_text=True)
    added = [(c.name, c.email, c.external_id) for c in candidates_of(position)]
    assert added == [("Ann Archer", "ann@example.org", "A-1"), ("Bo Berg", "bo@example.org", None)]


def test_a_missing_column_names_what_the_header_has():
    with pytest.raises(Exception, match="no “email” column.*it has: Name, Phone"):
        parse_candidates("Name,Phone\nAnn,123\n")


def test_a_file_over_the_limit_stays_on_the_import_page_and_says_the_limit(
    app,
    client,
    hr,
    make_position,
    monkeypatch,
):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    position = make_position()
    rows = "".join(f"Person {n},p{n}@example.org\n" for n in range(5000))
    response = upload(client, position, ("name,email\n" + rows).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Upload candidates (CSV)" in page and "larger than the 64 KB" in page
    assert 'data-max-bytes="65536"' in page  # the page refuses it before sending, too
    assert candidates_of(position) == []
    other = client.post("/positions/new", data={"title": "x" * 70_000})
    assert other.status_code == 413 and "Too large" in other.get_data(as_text=True)
