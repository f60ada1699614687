"""Shared fixtures: isolated per-user folders, a demo database built once and copied per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt tests run without a display; set before any test module imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real per-user configuration or data folder."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("ICTAPPRAISE_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("ICTAPPRAISE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("ICTAPPRAISE_DEVICE_ID", "test-device")
    return home


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test session (read it only through demo_db)."""
    from ictappraise.services.demo import build_demo
    from ictappraise.store.database import open_database

    path = tmp_path_factory.mktemp("template") / "demo.db"
    db = open_database(path, create=True)
    build_demo(db)
    db.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for one test."""
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def lead_ws(demo_db: Path) -> Iterator[object]:
    """A Workspace on a demo copy, acting as the lead (Nguyễn Thị Thắng)."""
    from tests.support import member_ws

    ws = member_ws(demo_db, "Nguyễn Thị Thắng")
    yield ws
    ws.db.close()


@pytest.fixture
def fresh_lead_ws(tmp_path: Path) -> Iterator[object]:
    """The lead on the 2022 round as first set up: nothing scored or signed yet."""
    from ictappraise.services.seed import seed_round
    from ictappraise.services.workspace import Workspace
    from ictappraise.store.database import open_database
    from tests.support import member_ws

    path = tmp_path / "round.db"
    seeding = Workspace(open_database(path, create=True, backup=False))
    seed_round(seeding)
    seeding.db.close()
    ws = member_ws(path, "Nguyễn Thị Thắng")
    yield ws
    ws.db.close()
