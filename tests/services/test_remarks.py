"""Minutes remarks derived from and checked against the table."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from ictappraise.services import appraisal, minutes, remarks
from ictappraise.services.workspace import Workspace


def full_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def test_ham_thuan_bac_names_iv3_and_praises_nothing_that_scored_0(
    lead_ws: Workspace, tmp_path: Path
) -> None:
    agency = lead_ws.find_agency("HUHTB")
    detail = lead_ws.detail(agency.id)
    assert detail.scorecard.failed == ("IV.3",)
    minutes.write_minutes(lead_ws, agency.id, tmp_path / "htb.pdf")
    text = full_text(tmp_path / "htb.pdf")
    strengths = _section(text, "1. Ưu điểm", "2. Hạn chế")
    weaknesses = _section(text, "2. Hạn chế", "3. Kiến nghị")
    assert "IV.3" in weaknesses and "không đạt (0/20 điểm)" in weaknesses
    assert "máy tính độc lập" not in strengths  # IV.3 scored 0: not praised
    assert remarks.contradictions(detail) == () and remarks.remark_warnings(detail) == []


def test_every_demo_minutes_agrees_with_its_table(lead_ws: Workspace) -> None:
    """La Gi names the portal, Hàm Thuận Nam the late report, Tánh Linh the missing one."""
    expected = {"TULG": "tin, bài", "HUHTN": "muộn 7 ngày", "HUTL": "không kèm báo cáo"}
    for agency in lead_ws.agencies():
        detail = lead_ws.detail(agency.id)
        if not detail.visit.strengths:
            continue
        assert remarks.contradictions(detail) == (), agency.code
        assert remarks.missing_weaknesses(detail) == (), agency.code
        if agency.code in expected:
            assert expected[agency.code] in detail.visit.weaknesses, agency.code


def test_a_dropped_weakness_is_printed_anyway_and_said_before_signing(lead_ws: Workspace) -> None:
    ws = lead_ws
    agency = ws.find_agency("HUHTB")
    appraisal.reopen(ws, agency.id, "Sửa nhận xét")
    appraisal.set_visit(
        ws,
        agency.id,
        strengths="Bố trí máy tính độc lập dùng soạn thảo văn bản mật theo quy định.",
        weaknesses="Tỷ lệ ký số văn bản đi chưa cao.",
    )
    detail = ws.detail(agency.id)
    [praise] = remarks.contradictions(detail)
    assert praise.code == "IV.3" and "0/20 điểm" in praise.sentence()
    [missing] = remarks.missing_weaknesses(detail)
    assert missing.key == "crit/IV.3"
    printed = remarks.weaknesses_text(detail)
    assert printed.startswith("Tỷ lệ ký số văn bản đi chưa cao.") and "Tiêu chí IV.3" in printed
    warnings = remarks.remark_warnings(detail)
    assert len(warnings) == 2 and "IV.3" in warnings[0] and "Hạn chế chưa nêu" in warnings[1]
    # Reworded but still naming the criterion: covered, nothing added.
    appraisal.set_visit(ws, agency.id, weaknesses="Chưa có máy tính soạn thảo văn bản mật (IV.3).")
    assert remarks.missing_weaknesses(ws.detail(agency.id)) == ()


def test_a_code_prefix_is_not_a_mention() -> None:
    item = remarks.Required("crit/IV.3", "…", ("IV.3",))
    assert item.covered_by("tiêu chí IV.3 không đạt") and item.covered_by("(iv.3)")
    assert not item.covered_by("tiêu chí IV.31") and not item.covered_by("IV.3.a")
