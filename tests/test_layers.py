"""Layers: only ictappraise.ui loads Qt; the domain is pure Python (checked in fresh interpreters)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
