"""Settings from the environment, and nothing else."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY_MIN_BYTES = 32


class SettingsError(Exception):
    """A setting the app refuses to start with; the message says what to change."""


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


def check_settings(config: dict) -> None:
    """SettingsError for a setting the app must not run with (tests may use short keys)."""
    proxies = config.get("TRUSTED_PROXIES")
    if not isinstance(proxies, int) or isinstance(proxies, bool) or proxies < 0:
        raise SettingsError(
            f"TRUSTED_PROXIES is {proxies!r}: give the number of proxies in front of the app "
            "(0 when clients connect to it directly)."
        )
    if config.get("TESTING"):
        return
    key = config.get("SECRET_KEY") or ""
    size = len(key.encode() if isinstance(key, str) else key)
    if size < SECRET_KEY_MIN_BYTES:
        raise SettingsError(
            f"SECRET_KEY is {size} bytes long; it must be at least {SECRET_KEY_MIN_BYTES} "
            "(anyone who guesses it can sign cookies as any user). Make one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`, or unset SECRET_KEY "
            "and the app keeps a generated one in instance/secret_key."
        )


def _count(value: str | None) -> int | str:
    """A count from the environment; the text itself when it is not one (refused later)."""
    text = (value or "0").strip()
    return int(text) if text.isascii() and text.isdigit() else text


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
        # How many proxies stand in front of the app, each adding itself to
        # X-Forwarded-For: the client's address is read that many hops back (ProxyFix).
        "TRUSTED_PROXIES": _count(env("TRUSTED_PROXIES")),
        # Create or upgrade an embedded SQLite database on start; PostgreSQL is upgraded
        # by `flask db upgrade` as a deploy step.
        "AUTO_MIGRATE": database_url.startswith("sqlite"),
        # Security defaults (HARDENING.md §5).
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),  # idle: renewed by each request
        # However busy, a session ends this long after its sign-in (ASVS 7.3.2).
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=24),
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # A structured interview can outlast Flask-WTF's one-hour default.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "RATELIMIT_STORAGE_URI": env("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed sign-ins allowed per account, and per client address (an office behind
        # one address shares the second, so it is wider). Counted in Redis when REDIS_URL
        # is set, otherwise in the database: every process sees the same counts.
        "LOGIN_RATE_LIMIT": env("LOGIN_RATE_LIMIT") or "5 per minute",
        "API_RATE_LIMIT": env("API_RATE_LIMIT") or "120 per minute",  # per API token
        "LOGIN_ADDRESS_RATE_LIMIT": env("LOGIN_ADDRESS_RATE_LIMIT") or "20 per minute",
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
        # Candidates' data: kept this many days after their process ends, then erased by
        # `flask purge --apply` (the consent page says so); whom candidates write to.
        "RETENTION_DAYS": int(env("RETENTION_DAYS") or 180),
        "PRIVACY_CONTACT": env("PRIVACY_CONTACT"),
        "PASSWORD_RESET_HOURS": int(env("PASSWORD_RESET_HOURS") or 24),
        # Batch exports: where finished files are kept, and how many processes render them
        # (unset: instance/exports, one process per core).
        "EXPORT_DIR": env("EXPORT_DIR"),
        "EXPORT_WORKERS": int(env("EXPORT_WORKERS")) if env("EXPORT_WORKERS") else None,
        # A running export whose runner has not beaten for this long is marked failed.
        "EXPORT_HEARTBEAT_TIMEOUT": float(env("EXPORT_HEARTBEAT_TIMEOUT") or 45),
        # Webhooks to private or loopback addresses (off: no requests into our own network).
        "WEBHOOK_ALLOW_PRIVATE": (env("WEBHOOK_ALLOW_PRIVATE") or "").lower() in ("1", "true"),
        # Logs: "json" writes JSON lines with a request id (default: plain text).
        "LOG_FORMAT": (env("LOG_FORMAT") or "text").lower(),
        "LOG_LEVEL": (env("LOG_LEVEL") or "INFO").upper(),
        # Rendered scorecard PDFs kept in the database, at most this many megabytes (0: none).
        "SCORECARD_CACHE_MB": float(env("SCORECARD_CACHE_MB") or 256),
    }
