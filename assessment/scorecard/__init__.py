"""The one scorecard model: stored facts → scoring → what the page, PDF, CSV and API show."""

from .build import build_scorecard as build_scorecard
from .model import CandidateNotFound as CandidateNotFound
from .model import EvidenceSealed as EvidenceSealed
from .model import Scorecard as Scorecard
from .model import ScorecardError as ScorecardError
