"""Browser tests: the app served on 127.0.0.1 and driven by Debian's headless Chromium.

Chromium and its driver are system packages (`apt-get install chromium chromium-driver`,
see the README); nothing is downloaded. Without them these tests are skipped with that
advice, or fail when CI is set (tests/system.py).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.system import CHROMEDRIVER, CHROMIUM, require


@pytest.fixture(scope="session")
def browser():
    require("chromium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


@pytest.fixture
def live_server(app):
    """The test app on a free local port, for as long as the test runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server):
    """The browser, fresh: no cookies or stored entries from an earlier test."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.get(live_server + "/login")
    browser.execute_script("window.localStorage.clear()")
    browser.set_window_size(1280, 900)
    return browser


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR when set (to look at them), else a temp folder."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
