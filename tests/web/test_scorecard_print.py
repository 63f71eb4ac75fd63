"""The printed scorecard: every page says whose it is, every name is legible, nothing runs off."""

from __future__ import annotations

import logging
import re
import subprocess

import pypdf
import pytest

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Candidate, Interview, Rating
from assessment.scorecard.export import export_scorecards
from tests.system import require
from tests.web import test_scorecard_pdf as pdf_tests
from tests.web.test_scorecard_pdf import pdf_of, squeeze

scored = pdf_tests.scored  # the fixture: a candidate with a full panel and a self-assessment
SECTIONS = [
    "Overall",
    "Interviewers' recommendations",
    "Competencies by method",
    "Flags",
    "Evidence by competency",
]


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [squeeze(page.extract_text()) for page in reader.pages]


def header(name: str, title: str, page: int, pages: int) -> str:
    return squeeze(f"{name} · {title} · Page {page} of {pages}")


def test_pages_after_the_first_say_whose_they_are(client, login, users, scored, make_position):
    login(users["hr"])
    for blind in (False, True):
        position = make_position(title="Support lead, EMEA", blind=blind)
        candidate = scored(name="Ada Lovelace", position=position)
        texts = page_texts(pdf_of(client.get(f"/candidates/{candidate.id}/scorecard.pdf")))
        shown = f"Candidate {candidate.code}" if blind else "Ada Lovelace"
        assert len(texts) >= 2
        assert squeeze("EMEA · Page 1") not in texts[0]  # the first page has the full heading
        for number, text in enumerate(texts[1:], start=2):
            assert header(shown, position.title, number, len(texts)) in text
            assert ("AdaLovelace" in text) is not blind


def outline_titles(reader: pypdf.PdfReader, items=None) -> list:
    """The outline as [(title, page number, [children...])]."""
    items = reader.outline if items is None else items
    found = []
    for item in items:
        if isinstance(item, list):
            title, page, _ = found[-1]
            found[-1] = (title, page, outline_titles(reader, item))
        else:
            found.append((item.title, reader.get_destination_page_number(item), []))
    return found


def test_a_combined_pdf_has_a_bookmark_per_candidate_and_section_and_each_its_headers(
    app, users, scored, make_position, bank, tmp_path
):
    position = make_position(title="Support lead")
    names = ["Ann Ames", "Bo Bell", "Cy Cole"]
    for name in names:
        scored(name=name, position=position)
    out = tmp_path / "all.pdf"
    export_scorecards(position.id, "pdf", out, workers=1)
    reader = pypdf.PdfReader(out)
    texts = page_texts(reader)
    starts = [n for n, text in enumerate(texts) if re.search(r"Page1of\d+", text)]
    marks = outline_titles(reader)
    assert [(title, page) for title, page, _ in marks] == list(zip(names, starts, strict=True))
    competencies = [bank.competencies[c].name for c in bank.kits["support-lead"].weights]
    for (name, start, sections), end in zip(marks, [*starts[1:], len(texts)], strict=True):
        assert [title for title, _, _ in sections] == SECTIONS
        assert all(start <= page < end for _, page, _ in sections)
        assert [title for title, _, _ in sections[-1][2]] == competencies
        for number in range(start + 1, end):  # its own header, counted within its own card
            assert header(name, "Support lead", number - start + 1, end - start) in texts[number]
    catalog = reader.trailer["/Root"]
    assert catalog["/PageMode"] == "/UseOutlines"  # opens with the bookmarks shown


def pdf_tool(program: str, data: bytes, *args: str) -> str:
    return subprocess.run(
        [program, *args, "-", "-"] if program == "pdftotext" else [program, "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()


def embedded_fonts(data: bytes) -> dict[str, str]:
    """pdffonts' table: font name (without its subset prefix) → the "emb" column."""
    lines = pdf_tool("pdffonts", data).splitlines()[2:]
    return {line.split()[0].split("+")[-1]: line.split()[-5] for line in lines}


def test_cjk_names_and_emoji_print_as_themselves(
    client, login, users, scored, make_position, caplog
):
    require("poppler", "cjk-fonts", "emoji-font")
    name = "王小明 さくら 김민준 😀"
    candidate = scored(name=name, position=make_position(title="Lead 🚀 客户"))
    with write_transaction() as session:
        row = session.scalars(db.select(Rating).order_by(Rating.id)).first()
        row.notes = "Called the customer first 👍 then wrote to 田中さん"
    login(users["hr"])
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = client.get(f"/candidates/{candidate.id}/scorecard.pdf").data
    text = pdf_tool("pdftotext", data, "-enc", "UTF-8")
    for shown in (name, "Lead 🚀 客户", "👍 then wrote to 田中さん"):
        assert squeeze(shown) in squeeze(text), shown
    # Every glyph came from a font that has it: WeasyPrint logs each one it could only
    # draw as the missing-glyph box, and each font drawn from is embedded.
    assert ".notdef" not in caplog.text
    fonts = embedded_fonts(data)
    assert {"Noto-Sans-CJK-SC", "Noto-Color-Emoji", "DejaVu-Sans"} <= set(fonts)
    assert set(fonts.values()) == {"yes"}


def test_a_card_in_latin_script_embeds_only_its_own_font(client, login, users, scored):
    require("poppler")
    candidate = scored(name="Ada Lovelace")
    login(users["hr"])
    data = client.get(f"/candidates/{candidate.id}/scorecard.pdf").data
    # Digits are emoji too (keycaps): no emoji font may take them.
    assert set(embedded_fonts(data)) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


WORD = re.compile(
    r'<word xMin="[0-9.]+" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>'
)
UNBROKEN = {
    "latin": "Ab" * 5000,
    "arabic": "ب" * 10_000,
    "chinese": "字" * 10_000,
}


@pytest.mark.parametrize("script", UNBROKEN)
def test_an_unbroken_string_of_10000_characters_stays_on_the_page(
    client, login, users, scored, script
):
    require("poppler")
    text = UNBROKEN[script]
    candidate = scored(name=text[:200])  # a name is at most 200 characters, a note 10,000
    with write_transaction() as session:
        query = db.select(Rating).join(Interview, Rating.interview_id == Interview.id)
        session.scalars(query.where(Interview.candidate_id == candidate.id)).first().notes = text
    login(users["hr"])
    response = client.get(f"/candidates/{candidate.id}/scorecard.pdf")
    reader = pdf_of(response)
    right = float(reader.pages[0].mediabox.width) - 16 / 25.4 * 72  # the right margin
    words = WORD.findall(pdf_tool("pdftotext", response.data, "-bbox", "-enc", "UTF-8"))
    assert words and max(float(x_max) for _, x_max, _, _ in words) <= right + 0.5
    # Read without the running headers and footers (in the page margins), it is all there.
    bottom = float(reader.pages[0].mediabox.height) - 15 / 25.4 * 72
    body = [w for y_min, _, y_max, w in words if float(y_min) > 36 and float(y_max) < bottom]
    printed = "".join(body)
    assert text[:200] in printed and text in printed  # the name and the note, whole
    assert db.session.get(Candidate, candidate.id).name == text[:200]  # stored as typed
