"""The scorecard's frozen objects: one candidate's facts and scores, as every output shows them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from assessment.bank.model import DEFAULT_METHOD_WEIGHTS, InterviewQuestion
from assessment.scoring import CandidateScore, CompetencyScore
from assessment.scoring.evidence import Evidence
from assessment.scoring.quality import Flag

if TYPE_CHECKING:
    from assessment.visibility import CandidateView

    from .decision import DecisionInfo

METHOD_NAMES: Mapping[str, str] = {
    "interview": "Interview",
    "scenario": "Scenarios",
    "self": "Self-view",  # self-report: a view of oneself, not personality (SCIENCE §9)
}


class ScorecardError(Exception):
    """The scorecard cannot be shown to this viewer."""


class CandidateNotFound(ScorecardError):
    """No candidate with that id."""


class EvidenceSealed(ScorecardError):
    """The viewer may not see this candidate's evidence yet; the message says why."""


@dataclass(frozen=True)
class CandidateInfo:
    id: int
    name: str  # under blind review: the candidate code, with email "" and external_id None
    email: str
    external_id: str | None
    blind: bool = False  # the viewer sees the code, not the person (assessment/blind.py)


@dataclass(frozen=True)
class PositionInfo:
    id: int
    title: str
    kit_id: str
    bank_version: str


@dataclass(frozen=True)
class InterviewInfo:
    """One panellist's interview; in-progress ratings count, marked as not yet submitted."""

    id: int
    interviewer: str  # the key used in Rating.interviewer and the scorecard's name map
    interviewer_name: str
    status: str  # not_started, in_progress, submitted
    scheduled_for: datetime | None
    started_at: datetime | None
    submitted_at: datetime | None
    rated: int  # questions with a rating or an explicit "not covered"

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"

    @property
    def status_text(self) -> str:
        return self.status.replace("_", " ")


@dataclass(frozen=True)
class RatingCell:
    """One interviewer's entry for one question, as stored."""

    value: int | None
    not_covered: bool
    notes: str

    @property
    def text(self) -> str:
        if self.value is not None:
            return str(self.value)
        return "not covered" if self.not_covered else "not rated yet"


@dataclass(frozen=True)
class QuestionRow:
    question: InterviewQuestion
    ratings: Mapping[str, RatingCell]  # interviewer key → entry; absent: nothing saved


@dataclass(frozen=True)
class CompetencyBlock:
    """A competency of the kit: its scores by method and its questions with the ratings."""

    id: str
    name: str
    score: CompetencyScore
    questions: tuple[QuestionRow, ...]

    @property
    def weight(self) -> float:
        return self.score.weight


@dataclass(frozen=True)
class SelfAssessmentInfo:
    """The latest self-assessment: its status and how much of it is answered."""

    id: int
    status: str  # invited, in_progress, submitted
    created_at: datetime
    submitted_at: datetime | None
    answered: int
    total: int

    @property
    def status_text(self) -> str:
        return self.status.replace("_", " ")


@dataclass(frozen=True)
class Scorecard:
    candidate: CandidateInfo
    position: PositionInfo
    interviews: tuple[InterviewInfo, ...]
    interviewers: Mapping[str, str]  # interviewer key → name, in panel order
    self_assessment: SelfAssessmentInfo | None
    competencies: tuple[CompetencyBlock, ...]
    evidence: Evidence
    score: CandidateScore
    competency_names: Mapping[str, str]
    view: CandidateView  # what the viewer it was built for may see (visibility.py)
    decision: DecisionInfo | None = None  # the standing decision, a person's

    @property
    def methods(self) -> Mapping[str, str]:
        return METHOD_NAMES

    @property
    def method_weights(self) -> Mapping[str, float]:
        return self.evidence.method_weights or DEFAULT_METHOD_WEIGHTS

    @property
    def has_ratings(self) -> bool:
        return bool(self.evidence.ratings)

    @property
    def open_interviews(self) -> tuple[InterviewInfo, ...]:
        return tuple(i for i in self.interviews if not i.submitted)

    def competency_name(self, competency_id: str | None) -> str:
        return self.competency_names.get(competency_id or "", competency_id or "")

    @property
    def flags(self) -> tuple[Flag, ...]:
        return self.score.flags
