"""Workspace.refresh(): nothing derived before it (members, catalogs, details) outlives it."""

from __future__ import annotations

from pathlib import Path

from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database


def test_a_new_file_lists_its_team_right_after_seeding(tmp_path: Path) -> None:
    """The first start asks who you are from the team just seeded (it once offered nobody)."""
    db = open_database(tmp_path / "new.db", create=True)
    try:
        ws = Workspace(db)
        assert ws.members() == [] and ws.agencies() == []  # what opening a new file reads first
        seed_round(ws)
        assert len(ws.members()) == 4  # asked before anything else re-reads the file
        assert ws.find_member("Nguyễn Thị Thắng") is not None
        assert len(ws.agencies()) == 25
    finally:
        db.close()


def test_refresh_drops_cached_round_reads(fresh_lead_ws: Workspace) -> None:
    """A write from elsewhere (another window, a merge) shows after refresh(), whatever is read first."""
    ws = fresh_lead_ws
    before = ws.round_info().portal_quota
    other = Workspace(ws.db)
    other.actor = ws.actor
    other.set("round/portal_quota", before + 1)
    assert ws.round_info().portal_quota == before  # held in memory until told
    ws.refresh()
    assert ws.round_info().portal_quota == before + 1
