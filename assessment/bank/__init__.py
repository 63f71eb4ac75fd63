"""Load and validate the question bank (questions/*.yaml) into an immutable Bank."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .checks import (
    FOLDER_KEYS,
    MINIMUM,
    BankBuilder,
    Tally,
    check_competencies,
    check_file,
    check_minimums,
)
from .items import BankError
from .model import Bank

COMPETENCIES_FILE = "competencies.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


class BankInvalid(Exception):
    """The bank has problems; `errors` lists every one of them."""

    def __init__(self, directory: str, errors: list[BankError]):
        super().__init__(directory, errors)
        self.directory, self.errors = str(directory), list(errors)

    def __str__(self) -> str:
        count = len(self.errors)
        head = f"The question bank in {self.directory} is invalid ({count} problem"
        head += "):" if count == 1 else "s):"
        return "\n".join([head, *(f"  {error}" for error in self.errors)])


@dataclass
class BankReport:
    """What `check_bank` found: the Bank when valid, else every problem; counts either way."""

    directory: str
    bank: Bank | None
    errors: list[BankError]
    tally: Tally = field(default_factory=Tally, repr=False)  # items seen, valid or not

    @property
    def ok(self) -> bool:
        return not self.errors and self.bank is not None

    def counts(self) -> dict[str, dict[str, int]]:
        return self.tally.counts()

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.bank.version if self.bank else None,
            "competencies": self.counts(),
            "validity": self.tally.validity,
            "kits": self.tally.kits,
            "errors": [asdict(error) for error in self.errors],
        }

    def to_text(self) -> str:
        version = self.bank.version if self.bank else "none (the bank is invalid)"
        lines = [f"Question bank {self.directory}", f"version: {version}", ""]
        lines.append(f"{'competency':<14}" + "".join(f"{kind:>13}" for kind in MINIMUM))
        for competency, counts in self.counts().items():
            lines.append(f"{competency:<14}" + "".join(f"{counts[k]:>13}" for k in MINIMUM))
        lines += ["", f"validity items: {self.tally.validity}   kits: {self.tally.kits}", ""]
        if self.ok:
            lines.append("OK")
        else:
            count = len(self.errors)
            lines.append(f"{count} problem{'' if count == 1 else 's'}:")
            lines.extend(f"  {error}" for error in self.errors)
        return "\n".join(lines)


def load_bank(directory: str | Path) -> Bank:
    """The valid bank in `directory`; raises BankInvalid listing every problem otherwise."""
    report = check_bank(directory)
    if not report.ok:
        raise BankInvalid(str(directory), report.errors)
    return report.bank


def check_bank(directory: str | Path) -> BankReport:
    """Check a bank folder in one pass; bad content never raises, it becomes a BankError."""
    root, builder = Path(directory), BankBuilder()
    if not root.is_dir():
        message = f"the question bank folder {root} does not exist"
        return BankReport(str(directory), None, [BankError(".", None, None, message)])
    contents = _read_bank(root, builder.errors)
    if COMPETENCIES_FILE in contents:
        check_competencies(builder, COMPETENCIES_FILE, contents[COMPETENCIES_FILE])
    # Folders in FOLDER_KEYS order, kits last: a kit's questions must be known by then.
    for file, data in contents.items():
        if file != COMPETENCIES_FILE:
            check_file(builder, file, file.split("/")[0], data)
    check_minimums(builder)
    bank = None if builder.errors else builder.build(_version(contents), str(root))
    return BankReport(str(directory), bank, builder.errors, builder.tally)


def _read_bank(root: Path, errors: list[BankError]) -> dict[str, Any]:
    """Every bank file that parses, by path relative to `root`: competencies.yaml first,
    then each folder's files by name."""
    contents: dict[str, Any] = {}
    paths = []
    if (root / COMPETENCIES_FILE).is_file():
        paths.append(root / COMPETENCIES_FILE)
    else:
        message = "required file is missing: it lists the seeds and the competencies"
        errors.append(BankError(COMPETENCIES_FILE, None, None, message))
    for folder in FOLDER_KEYS:
        if (root / folder).is_dir():
            paths += sorted(p for p in (root / folder).iterdir() if p.is_file() and _is_yaml(p))
        else:
            errors.append(BankError(folder, None, None, "required folder is missing"))
    errors += _unread(root)
    for path in paths:
        file = path.relative_to(root).as_posix()
        data = _parse(path, file, errors)
        if data is not _UNREADABLE:
            contents[file] = data
    return contents


def _is_yaml(path: Path) -> bool:
    return path.suffix in YAML_SUFFIXES and not path.name.startswith(".")


def _unread(root: Path) -> list[BankError]:
    """Folders and YAML files the bank would not read: a misplaced file must not go unnoticed."""
    errors = []
    where = ", ".join(f"{folder}/" for folder in FOLDER_KEYS)
    for path in sorted(root.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir() and path.name not in FOLDER_KEYS:
            message = f"unknown folder, not read; bank files go in {where}"
            errors.append(BankError(path.name, None, None, message))
        elif path.is_file() and _is_yaml(path) and path.name != COMPETENCIES_FILE:
            message = f"a YAML file here is not read; bank files go in {where}"
            errors.append(BankError(path.name, None, None, message))
    for folder in FOLDER_KEYS:
        if (root / folder).is_dir():
            for path in sorted((root / folder).iterdir()):
                if path.is_dir() and not path.name.startswith("."):
                    message = "subfolders are not read; put the file directly in the folder"
                    errors.append(BankError(f"{folder}/{path.name}", None, None, message))
    return errors


_UNREADABLE = object()


class LineDict(dict):
    """A parsed YAML mapping that remembers its line and the line of each of its keys."""

    line: int | None = None

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}


class _LineLoader(yaml.SafeLoader):
    """yaml.safe_load, but mappings are LineDicts and keys written twice are noted."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.repeated: list[tuple[Any, int]] = []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            key, line = loader.construct_object(key_node), key_node.start_mark.line + 1
            if key in data.key_lines:
                loader.repeated.append((key, line))
            data.key_lines.setdefault(key, line)
    data.update(loader.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _parse(path: Path, file: str, errors: list[BankError]) -> Any:
    """The file's data; a problem becomes a BankError (with its line) and _UNREADABLE."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as error:
        errors.append(BankError(file, None, None, f"cannot read the file: {error}"))
        return _UNREADABLE
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark else None
        errors.append(BankError(file, None, None, f"YAML syntax error: {problem}", line))
        return _UNREADABLE
    finally:
        loader.dispose()
    for key, line in loader.repeated:
        message = "written twice in one mapping; YAML would keep only the last"
        errors.append(BankError(file, None, str(key), message, line))
    return data


def _version(contents: dict[str, Any]) -> str:
    """12 hex digits of sha256 over the parsed data: comments and layout do not change it."""
    text = json.dumps(_canonical(contents), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _canonical(value: Any) -> Any:
    # JSON keys must be text; encoding each key as JSON keeps 1 and "1" apart.
    if isinstance(value, dict):
        return {json.dumps(k, default=str): _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


__all__ = ["BankError", "BankInvalid", "BankReport", "check_bank", "load_bank"]
