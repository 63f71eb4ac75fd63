"""The audit log page (/admin/audit): admins only, newest first, in words, filtered and
paginated, with blind review applied to what entries recorded about a candidate."""

from __future__ import annotations

import re

from sqlalchemy import delete

from assessment.admin.audit_log import changes
from assessment.audit import record_audit
from assessment.database import write_transaction
from assessment.models import AuditEntry
from assessment.positions.services import PAGE_SIZE, add_candidate
from tests.web.helpers import ROLE_REFUSAL, sign_out


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_only_admins_read_the_log(client, users, login):
    for role in ("hr", "manager"):
        login(users[role])
        response = client.get("/admin/audit")
        assert response.status_code == 403
        assert ROLE_REFUSAL in response.get_data(as_text=True)
        sign_out(client)
    login(users["admin"])
    assert client.get("/admin/audit").status_code == 200


def test_an_empty_log_says_so(client, users, login):
    login(users["admin"])
    with write_transaction() as session:  # the accounts of `users` were audited
        session.execute(delete(AuditEntry))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Nothing recorded yet" in page


def test_entries_newest_first_in_words_with_who_reason_and_values(
    client, users, login, make_position
):
    position = make_position(title="Founding engineer")
    with write_transaction():
        record_audit(
            "position.weights",
            "position",
            position.id,
            users["hr"],
            old={"weights": {"a": 1}},
            new={"weights": {"a": 2}},
        )
    with write_transaction():
        record_audit("interview.reopen", "interview", 999, users["admin"], reason="typo in notes")
    login(users["admin"])
    rows = _rows(client.get("/admin/audit").get_data(as_text=True))
    assert len(rows) == 5  # and before them, the three accounts of `users`
    newest, oldest = rows[:2]
    assert all("Account created" in row for row in rows[2:])
    assert "Interview reopened" in newest and "typo in notes" in newest
    assert users["admin"].name in newest
    assert "interview 999" in newest  # a subject that no longer resolves is named plainly
    assert "Weights changed" in oldest and users["hr"].name in oldest
    assert "Founding engineer" in oldest and f"/positions/{position.id}" in oldest
    assert "<del>{&#34;a&#34;: 1}</del> → {&#34;a&#34;: 2}" in oldest


def test_the_filter_keeps_one_kind_and_an_unknown_kind_shows_all(
    client, users, login, make_position
):
    position = make_position()
    with write_transaction():
        record_audit("position.create", "position", position.id, users["hr"])
        record_audit("decision.record", "candidate", None, users["hr"])
    login(users["admin"])
    only = client.get("/admin/audit?action=position.create").get_data(as_text=True)
    assert len(_rows(only)) == 1 and "Position created" in _rows(only)[0]
    assert '<option value="position.create" selected>' in only
    everything = client.get("/admin/audit?action=<script>").get_data(as_text=True)
    assert len(_rows(everything)) == 5 and "<script>" not in everything  # 3 accounts too
    none = client.get("/admin/audit?action=invite.revoke").get_data(as_text=True)
    assert "No entries of this kind" in none


def test_pages_of_fifty(client, users, login):
    with write_transaction():
        for n in range(PAGE_SIZE + 3):
            record_audit("candidate.import", "position", None, users["hr"], new={"count": n})
    login(users["admin"])
    url = "/admin/audit?action=candidate.import"
    first = client.get(url).get_data(as_text=True)
    assert len(_rows(first)) == PAGE_SIZE
    assert f"Page 1 of 2 · {PAGE_SIZE + 3} in all" in first
    assert 'href="/admin/audit?page=2&amp;action=candidate.import"' in first
    second = client.get(url + "&page=2").get_data(as_text=True)
    assert len(_rows(second)) == 3
    assert "count:</span>" in second and "\n            2</p>" in second  # the oldest three
    beyond = client.get(url + "&page=99").get_data(as_text=True)
    assert len(_rows(beyond)) == 3  # the last page, not an empty one


def test_blind_review_hides_what_an_entry_recorded_about_the_candidate(
    client, users, login, make_position
):
    blind = make_position(blind=True)
    open_ = make_position(blind=False)
    hidden = add_candidate(blind.id, "Zelda Secret", "zelda@example.org", "EXT-9", users["hr"])
    shown = add_candidate(open_.id, "Otto Open", "otto@example.org", None, users["hr"])
    login(users["admin"])
    page = client.get("/admin/audit?action=candidate.create").get_data(as_text=True)
    assert "Zelda" not in page and "zelda@example.org" not in page and "EXT-9" not in page
    assert f"Candidate {hidden.code}" in page
    assert page.count("Name and contact details left out (blind review)") == 1
    assert "Otto Open" in page and "otto@example.org" in page
    assert f"/candidates/{shown.id}" in page and f"/candidates/{hidden.id}" in page


def test_changes_are_cut_and_identity_left_out_on_request():
    long = "x" * 500
    found = changes({"notes": long}, {"notes": "short", "name": "Ann"}, hide_identity=True)
    assert [c.field for c in found] == ["notes"]
    assert found[0].old.endswith("…") and len(found[0].old) == 200 and found[0].new == "short"
    both = changes(None, {"name": "Ann", "email": "a@x.org"}, hide_identity=False)
    found = [(c.field, c.old, c.new) for c in both]
    assert found == [("email", None, "a@x.org"), ("name", None, "Ann")]
