"""What `python app.py` prints before serving: the address and, on first run, the setup link."""

from __future__ import annotations

from flask import Flask


def print_banner(app: Flask, host: str, port: int) -> None:
    from .auth.services import admin_exists

    address = f"http://{host}:{port}/"
    with app.app_context():
        first_run = not admin_exists()
        database = app.config["SQLALCHEMY_DATABASE_URI"].split("://")[0]
    print(f"Hiring assessment is running at {address}  (database: {database})")
    if first_run:
        print(f"No admin account yet: open {address}setup to create the first one.")
    print("Stop with Ctrl+C.")
