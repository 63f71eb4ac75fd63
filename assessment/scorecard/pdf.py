"""Scorecards as PDF (WeasyPrint): one warm renderer per process, fetching only static files."""

from __future__ import annotations

import mimetypes
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import render_template
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .files import PAPERS
from .long_words import breakable
from .model import Scorecard
from .print_chart import chart_css, print_chart
from .subsetting import subsetter as subsetter

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PRINT_CSS = STATIC_DIR / "css" / "scorecard-print.css"
TEMPLATE = "scorecard/pdf.html"
HELLO = "<!doctype html><h1>Hello</h1>"

__all__ = [
    "PdfRenderer",
    "RefusedFetch",
    "UnsafeResource",
    "render_scorecard_pdf",
    "renderer",
    "safe_url_fetcher",
    "subsetter",
]


class RefusedFetch(FatalURLFetchingError):
    """A URL outside the static folder. Fatal, so WeasyPrint stops instead of dropping it."""


class UnsafeResource(RuntimeError):
    """A render asked for a refused URL: a template bug, reported as an ordinary error."""


def static_file(url: str) -> Path | None:
    """The regular file inside the static folder that a file: URL names, or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()  # follows "..", "%2e%2e" and symlinks
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        return None
    return path


class SafeURLFetcher(URLFetcher):
    """Serves files of assessment/static only; any other URL (http, data, file elsewhere) is
    refused with RefusedFetch. Nothing goes through urllib, so no network, no redirects."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_file(url)
        if path is None:
            raise RefusedFetch(
                f"Refused to fetch {url[:200]!r}: a scorecard may use only files in the "
                "app's static folder."
            )
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


safe_url_fetcher = SafeURLFetcher()


class PdfRenderer:
    """What WeasyPrint can reuse between documents, built once per process (after any fork):
    one FontConfiguration, the print stylesheet parsed once, one page-size sheet per paper and
    an image cache. Use `renderer()` for the process's own."""

    def __init__(self, fetcher: URLFetcher | None = None) -> None:
        self.fetcher = fetcher or safe_url_fetcher
        self.font_config = FontConfiguration()
        self.cache: dict = {}
        self.base_url = STATIC_DIR.as_uri() + "/"
        self.stylesheet = self._css(PRINT_CSS.read_text(encoding="utf-8") + chart_css())
        self.papers = {paper: self._css(f"@page {{ size: {paper} }}") for paper in PAPERS}

    def _css(self, text: str) -> CSS:
        return CSS(
            string=text,
            base_url=self.base_url,
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )

    def document(self, html: str, paper: str = "A4") -> Document:
        """Lay out one HTML string (from our own autoescaped templates) on the paper."""
        if paper not in PAPERS:
            raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
        source = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        try:
            return source.render(
                font_config=self.font_config,
                stylesheets=[self.stylesheet, self.papers[paper]],
                cache=self.cache,
            )
        except RefusedFetch as refused:
            raise UnsafeResource(str(refused)) from None

    def html_pdf(self, html: str, paper: str = "A4") -> bytes:
        return self.document(html, paper).write_pdf()

    def warm_up(self) -> None:
        """Render a trivial page once (fonts, Pango, the subsetter), e.g. in a worker right
        after it forks, so that the first real scorecard does not pay for it."""
        self.html_pdf(HELLO)

    def scorecard_html(self, card: Scorecard) -> str:
        """The print HTML; the same for either paper (document() sets the page size)."""
        html = render_template(
            TEMPLATE,
            card=card,
            chart=print_chart(card),
            generated=datetime.now(UTC),
            printing=True,  # the partials leave out what costs WeasyPrint more than it says
        )
        return breakable(html)  # a word of thousands of characters wraps in linear time

    def scorecard(self, card: Scorecard, paper: str = "A4") -> bytes:
        return self.html_pdf(self.scorecard_html(card), paper)


_renderer: tuple[int, PdfRenderer] | None = None


def renderer() -> PdfRenderer:
    """This process's renderer, built on first use; a forked child builds its own."""
    global _renderer
    if _renderer is None or _renderer[0] != os.getpid():
        _renderer = (os.getpid(), PdfRenderer())
    return _renderer[1]


def render_scorecard_pdf(card: Scorecard, paper: str = "A4") -> bytes:
    return renderer().scorecard(card, paper)
