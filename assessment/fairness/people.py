"""What the fairness and validity reports know of one candidate, as plain data: position,
latest decision, self-identified groups, scores by part and scenario item scores. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assessment.bank.model import METHODS, frozen_map

ALL = "all"  # the scope of every position together
OVERALL = "overall"
SELECTED, REJECTED = "advance", "decline"  # the final decisions; "hold" is still open


def part_key(competency: str, method: str) -> str:
    return f"{competency}:{method}"


def part_keys(competencies: list[str]) -> list[str]:
    """Each competency × method, in the bank's competency order, then the overall."""
    return [part_key(c, m) for c in competencies for m in METHODS] + [OVERALL]


@dataclass(frozen=True)
class Person:
    candidate_id: int
    position_id: int
    decision: str | None  # the latest decision
    groups: Mapping[str, str | None] = field(default_factory=frozen_map)  # None: not disclosed
    parts: Mapping[str, float] = field(default_factory=frozen_map)  # part key → 0-100
    items: Mapping[str, float] = field(default_factory=frozen_map)  # scenario item → 0-100

    @property
    def decided(self) -> bool:
        return self.decision in (SELECTED, REJECTED)

    @property
    def selected(self) -> bool:
        return self.decision == SELECTED

    def in_scope(self, scope: int | str) -> bool:
        return scope == ALL or self.position_id == scope


def parts_from_summary(
    overall: float | None, competencies: Mapping[str, Mapping] | None
) -> dict[str, float]:
    """A candidate's part scores (0-100) from their summary row (comparison/summary_model.py):
    each competency × method that has a score, and the overall. Missing parts are left out."""
    parts = {}
    for competency, entry in (competencies or {}).items():
        for method, values in (entry.get("parts") or {}).items():
            if values and values[0] is not None:
                parts[part_key(competency, method)] = float(values[0])
    if overall is not None:
        parts[OVERALL] = float(overall)
    return parts
