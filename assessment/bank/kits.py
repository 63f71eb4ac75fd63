"""What an interview kit must be: weights, method weights, and questions that can measure.

A kit names a weight per competency and the interview questions to ask. Every weighted
competency needs at least two of them: with one, even a panel of three interviewers
reaches a reliability of only .54 on it (two questions: .70; docs/scoring.md §2). The
interview's method weight must be above 0, as an overall needs the interview (§4).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .items import MISSING, Fields
from .model import COMPETENCY_IDS, DEFAULT_METHOD_WEIGHTS, METHODS, Kit

if TYPE_CHECKING:
    from .checks import BankBuilder

MIN_QUESTIONS_PER_COMPETENCY = 2


def check_kit(b: BankBuilder, f: Fields) -> Kit | None:
    title, summary = f.text("title"), f.text("summary")
    weights = f.weights("weights", COMPETENCY_IDS, "competency", positive=True)
    methods = DEFAULT_METHOD_WEIGHTS
    if "method_weights" in f.data:
        methods = f.weights("method_weights", METHODS, "method", positive=False)
        if methods is not None and not sum(methods.values()):
            f.error("method_weights", "at least one method weight must be above 0")
        elif methods is not None and not methods["interview"]:
            message = "the interview's weight must be above 0: an overall needs the interview"
            f.error("method_weights", message)
    questions = f.get("questions")
    if questions is not MISSING and (not isinstance(questions, list) or not questions):
        f.error("questions", "must be a non-empty list of interview question ids")
    elif questions is not MISSING:
        before = f.found
        _check_kit_questions(b, f, questions)
        if weights is not None and f.found == before:  # else the list's own errors come first
            _check_coverage(b, f, weights, questions)
    if f.found:
        return None
    return Kit(f.item, title, summary, weights, methods, tuple(questions))


def _check_kit_questions(b: BankBuilder, f: Fields, questions: list) -> None:
    # Against every declared id, valid or not: a broken question is reported once, where it is.
    for position, qid in enumerate(questions, 1):
        declared = b.ids.get(qid) if isinstance(qid, str) else None
        if not isinstance(qid, str):
            f.error("questions", f"entry {position} ({qid!r}) is not a question id")
        elif qid in questions[: position - 1]:
            f.error("questions", f"{qid} is listed twice")
        elif declared is None:
            f.error("questions", f"names a missing question {qid}")
        elif declared.key != "questions":
            f.error("questions", f"{qid} is not an interview question ({declared.file})")


def _check_coverage(b: BankBuilder, f: Fields, weights, questions: list) -> None:
    """Each weighted competency asked about in two questions or more: one error naming
    every competency short of them."""
    known = b.items["questions"]
    asked = Counter(known[q].competency for q in questions if q in known)
    short = [f"{c} ({asked[c]})" for c in weights if asked[c] < MIN_QUESTIONS_PER_COMPETENCY]
    if short:
        f.error(
            "questions",
            f"each weighted competency needs at least {MIN_QUESTIONS_PER_COMPETENCY} "
            f"questions, or its band stays too wide to tell candidates apart; short: "
            f"{', '.join(short)}",
        )
