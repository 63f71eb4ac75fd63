"""A test that needs a missing system program skips with the line to install it, and fails
instead when CI is set (tests/system.py)."""

from __future__ import annotations

import pytest

from tests import system


@pytest.fixture
def absent(monkeypatch):
    """A requirement that is never here."""
    monkeypatch.setitem(system.REQUIREMENTS, "nothing", (lambda: False, "no-such-package"))
    system.present.cache_clear()
    yield "nothing"
    system.present.cache_clear()


def test_a_missing_program_skips_with_the_line_to_install_it(absent, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        system.require(absent)
    assert str(skipped.value) == "needs nothing: install it with `apt-get install no-such-package`"


def test_with_ci_set_a_missing_program_fails(absent, monkeypatch):
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        system.require(absent)
    assert "apt-get install no-such-package" in str(failed.value)


def test_every_package_named_is_one_ci_installs():
    ci = (system.Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    for _, packages in system.REQUIREMENTS.values():
        for package in packages.split():
            assert package in ci, package
