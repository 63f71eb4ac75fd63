"""Immutable objects of the question bank: what `bank/` loads and `scoring/` reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

COMPETENCY_IDS = ("lead", "own", "perspective", "process", "trust", "relationship")
METHODS = ("interview", "scenario", "self")
DEFAULT_METHOD_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"interview": 0.60, "scenario": 0.25, "self": 0.15}
)
INTERVIEW_KINDS = ("behavioural", "situational")
VALIDITY_KINDS = ("infrequency", "desirability")


def frozen_map(data: Mapping | None = None) -> Mapping:
    """A read-only view of a copy of `data`, so bank objects stay immutable."""
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class Seed:
    id: str
    title: str


@dataclass(frozen=True)
class Competency:
    id: str
    name: str
    summary: str
    seeds: tuple[str, ...]


@dataclass(frozen=True)
class InterviewQuestion:
    id: str
    competency: str
    kind: str  # "behavioural" or "situational"
    seed: str
    text: str
    probes: tuple[str, ...]
    listen_for: tuple[str, ...]
    anchors: Mapping[int, str]  # 1, 3, 5 always; 2 and 4 when written

    def snapshot(self) -> dict[str, Any]:
        return {
            "type": "interview",
            "id": self.id,
            "competency": self.competency,
            "kind": self.kind,
            "seed": self.seed,
            "text": self.text,
            "probes": list(self.probes),
            "listen_for": list(self.listen_for),
            "anchors": {str(k): v for k, v in sorted(self.anchors.items())},
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> InterviewQuestion:
        return cls(
            id=data["id"],
            competency=data["competency"],
            kind=data["kind"],
            seed=data["seed"],
            text=data["text"],
            probes=tuple(data["probes"]),
            listen_for=tuple(data["listen_for"]),
            anchors=frozen_map({int(k): v for k, v in data["anchors"].items()}),
        )


@dataclass(frozen=True)
class ScenarioResponse:
    id: str
    text: str
    key: int  # expert effectiveness 1..5
    rationale: str


@dataclass(frozen=True)
class ScenarioItem:
    id: str
    competency: str
    seed: str
    situation: str
    responses: tuple[ScenarioResponse, ...]

    @property
    def keys(self) -> Mapping[str, int]:
        return {r.id: r.key for r in self.responses}

    @property
    def key_range(self) -> int:
        keys = [r.key for r in self.responses]
        return max(keys) - min(keys)

    def snapshot(self) -> dict[str, Any]:
        return {
            "type": "scenario",
            "id": self.id,
            "competency": self.competency,
            "seed": self.seed,
            "situation": self.situation,
            "responses": [
                {"id": r.id, "text": r.text, "key": r.key, "rationale": r.rationale}
                for r in self.responses
            ],
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> ScenarioItem:
        return cls(
            id=data["id"],
            competency=data["competency"],
            seed=data["seed"],
            situation=data["situation"],
            responses=tuple(ScenarioResponse(**r) for r in data["responses"]),
        )


@dataclass(frozen=True)
class Statement:
    id: str
    competency: str
    seed: str
    text: str
    reverse: bool

    def snapshot(self) -> dict[str, Any]:
        return {
            "type": "statement",
            "id": self.id,
            "competency": self.competency,
            "seed": self.seed,
            "text": self.text,
            "reverse": self.reverse,
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> Statement:
        return cls(**{k: data[k] for k in ("id", "competency", "seed", "text", "reverse")})


@dataclass(frozen=True)
class ValidityItem:
    id: str
    kind: str  # "infrequency" or "desirability"
    text: str
    fails_on: frozenset[int]

    def snapshot(self) -> dict[str, Any]:
        return {
            "type": "validity",
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "fails_on": sorted(self.fails_on),
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> ValidityItem:
        return cls(
            id=data["id"],
            kind=data["kind"],
            text=data["text"],
            fails_on=frozenset(data["fails_on"]),
        )


@dataclass(frozen=True)
class Kit:
    id: str
    title: str
    summary: str
    weights: Mapping[str, float]  # competency id -> weight > 0
    method_weights: Mapping[str, float]  # interview / scenario / self
    questions: tuple[str, ...]  # interview question ids, in interview order


SNAPSHOT_TYPES = {
    "interview": InterviewQuestion,
    "scenario": ScenarioItem,
    "statement": Statement,
    "validity": ValidityItem,
}


def item_from_snapshot(data: Mapping[str, Any]):
    """Rebuild a bank item from the JSON snapshot an interview or assessment stored."""
    return SNAPSHOT_TYPES[data["type"]].from_snapshot(data)


@dataclass(frozen=True)
class Bank:
    version: str  # content hash of the bank's parsed data
    seeds: Mapping[str, Seed]
    competencies: Mapping[str, Competency]  # in the order of competencies.yaml
    questions: Mapping[str, InterviewQuestion]
    scenarios: Mapping[str, ScenarioItem]
    statements: Mapping[str, Statement]
    validity: Mapping[str, ValidityItem]
    kits: Mapping[str, Kit]
    source: str = field(default="", compare=False)  # folder it was loaded from

    @property
    def competency_names(self) -> dict[str, str]:
        """{competency id: name}, in the bank's order."""
        return {c.id: c.name for c in self.competencies.values()}

    def in_order(self, competency_ids: Iterable[str]) -> list[str]:
        """The ids in the bank's order; any it does not know (an older bank's) after them,
        sorted."""
        ids = set(competency_ids)
        return [c for c in self.competencies if c in ids] + sorted(ids - self.competencies.keys())

    def items_of(self, competency: str) -> dict[str, list]:
        """All items of one competency, by type, in bank order."""
        return {
            "interview": [q for q in self.questions.values() if q.competency == competency],
            "scenario": [s for s in self.scenarios.values() if s.competency == competency],
            "self": [s for s in self.statements.values() if s.competency == competency],
        }
