"""The pure scoring core: evidence in, scores, bands and flags out. No Flask, no database.

- `evidence`: what scoring rests on (ratings, answers, weights, reliability inputs);
- `candidate`: one candidate's part scores, bands, overall and flags (SCIENCE §2–§4);
- `quality`: response-quality flags of a self-assessment (§6);
- `stats/`: the statistics behind them (bands, Spearman–Brown, alpha, ICC, rater effects).
"""

from .candidate import (
    METHOD_SCORERS,
    CandidateScore,
    CompetencyScore,
    InterviewPart,
    Overall,
    Part,
    combine_competency,
    combine_overall,
    combine_weighted,
    competency_flags,
    needed,
    scenario_item_score,
    score_candidate,
    score_interview,
    score_scenario,
    score_self,
    statement_value,
)
from .evidence import Evidence, Rating, Reliability, ScenarioAnswer, StatementAnswer

__all__ = [
    "METHOD_SCORERS",
    "CandidateScore",
    "CompetencyScore",
    "Evidence",
    "InterviewPart",
    "Overall",
    "Part",
    "Rating",
    "Reliability",
    "ScenarioAnswer",
    "StatementAnswer",
    "combine_competency",
    "combine_overall",
    "combine_weighted",
    "competency_flags",
    "needed",
    "scenario_item_score",
    "score_candidate",
    "score_interview",
    "score_scenario",
    "score_self",
    "statement_value",
]
