"""Issue 12 on the candidate's pages: answer cards change only by a deliberate act, and
coming back resumes at the item last seen."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from assessment.selfassess.invites import create_invite
from tests.browser.helpers import active, press, wait_for
from tests.browser.test_selfassess import PHONE, stored


@pytest.fixture
def invite(users, make_position, make_candidate):
    return create_invite(make_candidate(make_position()).id, users["hr"])


def start(page, live_server, token):
    page.get(f"{live_server}/a/{token}")
    page.find_element(By.CSS_SELECTOR, "input[name=consent]").click()
    page.find_element(By.CSS_SELECTOR, ".sa-consent button").click()
    wait_for(lambda: "/item/" in page.current_url)


def first_of(items, kind):
    return next(n for n, i in enumerate(items, 1) if i["type"] == kind)


def test_2_arrow_keys_never_change_an_answer_card(page, live_server, invite):
    """Observation 2 on the self-assessment: click a card, then press the arrows to scroll."""
    assessment, token = invite
    page.set_window_size(*PHONE)
    start(page, live_server, token)
    number = first_of(assessment.items, "statement")
    item = assessment.items[number - 1]
    page.get(f"{live_server}/a/{token}/item/{number}")
    page.find_element(By.CSS_SELECTOR, "label[for=value-2]").click()
    wait_for(lambda: getattr(stored(assessment).get(item["id"]), "value", None) == 2)
    before = page.execute_script("return window.scrollY")
    press(page, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_UP, Keys.ARROW_DOWN)
    assert page.find_element(By.ID, "value-2").is_selected()
    assert stored(assessment)[item["id"]].value == 2
    assert page.execute_script("return window.scrollY") >= before

    # The keyboard still reaches every card: arrows move the focus, Space picks.
    page.find_element(By.ID, "value-2").send_keys(Keys.SHIFT)  # focus the chosen card
    press(page, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    assert active(page, "el.id") == "value-4"
    assert page.find_element(By.ID, "value-2").is_selected()
    press(page, Keys.SPACE)
    wait_for(lambda: stored(assessment)[item["id"]].value == 4)
    change = page.find_element(By.CSS_SELECTOR, "[data-change]")
    assert "Disagree" in change.text and "Agree" in change.text
    change.find_element(By.CSS_SELECTOR, "[data-undo]").click()
    wait_for(lambda: stored(assessment)[item["id"]].value == 2)


def test_6_coming_back_resumes_at_the_item_last_seen(page, live_server, invite):
    """Observation 6: answer three items, go back to the second, leave; the link resumes
    on the second item, not on the first unanswered one."""
    assessment, token = invite
    start(page, live_server, token)
    for number in (1, 2, 3):
        page.get(f"{live_server}/a/{token}/item/{number}")
        item = assessment.items[number - 1]
        if item["type"] == "scenario":
            a, b = (r["id"] for r in item["responses"][:2])
            page.find_element(By.CSS_SELECTOR, f"label[for=most-{a}]").click()
            page.find_element(By.CSS_SELECTOR, f"label[for=least-{b}]").click()
        else:
            page.find_element(By.CSS_SELECTOR, "label[for=value-3]").click()
        page.find_element(By.CSS_SELECTOR, "button[value=next]").click()
        wait_for(lambda n=number: page.current_url.endswith(f"/item/{n + 1}"))
    page.find_element(By.CSS_SELECTOR, "button[value=back]").click()  # from 4 to 3
    wait_for(lambda: page.current_url.endswith("/item/3"))
    page.find_element(By.CSS_SELECTOR, "button[value=back]").click()  # from 3 to 2
    wait_for(lambda: page.current_url.endswith("/item/2"))
    page.get("about:blank")  # the candidate leaves, and later opens the link again
    page.get(f"{live_server}/a/{token}")
    page.find_element(By.PARTIAL_LINK_TEXT, "Continue").click()
    wait_for(lambda: "/item/" in page.current_url)
    assert page.current_url.endswith("/item/2")
