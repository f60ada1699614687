"""Accepting a held edit is the lead's decision (docs/rules.md §9), with a reason; nothing is deleted."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ictx_writer import Forger, demo_key
from test_hostile_packages import LEAD, MEMBER_A, cli

from tests.support import member_ws


def test_only_the_lead_accepts_a_held_edit(demo_db: Path, tmp_path: Path) -> None:
    forger = Forger(demo_db, "")
    forger.author = forger.member(MEMBER_A)
    hupq = forger.agency("HUPQ")
    held_id = forger.write(f"agency/{hupq}/name", "Huyện ủy Phú Quý (tên mới)")
    cli("merge", "--db", demo_db, forger.package(tmp_path / "a.ictx", MEMBER_A, demo_key(MEMBER_A)), "--yes")

    refused = cli(
        "accept-held",
        "--db",
        demo_db,
        "--edit",
        held_id[:8],
        "--reason",
        "Đúng",
        "--as",
        MEMBER_A,
        check=False,
    )
    assert refused.returncode == 1 and "Chỉ Tổ trưởng được chấp nhận" in refused.stderr
    no_reason = cli(
        "accept-held", "--db", demo_db, "--edit", held_id, "--reason", " ", "--as", LEAD, check=False
    )
    assert no_reason.returncode == 1 and "lý do" in no_reason.stderr

    cli(
        "accept-held",
        "--db",
        demo_db,
        "--edit",
        held_id[:8],
        "--reason",
        "Tên đúng theo quyết định",
        "--as",
        LEAD,
    )
    ws = member_ws(demo_db, LEAD)
    try:
        assert ws.agency(hupq).name == "Huyện ủy Phú Quý (tên mới)"
        assert [e.id for e in ws.state(hupq).held] == [held_id]  # kept, still listed as held
        head = ws.state(hupq).fields[f"agency/{hupq}/name"].heads[0]
        assert head.author == ws.find_member(LEAD).id and head.reason == "Tên đúng theo quyết định"  # type: ignore[union-attr]
    finally:
        ws.db.close()
