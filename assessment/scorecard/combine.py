"""One PDF of many scorecards: every card's pages in order, and its bookmarks kept.

Each card is a PDF of its own (rendered, or kept by cache.py), so it numbers its own pages
and runs its own header. Joining them is qpdf's work (pikepdf): copying objects in C costs
a few milliseconds a card, where pypdf took several times that. Each card brings its
bookmarks (WeasyPrint makes them from its headings: the candidate, then the sections and
competencies), so a file of hundreds of candidates opens on a list of them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

import pikepdf
from pikepdf import Array, Name, OutlineItem


def combine_pdfs(paths: Sequence[Path], out: Path) -> None:
    """One PDF with every page of `paths`, in order, and each one's bookmarks."""
    combined, marks = pikepdf.new(), []
    # qpdf copies a page's streams when the result is saved, so every part stays open until
    # then: read into memory, not held as hundreds of open files.
    with ExitStack() as parts:
        for path in paths:
            part = parts.enter_context(pikepdf.open(io.BytesIO(path.read_bytes())))
            first = len(combined.pages)
            combined.pages.extend(part.pages)
            numbers = {page.objgen: n for n, page in enumerate(part.pages)}
            with part.open_outline() as outline:
                marks += [_moved(item, numbers, combined, first) for item in outline.root]
        with combined.open_outline() as outline:
            outline.root.extend(marks)
        combined.Root.PageMode = Name.UseOutlines  # open with the bookmarks shown
        partial = out.with_name(out.name + ".partial")
        combined.save(partial)
    os.replace(partial, out)


def _moved(item: OutlineItem, numbers: dict, combined: pikepdf.Pdf, first: int) -> OutlineItem:
    """The bookmark and its children, pointing at the same spot on the copied pages."""
    destination = item.destination
    copy = OutlineItem(item.title)
    if isinstance(destination, Array) and len(destination) and destination[0].objgen in numbers:
        page = combined.pages[first + numbers[destination[0].objgen]]
        copy = OutlineItem(item.title, Array([page.obj, *list(destination)[1:]]))
    copy.is_closed = item.is_closed
    copy.children.extend(_moved(child, numbers, combined, first) for child in item.children)
    return copy
