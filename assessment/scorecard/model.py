"""The scorecard's frozen objects: one candidate's facts and scores, as every output shows them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from assessment.bank.model import DEFAULT_METHOD_WEIGHTS, InterviewQuestion
from assessment.interviews.recommendation import RECOMMENDATIONS, disagreement
from assessment.scoring import CandidateScore, CompetencyScore, Source
from assessment.scoring.evidence import Evidence
from assessment.scoring.quality import Flag
from assessment.scoring.rounding import coefficient

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
    withdrawn_at: datetime | None = None  # left the process
    erased_at: datetime | None = None  # personal data erased (assessment/privacy/)


@dataclass(frozen=True)
class PositionInfo:
    id: int
    title: str
    kit_id: str
    bank_version: str
    closed: bool = False  # read-only (assessment/positions/closing.py)


@dataclass(frozen=True)
class InterviewInfo:
    """One panellist's interview; the ratings of one in progress show, and count nowhere."""

    id: int
    interviewer: str  # the key used in Rating.interviewer and the scorecard's name map
    interviewer_name: str
    status: str  # not_started, in_progress, submitted
    scheduled_for: datetime | None
    started_at: datetime | None
    submitted_at: datetime | None
    rated: int  # questions with a rating or an explicit "not covered"
    # The overall recommendation, once submitted (sealed like the ratings); never scored.
    recommendation: str | None = None
    key_evidence: str = ""
    mean_rating: float | None = None  # of this interviewer's own 1-5 ratings

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"

    @property
    def recommendation_text(self) -> str:
        return RECOMMENDATIONS.get(self.recommendation or "", "")

    @property
    def recommendation_note(self) -> str | None:
        """Set when the recommendation points the other way from their own ratings."""
        return disagreement(self.recommendation, self.mean_rating)

    @property
    def status_text(self) -> str:
        return self.status.replace("_", " ")

    @property
    def counted(self) -> str:
        """What the scorecard says of a draft: scores rest on submitted interviews only."""
        return "in progress, not counted" if self.status == "in_progress" else ""


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
    decisions: tuple[DecisionInfo, ...] = ()  # a person's each, the standing one first

    @property
    def decision(self) -> DecisionInfo | None:
        """The standing decision, or None."""
        return self.decisions[0] if self.decisions else None

    @property
    def methods(self) -> Mapping[str, str]:
        return METHOD_NAMES

    @property
    def method_weights(self) -> Mapping[str, float]:
        return self.evidence.method_weights or DEFAULT_METHOD_WEIGHTS

    @property
    def has_ratings(self) -> bool:
        """Any rating saved, submitted or not (drafts show, marked as not counted)."""
        return any(row.ratings for block in self.competencies for row in block.questions)

    @property
    def recommendations(self) -> tuple[InterviewInfo, ...]:
        """The submitted interviews that carry a recommendation, in panel order."""
        return tuple(i for i in self.interviews if i.recommendation)

    @property
    def open_interviews(self) -> tuple[InterviewInfo, ...]:
        return tuple(i for i in self.interviews if not i.submitted)

    def competency_name(self, competency_id: str | None) -> str:
        return self.competency_names.get(competency_id or "", competency_id or "")

    @property
    def flags(self) -> tuple[Flag, ...]:
        return self.score.flags

    @property
    def left_out(self) -> str:
        """The overall's missing parts by method: "scenarios and self-view (every
        competency), interview (Owns the outcome)"."""
        every = [b.id for b in self.competencies]
        by_method: dict[str, list[str]] = {}
        for competency, method in self.score.overall.missing:
            by_method.setdefault(method, []).append(competency)
        groups: dict[str, list[str]] = {}  # which competencies → methods
        for method, ids in by_method.items():
            which = (
                "every competency" if ids == every else ", ".join(map(self.competency_name, ids))
            )
            groups.setdefault(which, []).append(METHOD_NAMES[method].lower())
        return "; ".join(f"{' and '.join(ms)} ({which})" for which, ms in groups.items())

    @property
    def band_sources(self) -> tuple[tuple[str, str, str], ...]:
        """Per method with a score: (its name, where the reliabilities came from, where
        the scale came from), e.g. ("Interview", "this company's data, n = 34", "default")."""
        lines = []
        for method, name in METHOD_NAMES.items():
            parts = [b.score.part(method) for b in self.competencies]
            parts = [p for p in parts if p.score is not None]
            if parts:
                lines.append(
                    (
                        name,
                        sources_text([p.reliability_source for p in parts]),
                        sources_text([p.scale_source for p in parts]),
                    )
                )
        return tuple(lines)

    @property
    def error_correlations(self) -> tuple[tuple[str, str, str], ...]:
        """(method name, the error correlation assumed between its competencies, source)."""
        found = self.score.overall.error_correlations or {}
        return tuple(
            (METHOD_NAMES[m], coefficient(rho), str(source))
            for m, (rho, source) in found.items()
            if rho > 0
        )


def sources_text(sources: list[Source]) -> str:
    """ "default", "this company's data, n = 34" (the smallest n), or a mix in words."""
    local = [s for s in sources if s.local]
    if not local:
        return "default"
    smallest = f"this company's data, n = {min(s.n for s in local)}"
    if len(local) == len(sources):
        return smallest
    return f"{smallest} for {len(local)} of {len(sources)} competencies, default for the rest"
