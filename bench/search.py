"""How fast candidate search answers among 100,000 candidates, and that it uses its index.

Run: .venv/bin/python bench/search.py [--candidates N] [--runs N] [--database-url URL]

A fresh SQLite file (WAL) in a temporary folder, unless --database-url names another, empty
database (PostgreSQL: it is migrated first). Ten positions of 10,000 candidates each (one
under blind review), with names drawn from a few thousand made-up surnames (accents
included), e-mails and external ids, go in by bulk inserts; then their search terms and
sort keys are written as the app writes them (search_index.index_candidates).

Through the Flask test client as a signed-in HR user, against a bare "hello" view and the
positions list (an ordinary signed-in page) in the same run: the search across every
position (/candidates?q=…) for a full name, an e-mail, an external id, a code, a surname and
a first-name prefix, and the search on one position's comparison list (10,000 candidates).
Each line gives the matches, the median and p95. The plan of the search's count is printed
to show it walks ix_candidate_term_term rather than the candidates. The last line is
`search_p95_ms=X p95_ratio=Y`, the slowest p95 of the searches that find at most a page of
people, and its ratio to the positions list.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autosave import build, figures, timed  # noqa: E402  (beside this file)

PASSWORD = "bench-password-1"
POSITIONS = 10
SYLLABLES = ("ber", "mül", "lo", "san", "ko", "vá", "gar", "ström", "dí", "ne", "ri", "han",
             "sen", "ta", "mo", "ré", "lin", "do", "kai", "ça", "wu", "ze", "pa", "gö")  # fmt: skip
FIRST = ("Amara", "Ana", "Andrés", "Anneke", "Ben", "Chen", "Dana", "Élodie", "Farid", "Grace",
         "Hiro", "Ines", "Jamal", "Kaia", "Liam", "Maja", "Noor", "Oskar", "Priya", "Quinn",
         "Rosa", "Søren", "Tariq", "Uma", "Vera", "Wei", "Ximena", "Yusuf", "Zoë")  # fmt: skip
RARE = ("Zoë Ångström-Vauquelin", "zoe.angstrom@mail.example", "ATS-991234")


def surnames(rng: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        parts = rng.choices(SYLLABLES, k=rng.choice((2, 3)))
        found.add("".join(parts).capitalize())
    return sorted(found)


def people(rng: random.Random, positions: list[int], total: int, now) -> list[dict]:
    """The candidates' rows: positions filled in turn, one person with a rare name."""
    last_names, rows = surnames(rng, 4_000), []
    for n in range(1, total + 1):
        first, last = rng.choice(FIRST), rng.choice(last_names)
        name, email = f"{first} {last}", f"{first}.{last}{n}@mail.example".lower()
        external = f"ATS-{n:06d}"
        if n == total // 2:
            name, email, external = RARE
        where = positions[(n - 1) * POSITIONS // total]
        rows.append(dict(id=n, position_id=where, name=name, email=email,
                         external_id=external, created_at=now))  # fmt: skip
    return rows


def fill(app, total: int, seed: int = 2026) -> tuple[list[int], float, float]:
    """(position ids, seconds inserting, seconds indexing) for `total` candidates."""
    from sqlalchemy import update

    from assessment.candidates.search_index import index_candidates
    from assessment.database import write_transaction
    from assessment.extensions import db
    from assessment.models import Candidate, Position, utcnow
    from assessment.positions.services import create_position
    from assessment.question_bank import current_bank

    rng = random.Random(seed)
    with app.app_context():
        bank = current_bank()
        kit = bank.kits["support-lead"]
        positions = [create_position(f"Role {n}", kit.id, bank, None).id for n in range(POSITIONS)]
        with write_transaction():  # names shown, but for the last one (blind review)
            db.session.execute(update(Position).values(blind=False))
            db.session.execute(
                update(Position).where(Position.id == positions[-1]).values(blind=True)
            )
        start = time.perf_counter()
        rows = people(rng, positions, total, utcnow())
        with write_transaction():
            for at in range(0, total, 5_000):
                db.session.execute(Candidate.__table__.insert(), rows[at : at + 5_000])
        inserted = time.perf_counter()
        for at in range(1, total + 1, 5_000):
            with write_transaction():
                index_candidates(range(at, min(at + 5_000, total + 1)))
        indexed = time.perf_counter()
        command = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(command)
    return positions, inserted - start, indexed - inserted


def summarise(app, position_id: int) -> None:
    """Summary rows for one position, for its comparison list."""
    from assessment.comparison.refresh import fill_missing
    from assessment.database import write_transaction

    with app.app_context(), write_transaction():
        fill_missing(position_id)


def plan(app, word: str) -> list[str]:
    """The database's plan for the search's count of one word."""
    from sqlalchemy import func, select

    from assessment.candidates.search_index import matching_ids, prefix_range
    from assessment.extensions import db
    from assessment.models import Candidate

    with app.app_context():
        query = select(func.count(Candidate.id)).where(
            Candidate.id.in_(matching_ids([prefix_range(word)]))
        )
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        sqlite = db.engine.dialect.name == "sqlite"
        explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql(explain + str(compiled)).all()
    return [row[-1] for row in rows]


def signed_in_client(app):
    from assessment.auth.services import create_user

    with app.app_context():
        create_user("admin@bench.example", "Avery", "admin", PASSWORD)
        create_user("hr@bench.example", "Hana", "hr", PASSWORD)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": "hr@bench.example", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    return client


def found(page: str) -> int:
    match = re.search(r"(\d+) candidates? (?:found|matche?s?)", page)
    return int(match.group(1)) if match else 0


def searches(positions: list[int], total: int) -> list[tuple[str, str]]:
    """(what is looked for, the page's URL)."""
    return [
        ("full name", "/candidates?q=angstrom+vauquelin"),
        ("an e-mail", "/candidates?q=zoe.angstrom%40mail.example"),
        ("an external id", "/candidates?q=ATS-991234"),
        ("a code", f"/candidates?q={total - 5:04d}"),
        ("a surname", "/candidates?q=Bermül"),
        ("a first-name prefix 'an'", "/candidates?q=an"),
        ("one position (10,000), a surname", f"/positions/{positions[0]}?q=Bermül"),
        ("one position (10,000), a first name", f"/positions/{positions[0]}?q=grace"),
    ]


def time_pages(client, pages: list[tuple[str, str]], runs: int) -> tuple[float, float]:
    """Print each page's matches, median and p95 beside the bare view's and the positions
    list's; returns (the slowest p95 of the searches finding a page or less, the list's)."""
    line = "{:<35}{:>13}  median {:7.2f} ms   p95 {:7.2f} ms"
    for label, url in (("bare view", "/bench-hello"), ("the positions list", "/positions")):
        med, ordinary = figures(timed(lambda url=url: client.get(url), runs))
        print(line.format(label, "", med, ordinary))
    worst = 0.0
    for label, url in pages:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        matches = found(page.get_data(as_text=True))
        med, p95 = figures(timed(lambda url=url: client.get(url), runs))
        print(line.format(label, f"{matches:,} found", med, p95))
        if matches <= 50:
            worst = max(worst, p95)
    return worst, ordinary  # the positions list's p95, measured last of the two above


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build(args.database_url, Path(folder))
        client = signed_in_client(app)
        positions, fill_s, index_s = fill(app, args.candidates)
        summarise(app, positions[0])
        dialect = (args.database_url or "sqlite").split(":")[0]
        print(f"database: {dialect}; {args.candidates:,} candidates in {POSITIONS} positions: "
              f"inserted in {fill_s:.1f} s, terms and sort keys in {index_s:.1f} s")  # fmt: skip
        print("plan of a one-word search's count:")
        for line in plan(app, "angstrom"):
            print(f"  {line}")
        worst, ordinary = time_pages(client, searches(positions, args.candidates), args.runs)
        print(f"\nsearch_p95_ms={worst:.2f} p95_ratio={worst / ordinary:.2f}")


if __name__ == "__main__":
    main()
