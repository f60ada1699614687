"""Helpers tests import by name (conftest.py modules cannot be: each folder's shadows the others)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from ictappraise.domain.editlog import Edit
from ictappraise.services.workspace import Actor, Workspace
from ictappraise.store.database import open_database

REPO = Path(__file__).resolve().parents[1]


def run_cli(env: Mapping[str, str] | None, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m ictappraise ARGS`` as a user runs it (env None: this test's own environment)."""
    return subprocess.run(
        [sys.executable, "-m", "ictappraise", *args],
        env=dict(os.environ if env is None else env),
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def member_ws(db_path: Path, name: str, device: str = "test-device") -> Workspace:
    """A Workspace on a database file, acting as the team member with this name."""
    ws = Workspace(open_database(db_path))
    member = ws.find_member(name)
    assert member is not None, name
    from ictappraise.services.trust import signer_for

    ws.actor = Actor(member.id, device, member.name, member.role, signer_for(ws, member.id))
    return ws


def signed(ws: Workspace, edits: list[Edit]) -> list[Edit]:
    """Hand-made edits signed with their authors' keys (the demo's labelled keys), as a laptop would."""
    from ictappraise.services.trust import signer_for

    result = []
    for edit in edits:
        signer = signer_for(ws, edit.author)
        result.append(signer.sign(edit) if signer is not None else edit)
    return result


def reopen_signed(ws: Workspace, reason: str = "Sửa thiết lập của đợt") -> None:
    """As the lead, reopen every signed agency: round settings that decide bands may then change."""
    from ictappraise.services import appraisal

    for agency in ws.agencies():
        if ws.is_signed(agency.id):
            appraisal.reopen(ws, agency.id, reason)
