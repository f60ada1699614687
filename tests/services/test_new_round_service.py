"""A new round from the open one: agencies, team, catalogs and thresholds copied, scores empty."""

from __future__ import annotations

from datetime import date

import pytest

from ictappraise.services import new_round
from ictappraise.services import round_admin as admin
from ictappraise.services.workspace import ServiceError, Workspace
from ictappraise.store.database import open_database
from tests.support import member_ws

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32


def test_new_round_copies_the_round_but_not_the_scores(lead_ws, tmp_path):
    lead = lead_ws.find_member("Nguyễn Thị Thắng")
    admin.set_member_signature(lead_ws, lead.id, PNG)
    admin.set_thresholds(lead_ws, 7, tot=360, kha=300, trung_binh=250)
    plan = new_round.suggest(lead_ws)
    assert (plan.key, plan.year, plan.visit_start) == ("binh-thuan-2023", 2023, date(2023, 12, 9))
    assert "2023" in plan.name
    target = tmp_path / "dot-2023.db"
    result = new_round.start_new_round(lead_ws, target, plan)
    assert (result.agencies, result.members, result.catalogs) == (25, 4, 6)

    db = open_database(target)
    try:
        ws = Workspace(db)
        info = ws.round_info()
        assert (info.key, info.year, info.report_deadline) == ("binh-thuan-2023", 2023, date(2023, 11, 30))
        assert info.legal_basis == lead_ws.round_info().legal_basis
        assert {a.code for a in ws.agencies()} == {a.code for a in lead_ws.agencies()}
        assert all(a.visit_date is None for a in ws.agencies())
        assert str(ws.rules()[7].tot) == "360"
        assert ws.catalog(2).checksum() == lead_ws.catalog(2).checksum()
        hutp = ws.find_agency("HUTP")
        detail = ws.detail(hutp.id)
        assert detail.status == "not_started" and detail.scorecard.total == 0
        assert all(e.self_points is None and e.appraisal is None for e in detail.entries.values())
        new_lead = ws.find_member("Nguyễn Thị Thắng")
        assert new_lead.role == "lead"
        ws.actor = lead_ws.actor
        assert admin.member_signature(ws, new_lead.id) == PNG
    finally:
        db.close()


def test_new_round_is_deterministic_and_refuses_bad_plans(lead_ws, tmp_path):
    plan = new_round.suggest(lead_ws)
    one = new_round.start_new_round(lead_ws, tmp_path / "a.db", plan)
    two = new_round.start_new_round(lead_ws, tmp_path / "b.db", plan)
    assert one.edits == two.edits
    with pytest.raises(ServiceError, match="đã có"):
        new_round.start_new_round(lead_ws, tmp_path / "a.db", plan)
    with pytest.raises(ServiceError, match="khác mã đợt đang mở"):
        new_round.start_new_round(lead_ws, tmp_path / "c.db", plan.__class__("binh-thuan-2022", 2023, "x"))
    with pytest.raises(ServiceError, match="không hợp lệ"):
        new_round.start_new_round(lead_ws, tmp_path / "c.db", plan.__class__("Bình Thuận", 2023, "x"))
    assert not (tmp_path / "c.db").exists()


def test_only_the_lead_starts_a_round(demo_db, tmp_path):
    ws = member_ws(demo_db, "Chuyên viên B")
    try:
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            new_round.start_new_round(ws, tmp_path / "x.db", new_round.suggest(ws))
    finally:
        ws.db.close()
