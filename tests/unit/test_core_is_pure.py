"""The pure core (the bank, scoring and its statistics, blind-review naming) imports
neither Flask nor the database, so it runs and is tested without an app."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CORE = ("assessment.bank", "assessment.scoring", "assessment.scoring.stats.agreement",
        "assessment.scoring.stats.items", "assessment.scoring.stats.raters",
        "assessment.scoring.stats.fairness", "assessment.scoring.stats.dif",
        "assessment.scoring.stats.validity")  # fmt: skip
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug")


def test_the_core_imports_neither_flask_nor_the_database():
    code = (
        "import sys\n"
        f"for name in {CORE!r}: __import__(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout
