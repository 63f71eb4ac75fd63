"""Password hashing with argon2id; cost from the app config."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["ARGON2_TIME_COST"],
        memory_cost=current_app.config["ARGON2_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when it matches. An unknown user is checked against a dummy hash, same cost."""
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or _dummy_hash(hasher), password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = ("dummy_hash", hasher.time_cost, hasher.memory_cost)
    cache = current_app.extensions.setdefault("assessment_dummy_hash", {})
    if key not in cache:
        cache[key] = hasher.hash("not a password of anyone")
    return cache[key]
