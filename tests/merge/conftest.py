"""Fixtures for the exchange and merge tests: laptops on copies of the demo database."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from merge_helpers import open_as

from ictappraise.services.workspace import Workspace


@pytest.fixture
def laptops(demo_db: Path, tmp_path: Path) -> Iterator[Callable[[str, str], Workspace]]:
    """make(member name, device) → a Workspace on a fresh copy of the demo database."""
    opened: list[Workspace] = []

    def make(name: str, device: str) -> Workspace:
        target = tmp_path / f"{device}.db"
        shutil.copyfile(demo_db, target)
        ws = open_as(target, name, device)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.db.close()
