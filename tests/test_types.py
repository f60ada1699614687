"""mypy with the project's configuration (pyproject.toml [tool.mypy]) reports no error.

Strict on ictappraise.domain and ictappraise.services, mypy's defaults elsewhere. The cache lives
under pytest's cache directory, so a warm run takes a few seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_reports_no_error(request: pytest.FixtureRequest) -> None:
    cache = request.config.cache.mkdir("mypy") if request.config.cache else ROOT / ".mypy_cache"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--cache-dir",
            str(cache),
            "--config-file",
            str(ROOT / "pyproject.toml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
