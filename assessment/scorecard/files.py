"""Scorecard files: the paper sizes, safe file names, and writes that are never seen half done."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from .model import Scorecard

PAPERS = ("A4", "Letter")  # the sizes a scorecard prints on


def paper_named(name: str) -> str | None:
    """ "A4" or "Letter" for any capitalisation of them, else None."""
    return {paper.lower(): paper for paper in PAPERS}.get(name.strip().lower())


def file_slug(text: str, fallback: str = "candidate", limit: int = 60) -> str:
    """ASCII letters, digits and single hyphens: safe in a ZIP, a path and a header."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return slug or fallback


def pdf_name(candidate_id: int, name: str, blind: bool = False) -> str:
    """The PDF's name inside a ZIP: a slug of the name plus the id, so it is unique; under
    blind review the code alone (unique in its position), as the id shows who came when."""
    return f"{file_slug(name)}.pdf" if blind else f"{file_slug(name)}-{candidate_id}.pdf"


def pdf_filename(card: Scorecard) -> str:
    """A safe ASCII download name: scorecard-<name slug>-<id>.pdf (no quotes, no newlines);
    under blind review scorecard-<code slug>.pdf, as the id shows who came when."""
    if card.candidate.blind:
        return f"scorecard-{file_slug(card.candidate.name)}.pdf"
    return f"scorecard-{file_slug(card.candidate.name)}-{card.candidate.id}.pdf"


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the whole file or none of it, never a half-written one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
