"""The app on a 390 × 844 phone: the menu behind one button, tips by tap and keyboard, the
interview's sticky parts within a fifth of the screen, the candidate's times in their own
zone; and screenshots of the comparison list, the interview and a self-assessment item."""

from __future__ import annotations

from datetime import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from assessment.database import write_transaction
from assessment.models import SelfAssessment
from assessment.selfassess.answers import record_consent
from assessment.selfassess.invites import create_invite
from tests.browser.test_every_page import PHONE_HEIGHT, device
from tests.browser.test_interview_screen import sign_in
from tests.browser.test_selfassess import tab_to
from tests.web.helpers import rate_every_question

PHONE = 390
STICKY = """
return [...document.querySelectorAll('body *')]
  .filter(e => ['sticky', 'fixed'].includes(getComputedStyle(e).position))
  .map(e => e.getBoundingClientRect())
  .filter(r => r.height > 0 && r.bottom > 0 && r.top < innerHeight)
  .reduce((sum, r) => sum + Math.min(r.bottom, innerHeight) - Math.max(r.top, 0), 0);
"""


def visible(page, element) -> bool:
    """Rendered for a person. (Selenium's is_displayed calls everything inside a closed
    <details> hidden, though wide screens show the menu's.)"""
    return page.execute_script("return arguments[0].checkVisibility()", element)


def shoot(page, folder, name: str) -> None:
    """The whole page at phone width, as one picture."""
    height = page.execute_script("return document.documentElement.scrollHeight")
    page.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE, "height": min(height, 8000), "deviceScaleFactor": 1, "mobile": True},
    )
    page.save_screenshot(str(folder / f"{name}-{PHONE}.png"))


@pytest.fixture
def panel(users, make_position, make_candidate, make_interview):
    """A position of three candidates: two interviewed (the first by two who disagree),
    one waiting for the manager's interview."""
    position = make_position(title="Customer Support Lead")
    ada, bo = (make_candidate(position, name=n) for n in ("Ada Okafor", "Bo Lindqvist"))
    rate_every_question(make_interview(ada, users["admin"]), 5)
    rate_every_question(make_interview(ada, users["hr"]), 2)
    rate_every_question(make_interview(bo, users["admin"]), 3)
    waiting = make_candidate(position, name="Cy Raman")
    return position, make_interview(waiting, users["manager"])


def test_the_menu_folds_behind_one_button_on_a_phone(page, live_server, users):
    sign_in(page, live_server, users["hr"])
    with device(page) as width_of:
        width_of(PHONE)
        page.get(live_server + "/")
        positions = page.find_element(By.CSS_SELECTOR, "nav a[href='/positions']")
        button = page.find_element(By.CSS_SELECTOR, ".menu > summary")
        assert not visible(page, positions) and visible(page, button)
        assert button.size["height"] >= 40  # a thumb's target
        button.send_keys(Keys.ENTER)
        assert visible(page, positions)
        positions.click()
        assert page.current_url.endswith("/positions")
        width_of(1280)
        page.get(live_server + "/")
        assert visible(page, page.find_element(By.CSS_SELECTOR, "nav a[href='/positions']"))
        assert not visible(page, page.find_element(By.CSS_SELECTOR, ".menu > summary"))


def test_flag_kinds_open_with_the_keyboard_and_a_tap(page, live_server, users, panel):
    position, _ = panel
    sign_in(page, live_server, users["hr"])
    page.get(f"{live_server}/positions/{position.id}")
    tips = page.find_elements(By.CSS_SELECTOR, "td.flags .tip")
    assert tips, "a line with flags"
    kinds = tips[0].find_element(By.CSS_SELECTOR, ".tip-text")
    assert not visible(page, kinds)
    tab_to(page, "td.flags summary", limit=80)
    page.switch_to.active_element.send_keys(Keys.ENTER)
    assert visible(page, kinds) and "interviewers disagree" in kinds.text
    with device(page) as width_of:
        width_of(PHONE)
        page.get(f"{live_server}/positions/{position.id}")
        tip = page.find_element(By.CSS_SELECTOR, "td.flags .tip")
        page.execute_script("arguments[0].scrollIntoView({inline: 'center'})", tip)
        tip.find_element(By.TAG_NAME, "summary").click()  # a tap
        assert visible(page, tip.find_element(By.CSS_SELECTOR, ".tip-text"))


def test_the_interviews_sticky_parts_take_at_most_a_fifth_of_a_phone(
    page, live_server, users, panel, screenshot_dir
):
    _, interview = panel
    sign_in(page, live_server, users["manager"])
    with device(page) as width_of:
        width_of(PHONE)
        page.get(f"{live_server}/interviews/{interview.id}")
        page.execute_script("window.scrollTo(0, 1500)")
        covered = page.execute_script(STICKY)
        assert 0 < covered <= PHONE_HEIGHT / 5, f"{covered} px of {PHONE_HEIGHT} are sticky"
        assert page.find_element(By.CSS_SELECTOR, "[data-save-state]").is_displayed()
        shoot(page, screenshot_dir, "interview")


def test_screenshots_of_the_list_on_a_phone(page, live_server, users, panel, screenshot_dir):
    position, _ = panel
    sign_in(page, live_server, users["hr"])
    with device(page) as width_of:
        width_of(PHONE)
        page.get(f"{live_server}/positions/{position.id}?sort=overall&dir=desc")
        region = page.find_element(By.CSS_SELECTOR, ".table-scroll[role=region]")
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
        shoot(page, screenshot_dir, "comparison-list")


def test_the_candidate_reads_times_in_their_own_zone(
    page, live_server, users, make_candidate, screenshot_dir
):
    assessment, token = create_invite(make_candidate().id, users["hr"])
    with write_transaction() as session:
        session.get(SelfAssessment, assessment.id).expires_at = datetime(2037, 7, 24, 9, 5)
    page.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Berlin"})
    try:
        page.delete_all_cookies()
        page.get(f"{live_server}/a/{token}")
        shown = page.find_element(By.CSS_SELECTOR, "time[data-local-time]").text
        assert shown == "Friday, 24 July 2037 at 11:05 CEST"
    finally:
        page.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ""})
    record_consent(assessment.id)
    number = next(n for n, i in enumerate(assessment.items, 1) if i["type"] == "scenario")
    with device(page) as width_of:
        width_of(PHONE)
        page.get(f"{live_server}/a/{token}/item/{number}")
        shoot(page, screenshot_dir, "self-assessment-item")
