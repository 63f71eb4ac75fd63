"""The interviewer's overall recommendation: needed to submit, sealed like the ratings,
shown in the debrief (with a note when it goes against their own ratings) and on the
scorecard beside the score, never in it."""

from __future__ import annotations

import pypdf
import pytest

from assessment.extensions import db
from assessment.interviews.recommendation import disagreement, mean_rating
from assessment.models import Interview
from assessment.scorecard import build_scorecard
from tests.conftest import csrf_token
from tests.web.helpers import sign_out
from tests.web.test_interviews import rate_all, recommend, save


@pytest.fixture
def panel(users, make_user, make_candidate, make_interview):
    me, them = users["manager"], make_user("manager", name="Tom Rivera")
    candidate = make_candidate(name="Ada Okafor")
    return candidate, make_interview(candidate, me), make_interview(candidate, them), me, them


def submit(client, interview, token):
    return client.post(f"/interviews/{interview.id}/submit", data={"csrf_token": token})


@pytest.mark.parametrize(
    ("key", "mean", "says"),
    [
        ("yes", 2.4, "below"),
        ("strong_yes", 2.9, "below"),
        ("no", 3.6, "above"),
        ("strong_no", 4.0, "above"),
        ("yes", 3.0, None),
        ("no", 3.0, None),
        ("strong_yes", 4.5, None),
        ("strong_no", 1.2, None),
        (None, 2.0, None),
        ("yes", None, None),
    ],
)
def test_a_recommendation_disagrees_when_the_ratings_sit_across_the_midpoint(key, mean, says):
    note = disagreement(key, mean)
    assert (note is None) == (says is None)
    if says:
        assert says in note and f"{mean:.1f}" in note


def test_the_mean_leaves_out_not_covered():
    assert mean_rating([2, None, 4]) == 3.0 and mean_rating([None]) is None


def test_submit_needs_a_recommendation_and_key_evidence(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = rate_all(client, mine, "4", "Concrete.")
    token = recommend(client, mine, "", "", token=token)  # cleared again
    refused = submit(client, mine, token)
    assert refused.status_code == 303
    page = client.get(refused.location).get_data(as_text=True)
    assert page.count('href="#recommendation"') == 2
    token = recommend(client, mine, "strong_yes", "", token=token)
    page = client.get(submit(client, mine, token).location).get_data(as_text=True)
    assert page.count('href="#recommendation"') == 1 and "key evidence" in page
    bad = save(client, mine, "recommendation", "maybe", "x", token=token)
    assert bad.status_code == 422 and "strong no" in bad.json["error"]
    long = save(client, mine, "recommendation", "yes", "x" * 2001, token=token)
    assert long.status_code == 422 and "2,000" in long.json["error"]
    token = recommend(client, mine, "strong_yes", "Cut churn 9%→4% herself.", token=token)
    assert submit(client, mine, token).status_code == 303
    interview = db.session.get(Interview, mine.id)
    assert interview.status == "submitted"
    assert (interview.recommendation, interview.key_evidence) == (
        "strong_yes",
        "Cut churn 9%→4% herself.",
    )


def test_the_recommendation_is_sealed_then_shown_beside_the_score(client, login, users, panel):
    candidate, mine, theirs, me, them = panel
    login(me)
    token = rate_all(client, mine, "2", "Vague on numbers.")
    token = recommend(client, mine, "strong_yes", "Great energy in the room.", token=token)
    submit(client, mine, token)
    sign_out(client)

    login(them)  # not submitted: nothing of mine, anywhere
    token = rate_all(client, theirs, "4", "Concrete.")
    for url in (
        f"/candidates/{candidate.id}/scorecard",
        f"/candidates/{candidate.id}/debrief",
        f"/interviews/{mine.id}/entries",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Great energy" not in response.get_data(as_text=True)
    token = recommend(client, theirs, "no", "No example of owning an outcome.", token=token)
    submit(client, theirs, token)

    debrief = client.get(f"/candidates/{candidate.id}/debrief").get_data(as_text=True)
    assert "Great energy in the room." in debrief and "No example of owning" in debrief
    # Mine goes against my own ratings (all 2s); Tom's "no" with 4s goes against his.
    assert debrief.count("Worth discussing") == 2
    assert "average 2.0 of 5, below" in debrief and "average 4.0 of 5, above" in debrief
    sign_out(client)

    login(users["hr"])
    card = build_scorecard(candidate.id, users["hr"])
    before = card.score.overall.score
    page = client.get(f"/candidates/{candidate.id}/scorecard").get_data(as_text=True)
    assert "Interviewers' recommendations" in page and "Not part of the score" in page
    assert "Strong yes" in page and "Great energy in the room." in page
    pdf = client.get(f"/candidates/{candidate.id}/scorecard.pdf")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(_bytes(pdf)).pages)
    assert "recommendations" in text and "Great energy" in " ".join(text.split())
    # Beside, never in: the score is what the ratings alone give.
    db.session.execute(db.update(Interview).values(recommendation="strong_no"))
    db.session.commit()
    assert build_scorecard(candidate.id, users["hr"]).score.overall.score == before


def _bytes(response):
    import io

    return io.BytesIO(response.get_data())


def test_a_page_shows_what_the_recommendation_and_versions_are(client, login, panel):
    _, mine, _, me, _ = panel
    login(me)
    token = csrf_token(client.get(f"/interviews/{mine.id}"))
    recommend(client, mine, "no", "Blamed the customer twice.", token=token)
    page = client.get(f"/interviews/{mine.id}").get_data(as_text=True)
    assert 'name="version-recommendation" value="1"' in page
    assert "Blamed the customer twice." in page
    entries = client.get(f"/interviews/{mine.id}/entries").json["entries"]
    assert entries["recommendation"] == {
        "value": "no",
        "notes": "Blamed the customer twice.",
        "version": 1,
    }
