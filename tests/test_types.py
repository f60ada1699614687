"""mypy with the project's configuration (pyproject.toml [tool.mypy]) reports no error.

Every flag of --strict on ictappraise.domain and ictappraise.services, mypy's defaults
elsewhere. The cache lives under pytest's cache directory: about 30 s cold on a busy laptop,
a few seconds warm.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRICT_MODULES = ["ictappraise.domain.*", "ictappraise.services.*"]
# What mypy --strict turns on, as per-module options (mypy --help lists them).
STRICT_FLAGS = {
    "disallow_any_generics": True,
    "disallow_subclassing_any": True,
    "disallow_untyped_calls": True,
    "disallow_untyped_defs": True,
    "disallow_incomplete_defs": True,
    "check_untyped_defs": True,
    "disallow_untyped_decorators": True,
    "warn_return_any": True,
    "implicit_reexport": False,
    "extra_checks": True,
}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_the_core_is_checked_strictly_and_nothing_is_skipped() -> None:
    config = _config()
    assert config["files"] == ["ictappraise"]
    assert config["warn_unused_ignores"] and config["warn_redundant_casts"] and config["strict_equality"]
    strict = [o for o in config["overrides"] if o["module"] == STRICT_MODULES]
    assert len(strict) == 1 and STRICT_FLAGS.items() <= strict[0].items()
    for override in config["overrides"]:
        assert not override.get("ignore_errors"), override["module"]
        if override.get("ignore_missing_imports"):  # third-party libraries only
            assert not any(name.startswith("ictappraise") for name in override["module"])


def test_mypy_reports_no_error(request: pytest.FixtureRequest) -> None:
    # pytest's cache when it has one (-p no:cacheprovider leaves none); else mypy's usual folder.
    pytest_cache = getattr(request.config, "cache", None)
    cache = pytest_cache.mkdir("mypy") if pytest_cache is not None else ROOT / ".mypy_cache"
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--cache-dir",
        str(cache),
        "--config-file",
        str(ROOT / "pyproject.toml"),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
