"""The background worker: `flask worker` runs every RQ queue (exports, e-mail, webhooks),
and the app an RQ job uses when it runs outside a Flask command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask import Flask, current_app, has_app_context

QUEUES = ("exports", "mail", "webhooks")  # exports first: a person is waiting for them
_app: Flask | None = None


def in_app(function: Callable[..., Any], *args: Any) -> Any:
    """Run a job's function inside an app: the one in use, else one made from the
    environment once per process (a plain `rq worker` started with the app's settings)."""
    global _app
    if has_app_context():
        return function(*args)
    if _app is None:
        from assessment import create_app

        _app = create_app()
    from .extensions import db

    with _app.app_context():
        try:
            return function(*args)
        finally:
            db.session.remove()


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--max-jobs", type=int, help="Stop after this many jobs (a supervisor restarts).")
@click.option(
    "--queue", "queues", multiple=True, type=click.Choice(QUEUES), help="Only these queues."
)
def worker_command(burst: bool, max_jobs: int | None, queues: tuple[str, ...]) -> None:
    """Run the background jobs queued in Redis (needs REDIS_URL): exports, e-mail, webhooks.
    Jobs run in this process (RQ's SimpleWorker), with RQ's scheduler for retries."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: background jobs run in the web process.")
    queues = queues or QUEUES
    if "exports" in queues:
        from .scorecard.batch import warm_pool

        # This process lives for many jobs: keep the render processes warm between them.
        current_app.config.setdefault("EXPORT_POOL_IDLE", 7 * 24 * 3600)
        count = warm_pool(current_app, current_app.config.get("EXPORT_WORKERS"))
        click.echo(f"{count} render process(es) ready.", err=True)
    connection = Redis.from_url(url)
    worker = SimpleWorker([Queue(q, connection=connection) for q in queues], connection=connection)
    # RQ's scheduler (a forked process) only serves retries: of e-mails and webhooks.
    scheduler = bool({"mail", "webhooks"} & set(queues))
    worker.work(burst=burst, max_jobs=max_jobs, with_scheduler=scheduler)
