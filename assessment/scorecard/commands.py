"""Flask commands for scorecards: `scorecard` (one candidate's PDF); batch exports join here."""

from __future__ import annotations

from pathlib import Path

import click

from .files import PAPERS
from .viewers import SYSTEM_VIEWER


@click.command("scorecard")
@click.argument("candidate_id", type=int)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The PDF file to write.",
)
@click.option(
    "--paper",
    type=click.Choice(PAPERS, case_sensitive=False),  # gives "Letter" for "letter"
    default="A4",
    show_default=True,
)
def scorecard_command(candidate_id: int, output: Path, paper: str) -> None:
    """Write one candidate's scorecard as a PDF (read as an admin: every rating is included)."""
    from . import CandidateNotFound, build_scorecard
    from .pdf import render_scorecard_pdf

    try:
        card = build_scorecard(candidate_id, SYSTEM_VIEWER)
    except CandidateNotFound:
        raise click.ClickException(f"There is no candidate {candidate_id}.") from None
    data = render_scorecard_pdf(card, paper)
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data) // 1024} KB): {card.candidate.name}, {paper}.")
