"""Failed sign-ins, counted where every process sees them: per account and per address.

Each attempt is counted before the password is checked, by one atomic step (Redis INCR, or
an INSERT … ON CONFLICT DO UPDATE … RETURNING in the database), so however many processes
answer at once, no more than the limit of guesses reach the password check in a window. A
successful sign-in gives its count back: only failures add up. A window starts at the
first attempt and lasts the limit's period ("5 per minute": 60 s), after which the count
starts again.

The account is limited tightly (LOGIN_RATE_LIMIT); the client address more loosely
(LOGIN_ADDRESS_RATE_LIMIT), as an office behind one address shares it. Behind proxies the
address is the client's, as ProxyFix read it (TRUSTED_PROXIES).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from limits import parse
from sqlalchemy import case
from sqlalchemy.dialects import postgresql, sqlite

from ..database import write_transaction
from ..extensions import db
from ..models import User, utcnow
from .security_model import LoginCounter
from .services import authenticate, normalise_email

REDIS_PREFIX = "assessment:login:"
# Give back one attempt, but never below zero nor for a window that has ended.
_GIVE_BACK = """
local n = tonumber(redis.call('get', KEYS[1]) or '0')
if n > 0 then return redis.call('decr', KEYS[1]) end
return 0
"""


class TooManyAttempts(Exception):
    """Past a limit: no password is checked until `retry_after` seconds have passed."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many attempts: wait {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    amount: int
    seconds: int


def limit_of(setting: str) -> Limit:
    """ "5 per minute" (Flask-Limiter's notation) as a Limit."""
    item = parse(current_app.config[setting])
    return Limit(item.amount, item.get_expiry())


def counter_key(kind: str, value: str) -> str:
    """A key naming an account or an address by a hash: what was typed is never stored."""
    return f"{kind}:{hashlib.sha256(f'{kind}:{value}'.encode()).hexdigest()}"


class DatabaseCounters:
    """Counters in the login_counter table: shared by every process on the database."""

    def hit(self, key: str, seconds: int) -> tuple[int, int]:
        """(attempts in the window, seconds until it ends), this one included."""
        now = utcnow()
        table = LoginCounter.__table__
        dialect = db.session.get_bind().dialect.name
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
        lapsed = table.c.window_ends <= now
        statement = (
            insert.values(key=key, count=1, window_ends=now + timedelta(seconds=seconds))
            .on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "count": case((lapsed, 1), else_=table.c.count + 1),
                    "window_ends": case(
                        (lapsed, insert.excluded.window_ends), else_=table.c.window_ends
                    ),
                },
            )
            .returning(table.c.count, table.c.window_ends)
        )
        with write_transaction() as session:
            count, ends = session.execute(statement).one()
            if count == 1:  # a new window: a moment to clear away the ended ones
                session.execute(table.delete().where(table.c.window_ends < now))
        return count, max(1, math.ceil((ends - now).total_seconds()))

    def give_back(self, key: str) -> None:
        table = LoginCounter.__table__
        with write_transaction() as session:
            session.execute(
                table.update()
                .where(table.c.key == key, table.c.count > 0, table.c.window_ends > utcnow())
                .values(count=table.c.count - 1)
            )


class RedisCounters:
    """Counters in Redis (REDIS_URL): shared by every process and host that uses it."""

    def __init__(self, url: str):
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def hit(self, key: str, seconds: int) -> tuple[int, int]:
        pipe = self.redis.pipeline()  # MULTI … EXEC: the three steps as one
        pipe.set(REDIS_PREFIX + key, 0, ex=seconds, nx=True)
        pipe.incr(REDIS_PREFIX + key)
        pipe.ttl(REDIS_PREFIX + key)
        _, count, ttl = pipe.execute()
        return count, max(1, ttl)

    def give_back(self, key: str) -> None:
        self.redis.eval(_GIVE_BACK, 1, REDIS_PREFIX + key)


Counters = DatabaseCounters | RedisCounters


def _counters() -> Counters:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return DatabaseCounters()
    cached = current_app.extensions.setdefault("assessment_login_counters", {})
    if url not in cached:
        cached[url] = RedisCounters(url)
    return cached[url]


def _hit_or_fall_back(key: str, seconds: int) -> tuple[tuple[int, int], Counters]:
    """Count in Redis when it is set; if Redis does not answer, in the database (still
    shared by every process), and say so in the log."""
    counters = _counters()
    if isinstance(counters, RedisCounters):
        from redis import RedisError

        try:
            return counters.hit(key, seconds), counters
        except RedisError as error:
            current_app.logger.warning(
                "sign-in counters: Redis failed (%s), using the database", error
            )
            counters = DatabaseCounters()
    return counters.hit(key, seconds), counters


def take_attempt(email: str, address: str | None) -> list[tuple[str, Counters]]:
    """Count one sign-in attempt against the account and the address; TooManyAttempts when
    either is past its limit. Returns what to give back when the attempt succeeds."""
    taken, waits = [], []
    for kind, value, setting in (
        ("account", normalise_email(email), "LOGIN_RATE_LIMIT"),
        ("address", address or "unknown", "LOGIN_ADDRESS_RATE_LIMIT"),
    ):
        limit = limit_of(setting)
        key = counter_key(kind, value)
        (count, seconds_left), counters = _hit_or_fall_back(key, limit.seconds)
        taken.append((key, counters))
        if count > limit.amount:
            waits.append(seconds_left)
    if waits:
        current_app.logger.warning(
            "sign-in refused: too many attempts for %r from %s", email[:254], address
        )
        raise TooManyAttempts(max(waits))
    return taken


def sign_in(email: str, password: str, address: str | None) -> User | None:
    """The user with these credentials, or None; TooManyAttempts (no password checked)
    when the account or the address has used up its attempts."""
    taken = take_attempt(email, address)
    user = authenticate(email, password)
    if user is not None:  # only failures count
        for key, counters in taken:
            counters.give_back(key)
    return user
