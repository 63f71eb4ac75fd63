"""The comparison list's search: its condition in the list's statements, and its parameters.

Words match the position's search terms (candidates/search_index.py) through their index;
under blind review the search names a code instead, never a name.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, bindparam, select

from assessment.candidates.search_index import (
    literal_word,
    matching_ids,
    prefix_range,
    search_words,
    typed_code,
)
from assessment.models import Candidate

CODE = bindparam("code", type_=String(), literal_execute=True)  # a code search's six digits


def search_condition(words: int, code: bool, candidate_id, position) -> list[Any]:
    """The candidates with a term starting with each of `words` words (parameters w0, h0
    …), through the position's term index; or the one candidate a code names."""
    if code:
        coded = select(Candidate.id).where(
            Candidate.position_id == position, Candidate.code == CODE
        )
        return [candidate_id.in_(coded)]
    if not words:
        return []
    ranges = [(literal_word(f"w{i}"), literal_word(f"h{i}")) for i in range(words)]
    return [candidate_id.in_(matching_ids(ranges, position))]


def search_params(words: int, code: bool, query: str) -> dict[str, Any]:
    """The parameters of search_condition for what was typed."""
    if code:
        return {"code": typed_code(query) or ""}
    params = {}
    for i, word in enumerate(search_words(query)[:words]):
        params[f"w{i}"], params[f"h{i}"] = prefix_range(word)
    return params
