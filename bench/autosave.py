"""How fast the interviewer's screen answers: one autosave, and the whole screen.

Run: .venv/bin/python bench/autosave.py [--runs N] [--database-url URL]

Everything goes through the Flask test client in one process on a fresh SQLite file (WAL)
unless --database-url names another (empty) database. The baseline is a bare view that
returns "hello", added to the same app and measured in the same run, so the ratios hold
from machine to machine. Prints the median and p95 of each and the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import create_app  # noqa: E402
from assessment.policy import PUBLIC, allow  # noqa: E402


def timed(call, runs: int) -> list[float]:
    for _ in range(20):  # warm up: caches, prepared statements, imports
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def figures(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def build(database_url: str | None, folder: Path):
    """The app on a fresh SQLite file, or on `database_url` (an empty database, migrated
    here: only embedded SQLite migrates itself)."""
    url = database_url or f"sqlite:///{folder / 'bench.db'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "AUTO_MIGRATE": True, "SECRET_KEY": "bench-" + "k" * 32},
        instance_path=str(folder),
    )
    if not url.startswith("sqlite"):
        from flask_migrate import upgrade

        from assessment.database import MIGRATIONS_DIR

        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR)

    @allow(PUBLIC)
    def hello():
        return "hello"

    app.add_url_rule("/bench-hello", "bench_hello", hello)
    return app


def seed(app):
    from assessment.auth.services import create_user
    from assessment.database import write_transaction
    from assessment.models import Candidate, Interview, Position
    from assessment.question_bank import current_bank

    with app.app_context():
        create_user("admin@bench.example", "Admin", "admin", "bench-password-1")
        manager = create_user("m@bench.example", "Maya", "manager", "bench-password-1")
        bank = current_bank()
        kit = bank.kits["support-lead"]
        with write_transaction() as session:
            position = Position(
                title=kit.title,
                kit_id=kit.id,
                bank_version=bank.version,
                weights=dict(kit.weights),
                method_weights=dict(kit.method_weights),
                questions=[bank.questions[q].snapshot() for q in kit.questions],
            )
            session.add(position)
            session.flush()
            candidate = Candidate(position_id=position.id, name="Ada", email="ada@bench.example")
            session.add(candidate)
            session.flush()
            interview = Interview(
                candidate_id=candidate.id,
                interviewer_id=manager.id,
                bank_version=bank.version,
                items=list(position.questions),
            )
            session.add(interview)
        return interview.id, [q["id"] for q in interview.items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build(args.database_url, Path(folder))
        interview_id, questions = seed(app)
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/login",
            data={"email": "m@bench.example", "password": "bench-password-1", "csrf_token": token},
        )
        token = client.get("/interviews/token").get_json()["csrf_token"]  # a new session's
        counter = iter(range(10**9))
        versions = dict.fromkeys(questions, 0)  # as the page knows them: server-issued

        def save():
            n = next(counter)
            qid = questions[n % len(questions)]
            data = {"value": str(1 + n % 5), "notes": f"note {n}", "base": str(versions[qid])}
            response = client.post(
                f"/interviews/{interview_id}/ratings/{qid}",
                data=data,
                headers={"X-CSRFToken": token, "X-Requested-With": "fetch"},
            )
            assert response.status_code == 200, response.get_data(as_text=True)
            versions[qid] = response.get_json()["version"]

        def screen():
            assert client.get(f"/interviews/{interview_id}").status_code == 200

        def hello():
            assert client.get("/bench-hello").status_code == 200

        base_med, base_p95 = figures(timed(hello, args.runs))
        save_med, save_p95 = figures(timed(save, args.runs))
        screen_med, screen_p95 = figures(timed(screen, args.runs))
    dialect = (args.database_url or "sqlite").split(":")[0]
    print(f"database: {dialect}; runs: {args.runs} each, after 20 warm-up calls")
    print(f"bare view      median {base_med:7.2f} ms   p95 {base_p95:7.2f} ms")
    print(f"autosave       median {save_med:7.2f} ms   p95 {save_p95:7.2f} ms")
    print(f"interview page median {screen_med:7.2f} ms   p95 {screen_p95:7.2f} ms")
    print(
        f"save_ratio={save_med / base_med:.1f} save_p95_ratio={save_p95 / base_p95:.1f} "
        f"screen_ratio={screen_med / base_med:.1f}"
    )


if __name__ == "__main__":
    main()
