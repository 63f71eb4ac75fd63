"""Batch export commands (listed in commands.py): export-scorecards, export-worker (RQ)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from assessment.blind import is_blind
from assessment.extensions import db
from assessment.models import Position

from .export import KINDS, export_scorecards
from .files import PAPERS
from .jobs import QUEUE
from .viewers import ExportError, load_viewer


def _candidate_ids(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("a comma-separated list of candidate ids, e.g. 1,2,3") from None


class _Progress:
    """A line on stderr at every tenth of the way."""

    def __init__(self):
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth != self.shown:
            self.shown = tenth
            click.echo(f"  {done}/{total} candidates", err=True)


@click.command("export-scorecards")
@click.option("--position", "position_id", type=int, required=True, help="The position's id.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--format",
    "kind",
    type=click.Choice(KINDS),
    help="pdf (one combined PDF), zip (one PDF per candidate) or csv (all scores); "
    "default: the output's extension, else pdf.",
)
@click.option("--candidates", help="Only these candidate ids, comma-separated (default: all).")
@click.option(
    "--paper", type=click.Choice(PAPERS, case_sensitive=False), default="A4", show_default=True
)
@click.option("--workers", type=int, help="Processes that render (default: one per core).")
@click.option(
    "--reveal-names",
    is_flag=True,
    help="Print names, e-mails and external ids even when the position is under blind "
    "review (default: candidate codes, as the position says).",
)
def export_scorecards_command(
    position_id: int,
    output: Path,
    kind: str | None,
    candidates: str | None,
    paper: str,
    workers: int | None,
    reveal_names: bool,
) -> None:
    """Write a position's scorecards as one PDF, a ZIP of PDFs, or a CSV of scores."""
    kind = kind or (output.suffix[1:].lower() if output.suffix[1:].lower() in KINDS else "pdf")
    try:
        result = export_scorecards(
            position_id,
            kind,
            output.resolve(),
            candidate_ids=_candidate_ids(candidates),
            reveal_names=reveal_names,
            paper=paper,
            progress=_Progress(),
            workers=workers,
        )
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {result.exported} candidate(s) to {output} ({kind}).")
    position = db.session.get(Position, position_id)
    if position is not None and is_blind(position, load_viewer(None, reveal_names)):
        click.echo(
            "The position is under blind review: candidates appear as codes "
            "(--reveal-names prints their names).",
            err=True,
        )


@click.command("export-worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--max-jobs", type=int, help="Stop after this many jobs (a supervisor restarts).")
def export_worker_command(burst: bool, max_jobs: int | None) -> None:
    """Run batch exports from Redis (queue "exports"); needs REDIS_URL. Jobs run in this
    process (RQ's SimpleWorker), so the app is made once, not once per job."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: exports run in the web process.")
    from .batch import warm_pool

    # This process lives for many jobs: keep the render processes warm between them.
    current_app.config.setdefault("EXPORT_POOL_IDLE", 7 * 24 * 3600)
    count = warm_pool(current_app, current_app.config.get("EXPORT_WORKERS"))
    click.echo(f"{count} render process(es) ready.", err=True)
    connection = Redis.from_url(url)
    worker = SimpleWorker([Queue(QUEUE, connection=connection)], connection=connection)
    worker.work(burst=burst, max_jobs=max_jobs)
