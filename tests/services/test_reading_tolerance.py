"""A bad value already stored (by an older build) never makes the round unreadable.

Older builds merged values without checking them. Reading treats such a value as absent or
unknown and says so (a scorecard error naming the field), instead of raising
``invalid literal for int()`` in `results` and killing the GUI's agency table.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import crit_field, member_field, portal_field, rules_field, visit_field
from ictappraise.services.workspace import Workspace, now_iso
from ictappraise.store import repository
from tests.support import member_ws, reopen_signed, signed

_ids = iter(range(1_000_000))


def store(ws: Workspace, values: dict[str, Any]) -> None:
    """Append edits as an older build's merge did: no check of the values."""
    assert ws.actor is not None
    edits = []
    for field, value in values.items():
        heads = ws.state(repository.scope_of(field)).heads(field)
        edits.append(Edit(f"old-{next(_ids)}", field, value, ws.actor.member_id, "old", now_iso(), heads))
    ws.append(signed(ws, edits))


def bad_values(ws: Workspace) -> dict[str, Any]:
    hupq = ws.find_agency("HUPQ").id
    member = ws.find_member("Chuyên viên A")
    assert member is not None
    return {
        portal_field(hupq, 3): "ba",
        crit_field(hupq, "IV.3", "self"): "abc",
        crit_field(hupq, "IV.5", "appraised"): "abc",
        crit_field(hupq, "IV.9", "appraised"): {"override": "mười"},
        crit_field(hupq, "II.6", "note"): ["không", "phải", "chữ"],
        crit_field(hupq, "II.6", "attachment/" + "ab" * 32): "x",
        f"agency/{hupq}/fact/report_sent": "30/11/2022",
        visit_field(hupq, "team"): 5,
        visit_field(hupq, "representatives"): ["Ông A"],
        visit_field(hupq, "start"): 730,
        "round/portal_quota": "4 bài",
        "round/report_deadline": "30/11/2022",
        "round/minutes_copies": "hai",
        "round/legal_basis": "Công văn 294",
        rules_field(3): {"maximum": "500", "tot": "x"},
        member_field(member.id, "role"): ["lead"],
        member_field(member.id, "name"): 7,
    }


def test_bad_stored_values_are_read_as_unknown_and_reported(lead_ws) -> None:
    ws: Workspace = lead_ws
    reopen_signed(ws)  # else the round values are held: signed results would change (docs/rules.md §9)
    store(ws, bad_values(ws))
    ws.refresh()
    hupq = ws.find_agency("HUPQ").id
    results = ws.results()
    assert len(results) == 25
    info = ws.round_info()
    assert info.portal_quota == 0 and info.report_deadline is None and info.minutes_copies == 2
    assert info.legal_basis == ()
    assert any("Số tin, bài" in p for p in info.problems) and any(
        "Hạn gửi báo cáo" in p for p in info.problems
    )
    assert ws.rules()[3].tot == 450  # the 2022 thresholds stand in for the broken ones
    detail = ws.detail(hupq)
    errors = " ".join(detail.scorecard.errors)
    for words in ("IV.5", "IV.9", "tháng 3", "Ngày gửi báo cáo", "Số tin, bài", "Hạn gửi báo cáo"):
        assert words in errors, (words, errors)
    assert "IV.5" in detail.scorecard.unscored  # not scored, not zero
    assert detail.entries["IV.3"].self_points is None
    assert detail.entries["II.6"].note == "" and detail.entries["II.6"].attachments == ()
    assert detail.facts.portal_counts[2] is None
    assert detail.visit.team == () and detail.visit.representatives == () and detail.visit.start == ""
    assert not detail.scorecard.complete  # cannot be signed while a value is unreadable
    btc = ws.detail(ws.find_agency("BTC").id)  # Phụ lục 3: its broken thresholds are reported
    assert any("Ngưỡng xếp loại Phụ lục 3" in e for e in btc.scorecard.errors)
    assert all("Ngưỡng xếp loại Phụ lục 3" not in e for e in detail.scorecard.errors)
    assert {m.name for m in ws.members()} >= {"Nguyễn Thị Thắng"}


def test_results_command_survives_bad_stored_values(demo_db: Path, tmp_path: Path) -> None:
    ws = member_ws(demo_db, "Nguyễn Thị Thắng")
    try:
        store(ws, bad_values(ws))
    finally:
        ws.db.close()
    env = {
        **os.environ,
        "ICTAPPRAISE_CONFIG_DIR": str(tmp_path / "c"),
        "ICTAPPRAISE_DATA_DIR": str(tmp_path / "d"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "ictappraise", "results", "--db", str(demo_db)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Huyện ủy Phú Quý" in done.stdout
