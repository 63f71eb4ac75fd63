"""Batch scorecard exports: parallel efficiency, and the cost of re-exporting an unchanged position.

Run: .venv/bin/python bench/scorecard_batch.py [--candidates N] [--workers W]

A fresh SQLite database in a temporary folder gets the demo company; the candidates of
its first position are cloned, with their interviews, ratings, notes and self-assessment
answers, until the position has N (default 100). F is the median warm in-process time to
render `<!doctype html><h1>Hello</h1>` to PDF bytes, measured in the same run. The worker
processes are started first (as an export worker does), then each export is timed from
the call to the finished file: the combined PDF rendered by one of those processes alone,
then on one process per core, each with the PDF cache emptied first; then the same export
again, every card now kept, and a ZIP of them. All four are run twice, in turn, and the best time of
each is kept, so that a burst of other work on a shared machine spoils no single figure;
a CPU-bound loop on the same number of processes shows the machine's own ceiling.

Parallel efficiency is the time per card in one process divided by (processes x the time
per card on all of them): 1.0 when the cores share the work perfectly. The re-export's
share is its time over that of rendering the position on every core. The last line is
`efficiency=Y cached_ratio=Z`.
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
    overrides = {
        "SQLALCHEMY_DATABASE_URI": url,
        "AUTO_MIGRATE": True,
        "SECRET_KEY": "bench-" + "k" * 32,
    }
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


def timed_in_a_worker(app, workers: int, *export) -> float:
    """timed_export(*export) run by one of the warm render processes: the batch's work in
    one process, with the same process and renderer as on all of them (this process has
    rendered and kept much else by now)."""
    from assessment.scorecard import batch

    pool = batch._acquire_pool(app, workers)  # the pool the exports use, already warm
    try:
        return pool.submit(timed_export, *export).result()
    finally:
        batch._release_pool()


def spin(rounds: int = 3_000_000) -> int:
    """Pure CPU work, for the machine's own ceiling (no memory, no I/O, no database)."""
    total = 0
    for i in range(rounds):
        total += i * i % 7
    return total


def ceiling(processes: int) -> float:
    """The parallel efficiency of `spin` on this many processes, in this run: what the
    machine (its cores, and whoever else is using them) allows at best."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    times = []
    for count in (1, processes):
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(count, mp_context=context) as pool:
            list(pool.map(spin, [1000] * count))  # started
            start = time.perf_counter()
            list(pool.map(spin, [3_000_000] * count))
            times.append(time.perf_counter() - start)
    return times[0] / times[1]


def empty_cache() -> None:
    """Forget every kept PDF, so that the next export renders every card."""
    from assessment.database import write_transaction
    from assessment.scorecard.cache_model import ScorecardPdf

    with write_transaction() as session:
        session.execute(ScorecardPdf.__table__.delete())


def bench_batch(
    app, f: float, count: int = 100, workers: int | None = None, rounds: int = 2
) -> dict[str, float]:
    """Wall times per candidate (s) of a combined PDF: rendered in one process, then on
    one process per core (the cache emptied before each), then again with every card kept,
    `rounds` times in turn, keeping the best of each; `f` is the floor measured in this run.
    Returns those and the ratios."""
    from assessment.demo import load_demo
    from assessment.extensions import db
    from assessment.models import Position
    from assessment.scorecard.batch import close_pool, cores, warm_pool

    if db.session.scalar(db.select(Position.id).limit(1)) is None:
        load_demo()  # bench/scorecard.py has loaded it already
    position_id = db.session.scalar(db.select(Position.id).order_by(Position.id).limit(1))
    ids = clone_candidates(position_id, count)
    db.session.commit()
    folder, n = Path(app.instance_path), len(ids)
    used = min(workers or cores(), n)
    started = time.perf_counter()
    warm_pool(app, used)  # as an export worker does when it starts
    print(f"batch: {n} candidates of one position; {used} worker processes, started in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    runs = (  # (label, kind, processes, empty the cache first, what)
        ("serial", "pdf", 1, True, "combined PDF, one render process, nothing cached"),
        ("parallel", "pdf", used, True, f"combined PDF, {used} processes, nothing cached"),
        ("cached", "pdf", used, False, "combined PDF again, every card kept"),
        ("cached_zip", "zip", used, False, "ZIP of single PDFs, every card kept"),
    )
    samples: dict[str, list[float]] = {label: [] for label, *_ in runs}
    for _ in range(rounds):  # in turn, so that a burst of other load hits each alike
        for label, kind, processes, empty, what in runs:
            if empty:
                empty_cache()
            out = folder / f"out-{label}.{kind}"
            if processes == 1:
                seconds = timed_in_a_worker(app, used, position_id, kind, out, 1)
            else:
                seconds = timed_export(position_id, kind, out, processes)
            samples[label].append(seconds / n)
            _line(what, seconds, n, f, out.stat().st_size)
    results = {label: min(values) for label, values in samples.items()}  # the best of each
    close_pool()
    results["efficiency"] = results["serial"] / (used * results["parallel"])
    results["cached_ratio"] = results["cached"] / results["parallel"]
    print(
        f"parallel efficiency {results['efficiency']:.2f} (time per card in one process, over "
        f"{used} x the time per card on {used}); a CPU-bound loop on {used} processes in this "
        f"run: {ceiling(used):.2f}; re-export {results['cached_ratio']:.3f} of rendering it"
    )
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
    print(f"efficiency={results['efficiency']:.2f} cached_ratio={results['cached_ratio']:.3f}")


if __name__ == "__main__":
    main()
