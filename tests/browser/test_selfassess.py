"""The candidate's self-assessment on a 390 px phone screen, with the keyboard alone."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from assessment.extensions import db
from assessment.models import Answer, SelfAssessment
from assessment.selfassess.invites import create_invite

PHONE = (390, 844)


def wait_for(condition, timeout=10):
    WebDriverWait(None, timeout, poll_frequency=0.1).until(lambda _: condition())


def stored(assessment) -> dict[str, Answer]:
    db.session.rollback()  # see what the server committed
    rows = db.session.scalars(db.select(Answer).where(Answer.assessment_id == assessment.id))
    return {a.item_id: a for a in rows}


def press(page, *keys):
    ActionChains(page).send_keys(*keys).perform()


def tab_to(page, matches, limit=30):
    """Press Tab until the focused element matches; keyboard only, as a person would."""
    for _ in range(limit):
        press(page, Keys.TAB)
        if page.execute_script(f"return !!document.activeElement.matches({matches!r})"):
            return page.switch_to.active_element
    raise AssertionError(f"Tab never reached {matches}")


def no_sideways_scroll(page) -> bool:
    width = page.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width <= 0


@pytest.fixture
def invite(users, make_position, make_candidate):
    position = make_position(title="Customer Support Lead")
    return create_invite(make_candidate(position).id, users["hr"])


def test_a_candidate_answers_on_a_phone_with_the_keyboard_alone(
    page, live_server, invite, screenshot_dir
):
    assessment, token = invite
    items = assessment.items
    page.set_window_size(*PHONE)
    page.get(f"{live_server}/a/{token}")
    assert page.execute_script("return window.innerWidth") <= PHONE[0]
    assert "Customer Support Lead" in page.page_source
    assert no_sideways_scroll(page)
    page.save_screenshot(str(screenshot_dir / "selfassess-welcome-390.png"))

    tab_to(page, "input[name=consent]")
    press(page, Keys.SPACE)
    tab_to(page, "button[type=submit]")
    press(page, Keys.ENTER)
    wait_for(lambda: "/item/" in page.current_url)
    db.session.rollback()
    assert db.session.get(SelfAssessment, assessment.id).consented_at is not None

    # A scenario: Space picks the first response as most effective; the arrow key moves the
    # focus to the second least-effective response and Space picks it (arrows alone never
    # choose, issue 12); each pick is saved as it is made.
    number = next(n for n, i in enumerate(items, 1) if i["type"] == "scenario")
    scenario = items[number - 1]
    first, second = (r["id"] for r in scenario["responses"][:2])
    page.get(f"{live_server}/a/{token}/item/{number}")
    assert no_sideways_scroll(page)
    tab_to(page, "input[name=most]")
    press(page, Keys.SPACE)
    wait_for(lambda: stored(assessment).get(scenario["id"]) is not None)
    tab_to(page, "input[name=least]")
    press(page, Keys.ARROW_DOWN, Keys.SPACE)
    wait_for(lambda: stored(assessment)[scenario["id"]].least == second)
    page.execute_script("window.scrollTo(0, 0)")
    page.save_screenshot(str(screenshot_dir / "selfassess-scenario-390.png"))
    tab_to(page, "button[value=next]")
    press(page, Keys.ENTER)
    wait_for(lambda: page.current_url.endswith(f"/item/{number + 1}"))
    answer = stored(assessment)[scenario["id"]]
    assert (answer.most, answer.least, answer.position) == (first, second, number - 1)
    assert answer.ms_to_first_answer is not None and answer.ms_total >= answer.ms_to_first_answer

    # A statement: the arrow keys walk the 1-5 scale, Space chooses.
    number = next(n for n, i in enumerate(items, 1) if i["type"] == "statement")
    statement = items[number - 1]
    page.get(f"{live_server}/a/{token}/item/{number}")
    assert no_sideways_scroll(page)
    tab_to(page, "input[name=value]")
    press(page, Keys.SPACE, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.SPACE)
    wait_for(lambda: getattr(stored(assessment).get(statement["id"]), "value", None) == 4)
    page.execute_script("window.scrollTo(0, 0)")
    page.save_screenshot(str(screenshot_dir / "selfassess-statement-390.png"))
    tab_to(page, "button[value=next]")
    press(page, Keys.ENTER)
    wait_for(lambda: page.current_url.endswith(f"/item/{number + 1}"))
    assert stored(assessment)[statement["id"]].value == 4


def test_the_same_response_as_most_and_least_is_pointed_out_at_once(page, live_server, invite):
    assessment, token = invite
    page.set_window_size(*PHONE)
    page.get(f"{live_server}/a/{token}")
    page.find_element("css selector", "input[name=consent]").click()
    page.find_element("css selector", ".sa-consent button").click()
    wait_for(lambda: "/item/" in page.current_url)
    number = next(n for n, i in enumerate(assessment.items, 1) if i["type"] == "scenario")
    pick = assessment.items[number - 1]["responses"][0]["id"]
    page.get(f"{live_server}/a/{token}/item/{number}")
    page.find_element("css selector", f"label[for=most-{pick}]").click()
    page.find_element("css selector", f"label[for=least-{pick}]").click()
    problem = page.find_element("css selector", "[data-problem]")
    wait_for(lambda: "cannot be both" in problem.text)
    page.find_element("css selector", "button[value=next]").click()
    wait_for(lambda: "cannot be both" in page.find_element("css selector", ".sa-error").text)
    assert page.find_element("css selector", f"#most-{pick}").is_selected()
    assert page.find_element("css selector", f"#least-{pick}").is_selected()
    assert no_sideways_scroll(page)
