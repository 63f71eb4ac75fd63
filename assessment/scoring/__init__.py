"""The pure scoring core: evidence in, scores, bands and flags out. No Flask, no database.

- `evidence`: what scoring rests on (submitted ratings and answers, weights, figures);
- `figures`: the measurement model's defaults and this company's local figures;
- `scale`: the three methods on one scale before they are combined or compared;
- `parts`: one competency × method, its reliability stepped to the ratings behind it;
- `combine`: the overall (and a competency over its methods) with correlated errors;
- `candidate`: one candidate's parts, overall and flags;
- `quality`: response-quality flags of a self-assessment (SCIENCE §6);
- `rounding`: half up, for every number shown;
- `stats/`: the statistics behind them (bands, Spearman–Brown, α, ICC and their intervals,
  composites, halo, rater effects).
docs/scoring.md explains the model to whoever must explain a band.
"""

from .candidate import (
    METHOD_SCORERS,
    CandidateScore,
    CompetencyScore,
    competency_flags,
    score_candidate,
    self_gap,
)
from .combine import Overall, combine_competency, combine_overall, combine_weighted
from .evidence import Evidence, Rating, ScenarioAnswer, StatementAnswer
from .figures import NO_LOCAL_FIGURES, Estimate, Figures, Norm, Source
from .parts import (
    InterviewPart,
    Part,
    make_part,
    needed,
    scenario_item_score,
    score_interview,
    score_scenario,
    score_self,
    statement_value,
)

__all__ = [
    "METHOD_SCORERS",
    "NO_LOCAL_FIGURES",
    "CandidateScore",
    "CompetencyScore",
    "Estimate",
    "Evidence",
    "Figures",
    "InterviewPart",
    "Norm",
    "Overall",
    "Part",
    "Rating",
    "ScenarioAnswer",
    "Source",
    "StatementAnswer",
    "combine_competency",
    "combine_overall",
    "combine_weighted",
    "competency_flags",
    "make_part",
    "needed",
    "scenario_item_score",
    "score_candidate",
    "score_interview",
    "score_scenario",
    "score_self",
    "self_gap",
    "statement_value",
]
