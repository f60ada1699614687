"""The 5-edit attack an adversarial tester made, reproduced: a member rewrites signed results by hand.

Chuyên viên A reopens Huyện ủy Tuy Phong's signed minutes, sets I.2 to 0, signs again, makes
themself the lead and lowers the Phụ lục 2 thresholds to 600/500/400 — five honestly
authored edits with correct checksums. The lead must be asked to confirm, told what is held
and why, and nothing may change: Tuy Phong stays signed with its band, the other signed
agencies keep theirs, and A is not the lead.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ictx_writer import Forger, demo_key
from test_hostile_packages import MEMBER_A, cli_process, results

from ictappraise.services import appraisal as svc
from ictappraise.services.errors import ServiceError
from tests.support import member_ws


def test_five_edit_attack_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    before = {row["code"]: row for row in results(demo_db)}
    forger = Forger(demo_db, "")
    forger.author = forger.member(MEMBER_A)
    hutp = forger.agency("HUTP")
    status = f"agency/{hutp}/status"
    forger.write(status, {"state": "reopened", "revision": 1}, "Sửa lại")
    score = forger.write(f"agency/{hutp}/crit/I.2/appraised", {"override": "0"}, basis=forger.heads(status))
    covered = [i for i, name, _v, _p in forger.rows() if name.startswith(f"agency/{hutp}/crit/")]
    forger.write(status, {"state": "signed", "covers": [*covered, score], "fingerprint": "", "revision": 2})
    forger.write(f"member/{forger.author}/role", "lead")
    forger.write("round/rules/2", {"maximum": "800", "tot": "600", "kha": "500", "trung_binh": "400"})
    package = forger.package(tmp_path / "a.ictx", MEMBER_A, demo_key(MEMBER_A))

    asked = cli_process("merge", "--db", demo_db, package, check=False)
    assert asked.returncode == 1 and "--yes" in asked.stderr
    shown = asked.stdout
    assert "Thay đổi trạng thái, Tổ thẩm định và thiết lập đợt (4)" in shown
    assert "Sẽ bị giữ lại, không áp dụng (5)" in shown
    assert shown.count("(do Chuyên viên A)") == 4  # every authority change names its author
    assert "chỉ Tổ trưởng được mở lại biên bản đã ký" in shown
    assert "chỉ Tổ trưởng được thay đổi ngưỡng xếp loại" in shown

    merged = cli_process("merge", "--db", demo_db, package, "--yes")
    assert "giữ lại, không áp dụng: 5" in merged.stdout

    after = {row["code"]: row for row in results(demo_db)}
    assert after == before
    assert after["HUTP"]["status"] == before["HUTP"]["status"]
    for code in ("HUTP", "HUBB", "HUHT", "HUDL"):
        assert after[code]["band"] == before[code]["band"]
    ws = member_ws(demo_db, MEMBER_A)
    try:
        assert ws.roster.role_of(forger.author) == "member"
        assert ws.is_signed(hutp)
        try:
            svc.reopen(ws, hutp, "Thử")
        except ServiceError as error:
            assert "Chỉ Tổ trưởng" in str(error)
        else:
            raise AssertionError("a member reopened signed minutes")
    finally:
        ws.db.close()
    refused = cli_process(
        "reopen", "--db", demo_db, "--agency", "HUTP", "--reason", "Thử", "--as", MEMBER_A, check=False
    )
    assert refused.returncode == 1 and "Chỉ Tổ trưởng" in refused.stderr
