"""Load and a fault: gunicorn on 127.0.0.1, 50 simulated users, one worker killed mid-load.

Run: .venv/bin/python bench/load.py [--seconds 60] [--users 50] [--workers 2 4]
                                   [--database-url postgresql://…/EMPTY_DB] [--no-sqlite]

For each database (a fresh SQLite file, and the PostgreSQL database named, whose public
schema is dropped and rebuilt: give it a throwaway one) and each worker count, it starts
`gunicorn -c assessment/gunicorn_conf.py app:app` on a free 127.0.0.1 port and:

1. saturates a bare view (/livez) with every user for --phase seconds, then autosaves
   alone the same way: their throughputs give save_vs_bare;
2. drives the mixed load for --seconds: interviewers autosaving ratings and notes (as the
   interview page's script posts them), candidates answering their self-assessment (as
   its script does), HR paging the comparison list; at half time it kills one gunicorn
   worker with SIGKILL and goes on (a request cut by the kill is sent again, as the
   pages' scripts do; counted as retried);
3. checks the database: every acknowledged save is there exactly once (lost: the stored
   row is older than the last acknowledged save, or missing; duplicated: more than one
   row or one save's note twice in a row).

It prints throughput and p50/p95/p99 per kind of request, and per database the last line
`errors=N lost=N duplicated=N save_p95_ms=X save_vs_bare=R` (worst of the worker counts).
Traffic goes to 127.0.0.1 only; every loop stops at its deadline.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-2026"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KINDS = ("autosave", "answer", "list", "bare")
SEQUENCE = itertools.count(1)  # every save's number, unique over the whole bench


# --- the database ------------------------------------------------------------------------


def prepare(url: str, folder: Path, interviewers: int, candidates: int, listed: int) -> dict:
    """A migrated database with the people the simulated users act as; returns who is who."""
    from assessment import create_app
    from assessment.database import MIGRATIONS_DIR

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "AUTO_MIGRATE": url.startswith("sqlite"),
         "SECRET_KEY": "bench-" + "k" * 32, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024},
        instance_path=str(folder / "seed"),
    )  # fmt: skip
    with app.app_context():
        if not url.startswith("sqlite"):
            from flask_migrate import upgrade
            from sqlalchemy import text

            from assessment.extensions import db

            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
            upgrade(directory=MIGRATIONS_DIR)
        return _seed(interviewers, candidates, listed)


def _seed(interviewers: int, candidates: int, listed: int) -> dict:
    from assessment.auth.services import create_user
    from assessment.comparison.refresh import fill_missing
    from assessment.database import write_transaction
    from assessment.models import Candidate, Interview, Position
    from assessment.question_bank import current_bank
    from assessment.selfassess.answers import record_consent
    from assessment.selfassess.invites import create_invite

    create_user("admin@bench.example", "Admin", "admin", PASSWORD)
    create_user("hr@bench.example", "Hana HR", "hr", PASSWORD)
    managers = [
        create_user(f"m{n}@bench.example", f"Manager {n}", "manager", PASSWORD)
        for n in range(interviewers)
    ]
    bank = current_bank()
    kit = bank.kits["support-lead"]
    with write_transaction() as session:
        position = Position(
            title=kit.title, kit_id=kit.id, bank_version=bank.version,
            weights=dict(kit.weights), method_weights=dict(kit.method_weights),
            questions=[bank.questions[q].snapshot() for q in kit.questions], blind=False,
        )  # fmt: skip
        session.add(position)
        session.flush()
        people = [
            Candidate(position_id=position.id, name=f"Person {n}", email=f"p{n}@bench.example")
            for n in range(listed)
        ]
        session.add_all(people)
        session.flush()
        interviews = [
            Interview(candidate_id=people[n].id, interviewer_id=m.id, bank_version=bank.version,
                      items=list(position.questions))
            for n, m in enumerate(managers)
        ]  # fmt: skip
        session.add_all(interviews)
    fill_missing(position.id)
    links = []
    for person in people[:candidates]:
        assessment, token = create_invite(person.id, None, 30)
        record_consent(assessment.id)
        links.append((assessment.id, token, assessment.items))
    return {
        "position": position.id,
        "interviews": [(i.id, m.email, [q["id"] for q in i.items]) for i, m in
                       zip(interviews, managers, strict=True)],
        "links": links,
    }  # fmt: skip


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, workers: int, folder: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers),
        SECRET_KEY="bench-secret-" + "k" * 32, INSTANCE_PATH=str(folder / f"instance-{workers}"),
        LOGIN_RATE_LIMIT="100000 per minute", ACCESS_LOG=str(folder / "access.log"),
        TRUSTED_PROXIES="1",  # as behind one proxy: each simulated user has an address
    )  # fmt: skip
    log = open(folder / f"gunicorn-{workers}.log", "wb")  # noqa: SIM115 - the server's
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "assessment/gunicorn_conf.py", "app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log.name}")
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not become healthy in 120 s")


def gunicorn_workers(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


# --- the simulated users ---------------------------------------------------------------------


class Client:
    """One user's keep-alive connection with its cookies; a cut connection is reopened.
    Each user comes from an address of their own, as the proxy in front says
    (X-Forwarded-For, TRUSTED_PROXIES=1): per-address limits apply to each, not to all."""

    count = 0

    def __init__(self, port: int):
        self.port, self.cookies, self.connection = port, {}, None
        Client.count += 1
        self.address = f"10.{Client.count // 250}.{Client.count % 250}.1"

    def request(self, method: str, path: str, body=None, headers=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {**(headers or {}), "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        return response.status, data

    def sign_in(self, email: str) -> str:
        token = CSRF.search(self.request("GET", "/login")[1].decode()).group(1)
        form = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token})
        status, _ = self.request(
            "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302, f"sign-in of {email}: {status}"
        return json.loads(self.request("GET", "/interviews/token")[1])["csrf_token"]


@dataclass
class Run:
    """What one phase measured: latencies per kind, errors, retries, and every save."""

    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: dict = field(default_factory=lambda: defaultdict(int))
    retried: int = 0
    # (kind, key) -> [(sequence, acknowledged)] in the order sent
    saves: dict = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, client: Client, kind: str, method: str, path: str, body=None, headers=None):
        """One request, sent again (up to 3 times) when the connection is cut."""
        for attempt in range(4):
            start = time.perf_counter()
            try:
                status, data = client.request(method, path, body, headers)
            except (OSError, http.client.HTTPException):
                if attempt == 3:
                    with self.lock:
                        self.errors[kind] += 1
                    return False
                with self.lock:
                    self.retried += 1
                time.sleep(0.05)
                continue
            elapsed = (time.perf_counter() - start) * 1000
            with self.lock:
                self.latencies[kind].append(elapsed)
                if status != 200:
                    self.errors[kind] += 1
            return status == 200
        return False


def interviewer(run: Run, seat: tuple, until: float, think: float) -> None:
    interview_id, client, token, questions = seat
    headers = {"X-CSRFToken": token, "X-Requested-With": "fetch",
               "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    while time.monotonic() < until:
        n = next(SEQUENCE)
        question = questions[n % len(questions)]
        body = urllib.parse.urlencode(
            {"value": str(1 + n % 5), "notes": f"save {interview_id}-{n}: heard it"}
        )  # fmt: skip
        path = f"/interviews/{interview_id}/ratings/{question}"
        ok = run.call(client, "autosave", "POST", path, body, headers)
        run.saves[("rating", interview_id, question)].append((n, ok))
        time.sleep(think)


def candidate(run: Run, port: int, seat: tuple, until: float, think: float) -> None:
    assessment_id, token, items = seat
    client = Client(port)
    headers = {"Content-Type": "application/json", "X-Requested-With": "fetch"}
    n = 0
    while time.monotonic() < until:
        n += 1
        number = 1 + n % len(items)
        item = items[number - 1]
        if item.get("responses"):
            ids = [r["id"] for r in item["responses"]]
            entry = {"most": ids[n % len(ids)], "least": ids[(n + 1) % len(ids)]}
        else:
            entry = {"value": str(1 + n % 5)}
        body = json.dumps({**entry, "ms_first": 900, "ms_total": 2000})
        ok = run.call(client, "answer", "POST", f"/a/{token}/item/{number}", body, headers)
        run.saves[("answer", assessment_id, item["id"])].append((entry, ok))
        time.sleep(think)


def hr_person(run: Run, client: Client, position: int, pages: int, until: float, think: float):
    n = 0
    while time.monotonic() < until:
        n += 1
        run.call(client, "list", "GET", f"/positions/{position}?page={1 + n % pages}")
        time.sleep(think)


def saturate(port: int, users: int, seconds: float, kind: str, seats: list) -> float:
    """Requests per second of one kind with every user at once (no think time)."""
    run = Run()
    until = time.monotonic() + seconds
    if kind == "bare":

        def work(_seat):
            client = Client(port)
            while time.monotonic() < until:
                run.call(client, "bare", "GET", "/livez")
    else:

        def work(seat):
            interviewer(run, seat, until, 0)

    threads = [threading.Thread(target=work, args=(seats[n % len(seats)],)) for n in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(run.latencies[kind]) / (time.monotonic() - started)


def mixed(port: int, server: subprocess.Popen, seats: dict, signed: dict, args):
    run = Run()
    until = time.monotonic() + args.seconds
    think = args.think_ms / 1000
    writers, answerers = int(args.users * 0.6), int(args.users * 0.3)
    threads = [
        threading.Thread(target=interviewer, args=(run, seat, until, think))
        for seat in signed["interviewers"][:writers]
    ]
    threads += [
        threading.Thread(target=candidate, args=(run, port, seats["links"][n], until, think))
        for n in range(answerers)
    ]
    threads += [threading.Thread(target=hr_person, args=(run, client, seats["position"],
                                                         seats["pages"], until, think))
                for client in signed["hr"][: args.users - writers - answerers]]  # fmt: skip
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.seconds / 2)
    victims = gunicorn_workers(server.pid)
    if victims:
        os.kill(victims[0], signal.SIGKILL)
        print(f"  killed gunicorn worker {victims[0]} with SIGKILL at {args.seconds / 2:.0f} s")
    for thread in threads:
        thread.join()
    return run, time.monotonic() - started


# --- the check -------------------------------------------------------------------------------


def check(url: str, folder: Path, run: Run) -> tuple[int, int]:
    """(lost, duplicated) against the database."""
    from sqlalchemy import create_engine, text

    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url)
    with engine.connect() as conn:
        ratings = defaultdict(list)
        for interview_id, question, notes in conn.execute(
            text("SELECT interview_id, question_id, notes FROM rating")
        ):
            ratings[(interview_id, question)].append(notes)
        answers = defaultdict(list)
        for assessment_id, item, most, least, value in conn.execute(
            text("SELECT assessment_id, item_id, most, least, value FROM answer")
        ):
            answers[(assessment_id, item)].append((most, least, value))
    engine.dispose()
    lost = duplicated = 0
    for (kind, owner, item), sent in run.saves.items():
        rows = (ratings if kind == "rating" else answers).get((owner, item), [])
        duplicated += max(0, len(rows) - 1)
        acked = [i for i, (_, ok) in enumerate(sent) if ok]
        if not acked:
            continue
        if not rows:
            lost += 1
            continue
        allowed = [what for what, _ in sent[acked[-1] :]]  # the last ack, or a later send
        if kind == "rating":
            duplicated += rows[0].count("save ") > 1
            stored = int(rows[0].split("-")[1].split(":")[0])
            lost += stored not in allowed
        else:
            lost += not any(_same_answer(rows[0], a) for a in allowed)
    return lost, duplicated


def _same_answer(row: tuple, entry: dict) -> bool:
    most, least, value = row
    if "value" in entry:
        return value == int(entry["value"])
    return (most, least) == (entry["most"], entry["least"])


# --- report ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def sign_everyone_in(port: int, seats: dict, users: int) -> dict:
    """Sessions made before the clock starts (a sign-in hashes a password: not the load)."""
    interviewers = []
    for interview_id, email, questions in seats["interviews"]:
        client = Client(port)
        interviewers.append((interview_id, client, client.sign_in(email), questions))
    hr = []
    for _ in range(max(1, users // 10)):
        client = Client(port)
        client.sign_in("hr@bench.example")
        hr.append(client)
    return {"interviewers": interviewers, "hr": hr}


def one_server(url: str, workers: int, folder: Path, seats: dict, args) -> dict:
    server, port = start_server(url, workers, folder)
    try:
        signed = sign_everyone_in(port, seats, args.users)
        bare = saturate(port, args.users, args.phase, "bare", signed["interviewers"])
        save = saturate(port, args.users, args.phase, "autosave", signed["interviewers"])
        run, elapsed = mixed(port, server, seats, signed, args)
    finally:
        server.terminate()
        server.wait(60)
    lost, duplicated = check(url, folder, run)
    errors = sum(run.errors.values())
    print(f"  bare view: {bare:.0f} req/s; autosave alone: {save:.0f} req/s "
          f"(save_vs_bare {save / bare:.2f}), {args.users} users each")  # fmt: skip
    total = sum(len(v) for v in run.latencies.values())
    print(f"  mixed load: {total / elapsed:.0f} req/s over {elapsed:.0f} s, "
          f"{run.retried} retried after the kill")  # fmt: skip
    for kind in KINDS[:3]:
        values = run.latencies[kind]
        print(f"    {kind:<9} {len(values) / elapsed:6.0f} req/s  p50 {percentile(values, .5):6.1f}"
              f"  p95 {percentile(values, .95):6.1f}  p99 {percentile(values, .99):6.1f} ms"
              f"  errors {run.errors[kind]}")  # fmt: skip
    p95 = percentile(run.latencies["autosave"], 0.95)
    return {"errors": errors, "lost": lost, "duplicated": duplicated, "p95": p95,
            "ratio": save / bare}  # fmt: skip


def one_database(name: str, url: str, args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = url or f"sqlite:///{folder / 'load.db'}"
        # An interviewer seat per user (the autosave-alone phase uses them all).
        seats = prepare(url, folder, args.users, int(args.users * 0.3) + 1, args.listed)
        seats["pages"] = max(1, args.listed // 25)
        results = []
        for workers in args.workers:
            print(f"{name}, gunicorn with {workers} workers:")
            results.append(one_server(url, workers, folder, seats, args))
        print(
            f"{name}: errors={sum(r['errors'] for r in results)} "
            f"lost={sum(r['lost'] for r in results)} "
            f"duplicated={sum(r['duplicated'] for r in results)} "
            f"save_p95_ms={max(r['p95'] for r in results):.0f} "
            f"save_vs_bare={min(r['ratio'] for r in results):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="the mixed load (60)")
    parser.add_argument("--phase", type=float, default=10, help="bare and autosave alone (10)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--think-ms", type=float, default=0, help="pause between requests")
    parser.add_argument("--listed", type=int, default=200, help="candidates in HR's list")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (wiped)")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.no_sqlite:
        one_database("sqlite", None, args)
    if args.database_url:
        one_database("postgresql", args.database_url, args)


if __name__ == "__main__":
    main()
