"""Issue 12: nothing an interviewer enters is lost or changed without them knowing.

Each test reproduces one of the issue's observations in a real browser (they failed on
the code before the fix) and checks what the interviewer now sees and what is stored.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from assessment.extensions import db
from assessment.models import Interview
from tests.browser.helpers import active, click, press, sign_in, stored, wait_for

MINUTE = 60_000
HOUR = 60 * MINUTE


@pytest.fixture
def interview(users, make_candidate, make_interview):
    return make_interview(make_candidate(name="Ada Okafor"), users["manager"])


def open_screen(page, live_server, users, interview):
    sign_in(page, live_server, users["manager"])
    page.get(f"{live_server}/interviews/{interview.id}")
    return [item["id"] for item in interview.items]


def anchor(page, qid, value):
    """The visible label of one anchor (what a mouse user clicks)."""
    radio = page.find_element(By.CSS_SELECTOR, f'#q-{qid} input[value="{value}"]')
    return page.find_element(By.CSS_SELECTOR, f'label[for="{radio.get_attribute("id")}"]')


def checked(page, qid):
    radios = page.find_elements(By.CSS_SELECTOR, f"#q-{qid} input[type=radio]")
    return [r.get_attribute("value") for r in radios if r.is_selected()]


def save_state(page) -> str:
    return page.find_element(By.CSS_SELECTOR, "[data-save-state]").text


def all_saved(page) -> bool:
    text = save_state(page).lower()
    return "saved" in text and "not" not in text and "saving" not in text


SHIFT_CLOCK = """
(function (offset) {
  var Real = Date;
  function Shifted() {
    var args = Array.prototype.slice.call(arguments);
    if (!(this instanceof Shifted)) return new Real(Real.now() + offset).toString();
    if (args.length) return new (Function.prototype.bind.apply(Real, [null].concat(args)))();
    return new Real(Real.now() + offset);
  }
  Shifted.now = function () { return Real.now() + offset; };
  Shifted.parse = Real.parse;
  Shifted.UTC = Real.UTC;
  Shifted.prototype = Real.prototype;
  window.Date = Shifted;
})(%d);
"""


@pytest.mark.parametrize("offset", [-2 * MINUTE, 2 * MINUTE, -3 * HOUR, 3 * HOUR])
def test_1_a_wrong_browser_clock_loses_no_note(page, live_server, users, interview, offset):
    """Observation 1: Save the whole form, then type a note from a browser whose clock is
    off (minutes or hours, either way): the note is stored, and "saved" means stored."""
    script = page.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": SHIFT_CLOCK % offset}
    )
    try:
        first, second = open_screen(page, live_server, users, interview)[:2]
        assert abs(page.execute_script("return Date.now()") - _server_ms()) > MINUTE
        click(page, anchor(page, first, "3"))
        click(page, page.find_element(By.CSS_SELECTOR, "button[value=save]"))
        wait_for(lambda: "Saved" in page.page_source and stored(interview).get(first))
        note = "Rebuilt the refund flow after reading 40 tickets."
        page.find_element(By.CSS_SELECTOR, f"#q-{second} textarea").send_keys(note)
        wait_for(lambda: all_saved(page))
        assert stored(interview)[second][2] == note  # saved means stored
        page.refresh()
        textarea = page.find_element(By.CSS_SELECTOR, f"#q-{second} textarea")
        assert textarea.get_attribute("value") == note
    finally:
        page.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )


def _server_ms() -> int:
    import time

    return int(time.time() * 1000)


def network(page, online: bool):
    """Cut or restore the current tab's network (a train going into a tunnel)."""
    page.execute_cdp_cmd("Network.enable", {})
    conditions = {"offline": not online, "latency": 0}
    conditions.update(downloadThroughput=-1, uploadThroughput=-1)
    page.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)


def test_1_two_tabs_editing_one_note_the_later_wins_and_the_other_is_told(
    page, live_server, users, interview
):
    """Observation 1, two tabs editing one note before either sees the other's edit: the
    later one to arrive wins; both pages say what happened and show the stored value."""
    qid = open_screen(page, live_server, users, interview)[0]
    tab_a = page.current_window_handle
    page.switch_to.new_window("tab")
    page.get(f"{live_server}/interviews/{interview.id}")
    tab_b = page.current_window_handle
    network(page, online=False)  # tab B's device loses its connection

    page.switch_to.window(tab_a)
    page.find_element(By.CSS_SELECTOR, f"#q-{qid} textarea").send_keys("Note from tab A.")
    wait_for(lambda: stored(interview).get(qid, (0, 0, ""))[2] == "Note from tab A.")

    page.switch_to.window(tab_b)
    textarea_b = page.find_element(By.CSS_SELECTOR, f"#q-{qid} textarea")
    assert textarea_b.get_attribute("value") == ""  # it has not seen tab A's edit
    textarea_b.send_keys("Note from tab B.")
    wait_for(lambda: "not saved" in save_state(page).lower())  # kept, and said so
    assert stored(interview)[qid][2] == "Note from tab A."
    network(page, online=True)
    wait_for(lambda: stored(interview)[qid][2] == "Note from tab B.", timeout=20)
    # The later edit won; tab B is told it replaced what tab A had stored.
    conflict_b = page.find_element(By.CSS_SELECTOR, f"#q-{qid} [data-conflict]")
    wait_for(lambda: "Note from tab A." in conflict_b.text)
    assert "another tab or device" in conflict_b.text
    wait_for(lambda: all_saved(page))

    page.switch_to.window(tab_a)
    page.execute_script("window.dispatchEvent(new Event('focus'))")  # the person comes back
    textarea = page.find_element(By.CSS_SELECTOR, f"#q-{qid} textarea")
    wait_for(lambda: textarea.get_attribute("value") == "Note from tab B.", timeout=25)
    conflict_a = page.find_element(By.CSS_SELECTOR, f"#q-{qid} [data-conflict]")
    assert "another tab or device" in conflict_a.text
    assert "Note from tab A." in conflict_a.text  # what it lost is shown, not dropped
    page.switch_to.window(tab_b)
    page.close()
    page.switch_to.window(tab_a)


def test_2_arrow_keys_and_scrolling_never_change_a_rating(page, live_server, users, interview):
    """Observation 2: click anchor 3, then press the down arrow to scroll."""
    qid = open_screen(page, live_server, users, interview)[0]
    click(page, anchor(page, qid, "3"))
    wait_for(lambda: stored(interview).get(qid, (None,))[0] == 3)
    before = page.execute_script("return window.scrollY")
    press(page, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    press(page, Keys.ARROW_UP, Keys.ARROW_RIGHT, Keys.ARROW_LEFT)
    page.execute_script("window.scrollBy(0, 400)")
    wait_for(lambda: all_saved(page))
    assert checked(page, qid) == ["3"]
    assert stored(interview)[qid][0] == 3
    assert page.execute_script("return window.scrollY") > before  # the arrow keys scrolled


def test_2_the_keyboard_reaches_and_chooses_every_anchor(page, live_server, users, interview):
    """Arrow keys move the focus between anchors without choosing; Space or Enter chooses."""
    qid = open_screen(page, live_server, users, interview)[0]
    page.find_element(By.CSS_SELECTOR, f'#q-{qid} input[value="1"]').send_keys(Keys.SHIFT)
    seen = [active(page, "el.value")]
    for _ in range(5):
        press(page, Keys.ARROW_DOWN)
        seen.append(active(page, "el.value"))
    assert seen == ["1", "2", "3", "4", "5", "nc"]
    assert checked(page, qid) == [] and qid not in stored(interview)
    press(page, Keys.ARROW_UP, Keys.ARROW_UP, Keys.SPACE)  # onto 4, chosen with Space
    wait_for(lambda: stored(interview).get(qid, (None,))[0] == 4)
    press(page, Keys.ARROW_UP, Keys.ENTER)  # onto 3, chosen with Enter (no form submit)
    wait_for(lambda: stored(interview).get(qid, (None,))[0] == 3)
    assert f"/interviews/{interview.id}" in page.current_url


def test_2_every_change_shows_with_an_undo(page, live_server, users, interview):
    qid = open_screen(page, live_server, users, interview)[0]
    click(page, anchor(page, qid, "3"))
    wait_for(lambda: stored(interview).get(qid, (None,))[0] == 3)
    press(page, "4")
    wait_for(lambda: stored(interview).get(qid, (None,))[0] == 4)
    change = page.find_element(By.CSS_SELECTOR, f"#q-{qid} [data-change]")
    assert "3 → 4" in change.text
    click(page, change.find_element(By.CSS_SELECTOR, "[data-undo]"))
    wait_for(lambda: stored(interview).get(qid, (None,))[0] == 3)
    assert checked(page, qid) == ["3"]


def test_3_a_long_note_is_kept_whole_or_refused_with_a_message(page, live_server, users, interview):
    """Observation 3: a pasted 20,000-character note is stored whole; one more character
    is refused on the page with a message, never cut."""
    qid = open_screen(page, live_server, users, interview)[0]
    words = ("evidence " * 2300)[:19_990] + " end-word."
    assert len(words) == 20_000
    textarea = page.find_element(By.CSS_SELECTOR, f"#q-{qid} textarea")
    click(page, textarea)
    page.execute_cdp_cmd("Input.insertText", {"text": words})  # a paste
    wait_for(lambda: stored(interview).get(qid, (0, 0, ""))[2] == words, timeout=15)
    counter = page.find_element(By.CSS_SELECTOR, f"#q-{qid} [data-counter]")
    assert counter.is_displayed() and "20,000" in counter.text
    page.execute_cdp_cmd("Input.insertText", {"text": "!"})
    assert textarea.get_attribute("value") == words + "!"  # nothing cut on the page
    problem = page.find_element(By.CSS_SELECTOR, f"#q-{qid} [data-problem]")
    wait_for(lambda: "too long" in problem.text.lower())
    assert "not saved" in save_state(page).lower()
    assert stored(interview)[qid][2] == words


def test_4_a_refused_submit_lists_every_problem_and_back_works(page, live_server, users, interview):
    """Observation 4: the problems are listed at the top, focused, with links that jump to
    each question; the page was reached by a redirect, so Back shows no resubmission."""
    qids = open_screen(page, live_server, users, interview)
    click(page, anchor(page, qids[0], "5"))  # a 5 without a note
    wait_for(lambda: stored(interview).get(qids[0]))
    click(page, page.find_element(By.CSS_SELECTOR, "[data-submit]"))
    wait_for(lambda: page.find_elements(By.ID, "problems"))
    summary = page.find_element(By.ID, "problems")
    wait_for(lambda: active(page, "!!el.closest('#problems')"))
    links = summary.find_elements(By.CSS_SELECTOR, "a[href^='#']")
    targets = {link.get_attribute("href").split("#")[1] for link in links}
    assert {f"q-{qid}" for qid in qids} <= targets  # every question, the 5 without a note too
    assert "needs a note" in summary.text
    click(page, links[len(qids) // 2])
    target = page.find_element(By.ID, links[len(qids) // 2].get_attribute("href").split("#")[1])
    legend = target.find_element(By.TAG_NAME, "legend")  # where the question starts
    assert _not_under_sticky_bars(page, legend)
    page.find_element(By.LINK_TEXT, "My interviews").click()
    page.back()
    wait_for(lambda: page.find_elements(By.ID, "problems"))
    assert "ERR_CACHE_MISS" not in page.page_source
    db.session.rollback()
    assert db.session.get(Interview, interview.id).status == "in_progress"


STICKY_OVERLAP = """
var el = arguments[0];
var r = el.getBoundingClientRect();
var covered = false;
document.querySelectorAll('body *').forEach(function (bar) {
  var position = getComputedStyle(bar).position;
  if (position !== 'sticky' && position !== 'fixed') return;
  if (bar.contains(el)) return;
  var b = bar.getBoundingClientRect();
  if (b.height === 0 || b.width === 0) return;
  var overlapX = Math.min(r.right, b.right) - Math.max(r.left, b.left);
  var overlapY = Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top);
  if (overlapX > 1 && overlapY > 1) covered = true;
});
return !covered && r.top >= -1 && r.bottom <= window.innerHeight + 1;
"""


def _not_under_sticky_bars(page, element) -> bool:
    return page.execute_script(STICKY_OVERLAP, element)


@pytest.mark.parametrize("width", [1280, 720])
def test_4_no_focus_stop_hides_under_a_sticky_bar(page, live_server, users, interview, width):
    """WCAG 2.4.11: Tab through the whole screen; every focused element stays in view."""
    page.set_window_size(width, 900)
    open_screen(page, live_server, users, interview)
    page.find_element(By.TAG_NAME, "body").click()
    hidden, stops = [], 0
    for _ in range(400):
        press(page, Keys.TAB)
        element = page.switch_to.active_element
        if element.tag_name == "body":
            break
        stops += 1
        if not _not_under_sticky_bars(page, element):
            hidden.append(element.get_attribute("outerHTML")[:120])
    assert stops > 2 * len(interview.items)
    assert hidden == []


def test_5_keys_rate_the_question_last_clicked_and_the_page_says_which(
    page, live_server, users, interview
):
    """Observation 5: after clicking a question's text (focus on the body), 1-5 and N rate
    that question, and the page names it."""
    qids = open_screen(page, live_server, users, interview)
    click(page, page.find_element(By.CSS_SELECTOR, f"#q-{qids[1]} legend"))
    target = page.find_element(By.CSS_SELECTOR, "[data-key-target]")
    wait_for(lambda: "2" in target.text)
    assert "question 2" in target.text.lower()
    press(page, "4")
    wait_for(lambda: stored(interview).get(qids[1], (None,))[0] == 4)
    click(page, page.find_element(By.CSS_SELECTOR, f"#q-{qids[2]} .prompts"))
    press(page, "n")
    wait_for(lambda: stored(interview).get(qids[2], (None, False))[1] is True)
    assert "question 3" in target.text.lower()
    assert qids[0] not in stored(interview)
