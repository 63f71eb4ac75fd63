"""The comparison list's SQL, built once per shape of the list and reused with parameters.

A shape is what changes the statement's text: the sort, its direction, the filters, blind
or not, and whether the viewer has sealed candidates. The position, the competency, the
sealed candidates, the time and the page are parameters. Building a statement costs about
as much as running it on 10,000 rows, so each shape is built once per process.

Every statement walks an index in the order of the list (DESIGN rule 10): a score sort is
two parts, the rows with a value in the chosen order, then those without one (or sealed
for the viewer) by id, each through its own index, in one UNION ALL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    true,
    union_all,
)

from assessment.candidates.search_index import search_words
from assessment.models import Candidate, Interview, Position
from assessment.visibility import sealing

from .args import ListArgs
from .search_filter import search_condition
from .summary_model import DECISION_RANKS, SELF_RANKS, CandidateSummary, CompetencySummary

S = CandidateSummary.__table__.c
CC = CompetencySummary.__table__.c
C = Candidate.__table__.c
POSITION = bindparam("position_id", type_=Integer)
COMPETENCY = bindparam("competency")
SEALED = bindparam("sealed", expanding=True)
NOW = bindparam("now")

# The position as its list shows it (no question snapshots to decode), and the candidates
# of it the viewer interviews and has not submitted yet: their scores stay sealed for the
# viewer (SCIENCE §8, component 13). One row a sealed candidate, or one with sealed_id None.
# The viewer and the status are written into the statement: PostgreSQL then keeps a plan
# per viewer, where with parameters it planned the statement anew every time (its plan for
# "any interviewer" is poor when a few interviewers hold most interviews).
_SEALED = (
    select(Interview.candidate_id.label("sealed_id"))
    .join(Candidate, Candidate.id == Interview.candidate_id)
    .where(
        *sealing(bindparam("viewer_id", type_=Integer, literal_execute=True)),
        Candidate.position_id == POSITION,
    )
    .subquery()
)
P = Position.__table__.c
POSITION_QUERY = (
    select(
        P.id,
        P.title,
        P.weights,
        P.blind,
        func.json_array_length(P.questions),
        P.archived,
        P.closed_at,
        _SEALED.c.sealed_id,
    )  # fmt: skip
    .select_from(Position.__table__.outerjoin(_SEALED, true()))
    .where(P.id == POSITION)
)

# What a line shows (with the candidate's name, e-mail and external id unless blind); the
# sort's value is added as rank_score and rank_sem.
LINE = (
    S.candidate_id,
    S.cells,
    S.interviews_done,
    S.interviews_planned,
    S.self_status,
    S.self_answered,
    S.self_total,
    S.self_expires_at,
    S.flag_count,
    S.flag_codes,
    S.decision,
    S.decided_at,
)
IDENTITY = (C.name, C.email, C.external_id)
CODE = (C.code,)  # blind review's code, shown (and sorted by) in place of the name
STANDING = (C.withdrawn_at, C.erased_at)  # shown on every line, blind or not


@dataclass(frozen=True)
class Shape:
    sort: str  # a column, or "competency" for any competency
    dir: str
    interviews: str
    selfassess: str
    decision: str
    flag: str
    blind: bool
    sealed: bool  # the viewer has sealed candidates in this position
    words: int = 0  # searched by this many words (parameters w0, h0, w1, h1 …)
    code: bool = False  # searched by a candidate code (parameter code)

    @classmethod
    def of(cls, args: ListArgs, blind: bool, sealed: bool) -> Shape:
        sort = "competency" if args.competency is not None else args.sort
        # Under blind review a search names a code, never a name (names stay hidden).
        words = 0 if blind or not args.q else len(search_words(args.q))
        code = bool(args.q) and not words
        return cls(
            sort, args.dir, args.interviews, args.selfassess, args.decision, args.flag, blind,
            sealed, words, code,
        )  # fmt: skip


COUNTS = ("total", "present", "everyone", "newest", "summarised")


@dataclass(frozen=True)
class Queries:
    counts: Any  # (matching, with a value, the position's summaries, newest candidate,
    #              newest summary)
    page: Any  # the lines, with a `part` column: 0 with a value, 1 without
    two_part: bool  # page takes first_offset, first_limit, rest_offset, rest_limit
    #                 (else offset, limit)
    together: Any = None  # two parts: the lines and a row of the counts (named COUNTS,
    #                       None on the lines) in one statement, one round trip fewer


def _filters(shape: Shape) -> list[Any]:
    where = search_condition(shape.words, shape.code, S.candidate_id, POSITION)
    if shape.interviews == "complete":
        where.append(and_(S.interviews_planned > 0, S.interviews_done == S.interviews_planned))
    elif shape.interviews == "open":
        where.append(S.interviews_done < S.interviews_planned)
    elif shape.interviews == "none":
        where.append(S.interviews_planned == 0)
    open_link = S.self_status.in_(("invited", "in_progress"))
    lapsed = and_(S.self_expires_at.is_not(None), S.self_expires_at <= NOW)
    if shape.selfassess == "expired":
        where.append(and_(open_link, lapsed))
    elif shape.selfassess:
        where.append(S.self_rank == SELF_RANKS[shape.selfassess])
        if shape.selfassess in ("invited", "in_progress"):
            where.append(~lapsed)
    if (shape.decision or shape.flag) and shape.sealed:
        # A sealed candidate's flags and decision are part of what is sealed: no filter on
        # them may tell what they are (visibility.py).
        where.append(S.candidate_id.not_in(SEALED))
    if shape.decision:
        decided = None if shape.decision == "none" else shape.decision
        where.append(S.decision_rank == DECISION_RANKS[decided])
    if shape.flag:
        if shape.flag == "any":
            where.append(S.flag_count > 0)
        elif shape.flag == "none":
            where.append(S.flag_count == 0)
        else:
            where.append(S.flag_codes.contains(f",{shape.flag},", autoescape=True))
    return where


@dataclass(frozen=True)
class _Order:
    driver: str  # "summary", "competency" or "candidate": whose index serves the sort
    columns: tuple[Any, ...]
    tiebreak: Any
    present: Any = None  # two parts: the condition for "has a value (and is not sealed)"


def _order(shape: Shape) -> _Order:
    unsealed = S.candidate_id.not_in(SEALED) if shape.sealed else None

    def two_part(driver, column, tiebreak) -> _Order:
        present = column.is_not(None)
        if shape.sealed:  # on the driving table's id: the counts read that table alone
            present = and_(present, tiebreak.not_in(SEALED))
        return _Order(driver, (column,), tiebreak, present)

    if shape.sort == "competency":
        return two_part("competency", CC.score, CC.candidate_id)
    if shape.sort == "overall":
        return two_part("summary", S.overall, S.candidate_id)
    if shape.sort in ("flags", "decision"):  # sealed ones after the others, by id
        column = S.flag_count if shape.sort == "flags" else S.decision_rank
        return _Order("summary", (column,), S.candidate_id, unsealed)
    if shape.sort == "candidate":  # blind: by the code, which follows no order of arrival;
        # else names in their natural order ("Person 2" before "Person 10")
        return _Order("candidate", (C.code,) if shape.blind else (C.sort_key,), C.id)
    columns = {
        "interviews": (S.interviews_done, S.interviews_planned),
        "self": (S.self_rank,),
    }[shape.sort]
    return _Order("summary", columns, S.candidate_id)


def _from(order: _Order, columns, blind: bool) -> Any:
    """SELECT columns FROM the table whose index serves the sort, the others joined (the
    candidates for their codes and standing, and their names unless under blind review)."""
    columns = (*columns, *CODE, *STANDING)
    columns = columns if blind else (*columns, *IDENTITY)
    if order.driver == "candidate":
        return (
            select(*columns)
            .select_from(Candidate.__table__)
            .join(CandidateSummary.__table__, S.candidate_id == C.id)
            .where(C.position_id == POSITION)
        )
    if order.driver == "competency":
        query = (
            select(*columns)
            .select_from(CompetencySummary.__table__)
            .join(CandidateSummary.__table__, S.candidate_id == CC.candidate_id)
            .where(CC.position_id == POSITION, CC.competency == COMPETENCY)
        )
    else:
        query = (
            select(*columns)
            .select_from(CandidateSummary.__table__)
            .where(S.position_id == POSITION)
        )
    return query.join(Candidate.__table__, C.id == S.candidate_id)


def _counts(shape: Shape, order: _Order, where: list[Any]) -> Any:
    """Counted on the summary tables' indexes alone (joining the candidates would visit
    every row); unfiltered, the position's summaries are the rows counted, on their
    narrowest index, whatever the sort (every summary has a row per competency). The
    newest candidate and the newest summary differ when candidates were added outside the
    services: one index step each."""
    newest = select(func.max(C.id)).where(C.position_id == POSITION).scalar_subquery()
    summarised = select(func.max(S.candidate_id)).where(S.position_id == POSITION).scalar_subquery()
    if order.present is None:
        present = func.count()
    elif shape.sealed:
        present = func.count(case((order.present, 1)))
    elif where:  # count(column) counts its values: cheaper than a CASE on every row
        present = func.count(order.columns[0])
    else:  # all but the few without a value, found by their index range: count(*) can
        # then walk the narrowest index instead of reading every row's value
        column = order.columns[0]
        missing = select(func.count()).select_from(column.table).where(column.is_(None))
        if order.driver == "competency":
            missing = missing.where(CC.position_id == POSITION, CC.competency == COMPETENCY)
        else:
            missing = missing.where(S.position_id == POSITION)
        present = func.count() - missing.scalar_subquery()
    everyone = func.count()
    if where:
        everyone = (
            select(func.count(S.candidate_id)).where(S.position_id == POSITION).scalar_subquery()
        )
    query = select(func.count(), present, everyone, newest, summarised)
    if order.driver == "competency" and (where or shape.sealed):
        query = query.select_from(CompetencySummary.__table__).where(
            CC.position_id == POSITION, CC.competency == COMPETENCY
        )
        if where:
            query = query.join(CandidateSummary.__table__, S.candidate_id == CC.candidate_id)
    else:
        query = query.select_from(CandidateSummary.__table__).where(S.position_id == POSITION)
    return query.where(*where)


def _ordered(query, order: _Order, direction: str):
    def way(column):
        return column.desc() if direction == "desc" else column.asc()

    return query.order_by(*(way(c) for c in (*order.columns, order.tiebreak)))


def _window(name: str):
    """A LIMIT or OFFSET, written into the statement when it runs: PostgreSQL then plans a
    page's statement once and reuses the plan (with a parameter there, it plans it anew
    every time, which took longer than running it)."""
    return bindparam(name, type_=Integer, literal_execute=True)


@lru_cache(maxsize=512)
def queries(shape: Shape) -> Queries:
    """The statements for this shape of the list, built once."""
    order = _order(shape)
    where = _filters(shape)
    ranked = (
        (CC.score.label("rank_score"), CC.sem.label("rank_sem"))
        if order.driver == "competency"
        else (S.overall.label("rank_score"), S.overall_sem.label("rank_sem"))
    )
    counts = _counts(shape, order, where)
    if order.present is None:
        page = _ordered(
            _from(order, (*LINE, *ranked, literal_column("0").label("part")), shape.blind),
            order,
            shape.dir,
        )
        page = page.where(*where).offset(_window("offset")).limit(_window("limit"))
        return Queries(counts, page, False)
    sort_value = order.columns[0].label("sort_value")
    first = _ordered(
        _from(order, (*LINE, *ranked, sort_value, literal_column("0").label("part")), shape.blind),
        order,
        shape.dir,
    ).where(order.present, *where)
    rest = (
        _from(order, (*LINE, *ranked, sort_value, literal_column("1").label("part")), shape.blind)
        .where(~order.present, *where)
        .order_by(order.tiebreak)
    )
    first = first.offset(_window("first_offset")).limit(_window("first_limit")).subquery()
    rest = rest.offset(_window("rest_offset")).limit(_window("rest_limit")).subquery()
    page = union_all(select(first), select(rest))
    counted = counts.subquery()
    no_counts = [cast(null(), Integer).label(name) for name in COUNTS]  # typed for UNION
    together = union_all(
        select(*no_counts, *first.c),
        select(*no_counts, *rest.c),
        select(*counted.c, *(null() for _ in first.c)),
    )
    return Queries(counts, page, True, together)
