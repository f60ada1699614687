"""The results report: every agency, ranked, with totals, bands and counts matching the data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pdf_testing import fonts_embedded, full_text
from pypdf import PdfReader

from ictappraise.domain.numbers import format_points
from ictappraise.services import results_report
from ictappraise.services.workspace import Workspace


def test_report_ranks_every_agency_with_totals_bands_and_counts(lead_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    doc = results_report.write_report(lead_ws, path, date(2022, 12, 21))
    text = full_text(path)
    for expected in (
        "TỈNH ỦY BÌNH THUẬN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Phan Thiết, ngày 21 tháng 12 năm 2022",
        "BÁO CÁO Kết quả thẩm định, xếp hạng ứng dụng công nghệ thông tin năm 2022",
        "1. Phụ lục 2: Văn phòng Tỉnh ủy, các huyện ủy, thị ủy, thành ủy, Đảng ủy Khối",
        "Điểm tối đa 800; Tốt: từ 750 điểm; Khá: từ 700 đến dưới 750",
        "Hạng Đơn vị Tổng điểm Điểm tối đa Xếp loại cơ sở Hạ bậc, điểm liệt Xếp loại",
        "I. KẾT QUẢ XẾP LOẠI",
        "Biểu đồ: số đơn vị theo xếp loại",
        "T/M TỔ THẨM ĐỊNH TỔ TRƯỞNG",
        "Nguyễn Thị Thắng",
        f"Mã đối chiếu: {doc.fingerprint}",
    ):
        assert expected in text, expected
    results = lead_ws.results()
    assert len(results) == 25
    annex = text[text.index("PHỤ LỤC") :]  # the ranked tables (the sections before name agencies too)
    for result in results:
        card = result.scorecard
        assert result.agency.name in annex
        if result.rank is not None:
            line = f"{result.rank} {result.agency.name}"
            assert line in annex, line
            after = annex[annex.index(line) :]
            assert after.index(format_points(card.total)) < after.index(card.rating.band.value)
    # Tuy Phong is ranked with its own total and band, La Gi lowered to Yếu by the portal rule.
    assert "Huyện ủy Tuy Phong Đã ký biên bản 784,12 800 Tốt" in text
    assert "Thị ủy La Gi Đã ký biên bản 742,88 800 Khá Xếp loại Yếu: 3 tháng không đủ tin, bài" in text
    # Half scored: its total says what it covers, and no band, provisional or not.
    assert (
        "Văn phòng Tỉnh ủy Điểm của 20/34 tiêu chí đã chấm 499,71 800 — Chưa đủ điểm, chưa xếp loại" in text
    )
    assert "tạm tính" not in text and "Huyện ủy Phú Quý — 800 — Chưa thẩm định" in text
    ranked = [r for r in results if r.rank is not None]
    counts = dict(doc.counts)
    for band in ("Tốt", "Khá", "Trung bình", "Yếu"):
        assert counts[band][-1] == sum(1 for r in ranked if r.scorecard.rating.band.value == band)
    assert counts["Chưa xếp loại"][-1] == 25 - len(ranked)
    assert counts["Cộng"][-1] == 25
    tot = counts["Tốt"]
    assert f"Tốt {' '.join(str(n) for n in tot)}" in text


def test_report_has_a_chart_and_party_page_layout(lead_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    results_report.write_report(lead_ws, path, date(2022, 12, 21))
    reader = PdfReader(str(path))
    assert all(
        round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in reader.pages
    )
    chart = next(p.extract_text() for p in reader.pages if "Biểu đồ" in p.extract_text())
    assert "Tốt" in chart and "Trung bình" in chart and "Số đơn vị" in chart
    # The chain of rounds' sections follow part II: previous years, follow-ups, commendation.
    assert "V. ĐỀ XUẤT KHEN THƯỞNG" in full_text(path) and "VI. KIẾN NGHỊ" in full_text(path)


def test_report_is_a_party_document_the_standing_committee_can_decide_on(
    lead_ws: Workspace, tmp_path: Path
) -> None:
    """A Party document: number, date, what it is attached to, assessment, proposals, annex, Nơi nhận."""
    path = tmp_path / "report.pdf"
    doc = results_report.write_report(lead_ws, path)  # no date: the last signing date, not today
    text = full_text(path)
    assert doc.day == results_report.last_signing_date(lead_ws) == date(2022, 12, 13)
    assert "Số ……-BC/TTĐ" in text and "Phan Thiết, ngày 13 tháng 12 năm 2022" in text
    assert "(Kèm theo Tờ trình số ……-TTr/TTĐ) -----" in text
    assert "Tổ thẩm định đã thẩm định kết quả tự đánh giá" in text and "7/25 đơn vị đã ký biên bản" in text
    # Counts per band per category, with the unsigned ones said.
    assert (
        "Phụ lục 2 (12 đơn vị): Tốt 2, Khá 4, Trung bình 1, Yếu 2; 2 đơn vị chưa đủ điểm, chưa xếp loại"
        in text
    )
    assert "trong đó 2 đơn vị chưa ký biên bản" in text and "Trong đó: chưa ký biên bản 2" in text
    assert "Phụ lục 3 (5 đơn vị): chưa có đơn vị được xếp loại; 5 đơn vị chưa thẩm định" in text
    # Common weaknesses drawn from the scores, per criteria group.
    weak = text[text.index("II. HẠN CHẾ CHUNG") : text.index("III. SO SÁNH")]
    assert "Phụ lục 2, nhóm III (Ứng dụng công nghệ thông tin): tiêu chí III.6" in weak
    assert "đơn vị chưa đạt điểm tối đa, bình quân đạt" in weak
    assert results_report.proposals(lead_ws, lead_ws.results())[0] in text
    assert "Nơi nhận: - Thường trực Tỉnh ủy (b/c), - Ban Tổ chức Tỉnh ủy," in text
    assert "- Lưu Văn phòng Tỉnh ủy." in text
    assert text.index("Nơi nhận") < text.index("PHỤ LỤC") < text.index("1. Phụ lục 2")
    # Unsigned bands caveated; no provisional band anywhere; one verification line.
    assert "Thành ủy Phan Thiết Chờ ký biên bản; kết quả chưa chính thức 789 800 Tốt" in text
    assert "tạm tính" not in text and "lập ngày" not in text and "→" not in text
    fonts = fonts_embedded(path)
    assert fonts and all(fonts.values()) and not [f for f in fonts if "Helvetica" in f], fonts


def test_report_title_never_breaks_inside_a_phrase(lead_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    results_report.write_report(lead_ws, path)
    first = PdfReader(str(path)).pages[0].extract_text().splitlines()
    for phrase in ("công nghệ thông tin", "Mặt trận Tổ quốc", "chính trị - xã hội"):
        assert any(phrase in line for line in first if line.strip().startswith(("Kết quả", "các cơ quan"))), (
            phrase
        )
