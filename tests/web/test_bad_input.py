"""Bad input on every route and every field gets a 4xx, never a 500, and changes nothing
(finding 5; HARDENING §6).

The routes come from `app.url_map` and the fields from the forms the pages offer (read
from their HTML, as a browser reads them) or, for a route only a script posts to, the
names the code reads from a request: a new route or field is covered without a word.
Nobody signed in, an admin, HR and a manager each send:

- ids past what an id column holds (2^31, 2^63, 2^64) in every `<int:...>` of every route,
  and a NUL character in every other part of a path: refused, nothing written;
- odd query arguments to every page (a page number past 2^31, `c=²`, CR/LF in `next`…):
  no 500; a NUL in a query argument: refused, nothing written;
- to every route that takes a post, in every field of its form: a NUL character (refused,
  nothing written), and "9223372036854775808", "-1e23", "²" and a CR/LF (no 500; in a
  field with a fixed set of values, a select, radio buttons or a number, refused and
  nothing written). A role the route refuses anyway gets each value in all fields at once;
- JSON: to a view that takes it, the same in every field, with numbers as numbers; to any
  route, a body nested 100,000 deep and NaN: refused, nothing written;
- a Host outside TRUSTED_HOSTS, to every route: 400, nothing written.

"Nothing written": no INSERT, UPDATE or DELETE committed, except to the sign-in counters
(a refused login is counted). Each test prints how many cases it sent (`pytest -s`).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from assessment.api.tokens import create_token
from assessment.auth.services import create_user
from assessment.database import write_transaction
from assessment.extensions import db
from assessment.fairness.keying import invite_experts
from assessment.fairness.models import KeyingTask
from assessment.models import Interview
from assessment.policy import PUBLIC, allowed_roles
from assessment.positions.panels import assign_panel
from assessment.selfassess.answers import record_consent
from assessment.selfassess.invites import create_invite
from assessment.webhooks.models import Webhook, WebhookDelivery
from tests.conftest import CSRF_RE, PASSWORD, FreshContextClient, post_form
from tests.web.helpers import rate_every_question
from tests.web.page_forms import forms_in

ROLES = ("anonymous", "admin", "hr", "manager", "expert")
HUGE_IDS = (2**31, 2**63, 2**64)
NUL = "bad\x00value"
# 2^63 is past both databases' integers (PostgreSQL's integer ends at 2^31, bigint and
# SQLite at 2^63); "²" is a digit to str.isdigit() but no number to int().
ODD = (
    "9223372036854775808",
    "-1e23",
    "-9223372036854775809",
    "²",
    "line\r\nSet-Cookie: x=y",
)
JSON_ODD = (2**64, -1e23, "²")
DEEP = "[" * 100_000 + "]" * 100_000
STRICT_KINDS = frozenset({"select", "radio", "number"})  # a fixed set of values
FREE_TEXT = frozenset({"text", "textarea", "email", "password", "search"})
JUNK_QUERY = (
    "?page=2147483648&c=%C2%B2&c=2&position=9223372036854775808&item=-1e23"
    "&sort=name%20desc&dir=up&decision=maybe&next=%0d%0aX:%20y&paper=Z&version=%C2%B2"
)
INT_ARGUMENT = re.compile(r"<int:(\w+)>")
SOURCE = Path(__file__).resolve().parent.parent.parent / "assessment"
READ = re.compile(
    r'(?:(?:request\.(?:form|args|values)|data)\.get(?:list)?\(|_text\(data,\s*)"([a-z_]+)"'
)
WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE)\b", re.I)
# Bookkeeping that is no answer to the input: sign-in counters, and an export whose runner
# stopped beating being marked failed by whichever request looks first (scorecard/jobs.py).
IGNORED_WRITES = re.compile(
    r"\b(?:INTO|UPDATE|FROM)\s+\"?login_counter\b|^UPDATE export_job SET status=\S+, error=", re.I
)


class Writes:
    """Write statements committed through the engine by the requests the test sends
    (rolled-back ones do not count, nor a background export's own progress, which runs in
    a thread of its own)."""

    def __init__(self, engine):
        self.thread = threading.get_ident()
        self.pending: list[str] = []
        self.committed: list[str] = []
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)
        self.engine = engine

    def _statement(self, _conn, _cursor, statement, *_args):
        if threading.get_ident() != self.thread:
            return
        if WRITE.match(statement) and not IGNORED_WRITES.search(statement):
            self.pending.append(statement)

    def _commit(self, _conn):
        if threading.get_ident() != self.thread:
            return
        self.committed.extend(self.pending)
        self.pending.clear()

    def _rollback(self, _conn):
        if threading.get_ident() == self.thread:
            self.pending.clear()

    def take(self) -> list[str]:
        taken, self.committed = self.committed, []
        return taken

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)
        event.remove(self.engine, "rollback", self._rollback)


@pytest.fixture
def world(users, make_position, make_candidate, make_interview, make_user, bank):
    """Something behind every URL: a position with two candidates, the manager's interview
    of the first in progress (with an invite the candidate has begun) and of the second
    submitted, so that every form appears on some page for some role."""
    manager = users["manager"]
    position = make_position()
    first, second = make_candidate(position), make_candidate(position)
    open_one = make_interview(first, manager)
    done = make_interview(second, manager)
    rate_every_question(done, 3)
    assign_panel(first.id, {manager.id: None}, users["hr"])
    assessment, token = create_invite(first.id, users["hr"])
    record_consent(assessment.id)
    with write_transaction() as session:
        session.get(Interview, open_one.id).status = "in_progress"
    api_token, _ = create_token("probe", "write", users["admin"])
    with write_transaction() as session:  # a hook on loopback, made as an admin with leave
        hook = Webhook(url="http://127.0.0.1:9/hook", events=["decision.recorded"], secret="s")
        session.add(hook)
        session.flush()
        delivery = WebhookDelivery(
            webhook_id=hook.id, event="decision.recorded", candidate_id=first.id, body="{}"
        )
        session.add(delivery)
        session.flush()
        hook_id, delivery_id = hook.id, delivery.id
    scenario = next(iter(bank.scenarios))  # an expert asked to key it (fairness/keying.py)
    expert = make_user("expert")
    invite_experts(bank, [scenario], [expert.id], users["admin"])
    return {
        "expert": expert,
        "item_id": scenario,
        "task_id": db.session.scalar(db.select(KeyingTask.id)),
        "token_id": api_token.id,
        "hook_id": hook_id,
        "delivery_id": delivery_id,
        "token": token,
        "item": 1,
        "position_id": position.id,
        "candidate_id": first.id,
        "interview_id": open_one.id,
        "question_id": open_one.items[0]["id"],
        "other_id": second.id,
        "user_id": create_user("probed@example.com", "Probed", "manager", PASSWORD).id,
    }


class Prober:
    """Sends cases as each role, checks each, and counts them."""

    def __init__(self, app, users, world):
        self.app, self.users, self.world = app, users, world
        app.test_client_class = FreshContextClient
        self.clients = {role: app.test_client() for role in ROLES}
        self.tokens = {role: self.sign_in(role) for role in ROLES}
        self.writes = Writes(db.engine)
        self.sent: Counter = Counter()
        self.failures: list[str] = []
        self.rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, sorted(r.methods)))

    def sign_in(self, role: str) -> str:
        """Sign in (unless anonymous) and return the session's CSRF token."""
        client = self.clients[role]
        if role != "anonymous":
            post_form(client, "/login", {"email": self.users[role].email, "password": PASSWORD})
        home = {"anonymous": "/login", "expert": "/keying"}.get(role, "/interviews")
        page = client.get(home)
        match = CSRF_RE.search(page.get_data(as_text=True))
        return match.group(1) or match.group(2)

    def url(self, rule, **swap) -> str:
        values = {name: swap.get(name, self.world.get(name)) for name in rule.arguments}
        if rule.endpoint == "static":
            values["filename"] = swap.get("filename", "css/app.css")
        return rule.build(values)[1]

    def admitted(self, rule, role: str) -> bool:
        roles = allowed_roles(self.app, rule.endpoint) or frozenset()
        return PUBLIC in roles or role in roles

    def send(self, kind, role, method, url, refuse=False, **kwargs):
        """One case: never a 500; with `refuse`, a 4xx and nothing written."""
        self.sent[kind] += 1
        self.writes.take()
        response = self.clients[role].open(url, method=method, **kwargs)
        status, written = response.status_code, self.writes.take()
        where = f"{kind}: {role} {method} {url[:80]!r} {str(kwargs)[:200]} → {status}"
        if status >= 500:
            self.failures.append(f"{where} (a server error)")
        elif refuse and not 400 <= status < 500:
            self.failures.append(f"{where} (not refused)")
        elif refuse and written:
            self.failures.append(f"{where} wrote {written[0][:80]!r}")
        if url == "/logout" and status == 302:  # signed out by the case: sign in again
            self.tokens[role] = self.sign_in(role)
        return response

    def report(self, capsys, what: str) -> None:
        self.writes.close()
        with capsys.disabled():
            print(f"\n{what}: {sum(self.sent.values())} route × role × input cases")
            for kind, count in sorted(self.sent.items()):
                print(f"  {count:6d}  {kind}")
        assert not self.failures, f"{len(self.failures)} failed:\n" + "\n".join(self.failures)


@pytest.fixture
def prober(app, users, world):
    return Prober(app, {**users, "expert": world["expert"]}, world)


def test_path_arguments_past_what_an_id_holds_or_with_nul(prober, capsys):
    for rule in prober.rules:
        ints = INT_ARGUMENT.findall(rule.rule)
        texts = [a for a in rule.arguments if a not in ints]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                for name in ints:
                    for huge in HUGE_IDS:
                        url = prober.url(rule, **{name: huge})
                        prober.send("huge id in the path", role, method, url, refuse=True)
                for name in texts:
                    url = prober.url(rule, **{name: NUL})
                    prober.send("NUL in the path", role, method, url, refuse=True)
    prober.report(capsys, "path arguments")


def test_odd_query_arguments_on_every_page(prober, capsys):
    for rule in prober.rules:
        if "GET" not in rule.methods:
            continue
        url = prober.url(rule)
        for role in ROLES:
            prober.send("odd query arguments", role, "GET", url + JUNK_QUERY)
            prober.send("NUL in a query argument", role, "GET", url + "?q=a%00b", refuse=True)
    prober.report(capsys, "query arguments")


def test_a_host_outside_trusted_hosts_is_refused_everywhere(prober, capsys):
    prober.app.config["TRUSTED_HOSTS"] = ["localhost"]
    try:
        for rule in prober.rules:
            url = prober.url(rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for role in ROLES:
                    response = prober.send(
                        "Host outside TRUSTED_HOSTS", role, method, url, refuse=True,
                        headers={"Host": "evil.example"},
                    )  # fmt: skip
                    if response.status_code != 400:
                        prober.failures.append(f"Host: {role} {method} {url}: not 400")
    finally:
        prober.app.config["TRUSTED_HOSTS"] = None
    prober.report(capsys, "foreign Host")


def _pages(prober, rule) -> set[str]:
    """The pages of a route to read forms from: for a candidate's, both candidates (the
    second one's panel is done, so its debrief has the revise and reopen forms)."""
    pages = {prober.url(rule)}
    if "candidate_id" in rule.arguments:
        pages.add(prober.url(rule, candidate_id=prober.world["other_id"]))
    return pages


def _harvest(prober) -> dict[tuple[str, str], dict]:
    """{(role, endpoint): {"kinds": {field: kind}, "defaults": [(field, value)]}}: the forms
    on every page each role can open, by the route they post to."""
    found: dict[tuple[str, str], dict] = {}
    adapter = prober.app.url_map.bind("localhost")
    for role in ROLES:
        for rule in prober.rules:
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            forms = []
            for url in _pages(prober, rule):
                page = prober.clients[role].get(url)
                if page.mimetype == "text/html":
                    forms.extend(forms_in(page.get_data(as_text=True), url))
            for form in forms:
                try:
                    endpoint, _ = adapter.match(form.action.split("?")[0], method=form.method)
                except Exception:  # noqa: BLE001 - a form to no route of ours
                    continue
                entry = found.setdefault((role, endpoint), {"kinds": {}, "defaults": []})
                for name, kind in form.kinds().items():
                    entry["kinds"].setdefault(name, kind)
                entry["defaults"] = entry["defaults"] or form.defaults()
    return found


def _read_in_code() -> dict[str, str]:
    """Field names the code reads from a request (`request.form.get("x")`, a script's JSON
    `data.get("x")`…), for routes that only a page's script posts to."""
    names: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for name in READ.findall(path.read_text(encoding="utf-8")):
            names.setdefault(name, "script")  # may be read as a number: all odd values
    return names


def _one_by_one(kinds: dict, defaults: list):
    """(label, form data, must be refused) for each field and each bad value, the other
    fields as the page had them. Free text gets the numbers past 2^63 only: the others are
    text like any, where a hidden field, a choice or a script's field may be read as one."""
    for name, kind in kinds.items():
        others = [(k, v) for k, v in defaults if k != name]
        yield "NUL in a field", [*others, (name, NUL)], True
        strict = kind in STRICT_KINDS
        label = "odd value in a select, radio or number" if strict else "odd value in a field"
        values = (ODD[0], ODD[-1]) if kind in FREE_TEXT else ODD
        for value in values:
            yield label, [*others, (name, value)], strict and "\r" not in value


def _all_at_once(kinds: dict):
    """For a role that has no such form: each bad value in every field at once."""
    if not kinds:
        return
    yield "NUL in a field", [(name, NUL) for name in kinds], True
    for value in ODD:
        yield "odd value in a field", [(name, value) for name in kinds], False


def _json(prober, rule, role, method, url, kinds):
    headers = {"X-CSRFToken": prober.tokens[role], "X-Requested-With": "fetch"}
    for body, label in ((DEEP, "JSON nested 100,000 deep"), ('{"a": NaN}', "NaN in JSON")):
        prober.send(label, role, method, url, refuse=True, data=body,
                    content_type="application/json", headers=headers)  # fmt: skip
    view = prober.app.view_functions[rule.endpoint]
    if not getattr(view, "accepts_json", False):
        prober.send("JSON to a form's address", role, method, url, refuse=True,
                    json={name: NUL[:3] for name in kinds}, headers=headers)  # fmt: skip
        return
    for name in kinds:
        prober.send("NUL in a JSON field", role, method, url, refuse=True,
                    json={name: NUL}, headers=headers)  # fmt: skip
        for odd in JSON_ODD:
            prober.send("odd number in a JSON field", role, method, url,
                        json={name: odd}, headers=headers)  # fmt: skip


def test_bad_values_in_every_field_of_every_form(prober, capsys):
    harvest = _harvest(prober)
    read_in_code = _read_in_code()
    for rule in prober.rules:
        offered = [e for (_r, endpoint), e in harvest.items() if endpoint == rule.endpoint]
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            url = prober.url(rule)
            for role in ROLES:
                mine = harvest.get((role, rule.endpoint))
                if mine:
                    kinds, cases = mine["kinds"], _one_by_one(mine["kinds"], mine["defaults"])
                elif offered or not prober.admitted(rule, role):
                    kinds = offered[0]["kinds"] if offered else read_in_code
                    cases = _all_at_once(kinds)
                else:  # only a page's script posts here: every name the code reads
                    kinds, cases = read_in_code, _one_by_one(read_in_code, [])
                for label, data, refuse in cases:
                    form = MultiDict([*data, ("csrf_token", prober.tokens[role])])
                    prober.send(label, role, method, url, refuse=refuse, data=form)
                _json(prober, rule, role, method, url, kinds)
    prober.report(capsys, "form fields and JSON")


def test_the_issues_own_examples(prober, world):
    """The probe's list, one request each, as the person it names."""
    hr, manager, anyone = (prober.clients[r] for r in ("hr", "manager", "anonymous"))
    assert hr.get(f"/candidates/{2**31}").status_code == 404  # a 500 on PostgreSQL before
    assert hr.get(f"/positions/{2**63}").status_code == 404  # and on SQLite
    compare = f"/positions/{world['position_id']}/compare?c=%C2%B2&c=2"
    assert hr.get(compare).status_code == 400
    autosave = f"/a/{world['token']}/item/1"
    deep = anyone.post(autosave, data=DEEP, content_type="application/json")
    assert deep.status_code == 400
    token = prober.tokens["anonymous"]
    nul = anyone.post("/login", data={"email": "a\x00@example.com", "password": "x" * 12,
                                      "csrf_token": token})  # fmt: skip
    assert nul.status_code == 400 and "NUL" in nul.get_data(as_text=True)
    save = f"/interviews/{world['interview_id']}/ratings/{world['question_id']}"
    fetch = {"X-Requested-With": "fetch"}
    for odd in ("-1e23", "-9223372036854775809", "²"):
        # The browser's clock is no longer read (the server orders saves), so an old page's
        # edited_ms is ignored; a version the page says it saw must be a version, else 400.
        data = {"value": "3", "notes": "", "csrf_token": prober.tokens["manager"]}
        assert manager.post(save, data={**data, "edited_ms": odd}, headers=fetch).status_code == 200
        assert manager.post(save, data={**data, "base": odd}, headers=fetch).status_code == 400
    prober.app.config["TRUSTED_HOSTS"] = ["localhost"]
    try:
        assert hr.get("/", headers={"Host": "evil.example"}).status_code == 400
    finally:
        prober.app.config["TRUSTED_HOSTS"] = None
    prober.writes.close()
