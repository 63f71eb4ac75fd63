"""Finding candidates: folded words (no case, no accents) and a natural sort key, kept in
the database and searched through an index.

Every word of a candidate's name, e-mail and external id is stored folded ("Müller" →
"muller") in candidate_term; a search folds what was typed the same way and asks, for each
word, for the terms that start with it: an index range, on every candidate or on one
position's. So "anna mul" finds "Anna Müller" (and anna.mueller@…), whatever the case and
accents typed, among 100,000 candidates without reading them all (bench/search.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from sqlalchemy import String, bindparam, delete, select, update

from assessment.extensions import db
from assessment.models import Candidate

from .search_model import CandidateTerm

MAX_WORDS = 5  # words of a search that count; more only narrow a list already short
TERM_MAX = 254
SORT_KEY_MAX = 400
NUMBER_WIDTH = 12  # digits a number is padded to, so 2 < 10 as text

# Letters NFKD does not take apart, folded as people type them without the accent.
_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i", "ħ": "h"}
)
_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")


def fold(text: str) -> str:
    """Lower case without accents: "Ægir Øst-Müller" → "aegir ost-muller"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_LETTERS)


def words(text: str) -> list[str]:
    """The folded words of a text, in order, each once."""
    return list(dict.fromkeys(_WORD.findall(fold(text))))


def natural_key(name: str) -> str:
    """A text that sorts names as people expect: folded, spaces collapsed, and every number
    padded ("person 000000000002" < "person 000000000010")."""
    plain = " ".join(fold(name).split())
    return _NUMBER.sub(lambda m: m.group().zfill(NUMBER_WIDTH), plain)[:SORT_KEY_MAX]


def terms_of(name: str, email: str, external_id: str | None) -> set[str]:
    """What a candidate can be found by: the words of each field, and the e-mail's local
    part and the external id also run together ("ext-00123" is found as "ext00123")."""
    found = set(words(name)) | set(words(email)) | set(words(external_id or ""))
    local = email.partition("@")[0]
    for joined in (local, external_id or ""):
        compact = "".join(words(joined))
        if compact:
            found.add(compact)
    return {term[:TERM_MAX] for term in found}


def index_candidates(candidate_ids: Iterable[int]) -> None:
    """Write the sort keys and search terms of these candidates, in the caller's transaction
    (after any change to their names, e-mails or external ids)."""
    ids = sorted(set(candidate_ids))
    if not ids:
        return
    session = db.session
    session.flush()
    rows = session.execute(
        select(
            Candidate.id, Candidate.position_id, Candidate.name, Candidate.email,
            Candidate.external_id, Candidate.erased_at,
        ).where(Candidate.id.in_(ids))
    ).all()  # fmt: skip
    session.execute(delete(CandidateTerm).where(CandidateTerm.candidate_id.in_(ids)))
    keys, terms = [], []
    for row in rows:
        erased = row.erased_at is not None  # found by code only, sorted with no name
        keys.append({"cid": row.id, "key": "" if erased else natural_key(row.name)})
        if not erased:
            found = terms_of(row.name, row.email, row.external_id)
            where = {"candidate_id": row.id, "position_id": row.position_id}
            terms += [{**where, "term": term} for term in found]
    session.execute(
        update(Candidate.__table__)
        .where(Candidate.__table__.c.id == db.bindparam("cid"))
        .values(sort_key=db.bindparam("key")),
        keys,
    )
    if terms:
        session.execute(CandidateTerm.__table__.insert(), terms)


_CODE = re.compile(r"^(?:candidate)?#?(\d{6})$")


def typed_code(text: str) -> str | None:
    """The candidate code a search names ("Candidate 482913", "#482913" → "482913"), or
    None. Reads the codes of blind.candidate_code (six random digits)."""
    found = _CODE.match("".join(text.casefold().split()))
    return found.group(1) if found else None


def literal_word(name: str):
    """A search word's bound parameter, written into the statement when it runs: with a
    parameter PostgreSQL soon reuses a generic plan, which cannot know that "angstrom" is
    rare and "an" is not, and scanned every candidate (bench/search.py)."""
    return bindparam(name, type_=String(), literal_execute=True)


def prefix_range(word: str) -> tuple[str, str]:
    """(low, high): the terms that start with `word` are low <= term < high."""
    return word, word[:-1] + chr(ord(word[-1]) + 1)


def search_words(query: str) -> list[str]:
    """The words of a search, longest first (the rarest, so the index narrows fastest)."""
    return sorted(words(query[:200]), key=len, reverse=True)[:MAX_WORDS]


def matching_ids(ranges: Sequence[tuple], position_id=None, where=()):
    """SELECT candidate_id of the candidates with a term in each (low, high) range of
    `ranges` (values or bind parameters, from prefix_range); only one position's when
    `position_id` is given; `where` adds conditions on the terms.

    The first range drives through the term index (search_words puts the longest, and
    likely rarest, word first); each other word is then checked for those candidates alone
    through the primary key (candidate_id, term), so a common word ("mail", "ats") costs
    nothing like the thousands of candidates it would find by itself."""
    first, *others = ranges
    T = CandidateTerm.__table__.c
    query = select(T.candidate_id).where(T.term >= first[0], T.term < first[1], *where)
    if position_id is not None:
        query = query.where(T.position_id == position_id)
    for number, (low, high) in enumerate(others):
        other = CandidateTerm.__table__.alias(f"also_{number}")
        query = query.where(
            select(other.c.term)
            .where(other.c.candidate_id == T.candidate_id, other.c.term >= low, other.c.term < high)
            .exists()
        )
    return query
