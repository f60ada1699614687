"""Layers: only ictappraise.ui loads Qt; the domain is pure Python (checked in fresh interpreters);
every import keeps the contract of pyproject.toml (import-linter); no private name crosses a module."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Imports every module found under the given packages (except the excluded prefixes), one by
# one, and reports which import first loaded a forbidden top-level package.
PROBE = """
import importlib, json, pkgutil, sys
roots, excluded, forbidden = json.loads(sys.argv[1])
names = []
for root in roots:
    package = importlib.import_module(root)
    names.append(root)
    for info in pkgutil.walk_packages(package.__path__, root + "."):
        names.append(info.name)
names = [n for n in names if not any(n == x or n.startswith(x + ".") for x in excluded)]
culprit = None
for name in names:
    importlib.import_module(name)
    loaded = [m for m in sys.modules if m.split(".")[0] in forbidden]
    if loaded and culprit is None:
        culprit = name
print(json.dumps({
    "modules": names,
    "culprit": culprit,
    "loaded": sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in forbidden}),
}))
"""


def probe(roots: list[str], excluded: list[str], forbidden: list[str]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps([roots, excluded, forbidden])],
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_nothing_outside_ui_loads_pyside6() -> None:
    report = probe(["ictappraise"], ["ictappraise.ui", "ictappraise.__main__"], ["PySide6", "shiboken6"])
    modules = report["modules"]
    assert isinstance(modules, list)
    # Not vacuous: the walk found the layers that must stay free of Qt.
    for name in (
        "ictappraise.domain.rating",
        "ictappraise.domain.editlog",
        "ictappraise.store.database",
        "ictappraise.services.workspace",
        "ictappraise.cli",
        "ictappraise.settings",
    ):
        assert name in modules
    assert not any(str(name).startswith("ictappraise.ui") for name in modules)
    assert report["loaded"] == [], f"{report['culprit']} loaded {report['loaded']}"


def test_the_domain_needs_neither_qt_nor_sqlalchemy() -> None:
    report = probe(["ictappraise.domain"], [], ["PySide6", "shiboken6", "sqlalchemy"])
    assert "ictappraise.domain.scorecard" in report["modules"]  # type: ignore[operator]
    assert report["loaded"] == [], f"{report['culprit']} loaded {report['loaded']}"


def test_the_probe_does_see_qt_when_it_is_loaded() -> None:
    # The same probe on the GUI package must report PySide6, or the checks above prove nothing.
    report = probe(["ictappraise.ui"], [], ["PySide6"])
    assert report["loaded"] == ["PySide6"]


# -- the import contract (pyproject.toml [tool.importlinter], docs/ARCHITECTURE.md) -------------
LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))\n"
)


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the package found under root, with root's pyproject.toml."""
    return subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=root,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(root)},
    )


def test_every_import_keeps_the_contract() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 6 kept, 0 broken." in result.stdout


def broken_copy(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package and its contract with one import added to one module."""
    shutil.copytree(
        REPO / "ictappraise", tmp_path / "ictappraise", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copyfile(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "ictappraise" / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("ui/commands.py", "from ictappraise.store import repository", "through the services BROKEN"),
        ("domain/rating.py", "from ictappraise.services import workspace", "over the domain BROKEN"),
        ("store/models.py", "import ictappraise.store.database", "between the modules of a package BROKEN"),
        ("services/merge_plan.py", "from sqlalchemy import select", "only the store runs SQLAlchemy"),
    ],
)
def test_a_broken_arrow_fails_the_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    # Not vacuous: the same check on a copy with one forbidden import added must fail, naming it.
    result = lint_imports(broken_copy(tmp_path, module, line))
    assert result.returncode == 1, result.stdout + result.stderr
    assert contract in result.stdout


def private_imports(package: Path) -> list[str]:
    """`from ictappraise… import _name`: a module's private name used by another module."""
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (
                node.level or (node.module or "").startswith("ictappraise")
            ):
                names = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                found += [f"{path.relative_to(package.parent)}:{node.lineno} {name}" for name in names]
    return found


def test_no_private_name_crosses_a_module(tmp_path: Path) -> None:
    # import-linter checks modules, not names: a private name taken from another module is a
    # seam left by a split, so its owner must make it public or keep it.
    assert private_imports(REPO / "ictappraise") == []
    copy = broken_copy(tmp_path, "ui/commands.py", "from ictappraise.store.backup import _copy")
    assert private_imports(copy / "ictappraise") == [
        "ictappraise/ui/commands.py:"
        + str(len((copy / "ictappraise/ui/commands.py").read_text(encoding="utf-8").splitlines()))
        + " _copy"
    ]
