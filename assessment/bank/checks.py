"""Checks of the bank as a whole: its files, ids, competencies, kits and minimum counts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .items import ITEM_CHECKS, MISSING, BankError, Fields
from .kits import check_kit
from .model import (
    COMPETENCY_IDS,
    Bank,
    Competency,
    Seed,
    frozen_map,
)

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
FIELDS = {
    "questions": ("id", "competency", "kind", "seed", "text", "probes", "listen_for", "anchors"),
    "scenarios": ("id", "competency", "seed", "situation", "responses"),
    "statements": ("id", "competency", "seed", "text", "reverse"),
    "validity": ("id", "kind", "text", "fails_on"),
    "kit": ("id", "title", "summary", "weights", "questions"),
}
OPTIONAL = {"kit": ("method_weights",)}
FOLDER_KEYS = {
    "interview": ("questions",),
    "scenarios": ("scenarios",),
    "self": ("statements", "validity"),
    "kits": ("kit",),
}
# FRAMEWORK.md, "Minimum bank": per competency, then for the whole bank.
MINIMUM = {"behavioural": 3, "situational": 1, "scenario": 3, "self": 4}
MIN_VALIDITY, MIN_KITS = 3, 1
LABELS = {
    "behavioural": ("interview", "behavioural interview questions"),
    "situational": ("interview", "situational interview questions"),
    "scenario": ("scenarios", "scenario items"),
    "self": ("self", "self-report statements"),
}
COUNTED_AS = {"scenarios": "scenario", "statements": "self"}


class Declared(NamedTuple):
    file: str
    line: int | None
    key: str  # the top-level key it was declared under: questions, scenarios, ...


@dataclass
class Tally:
    """Items counted while checking, valid or not, so one bad field does not also fail a minimum."""

    items: Counter = field(default_factory=Counter)  # (competency, type) -> items
    reverse: Counter = field(default_factory=Counter)  # competency -> reverse-keyed statements
    validity: int = 0
    kits: int = 0

    def add(self, key: str, data: dict) -> None:
        competency = data.get("competency")
        if key == "validity":
            self.validity += 1
        elif key == "kit":
            self.kits += 1
        elif competency in COMPETENCY_IDS:
            kind = COUNTED_AS.get(key, data.get("kind"))
            if kind in tuple(MINIMUM):
                self.items[competency, kind] += 1
            if key == "statements" and data.get("reverse") is True:
                self.reverse[competency] += 1

    def counts(self) -> dict[str, dict[str, int]]:
        return {c: {kind: self.items[c, kind] for kind in MINIMUM} for c in COMPETENCY_IDS}


class BankBuilder:
    """The errors and the checked objects of one bank, filled file by file."""

    def __init__(self) -> None:
        self.errors: list[BankError] = []
        self.seeds: dict[str, Seed] = {}
        self.seed_ids: tuple[str, ...] | None = None  # None: competencies.yaml gave no seeds
        self.competencies: dict[str, Competency] = {}
        self.ids: dict[str, Declared] = {}
        self.items: dict[str, dict] = {key: {} for key in FIELDS}
        self.tally = Tally()

    def build(self, version: str, source: str) -> Bank:
        return Bank(
            version=version,
            seeds=frozen_map(self.seeds),
            competencies=frozen_map(self.competencies),
            questions=frozen_map(self.items["questions"]),
            scenarios=frozen_map(self.items["scenarios"]),
            statements=frozen_map(self.items["statements"]),
            validity=frozen_map(self.items["validity"]),
            kits=frozen_map(self.items["kit"]),
            source=source,
        )


def check_competencies(b: BankBuilder, file: str, data: Any) -> None:
    """competencies.yaml: the seeds, then exactly the competencies of bank_model."""
    if not isinstance(data, dict):
        message = "expected top-level keys seeds and competencies"
        b.errors.append(BankError(file, None, None, message))
        return
    top = Fields(b.errors, file, data)
    top.expect(("seeds", "competencies"))
    _check_seeds(b, top)
    listed: list[str] = []
    for entry in _entries(top, "competencies") or ():
        _check_competency(b, Fields(b.errors, file, entry), listed)
    missing = [c for c in COMPETENCY_IDS if c not in listed]
    if "competencies" in data and missing:
        message = f"{', '.join(missing)} missing; expected exactly {', '.join(COMPETENCY_IDS)}"
        top.error("competencies", message)


def _check_competency(b: BankBuilder, f: Fields, listed: list[str]) -> None:
    f.item = f.get("id") if isinstance(f.get("id"), str) else None
    f.expect(("id", "name", "summary", "seeds"))
    ident = f.choice("id", COMPETENCY_IDS, "competency")
    if ident and ident in listed:
        f.error("id", "competency is listed twice")
    elif ident:
        listed.append(ident)
    name, summary, seeds = f.text("name"), f.text("summary"), f.texts("seeds", 1)
    if seeds and b.seed_ids is not None:
        unknown = [seed for seed in seeds if seed not in b.seed_ids]
        if unknown:
            known = ", ".join(b.seed_ids)
            f.error("seeds", f"unknown seed {', '.join(unknown)}; expected one of: {known}")
    if not f.found:
        b.competencies[ident] = Competency(ident, name, summary, seeds)


def _check_seeds(b: BankBuilder, top: Fields) -> None:
    entries = _entries(top, "seeds")
    if entries is None:
        return  # items' seeds cannot be checked; the seeds key is reported already
    known: list[str] = []  # well-formed ids, even with a bad title: items may cite them
    for entry in entries:
        f = Fields(b.errors, top.file, entry)
        ident = entry.get("id", MISSING)
        f.item = ident if isinstance(ident, str) else None
        f.expect(("id", "title"))
        title = f.text("title")
        if ident is not MISSING and not (isinstance(ident, str) and ID_PATTERN.fullmatch(ident)):
            f.error("id", f'{ident!r} is not a valid seed id; write it quoted, e.g. "003"')
        elif ident in known:
            f.error("id", "seed is listed twice")
        elif ident is not MISSING:
            known.append(ident)
            if not f.found:
                b.seeds[ident] = Seed(ident, title)
    b.seed_ids = tuple(known)


def check_file(b: BankBuilder, file: str, folder: str, data: Any) -> None:
    """One file of interview/, scenarios/, self/ or kits/: its top-level key, then its items."""
    allowed = FOLDER_KEYS[folder]
    if not isinstance(data, dict) or not data:
        expected = " or ".join(allowed)
        b.errors.append(BankError(file, None, None, f"expected one top-level key: {expected}"))
        return
    top = Fields(b.errors, file, data)
    keys = [key for key in data if key in allowed]
    for key in data:
        if key not in allowed:
            message = f"does not belong in {folder}/; a file there holds {' or '.join(allowed)}"
            top.error(key, message)
    for key in keys[1:]:
        top.error(key, f"a file holds one top-level key; move {key} to a file of its own")
    for key in keys:
        if key != "kit":
            _check_items(b, file, key, _entries(top, key) or ())
        elif isinstance(data[key], dict):
            _check_items(b, file, key, [data[key]])
        else:
            top.error(key, "must be one mapping of fields (one kit per file)")


def _entries(top: Fields, key: str) -> list[dict] | None:
    """The mappings listed under `key`; None when the key is missing or not a list."""
    value = top.get(key)
    if value is MISSING:
        return None
    if not isinstance(value, list) or not value:
        top.error(key, "must be a non-empty list")
        return None
    for position, entry in enumerate(value, 1):
        if not isinstance(entry, dict):
            top.error(key, f"entry {position} must be a mapping of fields")
    return [entry for entry in value if isinstance(entry, dict)]


def _check_items(b: BankBuilder, file: str, key: str, entries) -> None:
    for entry in entries:
        f = Fields(b.errors, file, entry)
        ident = _register(b, f, key)
        f.expect(FIELDS[key], OPTIONAL.get(key, ()))
        built = check_kit(b, f) if key == "kit" else ITEM_CHECKS[key](f, b.seed_ids)
        if ident:
            b.tally.add(key, entry)
            if built is not None:
                b.items[key][ident] = built


def _register(b: BankBuilder, f: Fields, key: str) -> str | None:
    """The item's id once checked and unique across the bank, else None."""
    value = f.get("id")
    if isinstance(value, str):
        f.item = value
    if value is MISSING:
        return None
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        f.error("id", f"{value!r} is not a valid id: lower case, digits and -, e.g. lead-beh-1")
        return None
    first = b.ids.get(value)
    if first:
        where = f"{first.file}:{first.line}" if first.line else first.file
        f.error("id", f"duplicate id: {value} is also used in {where}")
        return None
    b.ids[value] = Declared(f.file, f.line(), key)
    return value


def check_minimums(b: BankBuilder) -> None:
    """FRAMEWORK.md's minimum bank, from the tally (an item with a bad field still counts)."""
    tally = b.tally
    for competency in COMPETENCY_IDS:
        for kind, minimum in MINIMUM.items():
            have = tally.items[competency, kind]
            folder, label = LABELS[kind]
            if have < minimum:
                message = f"needs at least {minimum} {label}, has {have}"
                b.errors.append(BankError(folder, competency, kind, message))
        if not tally.reverse[competency]:
            message = "needs at least one reverse-keyed statement (reverse: true)"
            b.errors.append(BankError("self", competency, "reverse", message))
    if tally.validity < MIN_VALIDITY:
        message = f"needs at least {MIN_VALIDITY} validity items, has {tally.validity}"
        b.errors.append(BankError("self", None, "validity", message))
    if tally.kits < MIN_KITS:
        b.errors.append(BankError("kits", None, "kit", "needs at least one interview kit"))
