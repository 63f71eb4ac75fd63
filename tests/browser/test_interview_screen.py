"""The interviewer's screen in a real browser: keys, autosave, a lost session, submit."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from assessment.extensions import db
from assessment.models import Interview
from tests.browser.helpers import click, sign_in, stored, wait_for


@pytest.fixture
def interview(users, make_candidate, make_interview):
    candidate = make_candidate(name="Ada Okafor")
    return make_interview(candidate, users["manager"])


def test_keys_rate_and_entries_save_as_they_are_made(page, live_server, users, interview):
    sign_in(page, live_server, users["manager"])
    page.get(f"{live_server}/interviews/{interview.id}")
    first, second = (item["id"] for item in interview.items[:2])
    page.find_element(By.CSS_SELECTOR, f"#q-{first} input[type=radio]").send_keys("4")
    wait_for(lambda: stored(interview).get(first, (None,))[0] == 4)
    notes = page.find_element(By.CSS_SELECTOR, f"#q-{first} textarea")
    notes.send_keys("Rebuilt the onboarding flow after 30 churn calls.")
    wait_for(lambda: "30 churn calls" in stored(interview)[first][2])
    page.find_element(By.CSS_SELECTOR, f"#q-{second} input[type=radio]").send_keys("n")
    wait_for(lambda: stored(interview).get(second, (None, False))[1] is True)
    assert page.find_element(By.CSS_SELECTOR, "[data-answered]").text == "2"
    assert "saved" in page.find_element(By.CSS_SELECTOR, "[data-save-state]").text.lower()


def test_an_extreme_rating_without_a_note_is_flagged_on_the_page(
    page, live_server, users, interview
):
    sign_in(page, live_server, users["manager"])
    page.get(f"{live_server}/interviews/{interview.id}")
    qid = interview.items[0]["id"]
    page.find_element(By.CSS_SELECTOR, f"#q-{qid} input[type=radio]").send_keys("5")
    problem = page.find_element(By.CSS_SELECTOR, f"#q-{qid} [data-problem]")
    wait_for(lambda: "needs a note" in problem.text)


def test_entries_made_after_the_session_ended_are_saved_after_signing_in(
    page, live_server, users, interview
):
    sign_in(page, live_server, users["manager"])
    page.get(f"{live_server}/interviews/{interview.id}")
    qid = interview.items[0]["id"]
    page.delete_cookie("session")  # the session expires mid-interview
    page.find_element(By.CSS_SELECTOR, f"#q-{qid} input[type=radio]").send_keys("2")
    page.find_element(By.CSS_SELECTOR, f"#q-{qid} textarea").send_keys("Blamed the team.")
    banner = page.find_element(By.CSS_SELECTOR, "[data-session-lost]")
    wait_for(banner.is_displayed)
    assert stored(interview) == {}
    sign_in(page, live_server, users["manager"])  # same browser: the entries wait in it
    page.get(f"{live_server}/interviews/{interview.id}")
    wait_for(lambda: stored(interview).get(qid) == (2, False, "Blamed the team."))


def test_submit_saves_everything_then_locks(page, live_server, users, interview):
    sign_in(page, live_server, users["manager"])
    page.get(f"{live_server}/interviews/{interview.id}")
    for item in interview.items:
        page.find_element(By.CSS_SELECTOR, f"#q-{item['id']} input[type=radio]").send_keys("3")
    page.find_element(By.CSS_SELECTOR, "#recommendation input[value=yes]").send_keys(" ")
    page.find_element(By.NAME, "key_evidence").send_keys("Three concrete examples with numbers.")
    click(page, page.find_element(By.CSS_SELECTOR, "[data-submit]"))
    wait_for(lambda: "locked" in page.page_source)
    db.session.rollback()
    assert db.session.get(Interview, interview.id).status == "submitted"
    assert {v for v, _, _ in stored(interview).values()} == {3}


@pytest.mark.parametrize("width", [1280, 720])
def test_screen_fits_beside_a_video_call(
    page, live_server, users, interview, screenshot_dir, width
):
    """Full width and half a laptop screen: nothing overflows sideways; screenshots kept."""
    sign_in(page, live_server, users["manager"])
    page.set_window_size(width, 900)
    page.get(f"{live_server}/interviews/{interview.id}")
    first = interview.items[0]["id"]
    page.find_element(By.CSS_SELECTOR, f"#q-{first} input[type=radio]").send_keys("4")
    page.find_element(By.CSS_SELECTOR, f"#q-{first} textarea").send_keys(
        "Called the ten biggest accounts herself; churn fell from 9% to 4% in a quarter."
    )
    wait_for(lambda: first in stored(interview))
    overflow = page.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.execute_script("window.scrollTo(0, 0)")
    page.save_screenshot(str(screenshot_dir / f"interview-{width}.png"))
