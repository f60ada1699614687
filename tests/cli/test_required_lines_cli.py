"""`required-lines`: the minutes' required Hạn chế lines listed, dropped only with a reason by the
lead or the secretary, and printed again (docs/rules.md §6), as the minutes dialog does."""

from __future__ import annotations

from pathlib import Path

from ictappraise.services import appraisal, remarks
from tests.support import member_ws, run_cli

SECRETARY = "Chuyên viên C"
REASON = "Đơn vị đã bổ sung minh chứng sau buổi thẩm định"


def _reopened_htb(db: Path) -> None:
    """Hàm Thuận Bắc (IV.3 scored 0) reopened, its Hạn chế text not naming IV.3."""
    lead = member_ws(db, "Nguyễn Thị Thắng")
    agency_id = lead.find_agency("HUHTB").id
    appraisal.reopen(lead, agency_id, "Sửa phần nhận xét")
    appraisal.set_visit(lead, agency_id, weaknesses="- Tỷ lệ ký số văn bản đi chưa cao.")
    lead.db.close()


def _state(db: Path) -> remarks.LineState:
    ws = member_ws(db, SECRETARY)
    try:
        states = remarks.line_states(ws.detail(ws.find_agency("HUHTB").id))
    finally:
        ws.db.close()
    return next(s for s in states if s.line.key == "crit/IV.3")


def test_list_drop_with_a_reason_and_print_again(demo_db: Path) -> None:
    _reopened_htb(demo_db)
    db = str(demo_db)
    listed = run_cli(None, "required-lines", "--db", db, "--agency", "HUHTB")
    assert listed.returncode == 0, listed.stderr
    assert "crit/IV.3" in listed.stdout and "in tự động sau phần Hạn chế" in listed.stdout

    no_reason = run_cli(
        None, "required-lines", "--db", db, "--agency", "HUHTB", "--drop", "crit/IV.3", "--as", SECRETARY
    )
    assert no_reason.returncode != 0 and "Phải ghi --reason" in no_reason.stderr
    assert _state(demo_db).state == remarks.LINE_PRINTED

    member = run_cli(
        None, "required-lines", "--db", db, "--agency", "HUHTB", "--drop", "crit/IV.3", "--reason", REASON,
        "--as", "Chuyên viên A",
    )  # fmt: skip
    assert member.returncode != 0 and member.stderr.startswith("Lỗi:")
    assert _state(demo_db).state == remarks.LINE_PRINTED

    dropped = run_cli(
        None, "required-lines", "--db", db, "--agency", "HUHTB", "--drop", "crit/IV.3", "--reason", REASON,
        "--as", SECRETARY,
    )  # fmt: skip
    assert dropped.returncode == 0, dropped.stderr
    state = _state(demo_db)
    assert (state.state, state.reason) == (remarks.LINE_DROPPED, REASON)
    listed = run_cli(None, "required-lines", "--db", db, "--agency", "HUHTB")
    assert f"không in, lý do: {REASON}" in listed.stdout

    kept = run_cli(
        None, "required-lines", "--db", db, "--agency", "HUHTB", "--keep", "crit/IV.3", "--as", SECRETARY
    )
    assert kept.returncode == 0, kept.stderr
    assert _state(demo_db).state == remarks.LINE_PRINTED


def test_a_line_that_is_not_required_is_refused(demo_db: Path) -> None:
    _reopened_htb(demo_db)
    result = run_cli(
        None,
        "required-lines",
        "--db",
        str(demo_db),
        "--agency",
        "HUHTB",
        "--keep",
        "crit/I.1",
        "--as",
        SECRETARY,
    )
    assert result.returncode != 0 and "không phải một ý Hạn chế bắt buộc" in result.stderr
