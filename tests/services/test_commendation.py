"""Commendation: the program's candidates by the round's rules, the lead's decisions, the report."""

from __future__ import annotations

import pytest

from ictappraise.services import commendation, results_report
from ictappraise.services.workspace import ServiceError, Workspace
from tests.support import member_ws


def test_program_proposes_by_the_rules(lead_ws: Workspace) -> None:
    found = {lead_ws.agency(a).code: why for a, why in commendation.candidates(lead_ws).items()}
    # Tốt without penalty: TUPT first of Phụ lục 2, HUTP second by share of the maximum.
    assert set(found) == {"TUPT", "HUTP"}
    assert "đứng đầu Phụ lục 2" in found["TUPT"] and "năm 2021: Tốt" in found["TUPT"]
    assert "thứ 2 trong 3 đơn vị" in found["HUTP"] and "năm 2021: Khá" in found["HUTP"]
    commendation.set_rules(lead_ws, 1)
    found = {lead_ws.agency(a).code for a in commendation.candidates(lead_ws)}
    assert found == {"TUPT"}
    with pytest.raises(ServiceError, match="từ 1 đến 25"):
        commendation.set_rules(lead_ws, 0)


def test_lead_decides_and_the_report_prints_it(lead_ws: Workspace) -> None:
    hutp = lead_ws.find_agency("HUTP").id
    tupt = lead_ws.find_agency("TUPT").id
    commendation.decide(lead_ws, tupt, None, [])  # the lead declines the program's candidate
    commendation.decide(
        lead_ws,
        hutp,
        "Tiến bộ vượt bậc: từ Khá lên Tốt",
        [{"name": "Lê Văn E", "reason": "Sao lưu hằng tuần"}],
    )
    items = {p.code: p for p in commendation.proposals(lead_ws)}
    assert "TUPT" not in items
    assert items["HUTP"].source == "lead" and items["HUTP"].model_reason == "Tiến bộ vượt bậc: từ Khá lên Tốt"
    doc = results_report.report_doc(lead_ws)
    table = next(t for t in doc.extra_tables if t.title == "Đề xuất khen thưởng")
    assert (
        "Huyện ủy Tuy Phong",
        "Đơn vị điển hình",
        "Tiến bộ vượt bậc: từ Khá lên Tốt",
        "Tổ trưởng xác nhận",
    ) in (table.rows)
    followups = next(t for t in doc.extra_tables if t.title.startswith("Kết quả khắc phục"))
    assert followups.rows[-1] == ("Cộng", "12", "7", "3", "0", "2")
    with pytest.raises(ServiceError, match="họ tên và lý do"):
        commendation.decide(lead_ws, hutp, None, [{"name": "Lê Văn E", "reason": " "}])


def test_only_the_lead_decides(demo_db) -> None:
    ws = member_ws(demo_db, "Chuyên viên B")
    try:
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            commendation.decide(ws, ws.find_agency("HUTP").id, "x", [])
        # The team names individuals at the visit (any member), locked once signed.
        hupq = ws.find_agency("HUPQ").id
        commendation.set_individuals(ws, hupq, [{"name": "Đặng H", "title": "", "reason": "Tích cực"}])
        assert commendation.named_individuals(ws, hupq)[0].name == "Đặng H"
    finally:
        ws.db.close()
