"""The operator's account commands: setup-secret (the first-run secret) and reset-password."""

from __future__ import annotations

import click
from flask import current_app

from ..extensions import db
from ..models import User
from .services import AccountError, normalise_email


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


@click.command("reset-password")
@click.argument("email")
@click.option(
    "--link",
    is_flag=True,
    help="Print a one-time reset link for the person instead of setting a password here.",
)
def reset_password_command(email: str, link: bool) -> None:
    """Set a new password for an account (prompted for), ending its sessions; or --link."""
    from .account import make_reset_link, set_password

    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None:  # said before asking for a password
        raise click.ClickException(f"There is no account with the e-mail {email}.")
    try:
        if link:
            made = make_reset_link(user.id, None)
            until = f"{made.expires_at:%d %b %Y %H:%M} UTC"
            click.echo(f"Reset link for {user.email}, working once until {until}:", err=True)
            click.echo(made.url)
            return
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
        user = set_password(user.email, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    note = "" if user.active else " The account is deactivated: reactivate it to sign in."
    click.echo(f"Password set for {user.email}; every session of theirs ended.{note}")
