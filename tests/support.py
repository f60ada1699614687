"""Helpers tests import by name (conftest.py modules cannot be: each folder's shadows the others)."""

from __future__ import annotations

from pathlib import Path

from ictappraise.domain.editlog import Edit
from ictappraise.services.workspace import Actor, Workspace
from ictappraise.store.database import open_database


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
