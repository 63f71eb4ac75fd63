"""The operator's privacy commands: erase-candidate, purge, backup and restore."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app


@click.command("erase-candidate")
@click.argument("candidate_id", type=int)
@click.option("--yes", is_flag=True, help="Erase without asking to confirm.")
@click.option(
    "--why",
    type=click.Choice(["request", "consent", "retention", "mistake"]),
    default="request",
    show_default=True,
    help="Recorded in the audit log (the candidate asked, withdrew consent, ...).",
)
def erase_candidate_command(candidate_id: int, yes: bool, why: str) -> None:
    """Erase a candidate's personal data everywhere it is stored (shows what goes first)."""
    from .erasure import ErasureError, erase_candidate, erasure_preview

    preview = erasure_preview(candidate_id)
    if preview is None:
        raise click.ClickException(f"There is no candidate {candidate_id}.")
    if preview.erased:
        raise click.ClickException(f"Candidate {candidate_id} is already erased.")
    click.echo(f"Erasing candidate {candidate_id} removes:")
    for line in preview.lines:
        click.echo(f"  - {line}")
    click.echo("Ratings, answers and scores stay as anonymous numbers.")
    if not yes:
        click.confirm("Erase? This cannot be undone", abort=True)
    try:
        erase_candidate(candidate_id, None, why)
    except ErasureError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Candidate {candidate_id} is erased.")


@click.command("purge")
@click.option(
    "--older-than",
    default=None,
    help="Erase candidates whose process ended this long ago, e.g. 180d or 26w "
    "(default: RETENTION_DAYS, 180 days).",
)
@click.option("--apply", is_flag=True, help="Erase them; without it, only list them.")
def purge_command(older_than: str | None, apply: bool) -> None:
    """List (with --apply: erase) candidates past the retention period; delete export
    files past their 24 hours. For cron."""
    from .retention import PeriodError, parse_period, purge

    try:
        period = parse_period(older_than or f"{current_app.config['RETENTION_DAYS']}d")
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--older-than") from error
    done = purge(period, apply)
    when = f"{done.cutoff:%d %b %Y}"
    click.echo(f"{len(done.due)} candidate(s) whose process ended before {when}:")
    for due in done.due:
        click.echo(
            f"  candidate {due.candidate_id}  {due.position_title}  "
            f"{due.why} {due.ended_at:%d %b %Y}"
        )
    click.echo(f"{done.exports} finished export file(s) past their time.")
    if apply:
        click.echo(f"Erased {len(done.due)} candidate(s); deleted {done.exports} export file(s).")
    else:
        click.echo("Nothing erased or deleted: run again with --apply to do it.")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database while the app runs (SQLite online backup;
    pg_dump's custom format on PostgreSQL)."""
    from .backup import BackupError, backup_database

    try:
        backup_database(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {file} ({file.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Put a backup back into an empty database (stop the app first)."""
    from .backup import BackupError, restore_database, rows_held

    try:
        restore_database(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    total = sum(rows_held().values())
    click.echo(f"Restored {file}: {total:,} rows in the app's tables.")
