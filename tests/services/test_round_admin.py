"""The lead's use cases: settings, thresholds, agencies, team, schedule — and who may do them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ictappraise.domain.rating import Band
from ictappraise.services import round_admin as admin
from ictappraise.services.field_text import member_names
from ictappraise.services.workspace import ServiceError, VisitLocked
from tests.support import member_ws

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_rating_settings_are_refused_while_minutes_are_signed(lead_ws):
    """Signed minutes are final (docs/rules.md §6): the deadline, quota and thresholds that rated them stay."""
    with pytest.raises(ServiceError, match="biên bản đã ký"):
        admin.set_round_settings(lead_ws, report_deadline=date(2022, 12, 10))
    with pytest.raises(ServiceError, match="biên bản đã ký"):
        admin.set_round_settings(lead_ws, portal_quota=1)
    assert lead_ws.round_info().portal_quota == 4
    assert admin.set_round_settings(lead_ws, name="Đợt 2022 (sửa tên)") == 1  # not a rating input


def test_round_settings_are_written_and_validated(fresh_lead_ws):
    lead_ws = fresh_lead_ws
    changed = admin.set_round_settings(
        lead_ws,
        name="Đợt thử",
        report_deadline=date(2022, 11, 25),
        portal_quota=5,
        legal_basis=["  Công văn 1  ", "", "Quyết định 2"],
        minutes_copies=3,
    )
    info = lead_ws.round_info()
    assert changed == 5
    assert (info.name, info.report_deadline, info.portal_quota, info.minutes_copies) == (
        "Đợt thử",
        date(2022, 11, 25),
        5,
        3,
    )
    assert info.legal_basis == ("Công văn 1", "Quyết định 2")
    assert admin.set_round_settings(lead_ws, portal_quota=5) == 0  # unchanged: nothing written
    with pytest.raises(ServiceError, match="số nguyên"):
        admin.set_round_settings(lead_ws, portal_quota="-1")
    with pytest.raises(ServiceError, match="trước hoặc bằng"):
        admin.set_round_settings(lead_ws, visit_start=date(2022, 12, 21))
    with pytest.raises(ServiceError, match="để trống"):
        admin.set_round_settings(lead_ws, name="  ")


def test_only_the_lead_changes_the_round(demo_db):
    ws = member_ws(demo_db, "Chuyên viên A")
    try:
        assert not admin.is_lead(ws)
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            admin.set_round_settings(ws, portal_quota=9)
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            admin.add_agency(ws, "X", "Đơn vị X", 3)
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            admin.add_member(ws, "Người mới", "", "member")
        # a member may set their own signature image
        me = ws.find_member("Chuyên viên A")
        admin.set_member_signature(ws, me.id, PNG)
        assert admin.member_signature(ws, me.id) == PNG
        other = ws.find_member("Chuyên viên B")
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            admin.set_member_signature(ws, other.id, PNG)
    finally:
        ws.db.close()


def test_thresholds_change_the_band_and_keep_the_catalog_maximum(lead_ws):
    admin.set_thresholds(lead_ws, 3, tot="460", kha="410", trung_binh="360")
    rules = lead_ws.rules()[3]
    assert (rules.maximum, rules.tot) == (Decimal(500), Decimal(460))
    assert rules.base_band(Decimal(455)) is Band.KHA
    with pytest.raises(ServiceError, match="tổng điểm bộ tiêu chí"):
        admin.set_thresholds(lead_ws, 3, tot=460, kha=410, trung_binh=360, maximum=600)
    with pytest.raises(ServiceError, match="Trung bình ≤ Khá ≤ Tốt"):
        admin.set_thresholds(lead_ws, 3, tot=400, kha=410, trung_binh=360)
    with pytest.raises(ServiceError, match="một số"):
        admin.set_thresholds(lead_ws, 3, tot="nhiều", kha=410, trung_binh=360)


def test_add_rename_category_and_deactivate_an_agency(lead_ws):
    new_id = admin.add_agency(lead_ws, " bqlda ", "Ban Quản lý dự án", 3)
    agency = lead_ws.agency(new_id)
    assert (agency.code, agency.category) == ("BQLDA", 3)
    assert any(r.agency.id == new_id and r.order == 26 for r in admin.agency_rows(lead_ws))
    with pytest.raises(ServiceError, match="đã dùng"):
        admin.add_agency(lead_ws, "HUTP", "Đơn vị trùng mã", 2)
    with pytest.raises(ServiceError, match="Đã có đơn vị"):
        admin.add_agency(lead_ws, "ZZ", "huyện ủy  tuy phong", 2)
    with pytest.raises(ServiceError, match="Phụ lục 9"):
        admin.add_agency(lead_ws, "ZZ", "Đơn vị Z", 9)
    admin.rename_agency(lead_ws, new_id, "Ban Quản lý các dự án", code="BQL")
    assert lead_ws.agency(new_id).name == "Ban Quản lý các dự án"
    admin.change_category(lead_ws, new_id, 4)
    assert lead_ws.agency(new_id).category == 4
    assert lead_ws.detail(new_id).catalog.category == 4
    admin.deactivate_agency(lead_ws, new_id)
    assert new_id not in {a.id for a in lead_ws.agencies()}


def test_an_agency_with_scores_keeps_its_category_and_needs_a_reason_to_leave(lead_ws):
    hutp = lead_ws.find_agency("HUTP")
    assert admin.has_scores(lead_ws, hutp.id)
    with pytest.raises(ServiceError, match="đã có điểm"):
        admin.change_category(lead_ws, hutp.id, 3)
    with pytest.raises(ServiceError, match="lý do"):
        admin.deactivate_agency(lead_ws, hutp.id)
    admin.deactivate_agency(lead_ws, hutp.id, reason="Sáp nhập theo quyết định của Tỉnh ủy")
    line = lead_ws.history(f"agency/{hutp.id}/active")[-1]
    assert line.edit.reason == "Sáp nhập theo quyết định của Tỉnh ủy"


def test_team_members(lead_ws):
    new_id = admin.add_member(lead_ws, "Trần Văn Mới", "Chuyên viên", "member")
    assert lead_ws.member(new_id).title == "Chuyên viên"
    admin.edit_member(lead_ws, new_id, name="Trần Văn Mới", title="Phó Trưởng phòng", role="secretary")
    assert lead_ws.member(new_id).role_label == "Thư ký"
    with pytest.raises(ServiceError, match="đã có thành viên"):
        admin.add_member(lead_ws, "chuyên viên a", "", "member")
    with pytest.raises(ServiceError, match="Vai trò"):
        admin.add_member(lead_ws, "Ai đó", "", "boss")
    lead = lead_ws.find_member("Nguyễn Thị Thắng")
    with pytest.raises(ServiceError, match="Tổ trưởng duy nhất"):
        admin.edit_member(lead_ws, lead.id, name=lead.name, title=lead.title, role="member")
    with pytest.raises(ServiceError, match="phải luôn có Tổ trưởng"):
        admin.deactivate_member(lead_ws, lead.id)
    admin.set_member_signature(lead_ws, new_id, PNG)
    assert admin.member_signature(lead_ws, new_id) == PNG
    with pytest.raises(ServiceError, match="PNG, JPEG"):
        admin.set_member_signature(lead_ws, new_id, b"not an image")
    admin.deactivate_member(lead_ws, new_id, "Chuyển công tác")
    assert lead_ws.member(new_id) is None
    assert member_names(lead_ws, [new_id]) == ["Trần Văn Mới"]  # history keeps the name


def test_schedule_normalises_time_and_is_locked_when_signed(lead_ws):
    hupq = lead_ws.find_agency("HUPQ")
    admin.set_schedule(lead_ws, hupq.id, date(2022, 12, 16), "7h30")
    agency = lead_ws.agency(hupq.id)
    assert (agency.visit_date, agency.visit_time) == (date(2022, 12, 16), "07:30")
    with pytest.raises(ServiceError, match="Giờ «25:00»"):
        admin.set_schedule(lead_ws, hupq.id, date(2022, 12, 16), "25:00")
    signed = lead_ws.find_agency("HUTP")
    with pytest.raises(VisitLocked):
        admin.set_schedule(lead_ws, signed.id, date(2022, 12, 19), "08:00")


def test_catalog_rows(lead_ws):
    rows = {r.category: r for r in admin.catalog_rows(lead_ws)}
    assert rows[2].maximum == Decimal(800) and rows[2].agencies == 12 and rows[2].sample
    assert 20 <= rows[7].criteria <= 35


def test_times_typed_as_digits_alone_are_understood():
    assert admin.normalize_time("1130") == "11:30"  # as typed fast during a visit
    assert admin.normalize_time("730") == "07:30"
    for wrong in ("2460", "1175", "12345"):
        with pytest.raises(ServiceError, match="không hợp lệ"):
            admin.normalize_time(wrong)
