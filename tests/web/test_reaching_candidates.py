"""Invites that reach people: links from BASE_URL, a warning when the app is opened or
served elsewhere, and what to do under blind review when there is no e-mail."""

from __future__ import annotations

import pytest

from assessment.public_address import request_warning, same_address, served_elsewhere
from assessment.startup import print_banner
from tests.web.test_invites import BASE_URL, base_url, inbox, invite, url  # noqa: F401

WARNING = "which is not the address you opened this page at"
BLIND_NO_MAIL = "You cannot see where to send the link."


def test_the_invite_page_warns_when_opened_elsewhere_than_base_url(
    client, login, users, make_candidate
):
    candidate = make_candidate()
    login(users["hr"])
    elsewhere = client.get(url(candidate)).get_data(as_text=True)  # at http://localhost
    assert WARNING in elsewhere and BASE_URL in elsewhere
    response, link, _ = invite(client, candidate)
    assert WARNING in response.get_data(as_text=True) and link.startswith(BASE_URL)

    at_home = client.get(url(candidate), base_url=BASE_URL).get_data(as_text=True)
    assert WARNING not in at_home


@pytest.mark.parametrize(
    "base, served, port_known, same",
    [
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000/", True, True),
        ("http://localhost:5000", "http://127.0.0.1:5000/", True, True),
        ("http://127.0.0.1:5000", "http://127.0.0.1:8000/", True, False),
        ("http://127.0.0.1:5000", "http://0.0.0.0:5000/", True, False),  # others can't follow
        ("https://hiring.example.com", "http://0.0.0.0:5000/", False, True),  # behind a proxy
        ("https://hiring.example.com", "https://hiring.example.com/", False, True),
        ("https://hiring.example.com", "http://10.1.2.3:5000/", True, False),
        ("https://hiring.example.com", "http://hiring.example.com:8443/", True, False),
    ],
)
def test_base_url_and_the_served_address(base, served, port_known, same):
    assert same_address(base, served, port_known) is same
    assert (served_elsewhere(base, served, port_known) is None) is same


def test_the_page_warning_never_repeats_the_requests_host():
    warning = request_warning(BASE_URL, "http://evil.example.net/", "evil.example.net")
    assert warning and "evil" not in warning and BASE_URL in warning


def test_the_start_banner_warns_when_base_url_names_another_address(app, capsys, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "http://127.0.0.1:5000")
    print_banner(app, "127.0.0.1", 5000)
    assert "Warning" not in capsys.readouterr().out
    print_banner(app, "127.0.0.1", 8080)
    out = capsys.readouterr().out
    assert "Warning: Links (invites, e-mails) are built from BASE_URL, http://127.0.0.1:5000" in out
    assert "BASE_URL=http://127.0.0.1:8080" in out
    print_banner(app, "0.0.0.0", 5000)
    assert "BASE_URL=http://<this machine>:5000" in capsys.readouterr().out


def test_under_blind_review_without_email_the_page_says_what_to_do(
    client, login, users, make_position, make_candidate
):
    candidate = make_candidate(make_position(blind=True), email="ada@x.org")
    login(users["hr"])
    page = client.get(url(candidate)).get_data(as_text=True)
    assert BLIND_NO_MAIL in page and "SMTP_HOST" in page and "reveal names" in page
    assert "interviewer on the candidate's panel" in page and "ada@x.org" not in page
    response, link, _ = invite(client, candidate)
    assert BLIND_NO_MAIL in response.get_data(as_text=True) and link


def test_with_names_shown_or_with_email_there_is_no_such_notice(
    client,
    login,
    users,
    make_position,
    make_candidate,
    inbox,  # noqa: F811
):
    login(users["hr"])
    blind = make_candidate(make_position(blind=True), email="ada@x.org")
    page = client.get(url(blind)).get_data(as_text=True)  # SMTP is set up (inbox)
    assert BLIND_NO_MAIL not in page and "Also e-mail it" in page
    assert "you do not see it" in page
