"""How fast HR's comparison list of a position answers, at 10, 1,000 and 10,000 candidates.

Run: .venv/bin/python bench/dashboard.py [--runs N] [--database-url URL]

A fresh SQLite file (WAL) in a temporary folder, unless --database-url names another, empty
database (PostgreSQL: it is migrated first). One position of the support-lead kit grows to
10, then 1,000, then 10,000 candidates, each with a panel of three interviews (ratings of
its ten questions; most submitted, some in progress or not started) and a self-assessment
(45 answers; most submitted). Rows go in with bulk inserts, then the summary rows are built
in bulk, as `flask rebuild-summaries` does. The texts inside the stored question snapshots
are shortened to keep the file small: neither the page nor the scoring reads them.

At each size, through the Flask test client as a signed-in HR user: the SQL statements of
one view of the page sorted by overall and by one competency (counted on the engine's
`before_cursor_execute`, so BEGIN counts too), and the median and p95 of each view against
a bare "hello" view of the same app measured in the same run (bench/autosave.py's). The
last line is `queries_per_page=N queries_constant=1|0 p95_ratio=X`: N the most statements
any view took, constant 1 when each view took the same number at every size, X the larger
of the two p95 ratios at 10,000 candidates.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autosave import build, figures, timed  # noqa: E402  (beside this file)

SIZES = (10, 1_000, 10_000)
SORTS = ("overall", "c.trust")  # the overall, and one competency of the kit
PASSWORD = "bench-password-1"
LONG_TEXT = ("situation", "text", "rationale", "listen_for", "probes", "anchors")
INTERVIEW_STATUSES = {"submitted": 85, "in_progress": 10, "not_started": 5}  # per cent
SELF_STATUSES = {"submitted": 85, "in_progress": 10, "invited": 5}


def short(snapshot: dict) -> dict:
    """A snapshot with its long texts cut: what scoring reads (ids, keys, kinds) is kept."""
    result = {}
    for key, value in snapshot.items():
        if key == "responses":
            value = [short(r) for r in value]
        elif key in LONG_TEXT:
            value = "…"
        result[key] = value
    return result


class Filler:
    """Adds candidates with interviews and self-assessments through bulk inserts."""

    def __init__(self, position, interviewers, bank, seed: int = 2026):
        self.position, self.interviewers, self.bank = position, interviewers, bank
        self.rng = random.Random(seed)
        self.next_id = {"candidate": 1, "interview": 1, "assessment": 1}
        self.codes: set[str] = set()  # blind-review codes: unique in the position
        self.questions = [short(q) for q in position.questions]
        items = [*bank.scenarios.values(), *bank.statements.values(), *bank.validity.values()]
        self.rng.shuffle(items)
        self.items = items
        self.item_snapshots = [short(i.snapshot()) for i in items]

    def code(self) -> str:
        """A random blind-review code not used yet, as the app draws them (blind.py)."""
        while True:
            code = str(self.rng.randrange(100_000, 1_000_000))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def row(self, rows: dict, kind: str, **values) -> int:
        """Add a row of `kind` with the next id of its kind; returns the id."""
        number = self.next_id[kind]
        self.next_id[kind] += 1
        rows[kind].append({"id": number, **values})
        return number

    def status(self, shares: dict[str, int]) -> str:
        return self.rng.choices(list(shares), list(shares.values()))[0]

    def add(self, count: int) -> list[int]:
        from assessment.database import write_transaction
        from assessment.extensions import db
        from assessment.models import Answer, Candidate, Interview, Rating, SelfAssessment

        rows = {"candidate": [], "interview": [], "rating": [], "assessment": [], "answer": []}
        for _ in range(count):
            self.candidate(rows)
        with write_transaction():
            for model, key in (
                (Candidate, "candidate"),
                (Interview, "interview"),
                (Rating, "rating"),
                (SelfAssessment, "assessment"),
                (Answer, "answer"),
            ):
                db.session.execute(model.__table__.insert(), rows[key])
        return [row["id"] for row in rows["candidate"]]

    def candidate(self, rows: dict) -> None:
        from assessment.models import utcnow

        rng, now = self.rng, utcnow()
        cid = self.row(
            rows,
            "candidate",
            position_id=self.position.id,
            name=f"Bench Person {self.next_id['candidate']:05d}",
            email=f"person{self.next_id['candidate']}@bench.example",
            code=self.code(),
            external_id=None,
            created_at=now,
        )
        level = rng.gauss(3.2, 0.6)
        for interviewer in self.interviewers:
            self.interview(rows, cid, interviewer, level, now)
        self.assessment(rows, cid, level, now)

    def interview(self, rows, cid, interviewer, level, now) -> None:
        rng, status = self.rng, self.status(INTERVIEW_STATUSES)
        started = None if status == "not_started" else now - timedelta(days=2)
        done = now - timedelta(days=1) if status == "submitted" else None
        iid = self.row(rows, "interview", candidate_id=cid, interviewer_id=interviewer,
                       status=status, bank_version=self.position.bank_version,
                       items=self.questions, scheduled_for=now - timedelta(days=2),
                       started_at=started, submitted_at=done, reminded_at=None,
                       created_at=now)  # fmt: skip
        rated = {"submitted": 10, "in_progress": 5, "not_started": 0}[status]
        for question in self.questions[:rated]:
            value = min(5, max(1, round(level + rng.gauss(0, 0.7))))
            rows["rating"].append(
                dict(
                    interview_id=iid,
                    question_id=question["id"],
                    value=value,
                    not_covered=False,
                    notes="Heard a concrete example." if value in (1, 5) else "",
                    updated_at=now,
                    version=1,
                )
            )

    def assessment(self, rows, cid, level, now) -> None:
        from assessment.bank.model import ScenarioItem, Statement

        rng, status = self.rng, self.status(SELF_STATUSES)
        aid = self.row(
            rows,
            "assessment",
            candidate_id=cid,
            status=status,
            bank_version=self.bank.version,
            items=self.item_snapshots,
            seed=self.next_id["assessment"],
            token_hash=None,
            expires_at=now + timedelta(days=14),
            revoked_at=None,
            consented_at=None if status == "invited" else now,
            submitted_at=now if status == "submitted" else None,
            created_at=now,
            created_by_id=None,
        )
        answered = {"submitted": 45, "in_progress": 20, "invited": 0}[status]
        for number, item in enumerate(self.items[:answered]):
            answer = dict(assessment_id=aid, item_id=item.id, most=None, least=None, value=None)
            if isinstance(item, ScenarioItem):
                ranked = sorted(item.responses, key=lambda r: r.key + rng.gauss(0, 1.5))
                answer.update(most=ranked[-1].id, least=ranked[0].id)
            elif isinstance(item, Statement):
                answer["value"] = min(5, max(1, round(level + 0.4 + rng.gauss(0, 0.8))))
            else:
                answer["value"] = rng.choice([1, 1, 2])
            ms = int(max(900, rng.gauss(6500, 2500)))
            times = dict(ms_to_first_answer=ms, ms_total=ms + 500, answered_at=now, updated_at=now)
            rows["answer"].append({**answer, **times, "position": number})


def setup(app):
    """The accounts and the position (the kit's own weights and questions)."""
    from assessment.auth.services import create_user
    from assessment.positions.services import create_position
    from assessment.question_bank import current_bank

    create_user("admin@bench.example", "Avery", "admin", PASSWORD)  # else: the setup page
    create_user("hr@bench.example", "Hana", "hr", PASSWORD)
    interviewers = [
        create_user(f"m{n}@bench.example", f"Manager {n}", "manager", PASSWORD).id for n in range(3)
    ]
    bank = current_bank()
    kit = bank.kits["support-lead"]
    return Filler(create_position(kit.title, kit.id, bank, None), interviewers, bank)


def signed_in_client(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": "hr@bench.example", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    return client


def statements(app, call) -> int:
    from sqlalchemy import event

    from assessment.extensions import db

    count = []

    def listener(*_args):
        count.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(count)


def grow(app, filler: Filler, target: int) -> tuple[float, float]:
    """Add candidates up to `target`; (seconds inserting, seconds building summaries)."""
    from assessment.comparison.refresh import refresh_summaries
    from assessment.database import write_transaction
    from assessment.extensions import db

    with app.app_context():
        start = time.perf_counter()
        ids = []
        while filler.next_id["candidate"] <= target:
            ids += filler.add(min(1_000, target - filler.next_id["candidate"] + 1))
        inserted = time.perf_counter()
        with write_transaction():
            refresh_summaries(ids)
        # Fresh statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` would give them;
        # VACUUM also lets PostgreSQL count through the indexes alone.
        command = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(command)
    return inserted - start, time.perf_counter() - inserted


def measure(app, client, position_id: int, runs: int) -> dict[str, tuple[int, float]]:
    """At the current size: sort → (statements per view, p95 ratio to the bare view)."""

    def hello():
        assert client.get("/bench-hello").status_code == 200

    base_med, base_p95 = figures(timed(hello, runs))
    print(f"  bare view          median {base_med:7.2f} ms   p95 {base_p95:7.2f} ms")
    result = {}
    for sort in SORTS:
        url = f"/positions/{position_id}?sort={sort}"

        def page(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        queries = statements(app, page)
        med, p95 = figures(timed(page, runs))
        print(
            f"  sort={sort:<11} median {med:7.2f} ms   p95 {p95:7.2f} ms   "
            f"{queries} statements   p95 ratio {p95 / base_p95:.1f}"
        )
        result[sort] = (queries, p95 / base_p95)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    counts: dict[str, list[int]] = {sort: [] for sort in SORTS}
    with tempfile.TemporaryDirectory() as folder:
        app = build(args.database_url, Path(folder))  # migrated, if not SQLite
        with app.app_context():
            filler = setup(app)
        client = signed_in_client(app)
        dialect = (args.database_url or "sqlite").split(":")[0]
        print(f"database: {dialect}; runs: {args.runs} per view, after 20 warm-up calls")
        for size in SIZES:
            fill_s, summary_s = grow(app, filler, size)
            print(
                f"\n{size:,} candidates: inserted in {fill_s:.1f} s, summaries in {summary_s:.1f} s"
            )
            figures_now = measure(app, client, filler.position.id, args.runs)
            for sort, (queries, _) in figures_now.items():
                counts[sort].append(queries)
    most = max(max(c) for c in counts.values())
    constant = int(all(len(set(c)) == 1 for c in counts.values()))
    ratio = max(r for _, r in figures_now.values())  # at the largest size
    print(f"\nqueries_per_page={most} queries_constant={constant} p95_ratio={ratio:.1f}")


if __name__ == "__main__":
    main()
