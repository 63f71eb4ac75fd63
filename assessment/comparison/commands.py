"""`flask rebuild-summaries`: recompute every candidate's summary row for the comparison list."""

from __future__ import annotations

import time

import click


@click.command("rebuild-summaries")
def rebuild_summaries_command() -> None:
    """Recompute every candidate's summary row (after an upgrade, or to check nothing drifted)."""
    from assessment.database import write_transaction

    from .refresh import rebuild_all

    start = time.perf_counter()
    with write_transaction():
        count = rebuild_all()
    seconds = time.perf_counter() - start
    noun = "summary" if count == 1 else "summaries"
    click.echo(f"Rebuilt {count} candidate {noun} in {seconds:.1f} s.")
