"""axe-core on the screens issue 12 changed, in the states the journeys of test_every_page
do not reach: the interviewer's screen with its list of problems, and a scenario item. The
keyboard walk itself is in test_evidence_kept.py and test_selfassess_kept.py."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from assessment.selfassess.invites import create_invite
from tests.browser.helpers import axe_violations, click, inject_axe, sign_in, wait_for


def violations(page) -> list[tuple]:
    inject_axe(page)
    return axe_violations(page)


@pytest.fixture
def interview(users, make_candidate, make_interview):
    return make_interview(make_candidate(name="Ada Okafor"), users["manager"])


def test_the_interview_screen_passes_axe(page, live_server, users, interview):
    sign_in(page, live_server, users["manager"])
    page.get(f"{live_server}/interviews/{interview.id}")
    assert violations(page) == []
    click(page, page.find_element(By.CSS_SELECTOR, "[data-submit]"))
    wait_for(lambda: page.find_elements(By.ID, "problems"))
    assert violations(page) == []


def test_a_self_assessment_item_passes_axe(page, live_server, users, make_candidate):
    assessment, token = create_invite(make_candidate().id, users["hr"])
    page.get(f"{live_server}/a/{token}")
    page.find_element(By.CSS_SELECTOR, "input[name=consent]").click()
    page.find_element(By.CSS_SELECTOR, ".sa-consent button").click()
    wait_for(lambda: "/item/" in page.current_url)
    for number in range(1, len(assessment.items) + 1):
        if assessment.items[number - 1]["type"] == "scenario":
            break
    page.get(f"{live_server}/a/{token}/item/{number}")
    assert violations(page) == []
