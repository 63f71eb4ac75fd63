"""Uploading a candidate file in the browser: progress for thousands of rows, and a file
over the limit refused before it is sent, saying the limit."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_interview_screen import sign_in, wait_for


def test_thousands_of_rows_show_progress_then_the_report(
    page, live_server, users, make_position, tmp_path
):
    position = make_position()
    rows = "".join(f"Person {n},person{n}@example.org\n" for n in range(3000))
    upload = tmp_path / "candidates.csv"
    upload.write_text("Full name,E-mail\n" + rows, encoding="utf-8")
    sign_in(page, live_server, users["hr"])
    page.get(f"{live_server}/positions/{position.id}/candidates")
    page.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(upload))
    page.find_element(By.CSS_SELECTOR, "form[data-import] button[type=submit]").click()
    wait_for(lambda: "3,000 rows" in text_of(page, "[data-import-text]"), timeout=20)
    WebDriverWait(page, 120, poll_frequency=0.2).until(
        lambda d: "Added 3000 candidates" in text_of(d, "main")
    )


def text_of(page, selector: str) -> str:
    """The element's text read in the page, "" when it is not there: the page moves on to
    the report as the upload ends, and an element found before then would be stale."""
    return page.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", selector
    )


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    app, page, live_server, users, make_position, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    position = make_position()
    upload = tmp_path / "big.csv"
    upload.write_text("name,email\n" + "x,y@example.org\n" * 8000, encoding="utf-8")
    sign_in(page, live_server, users["hr"])
    page.get(f"{live_server}/positions/{position.id}/candidates")
    page.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(upload))
    page.find_element(By.CSS_SELECTOR, "form[data-import] button[type=submit]").click()
    status = page.find_element(By.CSS_SELECTOR, "[data-import-text]")
    wait_for(lambda: "larger than the 64 KB this server accepts" in status.text)
    assert page.current_url.endswith(f"/positions/{position.id}/candidates")
