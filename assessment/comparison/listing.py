"""One page of a position's comparison list, in the same few queries for any number of
candidates: the summary rows are sorted through their indexes, never row by row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select

from assessment.database import write_transaction
from assessment.extensions import db
from assessment.models import Candidate, Interview, User, utcnow

from .args import ListArgs
from .refresh import fill_missing
from .rows import ComparisonRow, make_rows
from .summary_model import DECISION_RANKS, SELF_RANKS, CandidateSummary, CompetencySummary

PAGE_SIZE = 50
S, CC = CandidateSummary, CompetencySummary


@dataclass(frozen=True)
class ComparisonPage:
    """The rows of one page and what the pager needs (the shape of positions.services.Page)."""

    items: Sequence[ComparisonRow]
    number: int
    total: int
    sealed: int  # candidates of the position whose scores this viewer may not see yet
    everyone: int  # the position's candidates, whatever the filters
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class Sort:
    """How to order: the table whose index serves it, its columns, the tiebreak, and whether
    rows without a value (or sealed for the viewer) are listed after the others."""

    driver: Any  # CandidateSummary, CompetencySummary or Candidate
    columns: tuple[Any, ...]
    tiebreak: Any
    two_part: bool = False
    present: Any = None  # the condition for "has a value" when two_part


def sealed_candidates(position_id: int, viewer: User) -> frozenset[int]:
    """Candidates of the position the viewer interviews and has not submitted yet: their
    scores stay sealed for the viewer (SCIENCE §8, component 13). One query."""
    query = (
        select(Interview.candidate_id)
        .join(Candidate, Candidate.id == Interview.candidate_id)
        .where(
            Interview.interviewer_id == viewer.id,
            Interview.status != "submitted",
            Candidate.position_id == position_id,
        )
    )
    return frozenset(db.session.scalars(query))


def _filters(args: ListArgs, sealed: frozenset[int]) -> list[Any]:
    now = utcnow()
    where = []
    if args.interviews == "complete":
        where.append(and_(S.interviews_planned > 0, S.interviews_done == S.interviews_planned))
    elif args.interviews == "open":
        where.append(S.interviews_done < S.interviews_planned)
    elif args.interviews == "none":
        where.append(S.interviews_planned == 0)
    open_link = S.self_status.in_(("invited", "in_progress"))
    lapsed = and_(S.self_expires_at.is_not(None), S.self_expires_at <= now)
    if args.selfassess == "expired":
        where.append(and_(open_link, lapsed))
    elif args.selfassess:
        where.append(S.self_rank == SELF_RANKS[args.selfassess])
        if args.selfassess in ("invited", "in_progress"):
            where.append(~lapsed)
    if args.decision:
        decided = None if args.decision == "none" else args.decision
        where.append(S.decision_rank == DECISION_RANKS[decided])
    if args.flag:
        if sealed:  # a sealed candidate's flags are part of what is sealed
            where.append(S.candidate_id.not_in(sealed))
        if args.flag == "any":
            where.append(S.flag_count > 0)
        elif args.flag == "none":
            where.append(S.flag_count == 0)
        else:
            where.append(S.flag_codes.contains(f",{args.flag},", autoescape=True))
    return where


def _sort(args: ListArgs, blind: bool, sealed: frozenset[int]) -> Sort:
    unsealed = S.candidate_id.not_in(sealed) if sealed else None

    def two_part(driver, column, tiebreak) -> Sort:
        present = column.is_not(None) if unsealed is None else and_(column.is_not(None), unsealed)
        return Sort(driver, (column,), tiebreak, True, present)

    if args.competency is not None:
        return two_part(CC, CC.score, CC.candidate_id)
    if args.sort == "overall":
        return two_part(S, S.overall, S.candidate_id)
    if args.sort == "flags":
        return Sort(S, (S.flag_count,), S.candidate_id, bool(sealed), unsealed)
    if args.sort == "candidate" and not blind:
        return Sort(Candidate, (Candidate.name,), Candidate.id)
    columns = {
        "candidate": (),  # blind: the code, i.e. the id
        "interviews": (S.interviews_done, S.interviews_planned),
        "self": (S.self_rank,),
        "decision": (S.decision_rank,),
    }[args.sort]
    return Sort(S, columns, S.candidate_id)


def _base(position_id: int, args: ListArgs, sort: Sort, columns: Sequence[Any]):
    """SELECT columns FROM the table whose index serves the sort, the others joined."""
    query = select(*columns).select_from(sort.driver)
    if sort.driver is CC:
        return (
            query.join(S, S.candidate_id == CC.candidate_id)
            .join(Candidate, Candidate.id == CC.candidate_id)
            .where(CC.position_id == position_id, CC.competency == args.competency)
        )
    if sort.driver is Candidate:
        return query.join(S, S.candidate_id == Candidate.id).where(
            Candidate.position_id == position_id
        )
    return query.join(Candidate, Candidate.id == S.candidate_id).where(S.position_id == position_id)


def _counts(position_id: int, args: ListArgs, sort: Sort, where: list[Any], sealed):
    """(matching rows, of which have a value, candidates of the position, their summaries).

    Counted on the summary table's indexes alone (joining the candidates would visit every
    row); the last two tell whether some candidates still lack a summary row."""
    candidates = (
        select(func.count(Candidate.id)).where(Candidate.position_id == position_id)
    ).scalar_subquery()
    summaries = func.count()  # unfiltered over the summaries: the rows counted already
    if where or sort.driver is CC:
        summaries = (
            select(func.count(S.candidate_id)).where(S.position_id == position_id)
        ).scalar_subquery()
    if not sort.two_part:
        present = func.count()
    elif sealed:
        present = func.count(case((sort.present, 1)))
    else:  # count(column) counts its values: cheaper than a CASE on every row
        present = func.count(sort.columns[0])
    query = select(func.count(), present, candidates, summaries)
    if sort.driver is CC:
        query = query.select_from(CC).where(
            CC.position_id == position_id, CC.competency == args.competency
        )
        if where:
            query = query.join(S, S.candidate_id == CC.candidate_id)
    else:
        query = query.select_from(S).where(S.position_id == position_id)
    return db.session.execute(query.where(*where)).one()


ROW_COLUMNS = (
    *(c for c in S.__table__.columns),
    Candidate.name,
    Candidate.email,
    Candidate.external_id,
)


def _ordered(query, sort: Sort, direction: str):
    def way(column):
        return column.desc() if direction == "desc" else column.asc()

    return query.order_by(*(way(c) for c in (*sort.columns, sort.tiebreak)))


def _page_rows(position_id, args, sort, where, present, offset):
    """(the row just above the page or None, the page's rows): rows with a value in the
    chosen order, then those without one (or sealed) by id."""
    base = _base(position_id, args, sort, ROW_COLUMNS).where(*where)
    if not sort.two_part:
        rows = _ordered(base, sort, args.dir).offset(offset).limit(PAGE_SIZE)
        return None, db.session.execute(rows).all()
    start = max(offset - 1, 0)  # one more row: is the first one tied with the row above?
    first = db.session.execute(
        _ordered(base.where(sort.present), sort, args.dir)
        .offset(start)
        .limit(max(0, min(present, offset + PAGE_SIZE) - start))
    ).all()
    previous = first.pop(0) if offset > 0 and first else None
    rest = (
        base.where(~sort.present)
        .order_by(sort.tiebreak)
        .offset(max(0, offset - present))
        .limit(PAGE_SIZE - len(first))
    )
    return previous, first + db.session.execute(rest).all()


def _panels(candidate_ids: Sequence[int]) -> dict[int, list[Any]]:
    query = (
        select(
            Interview.candidate_id,
            Interview.status,
            Interview.scheduled_for,
            User.name.label("interviewer"),
        )
        .join(User, User.id == Interview.interviewer_id)
        .where(Interview.candidate_id.in_(candidate_ids))
        .order_by(Interview.id)
    )
    panels: dict[int, list[Any]] = {}
    for row in db.session.execute(query):
        panels.setdefault(row.candidate_id, []).append(row)
    return panels


def comparison_page(position, args: ListArgs, viewer, blind: bool, names) -> ComparisonPage:
    """The page of the list `args` asks for, as `viewer` may see it; `names` are the
    position's competencies as (id, name) in order."""
    sealed = sealed_candidates(position.id, viewer)
    sort = _sort(args, blind, sealed)
    where = _filters(args, sealed)
    total, present, candidates, summaries = _counts(position.id, args, sort, where, sealed)
    if candidates != summaries:  # candidates added outside the services, or before 0005
        with write_transaction():
            fill_missing(position.id)
        total, present, candidates, summaries = _counts(position.id, args, sort, where, sealed)
    number = min(args.page, max(1, -(-total // PAGE_SIZE)))
    previous, rows = _page_rows(position.id, args, sort, where, present, (number - 1) * PAGE_SIZE)
    panels = _panels([r.candidate_id for r in rows])
    items = make_rows(rows, previous, panels, sealed, position, viewer, args, names)
    return ComparisonPage(items, number, total, len(sealed), candidates)
