"""The candidate's item form: what a page may show of an item, and what a post holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Request

from .answers import AnswerInput, MalformedAnswer, bounded_ms

VERSION_MAX = 2**31 - 1

AGREE_LABELS = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)
LETTERS = "ABCDEFGHIJ"
SNIPPET_WORDS = 12


def public_item(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """Only what the candidate reads: texts and response ids, never keys or competencies.

    Pages get this copy, not the stored snapshot, so no template can leak the scoring key.
    """
    if snapshot["type"] == "scenario":
        responses = [
            {"id": r["id"], "text": r["text"], "letter": LETTERS[i]}
            for i, r in enumerate(snapshot["responses"])
        ]
        return {"type": "scenario", "situation": snapshot["situation"], "responses": responses}
    return {"type": "agree", "text": snapshot["text"]}


def snippet(snapshot: Mapping[str, Any]) -> str:
    """The first words of an item, to name it in the list of unanswered items."""
    words = snapshot.get("situation", snapshot.get("text", "")).split()
    text = " ".join(words[:SNIPPET_WORDS])
    return text + ("…" if len(words) > SNIPPET_WORDS else "")


def _text(data: Mapping[str, Any], name: str, limit: int = 20) -> str:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value)[:limit]


def _version(raw: Any) -> int | None:
    """The answer's version a page sends: a whole number the server issued, or nothing."""
    if raw is None or raw == "":
        return None
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) > VERSION_MAX:
        raise MalformedAnswer("The answer's version is not a number this page was given.")
    return int(text)


def answer_from(request: Request) -> AnswerInput:
    """The declared fields of a form post or of the page script's JSON save; nothing else.
    MalformedAnswer (400) for a version no page sends or JSON nested past Python's limit."""
    try:
        data = request.get_json(silent=True) if request.is_json else request.form
    except RecursionError:
        data = None
    if not isinstance(data, Mapping):
        raise MalformedAnswer("The answer could not be read: no page of ours sends that.")
    return AnswerInput(
        most=_text(data, "most"),
        least=_text(data, "least"),
        value=_text(data, "value"),
        ms_first=bounded_ms(data.get("ms_first")),
        ms_page=bounded_ms(data.get("ms_total")),
        shown=_text(data, "shown", limit=400),
        base=_version(data.get("base")),
    )


def chosen(answer: Any) -> dict[str, Any]:
    """The picks to show as checked, from a stored Answer or a posted AnswerInput."""
    if answer is None:
        return {"most": None, "least": None, "value": None}
    value = getattr(answer, "value", None)
    return {
        "most": answer.most or None,
        "least": answer.least or None,
        "value": str(value) if value not in (None, "") else None,
    }
