"""Batch scorecard exports: wall time per candidate of 100 demo candidates, in F.

Run: .venv/bin/python bench/scorecard_batch.py [--candidates N] [--workers W]

A fresh SQLite database in a temporary folder gets the demo company; the candidates of
its first position are cloned, with their interviews, ratings, notes and self-assessment
answers, until the position has N (default 100). F is the median warm in-process time to
render `<!doctype html><h1>Hello</h1>` to PDF bytes, measured in the same run. Each batch
is timed from the call to the finished file: the combined PDF on every core, first with
the worker processes started for it (cold), then again with them warm (as in an export
worker that has run a job before); a ZIP of one PDF per candidate; and for comparison the
combined PDF laid out in this one process with WeasyPrint's document API. On every core,
each worker lays out a chunk of scorecards into one PDF and pypdf joins the chunks.
The last line is `batch_ratio=Y`: the warm combined PDF, wall time per candidate, in F.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_app(folder: Path):
    from assessment import create_app

    url = f"sqlite:///{folder / 'bench.db'}"
    overrides = {"SQLALCHEMY_DATABASE_URI": url, "AUTO_MIGRATE": True, "SECRET_KEY": "bench"}
    return create_app(overrides, instance_path=str(folder))


def floor_f(runs: int = 30) -> float:
    """F in seconds: one warm-up render, then the median of `runs` timed ones."""
    from assessment.scorecard.pdf import HELLO, renderer

    renderer().warm_up()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        renderer().html_pdf(HELLO)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def clone_candidates(position_id: int, count: int) -> list[int]:
    """Copy the position's candidates (with everything they have) until it has `count`."""
    from assessment.database import write_transaction
    from assessment.extensions import db
    from assessment.models import Candidate

    originals = list(
        db.session.scalars(db.select(Candidate.id).where(Candidate.position_id == position_id))
    )
    n = 0
    with write_transaction() as session:
        while len(originals) + n < count:
            _clone(session, originals[n % len(originals)], n)
            n += 1
    return list(
        db.session.scalars(db.select(Candidate.id).where(Candidate.position_id == position_id))
    )


def _copy(row, **changes):
    columns = {c.key: getattr(row, c.key) for c in row.__mapper__.column_attrs if c.key != "id"}
    return type(row)(**{**columns, **changes})


def _clone(session, candidate_id: int, n: int) -> None:
    from assessment.blind import fresh_codes
    from assessment.extensions import db
    from assessment.models import Answer, Candidate, Interview, Rating, SelfAssessment

    source = session.get(Candidate, candidate_id)
    taken = set(
        session.scalars(
            db.select(Candidate.code).where(Candidate.position_id == source.position_id)
        )
    )
    code = fresh_codes(1, taken)[0]  # blind-review codes are unique in the position
    copy = _copy(source, name=f"{source.name} {n + 2}", email=f"clone{n}.{source.email}", code=code)
    session.add(copy)
    session.flush()
    for interview in session.scalars(
        db.select(Interview).where(Interview.candidate_id == source.id)
    ):
        new = _copy(interview, candidate_id=copy.id)
        session.add(new)
        session.flush()
        for rating in session.scalars(db.select(Rating).where(Rating.interview_id == interview.id)):
            session.add(_copy(rating, interview_id=new.id))
    query = db.select(SelfAssessment).where(SelfAssessment.candidate_id == source.id)
    for assessment in session.scalars(query):
        new = _copy(assessment, candidate_id=copy.id, token_hash=None)
        session.add(new)
        session.flush()
        for answer in session.scalars(
            db.select(Answer).where(Answer.assessment_id == assessment.id)
        ):
            session.add(_copy(answer, assessment_id=new.id))


def timed_export(position_id: int, kind: str, out: Path, workers: int | None) -> float:
    from assessment.scorecard.export import export_scorecards

    start = time.perf_counter()
    export_scorecards(position_id, kind, out, workers=workers)
    return time.perf_counter() - start


def timed_single_process_combined(ids: list[int]) -> tuple[float, int]:
    """The combined PDF laid out in this process: one Document per card, pages copied into
    the first, one write_pdf (render_scorecards_pdf)."""
    from assessment.scorecard import build_scorecard
    from assessment.scorecard.export import SYSTEM_VIEWER
    from assessment.scorecard.pdf import render_scorecards_pdf

    start = time.perf_counter()
    data = render_scorecards_pdf([build_scorecard(i, SYSTEM_VIEWER) for i in ids])
    return time.perf_counter() - start, len(data)


def bench_batch(app, f: float, count: int = 100, workers: int | None = None) -> dict[str, float]:
    """Per-candidate wall times (s) of each batch; `f` is the floor measured in this run."""
    from assessment.demo import load_demo
    from assessment.extensions import db
    from assessment.models import Position
    from assessment.scorecard.batch import close_pool, cores

    if db.session.scalar(db.select(Position.id).limit(1)) is None:
        load_demo()  # bench/scorecard.py has loaded it already
    position_id = db.session.scalar(db.select(Position.id).order_by(Position.id).limit(1))
    ids = clone_candidates(position_id, count)
    db.session.commit()
    folder = Path(app.instance_path)
    n = len(ids)
    used = min(workers or cores(), n)
    print(f"batch: {n} candidates of one position, {used} worker process(es)")
    results = {}
    runs = (
        ("cold", "pdf", "combined PDF, pool started for it"),
        ("combined", "pdf", "combined PDF, warm pool"),
        ("zip", "zip", "ZIP of single PDFs, warm pool"),
    )
    for label, kind, what in runs:
        seconds = timed_export(position_id, kind, folder / f"out.{kind}", workers)
        size = (folder / f"out.{kind}").stat().st_size
        results[label] = seconds / n
        _line(what, seconds, n, f, size)
    close_pool()
    seconds, size = timed_single_process_combined(ids)
    results["one_process"] = seconds / n
    _line("combined PDF, this process only (document API)", seconds, n, f, size)
    return results


def _line(what: str, seconds: float, n: int, f: float, size: int) -> None:
    print(
        f"  {seconds:6.2f} s  {1000 * seconds / n:6.1f} ms/candidate  {seconds / n / f:5.1f} F"
        f"  {size / 1e6:4.1f} MB  {what}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        with app.app_context():
            from assessment.scorecard.pdf import subsetter

            f = floor_f()
            print(f"F = {1000 * f:.1f} ms (hello, warm, median of 30); subsetter {subsetter()}")
            results = bench_batch(app, f, options.candidates, options.workers)
    print(f"batch_ratio={results['combined'] / f:.1f}")


if __name__ == "__main__":
    main()
