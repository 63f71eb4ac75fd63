"""Scorecard PDFs kept by what they show: never rendered twice, never handed to the wrong eyes."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Answer, Interview, Position, Rating
from assessment.privacy.erasure import erase_candidate
from assessment.review.services import hide_names, record_decision, reveal_names
from assessment.scorecard import build_scorecard, cache
from assessment.scorecard import pdf as scorecard_pdf
from assessment.scorecard.cache_model import ScorecardPdf
from assessment.scorecard.export import export_scorecards
from assessment.scorecard.pdf import PdfRenderer
from tests.web import test_scorecard_pdf as pdf_tests
from tests.web.helpers import pdf_text, sign_out
from tests.web.test_scorecard_pdf import pdf_of, text_of

scored = pdf_tests.scored  # the fixture: a candidate with a full panel and a self-assessment


class CountingRenderer(PdfRenderer):
    """The real renderer, counting the scorecards it lays out."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def scorecard(self, card, paper="A4"):
        self.count += 1
        return super().scorecard(card, paper)


@pytest.fixture
def renders(monkeypatch):
    counting = CountingRenderer()
    monkeypatch.setattr(scorecard_pdf, "_renderer", (os.getpid(), counting))
    return counting


def kept() -> list[ScorecardPdf]:
    return db.session.scalars(db.select(ScorecardPdf).order_by(ScorecardPdf.created_at)).all()


def test_an_unchanged_card_comes_from_the_cache_and_a_repeat_request_gets_304(
    client, login, users, scored, renders
):
    candidate = scored(name="Ada Lovelace")
    login(users["hr"])
    url = f"/candidates/{candidate.id}/scorecard.pdf"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag and renders.count == 1
    again = client.get(url)
    assert again.data == first.data and again.headers["ETag"] == etag
    assert renders.count == 1  # served from the cache
    repeat = client.get(url, headers={"If-None-Match": etag})
    assert repeat.status_code == 304 and repeat.data == b"" and repeat.headers["ETag"] == etag
    assert renders.count == 1
    letter = client.get(url + "?paper=Letter")
    assert letter.headers["ETag"] != etag and renders.count == 2  # another paper, another card
    assert [row.candidate_id for row in kept()] == [candidate.id, candidate.id]


def test_a_changed_note_changes_the_pdf(client, login, users, scored, renders):
    candidate = scored()
    login(users["hr"])
    url = f"/candidates/{candidate.id}/scorecard.pdf"
    before = client.get(url)
    with write_transaction() as session:
        _rating(
            candidate.id, session
        ).notes = "Rewritten after the debrief: named the customer's real deadline"
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert "Rewrittenafterthedebrief" in text_of(pdf_of(after))
    assert renders.count == 2


def _rating(candidate_id, session):
    """The candidate's first rating."""
    query = (
        db.select(Rating)
        .join(Interview, Rating.interview_id == Interview.id)
        .where(Interview.candidate_id == candidate_id)
        .order_by(Rating.id)
    )
    return session.scalars(query).first()


def change_rating(candidate, users, session):
    row = _rating(candidate.id, session)
    row.value = 1 if row.value != 1 else 2


def change_note(candidate, users, session):
    _rating(candidate.id, session).notes += " (and a late thought)"


def change_answer(candidate, users, session):
    row = session.scalars(db.select(Answer).where(Answer.value.is_not(None))).first()
    row.value = 5 if row.value != 5 else 4


def change_weight(candidate, users, session):
    position = session.get(Position, candidate.position_id)
    weights = dict(position.weights)
    first = next(iter(weights))
    weights[first] = weights[first] + 1
    position.weights = weights


CHANGES = [change_rating, change_note, change_answer, change_weight]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_every_fact_a_card_shows_is_in_its_key(users, scored, change):
    candidate = scored()
    key = cache.card_key(build_scorecard(candidate.id, users["hr"]), "A4")
    assert cache.card_key(build_scorecard(candidate.id, users["hr"]), "A4") == key  # stable
    with write_transaction() as session:
        change(candidate, users, session)
    assert cache.card_key(build_scorecard(candidate.id, users["hr"]), "A4") != key


def test_a_decision_and_the_blind_setting_are_in_the_key(users, scored, make_position):
    candidate = scored(position=make_position(blind=True))
    hr = users["hr"]
    keys = [cache.card_key(build_scorecard(candidate.id, hr), "A4")]
    record_decision(candidate.id, users["admin"], "hold", "Waiting for a reference.")
    keys.append(cache.card_key(build_scorecard(candidate.id, hr), "A4"))
    reveal_names(candidate.position_id, users["admin"])
    keys.append(cache.card_key(build_scorecard(candidate.id, hr), "A4"))
    hide_names(candidate.position_id, users["admin"])
    keys.append(cache.card_key(build_scorecard(candidate.id, hr), "A4"))
    assert len(set(keys[:3])) == 3 and keys[3] == keys[1]  # hidden again: the same card


def test_one_viewer_never_receives_a_card_cached_for_another(
    app, client, login, users, scored, make_position, make_interview, renders
):
    candidate = scored(name="Ada Lovelace", position=make_position(blind=True))
    url = f"/candidates/{candidate.id}/scorecard.pdf"
    login(users["manager"])  # on the panel, submitted: interviewers see the name
    named = client.get(url)
    assert "AdaLovelace" in text_of(pdf_of(named))
    sign_out(client)
    login(users["hr"])  # blind review: HR sees the code, whatever was cached before
    coded = client.get(url, headers={"If-None-Match": named.headers["ETag"]})
    assert coded.status_code == 200 and coded.headers["ETag"] != named.headers["ETag"]
    text = text_of(pdf_of(coded))
    assert f"Candidate{candidate.code}" in text and "AdaLovelace" not in text
    # A panellist who has not submitted gets nothing, whatever the cache holds.
    make_interview(candidate, users["admin"])
    sign_out(client)
    login(users["admin"])
    for headers in ({}, {"If-None-Match": coded.headers["ETag"]}):
        refused = client.get(url, headers=headers)
        assert refused.status_code == 403 and refused.mimetype != "application/pdf"
    assert renders.count == 2


def test_the_cache_keeps_to_its_size_dropping_the_least_recently_used(app, users, scored, renders):
    people = [scored(name=f"Person {n}") for n in range(4)]
    first = cache.scorecard_pdf(build_scorecard(people[0].id, users["hr"]), "A4")
    app.config["SCORECARD_CACHE_MB"] = 2.5 * len(first) / 2**20  # room for two and a half
    try:
        for person in people[1:]:
            cache.scorecard_pdf(build_scorecard(person.id, users["hr"]), "A4")
        left = kept()
        assert sum(row.size for row in left) <= app.config["SCORECARD_CACHE_MB"] * 2**20
        assert left[-1].candidate_id == people[-1].id  # the newest stays
        assert people[0].id not in {row.candidate_id for row in left}
    finally:
        app.config.pop("SCORECARD_CACHE_MB")
    app.config["SCORECARD_CACHE_MB"] = 0  # off: nothing is read or kept
    try:
        renders.count = 0
        card = build_scorecard(people[1].id, users["hr"])
        cache.scorecard_pdf(card, "Letter")
        cache.scorecard_pdf(card, "Letter")
        assert renders.count == 2 and len(kept()) == len(left)
    finally:
        app.config.pop("SCORECARD_CACHE_MB")


def test_erasing_a_candidate_deletes_their_pdfs(app, users, scored):
    ada, bo = scored(name="Ada"), scored(name="Bo")
    for person in (ada, bo):
        for paper in ("A4", "Letter"):
            cache.scorecard_pdf(build_scorecard(person.id, users["hr"]), paper)
    counts = erase_candidate(ada.id, users["hr"], "request")
    assert counts["scorecards"] == 2
    assert {row.candidate_id for row in kept()} == {bo.id}


def test_a_re_export_of_an_unchanged_position_renders_nothing(
    app, users, scored, make_position, renders, tmp_path
):
    position = make_position()
    people = [scored(name=n, position=position) for n in ("Ann Ames", "Bo Bell", "Cy Cole")]
    export_scorecards(position.id, "zip", tmp_path / "one.zip", workers=1)
    assert renders.count == 3
    export_scorecards(position.id, "zip", tmp_path / "two.zip", workers=1)
    export_scorecards(position.id, "pdf", tmp_path / "all.pdf", workers=1)
    assert renders.count == 3  # every card from the cache
    with zipfile.ZipFile(tmp_path / "one.zip") as one, zipfile.ZipFile(tmp_path / "two.zip") as two:
        assert [one.read(n) for n in one.namelist()] == [two.read(n) for n in two.namelist()]
    text = pdf_text((tmp_path / "all.pdf").read_bytes())
    assert all(person.name in text for person in people)
    with write_transaction() as session:
        _rating(people[1].id, session).notes = "A changed note"
    export_scorecards(position.id, "pdf", tmp_path / "again.pdf", workers=1)
    assert renders.count == 4  # only the card that changed


ROOT = Path(__file__).resolve().parents[2]
KEY_IN_A_PROCESS = """
import sys
from assessment import create_app
from assessment.scorecard import cache
from assessment.scorecard.viewers import SYSTEM_VIEWER, visible_card
app = create_app({settings!r}, instance_path={instance!r})
with app.app_context():
    print(cache.card_key(visible_card({candidate}, SYSTEM_VIEWER), "A4"))
"""


def test_a_card_has_the_same_key_in_every_process(app, app_settings, users, scored):
    """Every export worker and app host must find the PDF another kept: the key cannot
    depend on the order Python's per-process string hashing gives a set."""
    person = scored(name="Ada")
    settings = {**app_settings["overrides"], "AUTO_MIGRATE": False}
    code = KEY_IN_A_PROCESS.format(
        settings=settings, instance=app_settings["instance_path"], candidate=person.id
    )
    keys = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        keys.add(done.stdout.strip().splitlines()[-1])
    assert keys == {cache.card_key(build_scorecard(person.id, users["admin"]), "A4")}
