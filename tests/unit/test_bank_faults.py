"""The bank loader: the shipped bank is valid; each kind of fault gets file, item and field."""

from __future__ import annotations

import shutil
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
import yaml

from assessment.bank import BankInvalid, check_bank, load_bank
from assessment.bank.model import item_from_snapshot

SHIPPED = Path(__file__).resolve().parents[2] / "questions"


def test_shipped_bank_is_valid_and_complete():
    report = check_bank(SHIPPED)
    assert report.ok, report.to_text()
    for counts in report.counts().values():
        assert counts == {"behavioural": 3, "situational": 1, "scenario": 3, "self": 4}
    data = report.to_json()
    assert data["validity"] == 3 and data["kits"] == 3 and len(data["version"]) == 12


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "bank"
    shutil.copytree(SHIPPED, target)
    return target


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def first(data, key="questions"):
    return data[key][0]


def set_(key, value):
    return lambda item: item.__setitem__(key, value)


def set_key(value):
    return lambda d: d["scenarios"][0]["responses"][0].__setitem__("key", value)


FAULTS = [
    ("unknown competency", "interview/lead.yaml", lambda d: set_("competency", "charm")(first(d)),
     "lead-beh-1", "competency"),
    ("duplicate id", "interview/own.yaml", lambda d: set_("id", "lead-beh-1")(first(d)),
     "lead-beh-1", "id"),
    ("missing anchor", "interview/lead.yaml", lambda d: first(d)["anchors"].pop(3),
     "lead-beh-1", "anchors"),
    ("unknown seed", "interview/lead.yaml", lambda d: set_("seed", "999")(first(d)),
     "lead-beh-1", "seed"),
    ("too few probes", "interview/lead.yaml", lambda d: set_("probes", ["One?"])(first(d)),
     "lead-beh-1", "probes"),
    ("unknown field", "interview/lead.yaml", lambda d: set_("colour", "red")(first(d)),
     "lead-beh-1", "colour"),
    ("key out of range", "scenarios/lead.yaml", set_key(7), "lead-sjt-4", "key"),
    ("key is a bool", "scenarios/lead.yaml", set_key(True), "lead-sjt-4", "key"),
    ("keys all equal", "scenarios/lead.yaml",
     lambda d: [r.__setitem__("key", 3) for r in d["scenarios"][0]["responses"]],
     "lead-sjt-4", "key"),
    ("reverse not a bool", "self/lead.yaml",
     lambda d: set_("reverse", "yes")(first(d, "statements")), "lead-self-1", "reverse"),
    ("kit names a missing question", "kits/support-lead.yaml",
     lambda d: d["kit"]["questions"].append("lead-beh-42"), "support-lead", "questions"),
    ("weight not above 0", "kits/support-lead.yaml",
     lambda d: d["kit"]["weights"].__setitem__("lead", 0), "support-lead", "weights"),
    ("validity answer out of range", "self/validity.yaml",
     lambda d: set_("fails_on", [6])(first(d, "validity")), "validity-1", "fails_on"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "file", "change", "item", "field"), FAULTS, ids=[f[0] for f in FAULTS]
)
def test_each_fault_names_file_item_and_field(copy, name, file, change, item, field):
    edit(copy / file, change)
    report = check_bank(copy)
    assert not report.ok
    matches = [e for e in report.errors if e.item == item and e.field == field]
    assert matches, [str(e) for e in report.errors]
    assert matches[0].file == file and matches[0].line  # the item's line in the YAML
    with pytest.raises(BankInvalid) as raised:
        load_bank(copy)
    assert item in str(raised.value) and "invalid" in str(raised.value)


def test_yaml_syntax_error_gives_its_line(copy):
    path = copy / "self" / "trust.yaml"
    path.write_text(path.read_text() + "\n  - id: [unclosed\n")
    errors = check_bank(copy).errors
    assert any(e.file == "self/trust.yaml" and "YAML" in e.message and e.line for e in errors)


def test_too_few_items_and_missing_folder(copy):
    edit(copy / "scenarios" / "trust.yaml", lambda d: d["scenarios"].pop())
    shutil.rmtree(copy / "kits")
    errors = check_bank(copy).errors
    assert any(e.item == "trust" and e.field == "scenario" for e in errors)
    assert any(e.file == "kits" for e in errors)


def test_all_problems_are_reported_at_once(copy):
    for fault in FAULTS[:4]:
        edit(copy / fault[1], fault[2])
    assert len(check_bank(copy).errors) >= 4


def test_missing_bank_folder_is_an_error_not_a_crash(tmp_path):
    report = check_bank(tmp_path / "nowhere")
    assert not report.ok and report.to_json()["version"] is None


def test_version_ignores_layout_and_follows_content(copy):
    before = load_bank(copy).version
    path = copy / "self" / "lead.yaml"
    path.write_text("# a comment\n\n" + path.read_text())
    assert load_bank(copy).version == before
    edit(path, lambda d: set_("text", "I changed this statement.")(first(d, "statements")))
    assert load_bank(copy).version != before


def test_bank_objects_are_immutable_and_snapshots_round_trip():
    bank = load_bank(SHIPPED)
    question = bank.questions["lead-beh-1"]
    with pytest.raises(FrozenInstanceError):
        question.text = "changed"
    with pytest.raises(TypeError):
        question.anchors[5] = "changed"
    with pytest.raises(TypeError):
        bank.questions["x"] = question
    for items in (bank.questions, bank.scenarios, bank.statements, bank.validity):
        for item in items.values():
            assert item_from_snapshot(item.snapshot()) == item
