"""The scorecard as a page and a PDF: its text read back, paper sizes, access, and safety."""

from __future__ import annotations

import io
import os
import re

import pypdf
import pytest

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Rating
from assessment.scorecard import build_scorecard
from assessment.scorecard import pdf as scorecard_pdf
from assessment.scorecard.combine import combine_pdfs
from assessment.scorecard.commands import SYSTEM_VIEWER, scorecard_command
from assessment.scorecard.pdf import (
    STATIC_DIR,
    PdfRenderer,
    RefusedFetch,
    SafeURLFetcher,
    render_scorecard_pdf,
    safe_url_fetcher,
)
from tests.conftest import PASSWORD, post_form
from tests.system import require
from tests.web.test_candidate_page import questions_of, rate, self_assessment, submit

FOOTER = "These scores support, and do not replace, a person's decision."
SEALED = "Submit your own interview first: ratings stay sealed until then."
HOSTILE_NAME = '<img src="file:///etc/passwd">'
HOSTILE_NOTE = (
    '<link rel="attachment" href="file:///etc/hostname">'
    '<link rel="stylesheet" href="http://127.0.0.1:5000/admin/export">'
    '<a rel="attachment" href="file:///app/instance/config.py">x</a> {{7*7}}'
)
A4, LETTER = (595, 842), (612, 792)


@pytest.fixture
def scored(users, make_user, make_candidate, make_interview, bank):
    """A candidate with a submitted panel of two (notes on every rating) and a finished
    self-assessment; the users' manager is on the panel and has submitted too."""

    def make(**candidate):
        person = make_candidate(**candidate)
        questions = questions_of(bank)
        for n, interviewer in enumerate((users["manager"], make_user("manager", name="Rita"))):
            interview = make_interview(person, interviewer)
            for k, q in enumerate(questions):
                rate(interview, q.id, 2 + (n + k) % 4, f"Note {n}-{k}: called the customer first")
            submit(interview)
        scenarios = list(bank.scenarios.values())[:6]
        statements = list(bank.statements.values())[:8]
        picks = {s.id: (s.responses[0].id, s.responses[2].id) for s in scenarios}
        values = {s.id: 1 + n % 5 for n, s in enumerate(statements)}
        self_assessment(person, [*scenarios, *statements], {**picks, **values})
        return person

    return make


def pdf_of(response) -> pypdf.PdfReader:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.data))


def squeeze(text: str) -> str:
    """Text without any whitespace: lines wrap anywhere, even inside a URL."""
    return "".join(text.split())


def text_of(reader: pypdf.PdfReader) -> str:
    """All pages' text, squeezed."""
    return squeeze("".join(page.extract_text() for page in reader.pages))


def has(text: str, *phrases: str) -> bool:
    return all(squeeze(phrase) in text for phrase in phrases)


def page_size(reader: pypdf.PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_pdf_reads_back_with_the_whole_scorecard(client, login, users, scored, bank):
    candidate = scored(name="Ada Lovelace")
    login(users["hr"])
    response = client.get(f"/candidates/{candidate.id}/scorecard.pdf")
    reader = pdf_of(response)
    text = text_of(reader)
    card = build_scorecard(candidate.id, users["hr"])
    assert has(text, "Ada Lovelace", card.position.title)
    for competency in bank.kits["support-lead"].weights:
        assert has(text, bank.competencies[competency].name)
    overall = card.score.overall
    assert has(text, f"{overall.score:.0f} / 100", overall.label)
    assert has(text, "95% band [{:.0f}–{:.0f}]".format(*overall.band))
    assert has(text, "Note 1-3: called the customer first")  # a colleague's note, as evidence
    assert has(text, "Rita", "Scenarios", "Self-view", FOOTER)
    disposition = response.headers["Content-Disposition"]
    assert disposition == f"attachment; filename=scorecard-ada-lovelace-{candidate.id}.pdf"
    assert response.cache_control.private and response.cache_control.no_cache


def test_pages_are_numbered_on_a4_by_default_and_on_letter_when_asked(client, login, users, scored):
    candidate = scored()
    login(users["hr"])
    url = f"/candidates/{candidate.id}/scorecard.pdf"
    a4 = pdf_of(client.get(url))
    assert page_size(a4) == A4
    pages = len(a4.pages)
    assert pages >= 2
    for number, page in enumerate(a4.pages, start=1):
        assert squeeze(f"Page {number} of {pages}") in squeeze(page.extract_text())
    assert page_size(pdf_of(client.get(url + "?paper=Letter"))) == LETTER
    assert page_size(pdf_of(client.get(url + "?paper=a4"))) == A4
    assert client.get(url + "?paper=legal").status_code == 400


def test_the_html_scorecard_shows_the_same_partials_and_links_the_pdfs(
    client, login, users, scored
):
    candidate = scored()
    login(users["manager"])  # on the panel, submitted: sees everyone's notes
    page = client.get(f"/candidates/{candidate.id}/scorecard").get_data(as_text=True)
    assert "Note 1-0: called the customer first" in page
    assert 'class="sc-crow"' in page and "<svg" in page  # the chart, inline
    assert f"/candidates/{candidate.id}/scorecard.pdf?paper=Letter" in page
    show = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    assert f"/candidates/{candidate.id}/scorecard" in show


def test_missing_evidence_is_said_not_scored_as_zero(
    client, login, users, make_user, make_candidate, make_interview, bank
):
    candidate = make_candidate(name="Solo Panel")
    interview = make_interview(candidate, make_user("manager", name="Only One"))
    for q in questions_of(bank)[:3]:
        rate(interview, q.id, 4, "One voice")
    submit(interview)
    make_interview(candidate, make_user("manager", name="Not Yet"))
    login(users["hr"])
    text = text_of(pdf_of(client.get(f"/candidates/{candidate.id}/scorecard.pdf")))
    assert has(text, "insufficient evidence", "no self-assessment yet", "single interviewer")
    assert has(text, "Not Yet (not started", "Self-assessment: not invited")
    assert has(text, "Scenarios: insufficient evidence")  # the chart's gap, not a bar at 0


def test_a_manager_who_has_not_submitted_gets_neither_page_nor_pdf(
    app, client, login, users, make_user, make_candidate, make_interview, bank
):
    candidate = make_candidate()
    mine = make_interview(candidate, users["manager"])
    theirs = make_interview(candidate, make_user("manager"))
    first = questions_of(bank)[0].id
    rate(theirs, first, 4, "Colleague's secret observation")
    submit(theirs)
    rate(mine, first, 3, "My draft")
    login(users["manager"])
    for suffix in ("/scorecard", "/scorecard.pdf"):
        response = client.get(f"/candidates/{candidate.id}{suffix}")
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert SEALED in page and "secret" not in page
        assert response.mimetype != "application/pdf"
    outsider, other = make_user("manager"), app.test_client()
    post_form(other, "/login", {"email": outsider.email, "password": PASSWORD})
    response = other.get(f"/candidates/{candidate.id}/scorecard.pdf")
    assert response.status_code == 403 and "not on this candidate" in response.get_data(True)
    assert other.get("/candidates/999999/scorecard.pdf").status_code == 404


class SpyFetcher(SafeURLFetcher):
    """The safe fetcher, recording every URL WeasyPrint asks it for."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def fetch(self, url, headers=None):
        self.urls.append(url)
        return super().fetch(url, headers)


def test_hostile_names_and_notes_print_as_text_and_fetch_nothing(
    client, login, users, scored, make_position, monkeypatch
):
    spy = SpyFetcher()
    monkeypatch.setattr(scorecard_pdf, "_renderer", (os.getpid(), PdfRenderer(fetcher=spy)))
    position = make_position(title='Lead <link rel="stylesheet" href="http://169.254.169.254/">')
    candidate = scored(name=HOSTILE_NAME, position=position)
    with write_transaction() as session:
        for row in session.scalars(db.select(Rating)):
            row.notes = HOSTILE_NOTE
    login(users["hr"])
    reader = pdf_of(client.get(f"/candidates/{candidate.id}/scorecard.pdf"))
    text = text_of(reader)
    assert has(text, HOSTILE_NAME, HOSTILE_NOTE, 'href="http://169.254.169.254/">')
    assert spy.urls == []  # escaped markup is text: WeasyPrint never asked for a URL
    assert reader.attachments == {}
    page = client.get(f"/candidates/{candidate.id}/scorecard").get_data(as_text=True)
    assert HOSTILE_NAME not in page and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page


def test_an_unsafe_name_still_gets_a_safe_download_name(client, login, users, scored):
    candidate = scored(name='Zoë "a"\r\nSet-Cookie: x=y')
    login(users["hr"])
    response = client.get(f"/candidates/{candidate.id}/scorecard.pdf")
    assert response.status_code == 200
    expected = f"attachment; filename=scorecard-zoe-a-set-cookie-x-y-{candidate.id}.pdf"
    assert response.headers["Content-Disposition"] == expected


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/",
        "https://127.0.0.1:5000/admin/export",
        "http://169.254.169.254/latest/meta-data/",
        "data:text/css,body{}",
        "ftp://example.com/x",
        STATIC_DIR.as_uri() + "/../__init__.py",
        STATIC_DIR.as_uri() + "/css/%2e%2e/%2e%2e/config.py",
        STATIC_DIR.as_uri() + "/css",  # a folder, not a file
        "file://evil.example" + str(STATIC_DIR / "css" / "app.css"),
        "css/app.css",  # never absolute: WeasyPrint would resolve it first
    ],
)
def test_the_fetcher_refuses_everything_outside_the_static_folder(url):
    with pytest.raises(RefusedFetch):
        safe_url_fetcher(url)


def test_the_fetcher_serves_static_files_and_no_symlink_out(tmp_path, monkeypatch):
    response = safe_url_fetcher((STATIC_DIR / "css" / "scorecard-print.css").as_uri())
    assert b"@page" in response.read() and response.content_type == "text/css"
    monkeypatch.setattr(scorecard_pdf, "STATIC_DIR", tmp_path.resolve())
    (tmp_path / "escape.css").symlink_to("/etc/passwd")
    with pytest.raises(RefusedFetch):
        safe_url_fetcher((tmp_path / "escape.css").as_uri())


def test_the_command_writes_a_pdf_as_an_admin_on_no_panel(
    runner, scored, users, make_interview, make_candidate, tmp_path
):
    candidate = scored(name="Grace Hopper")
    target = tmp_path / "card.pdf"
    result = runner.invoke(
        scorecard_command, [str(candidate.id), "-o", str(target), "--paper", "letter"]
    )
    assert result.exit_code == 0, result.output
    assert "Grace Hopper" in result.output
    reader = pypdf.PdfReader(target)
    assert page_size(reader) == LETTER
    assert has(text_of(reader), "Grace Hopper", "Note 1-2: called the customer first")
    missing = runner.invoke(scorecard_command, ["999999", "-o", str(tmp_path / "no.pdf")])
    assert missing.exit_code != 0 and "no candidate 999999" in missing.output
    assert not (tmp_path / "no.pdf").exists()


def test_many_scorecards_share_one_pdf_each_numbering_its_own_pages(app, scored, tmp_path):
    cards = [build_scorecard(scored(name=n).id, SYSTEM_VIEWER) for n in ("Ann Ames", "Bo Bell")]
    parts = [tmp_path / "ann.pdf", tmp_path / "bo.pdf"]
    for card, part in zip(cards, parts, strict=True):
        part.write_bytes(render_scorecard_pdf(card, "Letter"))
    combine_pdfs(parts, tmp_path / "both.pdf")
    reader = pypdf.PdfReader(tmp_path / "both.pdf")
    texts = [squeeze(page.extract_text()) for page in reader.pages]
    firsts = [n for n, t in enumerate(texts) if re.search(r"Page1of\d+", t)]
    assert len(firsts) == 2 and firsts[0] == 0
    assert "AnnAmes" in texts[0] and "BoBell" in texts[firsts[1]]
    assert page_size(reader) == LETTER


def test_fonts_are_subset_with_harfbuzz():
    require("harfbuzz-subset")
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    from assessment.scorecard.pdf import subsetter

    advice = (
        "HarfBuzz-Subset is missing, so WeasyPrint falls back to fontTools and every PDF is "
        "several times slower: install libharfbuzz-subset0 (apt) next to Pango."
    )
    assert harfbuzz_subset is not None, advice
    assert harfbuzz.hb_version_atleast(4, 1, 0), advice
    assert subsetter() == "harfbuzz"


def test_the_app_warns_at_start_without_the_fast_subsetter(app, caplog, monkeypatch):
    from assessment.scorecard import subsetting

    monkeypatch.setattr(subsetting, "active_subsetter", lambda: "fonttools")
    with caplog.at_level("WARNING"):
        subsetting.warn_if_slow_subsetter(app)
    assert "libharfbuzz-subset0" in caplog.text
    require("harfbuzz-subset")
    assert subsetting._probe() == "harfbuzz"  # and without importing WeasyPrint, it is found
