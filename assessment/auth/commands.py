"""`flask --app app setup-secret`: a new first-run setup secret, for the operator's eyes."""

from __future__ import annotations

import click
from flask import current_app


@click.command("setup-secret")
def setup_secret_command() -> None:
    """Make a new first-run setup secret and print it (any earlier one stops working)."""
    from .setup_secret import make_setup_secret, setup_link

    secret = make_setup_secret(replace=True)
    if secret is None:
        raise click.ClickException("Setup is done: an admin account exists. Sign in instead.")
    click.echo("First-run setup secret (it works once; any earlier one no longer does):", err=True)
    click.echo(secret)  # alone on stdout, so a script can take it
    link = setup_link(secret, current_app.config["BASE_URL"])
    click.echo(f"Open {link} to create the first admin.", err=True)
