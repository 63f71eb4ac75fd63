"""Which font subsetter WeasyPrint will use: HarfBuzz (fast) or the fontTools fallback (slow)."""

from __future__ import annotations

import ctypes
import sys
from functools import cache

from flask import Flask

ADVICE = (
    "WeasyPrint cannot load HarfBuzz-Subset >= 4.1.0, so it subsets fonts with fontTools and "
    "every PDF is several times slower. Install libharfbuzz-subset0 (Debian/Ubuntu) or "
    "so:libharfbuzz-subset.so.0 (Alpine) next to Pango."
)
# The names WeasyPrint 70 tries (weasyprint/text/ffi.py), for the platforms we run on.
SUBSET_LIBRARIES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib")
HARFBUZZ_LIBRARIES = ("libharfbuzz.so.0", "libharfbuzz.0.dylib")


def subsetter() -> str:
    """ "harfbuzz" or "fonttools", exactly as WeasyPrint's font code decides (imports it)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    return "fonttools"


def _load(names: tuple[str, ...]) -> ctypes.CDLL | None:
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


@cache
def _probe() -> str:
    """The same answer without importing WeasyPrint: loading it before a worker forks is
    unsafe (HARDENING §1.4) and costs most of a second at every start."""
    harfbuzz = _load(HARFBUZZ_LIBRARIES)
    if _load(SUBSET_LIBRARIES) is None or harfbuzz is None:
        return "fonttools"
    return "harfbuzz" if harfbuzz.hb_version_atleast(4, 1, 0) else "fonttools"


def active_subsetter() -> str:
    """subsetter() when WeasyPrint is already loaded, else the probe that does not load it."""
    return subsetter() if "weasyprint.text.ffi" in sys.modules else _probe()


def warn_if_slow_subsetter(app: Flask) -> None:
    """Log a warning at start when PDFs would fall back to the slow fontTools subsetter."""
    if active_subsetter() != "harfbuzz":
        app.logger.warning(ADVICE)
