"""The question bank the running app uses: loaded once at start, refused when invalid."""

from __future__ import annotations

from flask import Flask, current_app

from .bank import load_bank
from .bank.model import Bank


def register_bank(app: Flask) -> None:
    """Load and validate QUESTIONS_DIR; BankInvalid (with every problem) stops the start."""
    app.extensions["assessment_bank"] = load_bank(app.config["QUESTIONS_DIR"])


def current_bank() -> Bank:
    return current_app.extensions["assessment_bank"]
