"""Field paths are built and taken apart in domain.fields only (docs/rules.md §9).

A path written by hand elsewhere ("agency/" + id, f"agency/{id}/status", name.split("/"),
name.endswith("/appraised")) is a second declaration of the field layout that drifts from
the first; this test reads the source and names each one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ictappraise"
DECLARATION = PACKAGE / "domain" / "fields.py"

#: A literal that starts a field path, or a literal that is one segment of it ("/appraised").
PATH_LITERAL = re.compile(r"^(agency|round|member|catalog)/|^/[a-z_]+/?$")
#: Splitting or joining on "/" outside the declaration, allowed only where the text is no field.
NOT_FIELDS = {
    # (file, the source of the call): what it splits instead of a field path.
    ("ictappraise/services/results_report.py", 'info.minutes_number_suffix.split("/", 1)'),
    ("ictappraise/services/results_report.py", "info.minutes_number_suffix.split('/', 1)"),
    ("ictappraise/services/seed.py", '"/".join((round_key, *parts))'),
}


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (they may show the layout)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def violations(path: Path, source: str) -> list[str]:
    """Each hand-made field path in a module's source, as "file:line: code"."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    rel = path.relative_to(ROOT).as_posix()
    found = []

    def report(node: ast.AST) -> None:
        found.append(f"{rel}:{getattr(node, 'lineno', 0)}: {ast.get_source_segment(source, node)}")

    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            first = node.values[0] if node.values else None
            if isinstance(first, ast.Constant) and PATH_LITERAL.match(str(first.value)):
                report(node)
            for part in node.values:
                skip.add(id(part))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if PATH_LITERAL.match(node.value):
                report(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, args = node.func.attr, node.args
            on_slash = bool(args) and isinstance(args[0], ast.Constant) and args[0].value == "/"
            joined = (
                method == "join"
                and isinstance(node.func.value, ast.Constant)
                and node.func.value.value == "/"
            )
            if (method in ("split", "rsplit", "partition", "rpartition") and on_slash) or joined:
                if (rel, ast.get_source_segment(source, node)) not in NOT_FIELDS:
                    report(node)
    return found


def test_no_field_path_is_built_or_split_outside_the_declaration() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != DECLARATION:
            found += violations(path, path.read_text(encoding="utf-8"))
    assert found == [], "field paths made by hand (use ictappraise.domain.fields):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        'name = f"agency/{agency_id}/crit/{code}/note"',
        "parts = field_name.split('/')",
        'agency = field.rsplit("/", 1)[0]',
        'if name.startswith("member/"): pass',
        'if name.endswith("/appraised"): pass',
        'prefix = "/".join(("agency", agency_id))',
        'FIELD = "round/link"',
        'query = like("catalog/%")',
    ],
)
def test_the_scan_finds_a_reintroduced_path(line: str) -> None:
    assert violations(PACKAGE / "services" / "example.py", line + "\n")


def test_the_scan_leaves_docstrings_and_other_text_alone() -> None:
    source = '"""Layout: agency/<id>/crit/<code>/note."""\nx = "Phụ lục 3/2022"\ny = f"{a}/{b}"\n'
    assert violations(PACKAGE / "services" / "example.py", source) == []
