"""Signing the minutes: fingerprint and revision stored, scores locked, reopening needs a reason."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from pdf_testing import acting, full_text
from pypdf import PdfReader

from ictappraise.domain.fields import status_field
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal, minutes
from ictappraise.services.workspace import ServiceError, VisitLocked, Workspace


def _ready(ws: Workspace) -> str:
    """Thành ủy Phan Thiết: every criterion scored, ready to sign in the demo."""
    return ws.find_agency("TUPT").id


def test_fingerprint_is_stable_and_follows_the_data(lead_ws: Workspace) -> None:
    agency_id = _ready(lead_ws)
    detail = lead_ws.detail(agency_id)
    first = minutes.fingerprint(detail)
    assert len(first) == 12 and first == minutes.fingerprint(lead_ws.detail(agency_id))
    code = next(code for code, entry in detail.entries.items() if not entry.note)
    appraisal.set_text(lead_ws, agency_id, code, "note", "Đã xem kế hoạch bản gốc.")
    changed = minutes.fingerprint(lead_ws.detail(agency_id))
    assert changed != first
    appraisal.set_text(lead_ws, agency_id, code, "note", "")
    assert minutes.fingerprint(lead_ws.detail(agency_id)) == first  # undo brings it back


def test_sign_stores_fingerprint_and_revision_and_the_minutes_show_them(
    lead_ws: Workspace, tmp_path: Path
) -> None:
    agency_id = _ready(lead_ws)
    printed = minutes.minutes_doc(lead_ws, agency_id)  # the copy taken to the table to be signed
    assert (printed.revision, printed.signed, printed.draft) == (1, False, False)
    revision, print_ = minutes.sign(lead_ws, agency_id)
    assert (revision, print_) == (1, printed.fingerprint)
    status = lead_ws.detail(agency_id).status_value
    assert status["state"] == "signed" and status["fingerprint"] == print_ and status["revision"] == 1
    path = tmp_path / "tupt.pdf"
    minutes.write_minutes(lead_ws, agency_id, path)
    # The page says only the verification code; revision and state are in the metadata.
    assert f"Mã đối chiếu: {print_}" in full_text(path) and "Lần lập" not in full_text(path)
    assert PdfReader(str(path)).metadata["/Keywords"] == f"Lần lập: 1, Mã nội dung: {print_}, Đã ký"


def test_signed_visit_is_locked_and_reopening_records_the_reason(lead_ws: Workspace, demo_db: Path) -> None:
    agency_id = _ready(lead_ws)
    minutes.sign(lead_ws, agency_id)
    with pytest.raises(VisitLocked, match="đã ký"):
        appraisal.set_appraisal(lead_ws, agency_id, "I.1", Appraisal(override=Decimal(5)))
    with pytest.raises(VisitLocked):
        appraisal.set_visit(lead_ws, agency_id, end="11:00")
    with pytest.raises(ServiceError, match="đã được ký"):
        minutes.sign(lead_ws, agency_id)
    with pytest.raises(ServiceError, match="lý do"):
        minutes.reopen(lead_ws, agency_id, "  ")
    member = acting(_copy(demo_db), "Chuyên viên A")
    try:
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            minutes.reopen(member, agency_id, "Muốn sửa điểm")
    finally:
        member.db.close()
    minutes.reopen(lead_ws, agency_id, "Đơn vị bổ sung minh chứng tiêu chí I.1")
    history = lead_ws.history(status_field(agency_id))
    reopened = [h for h in history if h.new_value.get("state") == "reopened"]
    assert reopened[-1].edit.reason == "Đơn vị bổ sung minh chứng tiêu chí I.1"
    appraisal.set_appraisal(lead_ws, agency_id, "I.1", Appraisal(override=Decimal(10)))
    appraisal.set_text(lead_ws, agency_id, "I.1", "note", "Kế hoạch ban hành sau thời hạn.")
    detail = lead_ws.detail(agency_id)
    assert minutes.revision_of(detail) == 2
    revision, print_ = minutes.sign(lead_ws, agency_id)
    assert revision == 2
    assert lead_ws.detail(agency_id).status_value["fingerprint"] == print_


def _copy(path: Path) -> Path:
    target = path.with_name("member-copy.db")
    shutil.copyfile(path, target)
    return target


def test_signing_is_refused_while_criteria_are_unscored(lead_ws: Workspace) -> None:
    agency_id = lead_ws.find_agency("VPTU").id
    with pytest.raises(ServiceError, match="chưa chấm"):
        minutes.sign(lead_ws, agency_id)
    assert not lead_ws.is_signed(agency_id)


def test_minutes_are_refused_with_an_open_conflict(lead_ws: Workspace, demo_db: Path) -> None:
    agency_id = _ready(lead_ws)
    other = acting(_copy(demo_db), "Chuyên viên B", device="laptop-b")
    try:
        theirs = other.set(f"agency/{agency_id}/crit/I.1/note", "Ghi chú của máy B")
    finally:
        other.db.close()
    appraisal.set_text(lead_ws, agency_id, "I.1", "note", "Ghi chú của Tổ trưởng")
    lead_ws.append(theirs)  # the merge brings a second head for the same field
    with pytest.raises(ServiceError, match="xung đột"):
        minutes.minutes_doc(lead_ws, agency_id)
    with pytest.raises(ServiceError, match="xung đột"):
        minutes.sign(lead_ws, agency_id)
    jobs, skipped = minutes.prepare_batch(lead_ws, [lead_ws.agency(agency_id)], demo_db.parent)
    assert not jobs and "xung đột" in skipped[0].reason


def test_batch_of_a_day_writes_each_agency_and_can_be_cancelled(lead_ws: Workspace, tmp_path: Path) -> None:
    from datetime import date

    agencies = minutes.agencies_on(lead_ws, date(2022, 12, 9))
    assert [a.code for a in agencies] == ["HUTP", "HUBB"]
    jobs, skipped = minutes.prepare_batch(lead_ws, agencies, tmp_path)
    assert not skipped
    seen: list[tuple[int, int]] = []
    written = minutes.render_batch(jobs, lambda done, total, _name: seen.append((done, total)) or done < 1)
    assert [p.name for p in written] == ["2022-12-09_HUTP_bien-ban-tham-dinh.pdf"]
    assert seen == [(0, 2), (1, 2)]
    assert "Huyện ủy Tuy Phong" in full_text(written[0])
    with pytest.raises(ServiceError, match="Không có đơn vị nào"):
        minutes.agencies_on(lead_ws, date(2022, 12, 25))
