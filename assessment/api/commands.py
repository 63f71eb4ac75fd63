"""`flask api-token create|list|revoke`: tokens for scripts (they act as the system viewer)."""

from __future__ import annotations

import click

from .models import SCOPES
from .tokens import TokenError, create_token, list_tokens, revoke_token


@click.group("api-token", help="Make, list and revoke tokens of the JSON API.")
def api_token_cli() -> None:
    pass


@api_token_cli.command("create")
@click.option("--scope", type=click.Choice(SCOPES), required=True, help="read, or write too.")
@click.option("--name", required=True, help="What it is for, e.g. the ATS's name.")
def create_command(scope: str, name: str) -> None:
    """Print a new token (only its hash is kept: copy it now)."""
    try:
        row, token = create_token(name, scope, None)
    except TokenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Token {row.id} ({scope}) for {row.name}; it is shown only this once:", err=True)
    click.echo(token)


@api_token_cli.command("list")
def list_command() -> None:
    """Every token: id, scope, name, whom it acts for, last use, revoked."""
    for token, admin in list_tokens():
        used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "never"
        state = "revoked" if token.revoked_at else "active"
        who = admin or "system viewer"
        click.echo(f"{token.id:>4} {token.scope:<5} {state:<7} {token.prefix}… {token.name} "
                   f"(acts as {who}; last used {used})")  # fmt: skip


@api_token_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_command(token_id: int) -> None:
    """Stop a token at once."""
    if not revoke_token(token_id, None):
        raise click.ClickException(f"No active token {token_id}.")
    click.echo(f"Token {token_id} revoked.")
