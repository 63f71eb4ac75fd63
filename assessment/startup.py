"""What `python app.py` prints before serving: the address, on first run the setup link, and
a warning when BASE_URL (the address links are built from) names another address."""

from __future__ import annotations

from flask import Flask

from .public_address import ANY_ADDRESS, served_elsewhere


def print_banner(app: Flask, host: str, port: int) -> None:
    from .auth.services import admin_exists

    address = f"http://{host}:{port}/"
    with app.app_context():
        first_run = not admin_exists()
        database = app.config["SQLALCHEMY_DATABASE_URI"].split("://")[0]
    print(f"Hiring assessment is running at {address}  (database: {database})")
    warning = served_elsewhere(app.config["BASE_URL"], address)
    if warning:
        example = f"http://{'<this machine>' if host in ANY_ADDRESS else host}:{port}"
        print(f"Warning: {warning} For example: BASE_URL={example}")
    if first_run:
        print(f"No admin account yet: open {address}setup to create the first one.")
    print("Stop with Ctrl+C.")
