"""What the app does as it starts: the first run's setup secret, and what `python app.py`
prints before serving (the address, on the first run the setup link with the secret, and a
warning when BASE_URL, the address links are built from, names another address)."""

from __future__ import annotations

from flask import Flask

from .public_address import ANY_ADDRESS, served_elsewhere

FIRST_RUN_SECRET = "assessment_setup_secret"  # app.extensions: the secret made at start


def announce_on_start(app: Flask) -> None:
    """With no admin yet, make the setup secret and write it to the log (once, whichever
    process starts first): a WSGI server's start, or `python app.py`. Not for tests, which
    make their own, nor for a `flask` command (`flask run` logs it when /setup is first
    asked for; `flask setup-secret` prints a new one anyway)."""
    import click

    if app.testing or click.get_current_context(silent=True) is not None:
        return
    from .auth.setup_secret import announce_first_run

    app.extensions[FIRST_RUN_SECRET] = announce_first_run(app)


def print_banner(app: Flask, host: str, port: int) -> None:
    from .auth.services import admin_exists
    from .auth.setup_secret import make_setup_secret

    address = f"http://{host}:{port}/"
    with app.app_context():
        secret = None
        if not admin_exists():
            # The one this start made, or a new one: an earlier start's secret was printed
            # to a terminal that may be gone.
            secret = app.extensions.pop(FIRST_RUN_SECRET, None) or make_setup_secret(replace=True)
        database = app.config["SQLALCHEMY_DATABASE_URI"].split("://")[0]
    print(f"Hiring assessment is running at {address}  (database: {database})")
    warning = served_elsewhere(app.config["BASE_URL"], address)
    if warning:
        example = f"http://{'<this machine>' if host in ANY_ADDRESS else host}:{port}"
        print(f"Warning: {warning} For example: BASE_URL={example}")
    if secret:
        print(f"No admin account yet. The setup secret is {secret} (it works once).")
        print(f"Open {address}setup?secret={secret} to create the first admin.")
    print("Stop with Ctrl+C.")
