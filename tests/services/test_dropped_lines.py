"""A required "Hạn chế" line dropped only with a reason, kept in the history, locked by signing,
carried by packages, covered by the fingerprint, and omitted from the minutes (docs/rules.md §6)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from ictappraise.domain.fields import dropped_line_field
from ictappraise.services import appraisal, merge, minutes, remarks
from ictappraise.services.fingerprint import fingerprint
from ictappraise.services.history import describe_history
from ictappraise.services.package_export import export_package
from ictappraise.services.visit_details import drop_required_line, keep_required_line
from ictappraise.services.workspace import ServiceError, Workspace
from tests.support import member_ws

REASON = "IV.3 đã được nêu trong Kiến nghị, đơn vị cam kết khắc phục trong tháng 01-2023"
OWN_TEXT = "- Tỷ lệ ký số văn bản đi chưa cao."


def _weaknesses_section(path: Path) -> str:
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)
    return text[text.index("2. Hạn chế") : text.index("3. Kiến nghị")]


def _reopened_htb(db: Path) -> tuple[Workspace, str]:
    """Hàm Thuận Bắc (IV.3 scored 0) reopened by the lead; the secretary's own Hạn chế omits IV.3."""
    lead = member_ws(db, "Nguyễn Thị Thắng")
    agency_id = lead.find_agency("HUHTB").id
    appraisal.reopen(lead, agency_id, "Sửa phần nhận xét")
    lead.db.close()
    secretary = member_ws(db, "Chuyên viên C")
    appraisal.set_visit(secretary, agency_id, weaknesses=OWN_TEXT)
    return secretary, agency_id


def _state(ws: Workspace, agency_id: str, key: str) -> remarks.LineState:
    return next(s for s in remarks.line_states(ws.detail(agency_id)) if s.line.key == key)


def test_dropping_needs_a_reason_and_the_minutes_then_omit_the_line(demo_db: Path, tmp_path: Path) -> None:
    ws, agency_id = _reopened_htb(demo_db)
    assert _state(ws, agency_id, "crit/IV.3").state == remarks.LINE_PRINTED
    minutes.write_minutes(ws, agency_id, tmp_path / "before.pdf")
    assert "IV.3" in _weaknesses_section(tmp_path / "before.pdf")  # printed after her own text
    before = fingerprint(ws.detail(agency_id))

    with pytest.raises(ServiceError, match="Phải ghi lý do"):
        drop_required_line(ws, agency_id, "crit/IV.3", "   ")
    with pytest.raises(ServiceError, match="không \\(còn\\) là ý Hạn chế bắt buộc"):
        drop_required_line(ws, agency_id, "crit/I.1", REASON)
    assert ws.detail(agency_id).visit.dropped == ()

    drop_required_line(ws, agency_id, "crit/IV.3", REASON)
    state = _state(ws, agency_id, "crit/IV.3")
    assert (state.state, state.reason) == (remarks.LINE_DROPPED, REASON)
    assert remarks.missing_weaknesses(ws.detail(agency_id)) == ()
    minutes.write_minutes(ws, agency_id, tmp_path / "after.pdf")
    section = _weaknesses_section(tmp_path / "after.pdf")
    assert "IV.3" not in section and "Tỷ lệ ký số văn bản đi chưa cao" in section
    assert fingerprint(ws.detail(agency_id)) != before  # the fingerprint covers the decision

    keep_required_line(ws, agency_id, "crit/IV.3")
    assert _state(ws, agency_id, "crit/IV.3").state == remarks.LINE_PRINTED
    assert fingerprint(ws.detail(agency_id)) == before
    ws.db.close()


def test_the_history_says_who_when_and_why(demo_db: Path) -> None:
    ws, agency_id = _reopened_htb(demo_db)
    drop_required_line(ws, agency_id, "crit/IV.3", REASON)
    keep_required_line(ws, agency_id, "crit/IV.3")
    rows = [
        r for r in describe_history(ws, agency_id) if r.field == dropped_line_field(agency_id, "crit/IV.3")
    ]
    assert [(r.what, r.who, r.new, r.reason) for r in rows] == [
        (
            "Buổi thẩm định · Ý Hạn chế bắt buộc: tiêu chí IV.3",
            "Chuyên viên C",
            f"Bỏ khỏi biên bản, lý do: {REASON}",
            REASON,
        ),
        ("Buổi thẩm định · Ý Hạn chế bắt buộc: tiêu chí IV.3", "Chuyên viên C", "In trong biên bản", ""),
    ]
    assert all(r.moment is not None for r in rows)
    ws.db.close()


def test_a_member_may_not_drop_and_signing_locks_the_decision(demo_db: Path) -> None:
    ws, agency_id = _reopened_htb(demo_db)
    ws.db.close()
    member = member_ws(demo_db, "Chuyên viên A")
    with pytest.raises(ServiceError, match="Chỉ Tổ trưởng hoặc Thư ký được thay đổi ý Hạn chế bắt buộc"):
        drop_required_line(member, agency_id, "crit/IV.3", REASON)
    member.db.close()
    lead = member_ws(demo_db, "Nguyễn Thị Thắng")
    drop_required_line(lead, agency_id, "crit/IV.3", REASON)
    appraisal.mark_ready(lead, agency_id)
    _revision, print_ = minutes.sign(lead, agency_id)
    assert print_ == fingerprint(lead.detail(agency_id))
    with pytest.raises(ServiceError, match="(?i)đã ký"):
        keep_required_line(lead, agency_id, "crit/IV.3")
    assert _state(lead, agency_id, "crit/IV.3").state == remarks.LINE_DROPPED
    lead.db.close()


def test_the_decision_travels_in_a_package(demo_template: Path, tmp_path: Path) -> None:
    laptop, office = tmp_path / "laptop.db", tmp_path / "office.db"
    shutil.copyfile(demo_template, laptop)
    shutil.copyfile(demo_template, office)
    ws, agency_id = _reopened_htb(laptop)
    drop_required_line(ws, agency_id, "crit/IV.3", REASON)
    package = tmp_path / "secretary.ictx"
    export_package(ws, package)
    ws.db.close()
    lead = member_ws(office, "Nguyễn Thị Thắng")
    merge.merge_packages(lead, [package], confirmed=True)
    assert lead.detail(agency_id).visit.dropped == (("crit/IV.3", REASON),)
    assert _state(lead, agency_id, "crit/IV.3").state == remarks.LINE_DROPPED
    lead.db.close()


def test_a_malformed_decision_in_a_package_is_refused() -> None:
    from ictappraise.services.field_values import value_problem

    name = dropped_line_field("a1", "crit/IV.3")
    assert value_problem(name, {"reason": REASON}) is None and value_problem(name, None) is None
    assert value_problem(name, {"reason": ""})
    assert value_problem(name, "bỏ")
    assert value_problem(dropped_line_field("a1", "fact/deadline"), {"reason": REASON})
