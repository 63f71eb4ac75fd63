"""What the browser tests share: signing in, waiting, reading what the server stored."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from assessment.extensions import db
from assessment.models import Rating
from tests.conftest import PASSWORD


def sign_in(page, base, user):
    page.get(base + "/login")
    page.find_element(By.NAME, "email").send_keys(user.email)
    page.find_element(By.NAME, "password").send_keys(PASSWORD, Keys.ENTER)
    WebDriverWait(page, 10).until(lambda d: "/login" not in d.current_url)


def stored(interview) -> dict[str, tuple]:
    """(value, not covered, notes) per question, as the server committed them."""
    db.session.rollback()
    rows = db.session.scalars(db.select(Rating).where(Rating.interview_id == interview.id))
    return {r.question_id: (r.value, r.not_covered, r.notes) for r in rows}


def wait_for(condition, timeout=10):
    WebDriverWait(None, timeout, poll_frequency=0.1).until(lambda _: condition())


def press(page, *keys):
    """Keys sent to whatever has focus, as a person types them."""
    ActionChains(page).send_keys(*keys).perform()


def active(page, script: str):
    """Evaluate `script` with `el` bound to the focused element."""
    return page.execute_script(f"var el = document.activeElement; return {script};")


def click(page, element):
    """Scroll the element to the middle of the window, then click it, as a person would:
    the driver only scrolls elements outside the window, not those under a sticky bar."""
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


# axe-core is the npm package's `axe.min.js` (4.14.1, MPL-2.0: axe/LICENSE), kept beside
# this file and injected into each page by the driver; nothing is fetched while tests run.
AXE_SCRIPT = (Path(__file__).parent / "axe" / "axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))])))
  .catch(e => done([['axe failed', String(e), []]]));
"""


def inject_axe(page) -> None:
    page.set_script_timeout(30)
    page.execute_script(AXE_SCRIPT)


def axe_violations(page) -> list[tuple[str, str, list[str]]]:
    """(rule, impact, first targets) of every violation axe finds, all rules it runs by
    default; the page must have had inject_axe first."""
    return page.execute_async_script(RUN_AXE)
