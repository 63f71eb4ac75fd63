"""Adopted consensus keys over the bank on disk.

Adopting never rewrites `questions/`: the bank's YAML (and its content hash) stays as
shipped, and an adopted key is a row of its own. `keyed_bank` lays the adopted keys over the
loaded bank, under a new version (`<file version>+k<adoption id>`), and only new
self-assessments read it (selfassess/invites.py): every earlier self-assessment keeps the item
snapshot, with the keys, it was shown and is scored with. An adoption applies only while the
item reads as it did (its hash); a reworded item falls back to its shipped key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from assessment.bank.model import Bank, ScenarioItem, frozen_map
from assessment.extensions import db

from .models import AdoptedKey


def item_hash(item: ScenarioItem) -> str:
    """The item as an expert reads it (situation, responses' ids and texts), never its keys."""
    content = [item.situation, [[r.id, r.text] for r in item.responses]]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def public_item(item: ScenarioItem) -> dict[str, Any]:
    """What an expert keys: no key, no rationale, nothing that could lead them."""
    return {
        "id": item.id,
        "situation": item.situation,
        "responses": [{"id": r.id, "text": r.text} for r in item.responses],
    }


def current_adoptions(bank: Bank) -> dict[str, AdoptedKey]:
    """The latest adoption of each scenario item that still reads as it did when adopted."""
    rows = db.session.scalars(db.select(AdoptedKey).order_by(AdoptedKey.id))
    found: dict[str, AdoptedKey] = {}
    for row in rows:
        item = bank.scenarios.get(row.item_id)
        if item is not None and row.item_hash == item_hash(item):
            found[row.item_id] = row
    return found


def version_with(bank: Bank, adoption_id: int) -> str:
    return f"{bank.version}+k{adoption_id}"


def with_keys(item: ScenarioItem, keys: dict[str, int]) -> ScenarioItem:
    return replace(item, responses=tuple(replace(r, key=keys[r.id]) for r in item.responses))


def keyed_bank(bank: Bank) -> Bank:
    """The bank new self-assessments are given: adopted keys laid over the shipped ones."""
    adoptions = current_adoptions(bank)
    if not adoptions:
        return bank
    scenarios = dict(bank.scenarios)
    for item_id, row in adoptions.items():
        scenarios[item_id] = with_keys(scenarios[item_id], row.keys)
    latest = max(row.id for row in adoptions.values())
    return replace(bank, version=version_with(bank, latest), scenarios=frozen_map(scenarios))
