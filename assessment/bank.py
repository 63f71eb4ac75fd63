"""Load and validate the question bank (questions/*.yaml) into immutable objects."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bank_checks import Checker, strip_lines
from .bank_model import (
    COMPETENCY_IDS,
    DEFAULT_METHOD_WEIGHTS,
    INTERVIEW_KINDS,
    VALIDITY_KINDS,
    Bank,
    Competency,
    InterviewQuestion,
    Kit,
    ScenarioItem,
    ScenarioResponse,
    Seed,
    Statement,
    ValidityItem,
    frozen_map,
)

FOLDERS = {
    "interview": ("questions",),
    "scenarios": ("scenarios",),
    "self": ("statements", "validity"),
    "kits": ("kit",),
}
MINIMUM = {"behavioural": 3, "situational": 1, "scenario": 3, "self": 4}


@dataclass(frozen=True)
class BankError:
    file: str
    item: str | None
    field: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where] + [p for p in (self.item, self.field) if p]
        return ": ".join(parts + [self.message])


class BankInvalid(Exception):
    def __init__(self, directory: str, errors: list[BankError]):
        self.directory, self.errors = directory, errors
        head = f"The question bank in {directory} is invalid ({len(errors)} problems):"
        super().__init__("\n".join([head, *(f"  {e}" for e in errors)]))


@dataclass
class BankReport:
    directory: str
    bank: Bank | None
    errors: list[BankError]
    parsed: dict[str, list] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, dict[str, int]]:
        counts = {c: {k: 0 for k in MINIMUM} for c in COMPETENCY_IDS}
        for kind, items in self.parsed.items():
            for item in items:
                comp = getattr(item, "competency", None)
                if comp not in counts:
                    continue
                key = item.kind if kind == "interview" else kind
                counts[comp][key] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.bank.version if self.bank else None,
            "competencies": self.counts(),
            "validity": len(self.parsed.get("validity", [])),
            "kits": len(self.parsed.get("kits", [])),
            "errors": [e.__dict__ for e in self.errors],
        }

    def to_text(self) -> str:
        data = self.to_json()
        lines = [f"Question bank {self.directory}", f"version: {data['version'] or '-'}", ""]
        lines.append(f"{'competency':<14}" + "".join(f"{k:>13}" for k in MINIMUM))
        for comp, counts in data["competencies"].items():
            lines.append(f"{comp:<14}" + "".join(f"{counts[k]:>13}" for k in MINIMUM))
        lines.append(f"validity items: {data['validity']}   kits: {data['kits']}")
        if self.ok:
            lines.append("OK")
        else:
            lines.append(f"{len(self.errors)} problems:")
            lines.extend(f"  {e}" for e in self.errors)
        return "\n".join(lines)


def load_bank(directory: str | Path) -> Bank:
    report = check_bank(directory)
    if not report.ok:
        raise BankInvalid(str(directory), report.errors)
    return report.bank


def check_bank(directory: str | Path) -> BankReport:
    """Validate a bank folder; never raises for bad content, collects every problem."""
    root = Path(directory)
    checker = Checker(root)
    parsed: dict[str, list] = {
        "interview": [],
        "scenario": [],
        "self": [],
        "validity": [],
        "kits": [],
    }
    if not root.is_dir():
        checker.error("-", None, None, f"no such folder: {root}")
        return BankReport(str(root), None, checker.errors, parsed)
    raw: dict[str, Any] = {}
    meta = checker.read(root / "competencies.yaml", ("competencies", "seeds"))
    seeds, comps = _competencies(checker, meta)
    raw["competencies"] = meta
    for folder, keys in FOLDERS.items():
        if not (root / folder).is_dir():
            checker.error(folder, None, None, "the folder is missing")
            continue
        for path in sorted((root / folder).glob("*.y*ml")):
            data = checker.read(path, keys, exactly_one=True)
            raw[str(path.relative_to(root))] = data
            _items(checker, path, data, seeds, comps, parsed)
    _cross_checks(checker, parsed)
    bank = None
    if not checker.errors:
        canonical = json.dumps(strip_lines(raw), sort_keys=True, default=str, ensure_ascii=False)
        bank = Bank(
            version=hashlib.sha256(canonical.encode()).hexdigest()[:12],
            seeds=frozen_map({s.id: s for s in seeds.values()}),
            competencies=frozen_map(comps),
            questions=frozen_map({q.id: q for q in parsed["interview"]}),
            scenarios=frozen_map({s.id: s for s in parsed["scenario"]}),
            statements=frozen_map({s.id: s for s in parsed["self"]}),
            validity=frozen_map({v.id: v for v in parsed["validity"]}),
            kits=frozen_map({k.id: k for k in parsed["kits"]}),
            source=str(root),
        )
    return BankReport(str(root), bank, checker.errors, parsed)


def _competencies(checker: Checker, meta: dict | None):
    seeds: dict[str, Seed] = {}
    comps: dict[str, Competency] = {}
    if not meta:
        return seeds, comps
    with checker.file("competencies.yaml"):
        for entry in checker.items(meta, "seeds", ("id", "title")):
            seeds[str(entry["id"])] = Seed(str(entry["id"]), checker.text(entry, "title"))
        for entry in checker.items(meta, "competencies", ("id", "name", "summary", "seeds")):
            cid = entry["id"]
            if cid not in COMPETENCY_IDS:
                checker.item_error(entry, "id", f"unknown competency {cid!r}")
                continue
            cseeds = tuple(str(s) for s in entry.get("seeds") or [])
            for s in cseeds:
                if s not in seeds:
                    checker.item_error(entry, "seeds", f"unknown seed {s!r}")
            comps[cid] = Competency(
                cid, checker.text(entry, "name"), checker.text(entry, "summary"), cseeds
            )
        for cid in COMPETENCY_IDS:
            if cid not in comps:
                checker.error("competencies.yaml", cid, "competencies", "competency is missing")
    return seeds, comps


def _items(checker, path, data, seeds, comps, parsed) -> None:
    if not data:
        return
    from .bank_checks import build_item

    with checker.file(str(path.relative_to(checker.root))):
        for key in data:
            for entry in checker.items(data, key, None):
                kind, obj = build_item(checker, key, entry, seeds, comps)
                if obj is not None:
                    parsed[kind].append(obj)


def _cross_checks(checker: Checker, parsed: dict[str, list]) -> None:
    seen: dict[str, str] = {}
    for kind in ("interview", "scenario", "self", "validity", "kits"):
        for obj in parsed[kind]:
            where = checker.origin.get(id(obj), "-")
            if obj.id in seen:
                checker.error(
                    where,
                    obj.id,
                    "id",
                    f"duplicate id (also in {seen[obj.id]})",
                    checker.lines.get(id(obj)),
                )
            seen.setdefault(obj.id, where)
    questions = {q.id for q in parsed["interview"]}
    for kit in parsed["kits"]:
        for qid in kit.questions:
            if qid not in questions:
                checker.error(
                    checker.origin.get(id(kit), "-"),
                    kit.id,
                    "questions",
                    f"names a missing question {qid!r}",
                    checker.lines.get(id(kit)),
                )
    counts = BankReport("", None, [], parsed).counts()
    for comp, per_kind in counts.items():
        for kind, n in per_kind.items():
            if n < MINIMUM[kind]:
                checker.error("-", comp, kind, f"{n} items, needs at least {MINIMUM[kind]}")
        if not any(s.reverse for s in parsed["self"] if s.competency == comp):
            checker.error("self", comp, "reverse", "needs at least one reverse-keyed statement")
    if len(parsed["validity"]) < 3:
        checker.error("self", None, "validity", "needs at least 3 validity items")
    if not parsed["kits"]:
        checker.error("kits", None, None, "needs at least one kit")


__all__ = [
    "BankError",
    "BankInvalid",
    "BankReport",
    "check_bank",
    "load_bank",
    "InterviewQuestion",
    "ScenarioItem",
    "ScenarioResponse",
    "Statement",
    "ValidityItem",
    "Kit",
    "DEFAULT_METHOD_WEIGHTS",
    "INTERVIEW_KINDS",
    "VALIDITY_KINDS",
]
