"""Candidate CSV files: decode and check them row by row (pure: text in, rows and problems out)."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

NAME_MAX, EMAIL_MAX, EXTERNAL_ID_MAX = 200, 254, 100
REQUIRED = ("name", "email")
COLUMNS = (*REQUIRED, "external_id")
DELIMITERS = (",", ";", "\t")
# The header spellings spreadsheets and applicant tracking systems use, compared in lower
# case without spaces, dashes, underscores or dots ("E-mail", "Email address", "External
# ID", "external_id" ...).
HEADER_NAMES = {
    "name": ("name", "fullname", "candidate", "candidatename"),
    "email": ("email", "emailaddress", "mail", "mailaddress"),
    "external_id": ("externalid", "externalreference", "reference", "candidateid", "atsid"),
}
SAID = {"name": "name", "email": "e-mail", "external_id": "external id"}


class CsvError(Exception):
    """The file as a whole cannot be read (encoding, no header, a missing column)."""


@dataclass(frozen=True)
class CandidateRow:
    line: int
    name: str
    email: str
    external_id: str | None


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class ParsedFile:
    rows: list[CandidateRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def size_text(limit: int) -> str:
    """1048576 → "1 MB"."""
    megabytes = limit / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{limit // 1024} KB"


def too_large_message(limit: int) -> str:
    return (
        f"The file is larger than the {size_text(limit)} this server accepts. Split it into "
        "smaller files (each with the header row) and upload them one after the other."
    )


def decode_upload(data: bytes) -> str:
    """The file's text (UTF-8, with or without a byte-order mark), or CsvError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvError(
            "The file is not UTF-8 text (a problem near byte "
            f"{error.start}). Save it as “CSV UTF-8” and upload it again."
        ) from None
    if not text.strip():
        raise CsvError("The file is empty: it needs a header row and one row per candidate.")
    return text


def valid_email(email: str) -> bool:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab some spreadsheets write, whichever the header uses most."""
    header = text.splitlines()[0] if text else ""
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def column_of(heading: str) -> str | None:
    """The column a heading names ("E-mail address" → "email"), or None."""
    key = "".join(ch for ch in heading.lower() if ch.isalnum())
    return next((c for c, spellings in HEADER_NAMES.items() if key in spellings), None)


def _header_columns(header: list[str]) -> dict[str, int]:
    """Column → index, for the columns we read (spelling and case do not matter)."""
    found: dict[str, int] = {}
    for index, heading in enumerate(header):
        column = column_of(heading)
        if column in found:
            raise CsvError(
                f"The header row names the {SAID[column]} column twice "
                f"(“{header[found[column]].strip()}” and “{heading.strip()}”)."
            )
        if column:
            found[column] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        headings = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        wanted = " and ".join(f"“{m}”" for m in missing)
        raise CsvError(
            f"The header row (line 1) has no {wanted} column. It needs name and email "
            f"(or e.g. “E-mail address”), optionally external_id; it has: {headings}."
        )
    return found


def _row_problem(
    name: str, email: str, external_id: str, seen: dict[str, int], existing: Collection[str]
) -> str | None:
    if not name:
        return "missing name"
    if not email:
        return "missing e-mail"
    if len(name) > NAME_MAX:
        return f"name too long (over {NAME_MAX} characters)"
    if len(email) > EMAIL_MAX:
        return f"e-mail too long (over {EMAIL_MAX} characters)"
    if len(external_id) > EXTERNAL_ID_MAX:
        return f"external id too long (over {EXTERNAL_ID_MAX} characters)"
    if not valid_email(email):
        return f"invalid e-mail “{email}”"
    if email.lower() in seen:
        return f"duplicate of line {seen[email.lower()]} (same e-mail)"
    if email.lower() in existing:
        return "this position already has a candidate with this e-mail"
    return None


def parse_candidates(text: str, existing_emails: Collection[str] = ()) -> ParsedFile:
    """Good rows and (line, reason) problems; the header is line 1, blank lines are skipped.

    `existing_emails` are the e-mails of the position's candidates, in lower case.
    """
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise CsvError("The first line must be a header row: name, email, external_id.")
        columns = _header_columns(header)
        return _check_records(reader, columns, existing_emails)
    except csv.Error as error:
        raise CsvError(
            f"The file is not readable as CSV near line {reader.line_num}: {error}."
        ) from None


def _check_records(reader, columns: dict[str, int], existing: Collection[str]) -> ParsedFile:
    parsed, seen = ParsedFile(), {}
    line = reader.line_num + 1  # where the next record starts (a quoted cell may span lines)
    for record in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        name, email, external_id = (
            record[columns[c]].strip() if c in columns and columns[c] < len(record) else ""
            for c in COLUMNS
        )
        name = " ".join(name.split())  # a quoted name may hold line breaks or tabs
        problem = _row_problem(name, email, external_id, seen, existing)
        if problem:
            parsed.problems.append(RowProblem(start, problem))
            continue
        seen[email.lower()] = start
        parsed.rows.append(CandidateRow(start, name, email, external_id or None))
    return parsed
