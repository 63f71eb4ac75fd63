"""Two app hosts (gunicorn with our config, separate instance folders) on 127.0.0.1 ports,
one database, one Redis, and a worker: nothing lives in one host's memory or disk.

A session made on one works on the other, a login limit reached on one holds on the other,
an export started on one downloads from the other, and an export whose worker is killed is
failed within the heartbeat timeout, its render processes gone, its owner free to start
another. One host logs JSON lines with the request id.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import CSRF_RE, PASSWORD, ROOT
from tests.system import require
from tests.web.conftest import free_port

SECRET = "two-hosts-shared-secret-of-32-bytes-or-more"
HEARTBEAT_TIMEOUT = 4  # seconds (45 in production): the test waits for it


class Browser:
    """A cookie-keeping HTTP client for one host; `host` can be switched, cookies stay."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        connection.close()
        return response.status, dict(response.getheaders()), data

    def token(self, path: str) -> str:
        _, _, page = self.request("GET", path)
        match = CSRF_RE.search(page.decode())
        assert match, page[:500]
        return match.group(1) or match.group(2)

    def json(self, path: str) -> dict:
        status, _, data = self.request("GET", path, headers={"X-Requested-With": "fetch"})
        assert status == 200, (status, data[:300])
        return json.loads(data)


def _environment(database_url: str, redis_url: str, instance: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "TEST_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=SECRET,
        INSTANCE_PATH=str(instance),
        EXPORT_HEARTBEAT_TIMEOUT=str(HEARTBEAT_TIMEOUT),
        **extra,
    )
    return env


def start_host(database_url, redis_url, folder: Path, **extra) -> tuple[subprocess.Popen, int]:
    port = free_port()
    folder.mkdir(parents=True)
    env = _environment(database_url, redis_url, folder / "instance", **extra)
    env.update(BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2")
    log = open(folder / "stderr.log", "wb")  # noqa: SIM115 - kept open for the process
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "assessment/gunicorn_conf.py", "app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return process, port


def start_worker(database_url, redis_url, folder: Path) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    env = _environment(database_url, redis_url, folder / "instance", EXPORT_WORKERS="2")
    log = open(folder / "stderr.log", "wb")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--queue", "exports"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_healthy(port: int, process: subprocess.Popen, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the host exited"
        try:
            status, _, body = Browser(port).request("GET", "/healthz")
            if status == 200:
                return json.loads(body)
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("host not healthy")


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def shared_redis():
    require("redis-server")
    port = free_port()
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def _hosts(_app, database_url, shared_redis, tmp_path_factory):
    """Host A (plain logs) and host B (JSON logs), started once for the module."""
    folder = tmp_path_factory.mktemp("hosts")
    started = [
        start_host(database_url, shared_redis, folder / "a"),
        start_host(database_url, shared_redis, folder / "b", LOG_FORMAT="json"),
    ]
    try:
        for process, port in started:
            assert wait_healthy(port, process) == {
                "status": "ok", "database": "ok", "redis": "ok"
            }  # fmt: skip
        yield [port for _, port in started], folder
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait(30)


@pytest.fixture
def hosts(app, users, _hosts, shared_redis):
    """The hosts, with empty tables (the app fixture) and an empty Redis: no login counts,
    queued jobs or sessions of an earlier test."""
    from redis import Redis

    Redis.from_url(shared_redis).flushdb()
    return _hosts


@pytest.fixture
def redis_url(shared_redis):
    return shared_redis


def sign_in(browser: Browser, email: str, password: str):
    token = browser.token("/login")
    form = {"email": email, "password": password, "csrf_token": token}
    return browser.request("POST", "/login", form)[0]


def test_sessions_login_limits_and_logs_hold_across_hosts(hosts, users):
    (port_a, port_b), folder = hosts
    hr = Browser(port_a)
    assert sign_in(hr, users["hr"].email, PASSWORD) == 302
    hr.port = port_b  # the same cookie, the other host
    status, headers, _ = hr.request("GET", "/", headers={"X-Request-ID": "trace-me-42"})
    assert status == 200 and headers["X-Request-ID"] == "trace-me-42"

    attacker = Browser(port_a)
    statuses = []
    for attempt in range(6):  # alternate hosts: the count lives in Redis
        attacker.port = (port_a, port_b)[attempt % 2]
        statuses.append(sign_in(attacker, users["manager"].email, "wrong password"))
    assert statuses[:5] == [422] * 5 and statuses[5] == 429
    attacker.port = port_a
    assert sign_in(attacker, users["manager"].email, PASSWORD) == 429  # still limited on A

    lines = (folder / "b" / "stderr.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert records and len(records) == len([line for line in lines if line.strip()])
    access = [r for r in records if r.get("logger") == "gunicorn.access"]
    assert any(r["request_id"] == "trace-me-42" and r["path"] == "/" for r in access)


def _start_export(browser: Browser, position_id: int, kind: str) -> str:
    token = browser.token(f"/positions/{position_id}")
    form = {"csrf_token": token, "kind": kind, "paper": "A4", "confirm_all": "y"}
    status, headers, _ = browser.request("POST", f"/positions/{position_id}/exports", form)
    assert status == 303
    return urllib.parse.urlsplit(headers["Location"]).path


def test_an_export_started_on_one_host_downloads_from_the_other(
    hosts, users, make_position, make_candidate, database_url, redis_url
):
    (port_a, port_b), folder = hosts
    position = make_position(title="Shared export")
    for n in range(3):
        make_candidate(position, name=f"Shared Person {n}")
    hr = Browser(port_a)
    assert sign_in(hr, users["hr"].email, PASSWORD) == 302
    url = _start_export(hr, position.id, "csv")
    worker = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst", "--queue", "exports"],
        cwd=ROOT, env=_environment(database_url, redis_url, folder / "w" / "instance"),
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert worker.returncode == 0, worker.stderr[-2000:]
    hr.port = port_b
    state = hr.json(url)
    assert state["status"] == "done" and state["download"]
    status, headers, data = hr.request("GET", state["download"])
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert data.decode("utf-8-sig").count("Shared Person") == 3


def test_an_export_whose_worker_is_killed_fails_within_the_heartbeat_timeout(
    hosts, users, make_position, make_candidate, database_url, redis_url
):
    (port_a, port_b), folder = hosts
    position = make_position(title="Big export")
    for n in range(80):
        make_candidate(position, name=f"Person {n:03d}")
    worker = start_worker(database_url, redis_url, folder / "killed")
    try:
        deadline = time.monotonic() + 60
        while len([c for c in children_of(worker.pid) if alive(c)]) < 2:  # warm render pool
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.2)
        hr = Browser(port_a)
        assert sign_in(hr, users["hr"].email, PASSWORD) == 302
        url = _start_export(hr, position.id, "pdf")
        while hr.json(url)["status"] == "queued":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        renderers = [p for p in children_of(worker.pid) if b"multiprocessing" in cmdline(p)]
        assert len(renderers) >= 2  # the warm render processes (and their resource tracker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        killed = time.monotonic()
    finally:
        if worker.poll() is None:
            worker.kill()
    hr.port = port_b
    while True:
        state = hr.json(url)
        if state["status"] != "running":
            break
        assert time.monotonic() - killed < HEARTBEAT_TIMEOUT + 10, state
        time.sleep(0.2)
    assert state["status"] == "failed" and "process running it ended" in state["error"]
    while any(alive(pid) for pid in renderers):  # they exit with their parent
        assert time.monotonic() - killed < 45, [p for p in renderers if alive(p)]
        time.sleep(0.2)
    again = _start_export(hr, position.id, "csv")  # the owner may start another at once
    assert again != url
