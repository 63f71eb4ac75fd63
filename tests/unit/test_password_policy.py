"""The password policy (NIST SP 800-63B): long, not common, not the e-mail's name."""

import pytest

from assessment.auth.password_policy import common_passwords, password_problem


@pytest.mark.parametrize(
    "password, email, refused",
    [
        ("1234567890", None, "at least 12"),
        ("password12", None, "at least 12"),
        ("password1234", None, "most common"),
        ("!!Password2024!!", None, "most common"),
        ("qwertyuiop123", None, "most common"),
        ("aaaaaaaaaaaaaa", None, "repeats"),
        ("abababababababab", None, "repeats"),
        ("jane.doe.rocks.2026", "Jane.Doe@example.com", "e-mail's name"),
        ("i-am-doe-and-proud", "jane.doe@example.com", "e-mail's name"),
        ("x" * 257, None, "at most 256"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, email, refused):
    problem = password_problem(password, email)
    assert problem is not None and refused in problem


@pytest.mark.parametrize(
    "password, email",
    [
        ("correct horse battery", "manager1@example.com"),
        ("  spaces at both ends  ", None),  # kept exactly as typed
        ("パスワードは長い方が良いです", "jo@example.com"),  # short local part: not a name
        (("correct horse " * 19)[:256], None),
    ],
)
def test_long_uncommon_passwords_are_accepted(password, email):
    assert password_problem(password, email) is None


def test_the_shipped_list_is_the_common_one():
    common = common_passwords()
    assert len(common) == 30_000 and {"123456", "password", "qwerty"} <= common
