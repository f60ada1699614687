"""The chain of rounds: the archive a round keeps, the link, trends and last year's follow-ups."""

from __future__ import annotations

import pytest

from ictappraise.services import chain, followup, minutes, new_round
from ictappraise.services.errors import VisitLocked
from ictappraise.services.field_values import FieldValueError, check_field_value
from ictappraise.services.workspace import ServiceError, Workspace
from ictappraise.store.database import open_database
from tests.support import member_ws


def test_demo_keeps_2021_linked_by_fingerprint(lead_ws: Workspace) -> None:
    link = chain.link(lead_ws)
    assert link is not None and (link["key"], link["year"]) == ("binh-thuan-2021", 2021)
    assert chain.link_intact(lead_ws) is True
    last = chain.trends(lead_ws).last("HUTP")
    assert (last.year, last.band, str(last.total), str(last.maximum)) == (2021, "Khá", "741.5", "800")
    assert len(followup.items(lead_ws, lead_ws.find_agency("HUTP").id)) == 3


def test_new_round_archives_this_year_and_carries_the_chain(lead_ws: Workspace, tmp_path) -> None:
    plan = new_round.for_year(lead_ws, 2023)
    new_round.start_new_round(lead_ws, tmp_path / "2023.db", plan)
    db = open_database(tmp_path / "2023.db")
    try:
        ws = Workspace(db)
        assert [a.year for a in chain.archives(ws)] == [2022, 2021]
        assert chain.link(ws)["key"] == "binh-thuan-2022"
        assert chain.link_intact(ws) is True
        hutp = chain.previous_of(ws, "HUTP")
        assert [(p.year, p.band) for p in hutp] == [(2022, "Tốt"), (2021, "Khá")]
        # HUTP's 2022 recommendation is now the checklist of the 2023 visit.
        items = followup.items(ws, ws.find_agency("HUTP").id)
        assert [i.year for i in items] == [2022, 2022]
        assert items[0].recommendation.startswith("Tiếp tục đẩy mạnh ký số")
        # Only last year's signed minutes count: VPTU's 2022 remarks are a draft, and HUPQ's 2021
        # recommendations are two years old.
        assert followup.items(ws, ws.find_agency("VPTU").id) == []
        assert followup.items(ws, ws.find_agency("HUPQ").id) == []
        assert chain.previous_of(ws, "HUPQ")[1].recommendations.startswith("Bố trí cán bộ")
    finally:
        db.close()


def test_the_archive_survives_without_the_old_file(lead_ws: Workspace, tmp_path) -> None:
    new_round.start_new_round(lead_ws, tmp_path / "2023.db", new_round.for_year(lead_ws, 2023))
    lead_ws.db.close()
    lead_ws.db.path.unlink()
    db = open_database(tmp_path / "2023.db")
    try:
        assert chain.previous_of(Workspace(db), "HUBB")[0].band == "Khá"
    finally:
        db.close()


def test_new_round_refuses_a_year_not_after_this_one(lead_ws: Workspace, tmp_path) -> None:
    with pytest.raises(ServiceError, match="phải sau năm"):
        new_round.start_new_round(lead_ws, tmp_path / "x.db", new_round.for_year(lead_ws, 2021))
    assert not (tmp_path / "x.db").exists()


def test_chain_values_are_checked_like_any_field(lead_ws: Workspace) -> None:
    good = chain.snapshot(lead_ws).to_json()
    check_field_value(lead_ws, "round/previous/2022", good)
    with pytest.raises(FieldValueError, match="không phải năm 2020"):
        check_field_value(lead_ws, "round/previous/2020", good)
    with pytest.raises(FieldValueError, match="Kết quả lưu trữ"):
        check_field_value(lead_ws, "round/previous/2022", {**good, "agencies": {"A": {"total": "x"}}})
    aid = lead_ws.find_agency("HUPQ").id
    check_field_value(lead_ws, f"agency/{aid}/visit/followup/1", {"state": "done", "note": ""})
    with pytest.raises(FieldValueError, match="Khắc phục kiến nghị năm trước"):
        check_field_value(lead_ws, f"agency/{aid}/visit/followup/1", {"state": "xong", "note": ""})
    with pytest.raises(FieldValueError):
        check_field_value(lead_ws, "round/commendation_rules", {"top_n": 0})


def test_followup_is_recorded_printed_and_locked_by_signing(lead_ws: Workspace) -> None:
    hupq = lead_ws.find_agency("HUPQ").id
    followup.set_followup(lead_ws, hupq, 2, "in_progress", "  Đã có   dự toán ")
    items = followup.items(lead_ws, hupq)
    assert [(i.state, i.note) for i in items] == [(None, ""), ("in_progress", "Đã có dự toán")]
    doc = minutes.minutes_doc(lead_ws, hupq)
    assert doc.followup_year == 2021
    assert doc.followups[1].endswith("— Đang khắc phục: Đã có dự toán")
    assert "2021: Trung bình (690/800)" in doc.trend
    with pytest.raises(ServiceError, match="số 3"):
        followup.set_followup(lead_ws, hupq, 3, "done")
    hutp = lead_ws.find_agency("HUTP").id  # signed in the demo
    with pytest.raises(VisitLocked):
        followup.set_followup(lead_ws, hutp, 1, "not_done")
    assert followup.items(lead_ws, hutp)[0].state == "done"


def test_code_map_is_the_leads(lead_ws: Workspace, demo_db) -> None:
    chain.set_code_map(lead_ws, {"HUTP-CU": "HUTP"})
    assert chain.code_map(lead_ws) == {"HUTP-CU": "HUTP"}
    with pytest.raises(ServiceError, match="không có trong đợt"):
        chain.set_code_map(lead_ws, {"A": "KHONGCO"})
    lead_ws.db.close()
    member = member_ws(demo_db, "Chuyên viên A")
    try:
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            chain.set_code_map(member, {"B": "HUTP"})
    finally:
        member.db.close()


def test_chain_fields_in_words(lead_ws: Workspace) -> None:
    from ictappraise.domain.fields import followup_field, parse_field
    from ictappraise.services.field_text import agency_value_text, field_title

    hupq = lead_ws.find_agency("HUPQ").id
    assert (
        field_title(f"agency/{hupq}/visit/followup/2")
        == "Buổi thẩm định — Khắc phục kiến nghị năm trước, mục 2"
    )
    value = {"state": "in_progress", "note": "Đã có dự toán"}
    followup = parse_field(followup_field(hupq, 2))
    assert agency_value_text(lead_ws, followup, value) == "Đang khắc phục: Đã có dự toán"
    assert field_title("round/previous/2021") == "Kết quả lưu trữ của đợt đánh giá năm 2021"
    assert field_title("round/code_map") == "Ghép mã đơn vị giữa các năm"
    assert field_title(f"round/commend/{hupq}") == "Đề xuất khen thưởng của Tổ trưởng"
