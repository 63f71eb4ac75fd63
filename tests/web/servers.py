"""Real servers for tests that need more than the test client: a throwaway redis-server,
and the app under gunicorn with several worker processes, both on 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.system import require

ROOT = Path(__file__).resolve().parent.parent.parent
# The app as gunicorn loads it in each worker: its own instance folder, CSRF off (these
# tests post without a page first), everything else as in production.
SERVE = """
import os
from assessment import create_app

app = create_app({"WTF_CSRF_ENABLED": False}, instance_path=os.environ["TEST_INSTANCE"])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not listening yet: refused, reset, or the client's own error
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not start within {seconds} s")


@contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server on a free port, saving nothing to disk; yields its URL."""
    require("redis-server")
    port = free_port()
    args = [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1"]
    server = subprocess.Popen(
        [*args, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from redis import Redis

        url = f"redis://127.0.0.1:{port}/0"
        _wait(lambda: Redis.from_url(url).ping(), 10, "redis-server")
        yield url
    finally:
        server.terminate()
        server.wait(10)


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/login")
        return connection.getresponse().status == 200
    finally:
        connection.close()


@contextmanager
def gunicorn(tmp_path: Path, env: dict[str, str], workers: int = 4) -> Iterator[int]:
    """The app served by `gunicorn -w workers` (sync workers, one process each) with
    these environment variables; yields its port."""
    (tmp_path / "serve.py").write_text(SERVE)
    (tmp_path / "instance").mkdir(exist_ok=True)
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
        "--pythonpath", f"{ROOT},{tmp_path}", "--log-level", "warning", "serve:app",
    ]  # fmt: skip
    environ = {**os.environ, "TEST_INSTANCE": str(tmp_path / "instance"), **env}
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(command, env=environ, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: _answers(port), 60, "gunicorn")
        yield port
    finally:
        server.terminate()
        server.wait(20)
        log.close()
