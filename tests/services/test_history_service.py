"""The audit trail in words."""

from __future__ import annotations

from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services.history import describe_history


def test_criterion_history_reads_like_a_clerk_writes(lead_ws):
    vptu = lead_ws.find_agency("VPTU")
    catalog = lead_ws.catalog(2)
    yes_no = next(c for c in catalog.leaves() if c.rule.kind == "yes_no")
    svc.set_appraisal(lead_ws, vptu.id, yes_no.code, Appraisal(input=False), reason="Không có minh chứng")
    svc.set_appraisal(lead_ws, vptu.id, yes_no.code, Appraisal(input=True))
    svc.set_appraisal(lead_ws, vptu.id, yes_no.code, None)
    rows = describe_history(lead_ws, vptu.id, yes_no.code)
    last = rows[-3:]
    points = f"{yes_no.maximum.normalize():f}"
    assert [r.new for r in last] == ["Không → 0 điểm", f"Có → {points} điểm", "chưa chấm"]
    assert last[1].old == "Không → 0 điểm" and last[0].reason == "Không có minh chứng"
    assert {r.who for r in last} == {"Nguyễn Thị Thắng"}
    assert last[0].what == "Điểm thẩm định"
    assert len(last[0].time) == len("14/12/2022 21:00")


def test_agency_history_labels_visit_and_status(lead_ws):
    hutp = lead_ws.find_agency("HUTP")
    rows = describe_history(lead_ws, hutp.id)
    whats = {r.what for r in rows}
    assert "Trạng thái biên bản" in whats and "Buổi thẩm định · Đại diện đơn vị" in whats
    team = next(r for r in rows if r.what == "Buổi thẩm định · Thành viên Tổ tham dự")
    assert "Nguyễn Thị Thắng" in team.new
    status = [r.new for r in rows if r.what == "Trạng thái biên bản"]
    assert status[-1] == "Đã ký (lần 1)"
    assert any(r.what.startswith("Tiêu chí I.1 · ") for r in rows)
