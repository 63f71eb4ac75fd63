"""Flask commands: questions check, create-user, demo, send-reminders, invite."""

from __future__ import annotations

import json
from functools import partial

import click
from flask import Flask, current_app

from .bank import check_bank


@click.group("questions", help="Work with the question bank.")
def questions_cli() -> None:
    pass


@questions_cli.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def questions_check(directory: str | None, as_json: bool) -> None:
    """Validate a bank (default: the one in use); exit 1 when it has problems."""
    report = check_bank(directory or current_app.config["QUESTIONS_DIR"])
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(report.to_text())
    if not report.ok:
        raise SystemExit(1)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "hr", "manager", "expert"]), required=True)
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for when left out.",
)
def create_user_command(email: str, role: str, name: str | None, password: str) -> None:
    """Create an account with the given role."""
    from .auth.services import AccountError, create_user

    try:
        user = create_user(email, name or email.split("@")[0], role, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("demo")
@click.option("--seed", default=2026, show_default=True, help="Random seed for the demo data.")
@click.option(
    "--size",
    type=click.Choice(["small", "large"]),
    default="small",
    show_default=True,
    help="small: 40 candidates; large: 150, enough for every statistic to show real figures.",
)
def demo_command(seed: int, size: str) -> None:
    """Load a demo company (positions, interviewers, 40 or 150 candidates) into an empty
    database."""
    from .demo import DemoError, load_demo

    try:
        logins = load_demo(seed=seed, size=size)
    except DemoError as error:
        raise click.ClickException(str(error)) from error
    click.echo("Demo company loaded. Sign in with any of these (password for all shown):")
    for email, role, password in logins:
        click.echo(f"  {role:<8} {email:<32} {password}")


@click.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and mark nothing.")
def send_reminders_command(dry_run: bool) -> None:
    """E-mail each interviewer with overdue interviews (at most once a day); for cron."""
    from .mail import MailNotConfigured
    from .reminders import send_reminders

    try:
        run = send_reminders(dry_run=dry_run)
    except MailNotConfigured as error:
        raise click.ClickException(str(error)) from error
    if dry_run:
        for reminder in run.planned:
            click.echo(f"Would send to {reminder.email}: {_interviews(reminder)}")
        click.echo(f"Dry run: {len(run.planned)} e-mail(s) due; nothing sent or marked.")
        return
    if run.queued:
        for reminder in run.planned:
            click.echo(f"Queued for {reminder.email}: {_interviews(reminder)}")
        click.echo(f"Reminders: {len(run.planned)} queued for `flask worker` (REDIS_URL).")
        return
    for reminder in run.sent:
        click.echo(f"Sent to {reminder.email}: {_interviews(reminder)}")
    for reminder, why in run.failed:
        click.echo(f"Not sent to {reminder.email} ({_interviews(reminder)}): {why}", err=True)
    click.echo(f"Reminders: {len(run.sent)} sent, {len(run.failed)} failed.")
    if run.failed:
        raise SystemExit(1)


@click.command("invite")
@click.argument("candidate_id", type=int)
@click.option(
    "--days", default=14, show_default=True, type=int, help="How long the link works (1-90)."
)
def invite_command(candidate_id: int, days: int) -> None:
    """Create a self-assessment link for a candidate and print it (shown only this once)."""
    from .extensions import db
    from .models import Candidate
    from .selfassess.invites import InviteError, create_invite, invite_link

    try:
        assessment, token = create_invite(candidate_id, None, days)
    except InviteError as error:
        why = str(error)
        raise click.ClickException(
            f"Cannot invite candidate {candidate_id}: {why[:1].lower()}{why[1:]}"
        ) from error
    candidate = db.session.get(Candidate, candidate_id)
    expires = assessment.expires_at.strftime("%d %b %Y, %H:%M UTC")
    # Only the link goes to stdout, so `link=$(flask --app app invite 7)` works in a script.
    say = partial(click.echo, err=True)
    say(f"Invite for {candidate.name} <{candidate.email}>, working until {expires}.")
    say("Copy the link now: only its hash is stored, so it cannot be shown again.")
    click.echo(invite_link(token))


def _interviews(reminder) -> str:
    count = len(reminder.interviews)
    return f"{count} overdue interview{'' if count == 1 else 's'}"


def register_commands(app: Flask) -> None:
    from .api.commands import api_token_cli
    from .auth.commands import reset_password_command, setup_secret_command
    from .comparison.commands import rebuild_summaries_command
    from .privacy.commands import (
        backup_command,
        erase_candidate_command,
        purge_command,
        restore_command,
    )
    from .scorecard.commands import scorecard_command
    from .scorecard.export_commands import export_scorecards_command, export_worker_command
    from .worker import worker_command

    commands = (
        questions_cli,
        create_user_command,
        setup_secret_command,
        demo_command,
        send_reminders_command,
        invite_command,
        scorecard_command,
        export_scorecards_command,
        export_worker_command,
        rebuild_summaries_command,
        api_token_cli,
        worker_command,
        reset_password_command,
        erase_candidate_command,
        purge_command,
        backup_command,
        restore_command,
    )
    for command in commands:
        app.cli.add_command(command)
