"""The scorecard package in layers: no module imports one that imports it back (counting
imports inside functions), the web process never loads WeasyPrint or pikepdf by importing the
package, and the model asks visibility.py, not another feature, what a viewer may see."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "assessment" / "scorecard"


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, anywhere in it, as an absolute dotted name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from .x import y, from . import y
                base = "assessment.scorecard" + (f".{base}" if base else "")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def sibling_imports() -> dict[str, set[str]]:
    names = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    return {
        path.stem: {
            module.rsplit(".", 1)[-1]
            for module in imported_modules(path)
            if module.startswith("assessment.scorecard.")
            and module.rsplit(".", 1)[-1] in names
            and module.count(".") == 2
        }
        for path in PACKAGE.glob("*.py")
        if path.stem != "__init__"
    }


def a_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as [a, b, ..., a], or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_no_scorecard_module_imports_one_that_imports_it_back():
    graph = sibling_imports()
    assert {"batch", "export", "pdf", "cache"} <= set(graph)
    assert a_circle(graph) is None, " -> ".join(a_circle(graph) or [])
    assert a_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]  # it finds one


def test_the_model_asks_visibility_what_a_viewer_may_see():
    modules = imported_modules(PACKAGE / "build.py")
    # Two modules of other features that decide nothing about access: the bands' local
    # figures, and the mean rating a recommendation is compared with.
    data = ("assessment.insights.local_figures", "assessment.interviews.recommendation")
    ours = {m for m in modules if m.startswith("assessment.") and not m.startswith(data)}
    features = {m.split(".")[1] for m in ours}
    features -= {"scorecard"}
    assert "visibility" in features
    allowed = {"bank", "scoring", "extensions", "models", "question_bank", "visibility"}
    assert features <= allowed, features - allowed  # not blind.py, not interviews' access


def test_importing_the_app_loads_neither_weasyprint_nor_pikepdf():
    settings = {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SECRET_KEY": "x" * 32,
        "AUTO_MIGRATE": False,
    }
    code = (
        "import sys\n"
        "from assessment import create_app\n"
        f"create_app({settings!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pikepdf')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout
