"""`bandit -r assessment` finds no medium or high issue, and every finding silenced in the
code says why on its line (`# <the reason>  # nosec B704`)."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOSEC = re.compile(r"#\s*(?P<reason>[^#]*?)\s*#\s*nosec\s+B\d{3}\s*$")


def test_bandit_finds_no_medium_or_high_issue():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", "assessment", "-ll", "-q", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    found = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert found == [], "\n".join(found)
    assert report["errors"] == []


def test_every_silenced_finding_is_explained():
    unexplained = []
    for path in sorted((ROOT / "assessment").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "nosec" not in line:
                continue
            match = NOSEC.search(line)
            if match is None or len(match["reason"].split()) < 3:
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert unexplained == [], "\n".join(unexplained)
