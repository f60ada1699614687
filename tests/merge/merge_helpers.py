"""Helpers for the exchange and merge tests: acting workspaces, database fingerprints."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from ictappraise.services.workspace import Actor, Workspace
from ictappraise.store.database import open_database

LEAD = "Nguyễn Thị Thắng"
MEMBER_A = "Chuyên viên A"
MEMBER_B = "Chuyên viên B"
SECRETARY = "Chuyên viên C"


def open_as(path: Path, name: str, device: str) -> Workspace:
    """A Workspace on a database file, acting as a team member on a device."""
    ws = Workspace(open_database(path))
    member = ws.find_member(name)
    assert member is not None, name
    ws.actor = Actor(member.id, device, member.name, member.role)
    return ws


def fingerprint(path: Path, *, local: bool = True) -> str:
    """A digest of everything a merge may write: edits, attachments and (optionally) local state."""
    hasher = hashlib.sha256()
    with sqlite3.connect(path) as connection:
        queries = [
            "SELECT id, field, value, author, device, created_at, reason, parents, basis FROM edits ORDER BY seq",
            "SELECT sha256, size FROM attachments ORDER BY sha256",
        ]
        if local:
            queries.append("SELECT key, value FROM local_state ORDER BY key")
        for query in queries:
            for row in connection.execute(query):
                hasher.update(repr(row).encode())
    return hasher.hexdigest()


def edit_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM edits").fetchone()[0])
