"""Fixtures of the web tests that start a server of their own: a throwaway Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from tests.system import require


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    """A throwaway redis-server on a free port, with nothing saved to disk."""
    require("redis-server")
    binary = shutil.which("redis-server")
    from redis import Redis

    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                if Redis.from_url(url).ping():
                    break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(10)
