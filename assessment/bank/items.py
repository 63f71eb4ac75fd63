"""The fields of one question-bank item, read and checked: each problem becomes a BankError."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from .model import (
    COMPETENCY_IDS,
    INTERVIEW_KINDS,
    VALIDITY_KINDS,
    InterviewQuestion,
    ScenarioItem,
    ScenarioResponse,
    Statement,
    ValidityItem,
    frozen_map,
)

MISSING = object()  # a field left out, told apart from one written as null
RESPONSE_ID = re.compile(r"[a-e]")


@dataclass(frozen=True)
class BankError:
    """One problem: file (relative to the bank folder) and line, item id, field, what is wrong."""

    file: str
    item: str | None
    field: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return ": ".join(part for part in (where, self.item, self.field, self.message) if part)


def line_of(data: Any, key: Any = None) -> int | None:
    """The line of `key` in a parsed mapping, else of the mapping; None for plain data."""
    return getattr(data, "key_lines", {}).get(key) or getattr(data, "line", None)


def is_scale(value: Any) -> bool:
    # bool is a subclass of int, and YAML reads `yes` as True: never a scale point.
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def suggest(name: Any, allowed) -> str:
    """' (did you mean x?)' for a likely typo, else the list of what is allowed."""
    close = difflib.get_close_matches(str(name), [str(a) for a in allowed], n=1)
    return f" (did you mean {close[0]}?)" if close else f"; expected one of: {', '.join(allowed)}"


class Fields:
    """One parsed mapping being read; `found` counts the problems reported for it."""

    def __init__(self, errors: list[BankError], file: str, data: dict, item=None, context=""):
        self.errors, self.file, self.data = errors, file, data
        self.item, self.context = item, context  # context: "response b: " inside a scenario
        self.found = 0

    def line(self, name: Any = None) -> int | None:
        return line_of(self.data, name)

    def error(self, name: Any, message: str, line: int | None = None) -> None:
        where = str(name) if name is not None else None
        line = line or self.line(name)
        self.errors.append(BankError(self.file, self.item, where, self.context + message, line))
        self.found += 1

    def get(self, name: str) -> Any:
        return self.data.get(name, MISSING)

    def expect(self, required, optional=()) -> None:
        """Report missing required fields and unknown ones, so a typo never drops a field."""
        allowed = (*required, *optional)
        for name in required:
            if name not in self.data:
                self.error(name, "required field is missing", self.line())
        for name in self.data:
            if name not in allowed:
                self.error(name, "unknown field" + suggest(name, allowed))

    def text(self, name: str) -> str | None:
        value = self.get(name)
        if value is MISSING:
            return None  # reported by expect()
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.error(name, "must be non-empty text")
        return None

    def texts(self, name: str, low: int, high: int | None = None) -> tuple[str, ...] | None:
        value = self.get(name)
        if value is MISSING:
            return None
        if not isinstance(value, list) or not low <= len(value) <= (high or len(value)):
            size = f"{low} to {high}" if high else f"at least {low}"
            has = f", has {len(value)}" if isinstance(value, list) else ""
            self.error(name, f"needs a list of {size} texts{has}")
            return None
        bad = [
            str(n)
            for n, text in enumerate(value, 1)
            if not (isinstance(text, str) and text.strip())
        ]
        if bad:
            self.error(name, f"entry {', '.join(bad)} must be non-empty text")
            return None
        return tuple(text.strip() for text in value)

    def choice(self, name: str, options, what: str) -> str | None:
        value = self.get(name)
        if value is MISSING:
            return None
        if isinstance(value, str) and value in options:
            return value
        self.error(name, f"unknown {what} {value!r}" + suggest(value, options))
        return None

    def flag(self, name: str) -> bool | None:
        value = self.get(name)
        if value is MISSING or isinstance(value, bool):
            return None if value is MISSING else value
        self.error(name, f"must be true or false, not {value!r}")
        return None

    def weights(self, name: str, names, what: str, positive: bool):
        """A read-only map of every one of `names` to a number (> 0 when `positive`, else >= 0)."""
        value = self.get(name)
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.error(name, f"must map each of {', '.join(names)} to a number")
            return None
        before, least = self.found, "above 0" if positive else "0 or more"
        for key, weight in value.items():
            if key not in names:
                self.error(
                    name, f"unknown {what} {key!r}" + suggest(key, names), line_of(value, key)
                )
            elif not is_number(weight) or weight < 0 or (positive and weight == 0):
                message = f"{key} must be a number {least}, not {weight!r}"
                self.error(name, message, line_of(value, key))
        missing = [key for key in names if key not in value]
        if missing:
            self.error(name, f"no weight for {', '.join(missing)}")
        return None if self.found > before else frozen_map({k: float(value[k]) for k in names})


def choose_seed(f: Fields, seed_ids: tuple[str, ...] | None) -> str | None:
    """The item's seed; only its form is checked when competencies.yaml gave no seeds."""
    value = f.get("seed")
    if isinstance(value, int) and not isinstance(value, bool):
        f.error("seed", f'{value} must be quoted, e.g. "003": YAML reads 003 as the number 3')
        return None
    return f.text("seed") if seed_ids is None else f.choice("seed", seed_ids, "seed")


def _common(f: Fields, seed_ids) -> tuple[str | None, str | None]:
    return f.choice("competency", COMPETENCY_IDS, "competency"), choose_seed(f, seed_ids)


def check_question(f: Fields, seed_ids) -> InterviewQuestion | None:
    competency, seed = _common(f, seed_ids)
    kind, text = f.choice("kind", INTERVIEW_KINDS, "kind"), f.text("text")
    probes, listen_for = f.texts("probes", 2, 4), f.texts("listen_for", 1)
    anchors = _anchors(f)
    if f.found:
        return None
    return InterviewQuestion(f.item, competency, kind, seed, text, probes, listen_for, anchors)


def _anchors(f: Fields):
    value = f.get("anchors")
    if value is MISSING:
        return None
    if not isinstance(value, dict):
        f.error("anchors", "must map the scale points 1, 3 and 5 (2 and 4 optional) to behaviour")
        return None
    before = f.found
    for point, text in value.items():
        if not is_scale(point):
            f.error("anchors", f"{point!r} is not a scale point 1 to 5", line_of(value, point))
        elif not (isinstance(text, str) and text.strip()):
            f.error("anchors", f"anchor {point} must be non-empty text", line_of(value, point))
    present = {point for point in value if is_scale(point)}
    for point in (1, 3, 5):
        if point not in present:
            f.error("anchors", f"anchor {point} is missing")
    return None if f.found > before else frozen_map({p: value[p].strip() for p in sorted(value)})


def check_scenario(f: Fields, seed_ids) -> ScenarioItem | None:
    competency, seed = _common(f, seed_ids)
    situation, responses = f.text("situation"), _responses(f)
    if f.found:
        return None
    return ScenarioItem(f.item, competency, seed, situation, responses)


def _responses(f: Fields) -> tuple[ScenarioResponse, ...] | None:
    value = f.get("responses")
    if value is MISSING:
        return None
    if not isinstance(value, list) or not 4 <= len(value) <= 5:
        has = f", has {len(value)}" if isinstance(value, list) else ""
        f.error("responses", f"needs a list of 4 or 5 responses{has}")
        if not isinstance(value, list):
            return None
    seen: list = []
    responses = [_response(f, entry, n, seen) for n, entry in enumerate(value, 1)]
    if not responses or None in responses:
        return None
    keys = [response.key for response in responses]
    shown, line = ", ".join(f"{r.id}={r.key}" for r in responses), f.line("responses")
    if max(keys) == min(keys):
        # SCIENCE.md 2.2: the item score divides by the key range R.
        f.error("key", f"the key range R is 0 (keys {shown}): the item cannot be scored", line)
    elif min(keys) > 2 or max(keys) < 4:
        message = f"keys must spread: one 2 or lower and one 4 or higher (keys {shown})"
        f.error("key", message, line)
    return tuple(responses)


def _response(f: Fields, entry: Any, position: int, seen: list) -> ScenarioResponse | None:
    if not isinstance(entry, dict):
        f.error("responses", f"response {position} must be a mapping: id, text, key, rationale")
        return None
    rid = entry.get("id")
    label = rid if isinstance(rid, str) and rid else str(position)
    r = Fields(f.errors, f.file, entry, f.item, context=f"response {label}: ")
    r.expect(("id", "text", "key", "rationale"))
    if "id" in entry and not (isinstance(rid, str) and RESPONSE_ID.fullmatch(rid)):
        r.error("id", f"{rid!r} must be one letter a to e")
    elif rid in seen:
        r.error("id", f"response id {rid} is used twice in this item")
    seen.append(rid)
    text, rationale, key = r.text("text"), r.text("rationale"), entry.get("key", MISSING)
    if key is not MISSING and not is_scale(key):
        r.error("key", f"must be a whole number 1 to 5, not {key!r}")
    f.found += r.found
    return None if r.found else ScenarioResponse(rid, text, key, rationale)


def check_statement(f: Fields, seed_ids) -> Statement | None:
    competency, seed = _common(f, seed_ids)
    text, reverse = f.text("text"), f.flag("reverse")
    return None if f.found else Statement(f.item, competency, seed, text, reverse)


def check_validity(f: Fields, seed_ids) -> ValidityItem | None:
    kind, text = f.choice("kind", VALIDITY_KINDS, "kind"), f.text("text")
    value = f.get("fails_on")
    if value is not MISSING:
        if not isinstance(value, list) or not value or not all(map(is_scale, value)):
            f.error("fails_on", "must be a non-empty list of answers 1 to 5, e.g. [4, 5]")
        elif len(set(value)) < len(value):
            f.error("fails_on", "lists an answer twice")
        elif len(value) == 5:
            f.error("fails_on", "fails on every answer, so every candidate would be flagged")
    return None if f.found else ValidityItem(f.item, kind, text, frozenset(value))


ITEM_CHECKS = {
    "questions": check_question,
    "scenarios": check_scenario,
    "statements": check_statement,
    "validity": check_validity,
}
