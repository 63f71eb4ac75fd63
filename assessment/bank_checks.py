"""Field checks for bank items: every problem named by file, item, field and line."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from .bank_model import (
    DEFAULT_METHOD_WEIGHTS,
    INTERVIEW_KINDS,
    METHODS,
    VALIDITY_KINDS,
    InterviewQuestion,
    Kit,
    ScenarioItem,
    ScenarioResponse,
    Statement,
    ValidityItem,
    frozen_map,
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LINE = "__line__"
FIELDS = {
    "questions": {"id", "competency", "kind", "seed", "text", "probes", "listen_for", "anchors"},
    "scenarios": {"id", "competency", "seed", "situation", "responses"},
    "statements": {"id", "competency", "seed", "text", "reverse"},
    "validity": {"id", "kind", "text", "fails_on"},
    "kit": {"id", "title", "summary", "weights", "method_weights", "questions"},
}
OPTIONAL = {"kit": {"method_weights"}}


class LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping, for error messages."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def strip_lines(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: strip_lines(v) for k, v in data.items() if k != LINE}
    if isinstance(data, list):
        return [strip_lines(v) for v in data]
    return data


class Checker:
    def __init__(self, root: Path):
        self.root = root
        self.errors: list = []
        self.current = "-"
        self.origin: dict[int, str] = {}  # id(item) -> the file it came from
        self.lines: dict[int, int | None] = {}  # id(item) -> its line in that file

    def error(self, file, item, field, message, line=None) -> None:
        from .bank import BankError

        self.errors.append(BankError(file, item, field, message, line))

    def item_error(self, entry: dict, field: str | None, message: str) -> None:
        item = entry.get("id") if isinstance(entry.get("id"), str) else None
        self.error(self.current, item, field, message, entry.get(LINE))

    @contextmanager
    def file(self, name: str):
        previous, self.current = self.current, name
        try:
            yield
        finally:
            self.current = previous

    def read(self, path: Path, keys, exactly_one: bool = False) -> dict | None:
        name = str(path.relative_to(self.root))
        if not path.is_file():
            self.error(name, None, None, "the file is missing")
            return None
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)  # noqa: S506
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            self.error(
                name, None, None, f"YAML syntax error: {problem}", mark.line + 1 if mark else None
            )
            return None
        except (OSError, UnicodeDecodeError) as error:
            self.error(name, None, None, f"cannot read the file: {error}")
            return None
        if not isinstance(data, dict):
            self.error(name, None, None, f"expected a mapping with one of: {', '.join(keys)}")
            return None
        found = [k for k in data if k != LINE]
        for key in found:
            if key not in keys:
                self.error(name, None, key, f"unknown top-level key; expected {' or '.join(keys)}")
        if exactly_one and len([k for k in found if k in keys]) != 1:
            self.error(name, None, None, f"expected exactly one of: {', '.join(keys)}")
        return strip_known(data, keys)

    def items(self, data: dict, key: str, required) -> list[dict]:
        value = data.get(key)
        if key == "kit":
            value = [value]
        if not isinstance(value, list):
            self.error(self.current, None, key, "expected a list", data.get(LINE))
            return []
        good = []
        for entry in value:
            if not isinstance(entry, dict):
                self.error(self.current, None, key, "each entry must be a mapping")
                continue
            if required:
                for name in required:
                    if name not in entry:
                        self.item_error(entry, name, "is missing")
            good.append(entry)
        return good

    def text(self, entry: dict, name: str) -> str:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            self.item_error(entry, name, "must be non-empty text")
            return ""
        return value.strip()

    def texts(self, entry: dict, name: str, lo: int, hi: int) -> tuple[str, ...]:
        value = entry.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.item_error(entry, name, "must be a list of non-empty texts")
            return ()
        if not lo <= len(value) <= hi:
            self.item_error(entry, name, f"has {len(value)} entries, needs {lo} to {hi}")
        return tuple(v.strip() for v in value)


def strip_known(data: dict, keys) -> dict:
    return {k: v for k, v in data.items() if k in keys}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _common(checker: Checker, key: str, entry: dict, seeds, comps, with_comp: bool) -> bool:
    """Fields, id, competency and seed; False when the item cannot be built."""
    allowed = FIELDS[key]
    for name in entry:
        if name != LINE and name not in allowed:
            checker.item_error(entry, name, "unknown field")
    ok = True
    for name in allowed - OPTIONAL.get(key, set()):
        if name not in entry:
            checker.item_error(entry, name, "is missing")
            ok = False
    item_id = entry.get("id")
    if not isinstance(item_id, str) or not ID_RE.match(item_id):
        checker.item_error(entry, "id", "must match [a-z0-9-] (lower case), e.g. lead-beh-1")
        ok = False
    if with_comp:
        if entry.get("competency") not in comps:
            checker.item_error(
                entry, "competency", f"unknown competency {entry.get('competency')!r}"
            )
            ok = False
        if str(entry.get("seed")) not in seeds:
            checker.item_error(entry, "seed", f"unknown seed {entry.get('seed')!r}")
            ok = False
    return ok


def build_item(checker: Checker, key: str, entry: dict, seeds, comps):
    """(bucket, object) for one entry, or (bucket, None) when it has errors."""
    builder = BUILDERS[key]
    count = len(checker.errors)
    bucket, obj = builder(checker, key, entry, seeds, comps)
    if len(checker.errors) > count:
        return bucket, None
    checker.origin[id(obj)] = checker.current
    checker.lines[id(obj)] = entry.get(LINE)
    return bucket, obj


def _question(checker, key, entry, seeds, comps):
    if not _common(checker, key, entry, seeds, comps, True):
        return "interview", None
    kind = entry["kind"]
    if kind not in INTERVIEW_KINDS:
        checker.item_error(entry, "kind", "must be behavioural or situational")
    anchors = entry.get("anchors")
    clean: dict[int, str] = {}
    if not isinstance(anchors, dict):
        checker.item_error(entry, "anchors", "must map levels 1-5 to texts")
    else:
        for level, text in anchors.items():
            if level == LINE:
                continue
            if not _is_int(level) or not 1 <= level <= 5:
                checker.item_error(entry, "anchors", f"level {level!r} is not 1-5")
            elif not isinstance(text, str) or not text.strip():
                checker.item_error(entry, "anchors", f"anchor {level} must be non-empty text")
            else:
                clean[level] = text.strip()
        for level in (1, 3, 5):
            if level not in clean and level not in anchors:
                checker.item_error(entry, "anchors", f"anchor {level} is missing")
    obj = InterviewQuestion(
        id=entry["id"],
        competency=entry["competency"],
        kind=kind,
        seed=str(entry["seed"]),
        text=checker.text(entry, "text"),
        probes=checker.texts(entry, "probes", 2, 4),
        listen_for=checker.texts(entry, "listen_for", 1, 10),
        anchors=frozen_map(clean),
    )
    return "interview", obj


def _scenario(checker, key, entry, seeds, comps):
    if not _common(checker, key, entry, seeds, comps, True):
        return "scenario", None
    responses = []
    raw = entry.get("responses")
    if not isinstance(raw, list) or not 4 <= len(raw) <= 5:
        checker.item_error(entry, "responses", "needs 4 or 5 responses")
        raw = raw if isinstance(raw, list) else []
    for r in raw:
        if not isinstance(r, dict) or set(r) - {"id", "text", "key", "rationale", LINE}:
            checker.item_error(entry, "responses", "each response has id, text, key, rationale")
            continue
        if not _is_int(r.get("key")) or not 1 <= r["key"] <= 5:
            checker.item_error(entry, "key", f"response {r.get('id')}: key must be 1 to 5")
            continue
        if not isinstance(r.get("rationale"), str) or not r["rationale"].strip():
            checker.item_error(entry, "rationale", f"response {r.get('id')}: rationale missing")
            continue
        responses.append(
            ScenarioResponse(
                str(r.get("id")), str(r.get("text", "")).strip(), r["key"], r["rationale"].strip()
            )
        )
    ids = [r.id for r in responses]
    if len(set(ids)) != len(ids):
        checker.item_error(entry, "responses", "response ids must be unique")
    keys = [r.key for r in responses]
    if keys and max(keys) == min(keys):
        checker.item_error(entry, "key", "all keys are equal (range 0): the item cannot score")
    elif keys and not (min(keys) <= 2 and max(keys) >= 4):
        checker.item_error(entry, "key", "keys must spread: one ≤ 2 and one ≥ 4")
    obj = ScenarioItem(
        entry["id"],
        entry["competency"],
        str(entry["seed"]),
        checker.text(entry, "situation"),
        tuple(responses),
    )
    return "scenario", obj


def _statement(checker, key, entry, seeds, comps):
    if not _common(checker, key, entry, seeds, comps, True):
        return "self", None
    if not isinstance(entry.get("reverse"), bool):
        checker.item_error(entry, "reverse", "must be true or false")
    obj = Statement(
        entry["id"],
        entry["competency"],
        str(entry["seed"]),
        checker.text(entry, "text"),
        bool(entry.get("reverse")),
    )
    return "self", obj


def _validity(checker, key, entry, seeds, comps):
    if not _common(checker, key, entry, seeds, comps, False):
        return "validity", None
    if entry.get("kind") not in VALIDITY_KINDS:
        checker.item_error(entry, "kind", "must be infrequency or desirability")
    fails = entry.get("fails_on")
    if (
        not isinstance(fails, list)
        or not fails
        or not all(_is_int(v) and 1 <= v <= 5 for v in fails)
    ):
        checker.item_error(entry, "fails_on", "must be a non-empty list of answers 1 to 5")
        fails = []
    obj = ValidityItem(
        entry["id"], str(entry.get("kind")), checker.text(entry, "text"), frozenset(fails)
    )
    return "validity", obj


def _numbers(checker, entry, name, allowed, positive: bool) -> dict[str, float]:
    value = entry.get(name)
    if not isinstance(value, dict):
        checker.item_error(entry, name, "must map names to numbers")
        return {}
    out = {}
    for k, v in value.items():
        if k == LINE:
            continue
        if k not in allowed:
            checker.item_error(entry, name, f"unknown name {k!r}")
        elif (
            not isinstance(v, int | float) or isinstance(v, bool) or v < 0 or (positive and v == 0)
        ):
            checker.item_error(entry, name, f"{k}: must be a number {'> 0' if positive else '≥ 0'}")
        else:
            out[k] = float(v)
    return out


def _kit(checker, key, entry, seeds, comps):
    if not _common(checker, key, entry, seeds, comps, False):
        return "kits", None
    weights = _numbers(checker, entry, "weights", comps, True)
    for comp in comps:
        if comp not in weights and comp not in (entry.get("weights") or {}):
            checker.item_error(entry, "weights", f"no weight for {comp}")
    methods = DEFAULT_METHOD_WEIGHTS
    if "method_weights" in entry:
        methods = _numbers(checker, entry, "method_weights", METHODS, False)
        if not sum(methods.values()):
            checker.item_error(entry, "method_weights", "must not all be 0")
    questions = entry.get("questions")
    if not isinstance(questions, list) or not questions:
        checker.item_error(entry, "questions", "must be a non-empty list of question ids")
        questions = []
    if len(set(map(str, questions))) != len(questions):
        checker.item_error(entry, "questions", "lists a question twice")
    obj = Kit(
        entry["id"],
        checker.text(entry, "title"),
        checker.text(entry, "summary"),
        frozen_map(weights),
        frozen_map(methods),
        tuple(map(str, questions)),
    )
    return "kits", obj


BUILDERS = {
    "questions": _question,
    "scenarios": _scenario,
    "statements": _statement,
    "validity": _validity,
    "kit": _kit,
}
