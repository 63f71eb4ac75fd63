"""How wide the demo's bands are and how many pairs of candidates they tell apart.

Run: .venv/bin/python bench/bands.py [--seed N] [--size small|large] [--keep FILE.db]

A fresh SQLite database in a temporary folder gets the demo company; every candidate's
scorecard is built as an admin on no panel sees it (every submitted rating). Per position
and in total it prints the candidates with an overall, the pairs of them, how many pairs
are "reliably different" on the overall (SCIENCE §4: the gap exceeds
1.96·√(SEM_a² + SEM_b²)), and the median width of the overall's 95 % band and of a
competency's interview band, on 0–100. It also prints where the bands' reliability came
from (default or local) and how long the demo took to load.
"""

from __future__ import annotations

import argparse
import inspect
import shutil
import statistics
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorecard_batch import make_app  # noqa: E402  (beside this file)


def figures(position_id: int, admin) -> dict:
    from assessment.extensions import db
    from assessment.models import Candidate
    from assessment.scorecard import build_scorecard
    from assessment.scoring import stats

    ids = db.session.scalars(db.select(Candidate.id).where(Candidate.position_id == position_id))
    overalls, widths, interview_widths, sources = [], [], [], set()
    for cid in ids:
        card = build_scorecard(cid, admin)
        overall = card.score.overall
        for name, reliability, _scale in getattr(card, "band_sources", ()):
            sources.add(f"{name} reliability {reliability.split(' for ')[0]}")
        for name, rho, source in getattr(card, "error_correlations", ()):
            sources.add(f"{name} halo {rho} ({source})")
        if overall.score is not None:
            overalls.append((overall.score, overall.sem))
            widths.append(overall.band[1] - overall.band[0])
        for cs in card.score.competencies:
            if cs.interview.band is not None:
                interview_widths.append(cs.interview.band[1] - cs.interview.band[0])
    pairs = list(combinations(overalls, 2))
    different = sum(
        1 for (xa, sa), (xb, sb) in pairs if not stats.not_reliably_different(xa, xb, sa, sb)
    )
    return {
        "scored": len(overalls),
        "pairs": len(pairs),
        "different": different,
        "widths": widths,
        "interview_widths": interview_widths,
        "sources": sources,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--size", default="small")
    parser.add_argument("--keep", help="copy the demo database here (to score it otherwise)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        with app.app_context():
            from assessment.demo import load_demo
            from assessment.extensions import db
            from assessment.models import Position, User

            options = {"seed": args.seed}
            if "size" in inspect.signature(load_demo).parameters:
                options["size"] = args.size
            start = time.perf_counter()
            load_demo(**options)
            loaded = time.perf_counter() - start
            admin = db.session.scalar(db.select(User).where(User.role == "admin"))
            total = {"scored": 0, "pairs": 0, "different": 0, "widths": [], "iw": []}
            for position in db.session.scalars(db.select(Position).order_by(Position.id)):
                found = figures(position.id, admin)
                share = found["different"] / found["pairs"] if found["pairs"] else 0
                median = statistics.median(found["widths"]) if found["widths"] else float("nan")
                print(
                    f"{position.title}: {found['scored']} with an overall, "
                    f"{found['different']} of {found['pairs']} pairs reliably different "
                    f"({share:.0%}), median overall band {median:.1f} points"
                    + (
                        f", reliability: {'; '.join(sorted(found['sources']))}"
                        * bool(found["sources"])
                    )
                )
                total["scored"] += found["scored"]
                total["pairs"] += found["pairs"]
                total["different"] += found["different"]
                total["widths"] += found["widths"]
                total["iw"] += found["interview_widths"]
            share = total["different"] / total["pairs"] if total["pairs"] else 0
            print(
                f"all positions: {total['scored']} with an overall, {total['different']} of "
                f"{total['pairs']} pairs reliably different ({share:.0%}); median overall band "
                f"{statistics.median(total['widths']):.1f} points, median interview band "
                f"{statistics.median(total['iw']):.1f} points; demo loaded in {loaded:.1f} s"
            )
        if args.keep:
            shutil.copyfile(Path(folder) / "bench.db", args.keep)


if __name__ == "__main__":
    main()
