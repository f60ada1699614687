"""ruff is part of the suite: the code stays lint-clean and formatted."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    command = [shutil.which("ruff")] if shutil.which("ruff") else [sys.executable, "-m", "ruff"]
    return subprocess.run([*command, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [("check", "."), ("format", "--check", ".")], ids=["check", "format"])
def test_ruff(args: tuple[str, ...]) -> None:
    result = _ruff(*args)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_are_cited_from_the_repository() -> None:
    """Code, tests and docs cite docs/rules.md by section, never the team's outside spec or an
    issue number (a newcomer cannot follow those)."""
    cited = []
    for folder in ("ictappraise", "tests", "docs", "scripts", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".md", ".yaml", ".toml") or not path.is_file():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "domain" + ".md" in line or re.search(r"\b[Ii]ssue \d+", line):
                    cited.append(f"{path.relative_to(ROOT)}:{number}")
    assert cited == []
