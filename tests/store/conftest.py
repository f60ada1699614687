"""Helpers for store tests: a workspace acting as a demo member, closed after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ictappraise.services.workspace import Actor, Workspace, now_iso
from ictappraise.store.database import open_database

OpenAs = Callable[..., Workspace]


@pytest.fixture
def open_as() -> Iterator[OpenAs]:
    """open_as(path, "Chuyên viên A", device=…, clock=…): a Workspace acting as that member."""
    opened: list[Workspace] = []

    def make(
        path: Path, name: str, *, device: str = "test-device", clock: Callable[[], str] = now_iso
    ) -> Workspace:
        ws = Workspace(open_database(path), clock=clock)
        opened.append(ws)
        member = ws.find_member(name)
        assert member is not None, name
        ws.actor = Actor(member.id, device, member.name, member.role)
        return ws

    yield make
    for ws in opened:
        ws.db.close()  # closing twice is harmless
