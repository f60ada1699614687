"""Helpers for the exchange and merge tests: acting workspaces, database fingerprints."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

from ictappraise.io import exchange
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
    from ictappraise.services.trust import signer_for

    ws.actor = Actor(member.id, device, member.name, member.role, signer_for(ws, member.id))
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


def rewrite(
    source: Path,
    target: Path,
    *,
    members: dict[str, bytes | None] | None = None,
    manifest: Callable[[dict], None] | None = None,
    fix_checksums: bool = False,
) -> Path:
    """Copy a package, replacing (or dropping, with None) members and editing the manifest."""
    with zipfile.ZipFile(source) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    for name, data in (members or {}).items():
        if data is None:
            contents.pop(name, None)
        else:
            contents[name] = data
    meta = json.loads(contents.pop(exchange.MANIFEST))
    if fix_checksums:
        meta["files"] = {n: {"sha256": hashlib.sha256(d).hexdigest()} for n, d in contents.items()}
    if manifest:
        manifest(meta)
    contents[exchange.MANIFEST] = json.dumps(meta).encode()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return target
