"""System programs and libraries some tests need, and what to do when one is missing.

On a newcomer's machine a missing one skips the test with one line saying what to install;
when `CI` is set (as `.ci/run` sets it) it fails the test instead, so CI can never pass by
skipping. `.ci/run` installs every package named here.
"""

from __future__ import annotations

import ctypes.util
import functools
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


def _program(*names: str) -> Callable[[], bool]:
    return lambda: all(Path(n).exists() or shutil.which(n) for n in names)


def _harfbuzz_subset() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


def _font_family(family: str) -> Callable[[], bool]:
    def check() -> bool:
        if not shutil.which("fc-list"):
            return False
        listed = subprocess.run(
            ["fc-list", f":family={family}", "family"], capture_output=True, text=True
        ).stdout
        return bool(listed.strip())

    return check


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

# name -> (is it here?, the Debian packages that bring it)
REQUIREMENTS: dict[str, tuple[Callable[[], bool], str]] = {
    "chromium": (_program(CHROMIUM, CHROMEDRIVER), "chromium chromium-driver"),
    "redis-server": (_program("redis-server"), "redis-server"),
    "poppler": (_program("pdftotext", "pdftoppm", "pdffonts"), "poppler-utils"),
    "harfbuzz-subset": (_harfbuzz_subset, "libharfbuzz-subset0"),
    "pg_dump": (_program("pg_dump", "pg_restore"), "postgresql-client"),
    "postgresql-server": (
        lambda: any(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        "postgresql",
    ),
    "cjk-fonts": (_font_family("Noto Sans CJK SC"), "fonts-noto-cjk"),
    "emoji-font": (_font_family("Noto Color Emoji"), "fonts-noto-color-emoji"),
}


@functools.cache
def present(name: str) -> bool:
    return REQUIREMENTS[name][0]()


def missing_message(name: str) -> str:
    return f"needs {name}: install it with `apt-get install {REQUIREMENTS[name][1]}`"


def require(*names: str) -> None:
    """Skip (or, with CI set, fail) the calling test unless every named thing is here."""
    for name in names:
        if not present(name):
            if os.environ.get("CI"):
                pytest.fail(f"{missing_message(name)} (CI is set, so this fails)")
            pytest.skip(missing_message(name))
