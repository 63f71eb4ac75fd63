"""One PDF of many scorecards: every card's pages in order, and its bookmarks kept.

Each card is a PDF of its own (rendered, or kept by cache.py), so it numbers its own pages
and runs its own header. Joining them is qpdf's work (pikepdf), in C: a few milliseconds a
card, where pypdf took several times that. Each card brings its bookmarks (WeasyPrint
makes them from its headings: the candidate, then the sections and competencies); qpdf
copies each card's outline with its pages, so the bookmarks point at the copied pages, and
the cards' top entries are chained under one outline: a file of hundreds of candidates
opens on a list of them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name


class Binder:
    """Cards bound into one PDF in the order they are added; `save` writes it. Use as a
    context manager: qpdf copies a page's streams only when the result is saved, so every
    card stays open until then (read into memory, not held as hundreds of open files)."""

    def __init__(self) -> None:
        self.combined, self.tops, self.cards = pikepdf.new(), [], 0
        self._parts = ExitStack()

    def __enter__(self) -> Binder:
        return self

    def __exit__(self, *exc) -> None:
        self._parts.close()

    def add(self, path: Path) -> None:
        part = self._parts.enter_context(pikepdf.open(io.BytesIO(path.read_bytes())))
        self.combined.pages.extend(part.pages)
        outline = part.Root.get("/Outlines")
        if outline is not None and "/First" in outline:
            item = self.combined.copy_foreign(outline).get("/First")  # pages copied already
            while item is not None:
                self.tops.append(item)
                item = item.get("/Next")
        self.cards += 1

    def save(self, out: Path) -> None:
        if self.tops:
            self.combined.Root.Outlines = _chained(self.combined, self.tops)
            self.combined.Root.PageMode = Name.UseOutlines  # open with the bookmarks shown
        partial = out.with_name(out.name + ".partial")
        self.combined.save(partial)
        os.replace(partial, out)


def combine_pdfs(paths: Sequence[Path], out: Path) -> None:
    """One PDF with every page of `paths`, in order, and each one's bookmarks."""
    with Binder() as binder:
        for path in paths:
            binder.add(path)
        binder.save(out)


def _chained(combined: pikepdf.Pdf, tops: list) -> pikepdf.Object:
    """One outline whose entries are `tops`, in order (PDF 32000-1, 12.3.3)."""
    root = combined.make_indirect(Dictionary(Type=Name.Outlines))
    for n, item in enumerate(tops):
        item.Parent = root
        for key, other in (("/Prev", n - 1), ("/Next", n + 1)):
            if 0 <= other < len(tops):
                item[key] = tops[other]
            elif key in item:
                del item[key]
    root.First, root.Last = tops[0], tops[-1]
    # Visible entries: each top one, and the children of those that are open (Count > 0).
    root.Count = sum(1 + max(int(item.get("/Count", 0)), 0) for item in tops)
    return root
