"""axe-core (shipped in the axe-selenium-python package) on the screens issue 12 changed:
the interviewer's screen, with and without its list of problems, and a self-assessment
item. The keyboard walk itself is in test_evidence_kept.py and test_selfassess.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from assessment.selfassess.invites import create_invite
from tests.browser.helpers import click, sign_in, wait_for

# The package ships axe-core 3.1.1, which knows the WCAG 2.0 A and AA tags; its
# best-practice "radiogroup" rule (gone from axe-core 4) would fault any fieldset that holds a
# question's notes beside its scale.
RULES = ["wcag2a", "wcag2aa"]


def axe_source() -> str:
    axe = pytest.importorskip("axe_selenium_python")
    return (Path(axe.__file__).parent / "node_modules" / "axe-core" / "axe.min.js").read_text()


def violations(page) -> list[str]:
    result = page.execute_async_script(
        axe_source() + ";var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        "  return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); })"
        "    .slice(0, 3).join(', ') + ' | ' + v.nodes[0].failureSummary; })); },"
        " function (e) { done(['axe failed: ' + e]); });",
        RULES,
    )
    return result


@pytest.fixture
def interview(users, make_candidate, make_interview):
    return make_interview(make_candidate(name="Ada Okafor"), users["manager"])


def test_the_interview_screen_passes_axe(page, live_server, users, interview):
    page.set_script_timeout(30)
    sign_in(page, live_server, users["manager"])
    page.get(f"{live_server}/interviews/{interview.id}")
    assert violations(page) == []
    click(page, page.find_element(By.CSS_SELECTOR, "[data-submit]"))
    wait_for(lambda: page.find_elements(By.ID, "problems"))
    assert violations(page) == []


def test_a_self_assessment_item_passes_axe(page, live_server, users, make_candidate):
    page.set_script_timeout(30)
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
