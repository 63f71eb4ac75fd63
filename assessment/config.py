"""Settings from the environment, and nothing else."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def load_config(instance_path: str) -> dict:
    """The app's configuration, read from the environment."""
    env = os.environ.get
    database_url = env("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'assessment.db'}"
    if database_url.startswith("postgres://"):  # Heroku-style URLs name an old alias
        database_url = "postgresql://" + database_url.removeprefix("postgres://")
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    base_url = (env("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    https = base_url.startswith("https://")
    trusted = [h.strip() for h in env("TRUSTED_HOSTS", "").split(",") if h.strip()]
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # No ping on every checkout (a round trip per request): database.py pings only a
        # connection that sat idle or whose socket says the server closed it, and a
        # connection is replaced after half an hour.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
        "QUESTIONS_DIR": env("QUESTIONS_DIR") or str(ROOT / "questions"),
        "REDIS_URL": env("REDIS_URL"),
        "BASE_URL": base_url,
        "TRUSTED_HOSTS": trusted or None,
        # Create or upgrade an embedded SQLite database on start; PostgreSQL is upgraded
        # by `flask db upgrade` as a deploy step.
        "AUTO_MIGRATE": database_url.startswith("sqlite"),
        # Security defaults (HARDENING.md §5).
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # A structured interview can outlast Flask-WTF's one-hour default.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "RATELIMIT_STORAGE_URI": env("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env("LOGIN_RATE_LIMIT") or "5 per minute",
        # argon2id cost; tests lower it to keep the suite fast.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        # Outgoing e-mail (reminders, invites); unset SMTP_HOST means no e-mail is sent.
        "SMTP_HOST": env("SMTP_HOST"),
        "SMTP_PORT": int(env("SMTP_PORT") or 25),
        "SMTP_USERNAME": env("SMTP_USERNAME"),
        "SMTP_PASSWORD": env("SMTP_PASSWORD"),
        "SMTP_STARTTLS": (env("SMTP_STARTTLS") or "").lower() in ("1", "true", "yes", "on"),
        "SMTP_TIMEOUT": float(env("SMTP_TIMEOUT") or 10),
        "MAIL_FROM": env("MAIL_FROM") or "hiring@localhost",
        # Batch exports: where finished files are kept, and how many processes render them
        # (unset: instance/exports, one process per core).
        "EXPORT_DIR": env("EXPORT_DIR"),
        "EXPORT_WORKERS": int(env("EXPORT_WORKERS")) if env("EXPORT_WORKERS") else None,
        # Rendered scorecard PDFs kept in the database, at most this many megabytes (0: none).
        "SCORECARD_CACHE_MB": float(env("SCORECARD_CACHE_MB") or 256),
    }
