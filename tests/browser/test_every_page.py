"""Every page of the main journeys (journeys.py) on phones and a laptop: none scrolls
sideways, and axe-core finds no accessibility violation of any impact.
axe-core is injected by helpers.inject_axe (vendored; nothing is fetched).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import axe_violations, inject_axe
from tests.browser.journeys import DEMO_PASSWORD, Visit, visits

PHONE_HEIGHT = 844
SCROLL_WIDTHS = (320, 390, 768)  # small phone, phone, tablet
AXE_WIDTHS = (1280, 390)


@contextmanager
def device(page) -> Iterator:
    """Lets the test set the viewport as a phone's (touch, no scrollbar); restores it."""
    try:
        yield lambda width: page.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": PHONE_HEIGHT if width < 1000 else 900,
                "deviceScaleFactor": 1,
                "mobile": width < 1000,
            },
        )
    finally:
        page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def sign_in(page, base: str, email: str) -> None:
    page.get(base + "/login")
    page.find_element(By.NAME, "email").send_keys(email)
    page.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD, Keys.ENTER)
    WebDriverWait(page, 10).until(lambda d: "/login" not in d.current_url)


def walk(page, base: str) -> Iterator[Visit]:
    """Open every page of the journeys as its person; yields each once it has loaded."""
    who = "nobody yet"
    for visit in visits():
        if visit.who != who:
            page.delete_all_cookies()
            if visit.who:
                sign_in(page, base, visit.who)
            who = visit.who
        page.get(base + visit.path)
        landed = urlsplit(page.current_url).path
        assert landed == urlsplit(visit.path).path, f"{visit.name}: sent on to {landed}"
        yield visit


def sideways(page) -> int:
    """How many pixels the page is wider than the screen (0: it does not scroll sideways)."""
    return page.execute_script(
        "const e = document.documentElement; return e.scrollWidth - e.clientWidth;"
    )


def test_no_page_scrolls_sideways_on_a_phone_or_tablet(page, live_server):
    wide = []
    with device(page) as width_of:
        for visit in walk(page, live_server):
            for width in SCROLL_WIDTHS:
                width_of(width)
                extra = sideways(page)
                if extra > 0:
                    wide.append(f"{visit.name} ({visit.path}) at {width} px: {extra} px too wide")
    assert not wide, "\n".join(wide)


def test_axe_finds_no_violation_on_any_page(page, live_server):
    found, checked = [], 0
    with device(page) as width_of:
        for visit in walk(page, live_server):
            inject_axe(page)
            for width in AXE_WIDTHS:
                width_of(width)
                for rule, impact, targets in axe_violations(page):
                    found.append(f"{visit.name} at {width} px: {rule} ({impact}) on {targets[:3]}")
                checked += 1
    assert checked > 40
    assert not found, "\n".join(found)
