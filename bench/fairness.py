"""How fast the fairness pages answer: the adverse-impact report, its CSV and validity.

Run: .venv/bin/python bench/fairness.py [--sizes 60,50,50 250,250,250] [--runs N]
     [--database-url URL]

For each size, a fresh SQLite file (or the empty database named, migrated first) gets the
demo company with that many candidates per position (decisions, self-identification and
outcomes from assessment/demo/fairness.py). Through the Flask test client, signed in as the
demo's HR person: the median and p95 of /fairness, /fairness.csv and /validity against a bare
"hello" view of the same app, measured in the same run (bench/autosave.py's). The pages read
every candidate of every position on each view (the report's suppression is computed over all
positions at once), so they grow with the company.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autosave import build, figures, timed  # noqa: E402  (beside this file)

PAGES = ("/fairness", "/fairness.csv", "/validity")


def run(sizes: tuple[int, ...], runs: int, database_url: str | None) -> None:
    import assessment.demo as demo
    from tests.conftest import csrf_token

    with tempfile.TemporaryDirectory() as folder:
        app = build(database_url, Path(folder))
        demo.CANDIDATES_PER_POSITION = sizes
        with app.app_context():
            demo.load_demo()
        client = app.test_client()
        login = client.get("/login")
        client.post(
            "/login",
            data={"email": "hr@demo.example", "password": demo.DEMO_PASSWORD,
                  "csrf_token": csrf_token(login)},
        )  # fmt: skip
        bare = figures(timed(lambda: client.get("/bench-hello"), runs))
        print(f"candidates={sum(sizes)} bare view median={bare[0]:.2f} ms p95={bare[1]:.2f} ms")
        for page in PAGES:
            assert client.get(page).status_code == 200, page
            median, p95 = figures(timed(lambda page=page: client.get(page), runs))
            ratio = median / bare[0]
            print(f"  {page:<14} median={median:.1f} ms p95={p95:.1f} ms ({ratio:.0f}× bare)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["60,50,50", "250,250,250"])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    for size in args.sizes:
        run(tuple(int(n) for n in size.split(",")), args.runs, args.database_url)


if __name__ == "__main__":
    main()
