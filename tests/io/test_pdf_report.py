"""The results report: every agency, ranked, with totals, bands and counts matching the data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pdf_testing import full_text
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
        "KẾT QUẢ THẨM ĐỊNH, XẾP HẠNG ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM 2022",
        "1. Phụ lục 2: Văn phòng Tỉnh ủy, các huyện ủy, thị ủy, thành ủy, Đảng ủy Khối",
        "Điểm tối đa 800; Tốt: từ 750 điểm; Khá: từ 700 đến dưới 750",
        "Hạng Đơn vị Tổng điểm Điểm tối đa Xếp loại cơ sở Hạ bậc, điểm liệt Xếp loại",
        "II. TỔNG HỢP SỐ LƯỢNG THEO XẾP LOẠI",
        "Biểu đồ: số đơn vị theo xếp loại",
        "T/M TỔ THẨM ĐỊNH TỔ TRƯỞNG Nguyễn Thị Thắng",
        f"Mã nội dung: {doc.fingerprint}",
    ):
        assert expected in text, expected
    results = lead_ws.results()
    assert len(results) == 25
    for result in results:
        card = result.scorecard
        assert result.agency.name in text
        if result.rank is not None:
            line = f"{result.rank} {result.agency.name}"
            assert line in text, line
            after = text[text.index(line) :]
            assert after.index(format_points(card.total)) < after.index(card.rating.band.value)
    # Tuy Phong is ranked with its own total and band, La Gi lowered to Yếu by the portal rule.
    assert "Huyện ủy Tuy Phong Đã ký biên bản 784,12 800 Tốt" in text
    assert "Thị ủy La Gi Đã ký biên bản 742,05 800 Khá Xếp loại Yếu: 3 tháng không đủ tin, bài" in text
    assert "Văn phòng Tỉnh ủy Tạm tính: còn" in text and "(tạm tính)" in text
    ranked = [r for r in results if r.rank is not None]
    counts = dict(doc.counts)
    for band in ("Tốt", "Khá", "Trung bình", "Yếu"):
        assert counts[band][-1] == sum(1 for r in ranked if r.scorecard.rating.band.value == band)
    assert counts["Chưa có kết quả"][-1] == 25 - len(ranked)
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
    # The chart closes part II; the sections on previous years and proposals follow it.
    chart = next(p.extract_text() for p in reader.pages if "Số đơn vị" in p.extract_text())
    assert "Tốt" in chart and "Trung bình" in chart
    assert "ĐỀ XUẤT KHEN THƯỞNG" in reader.pages[-1].extract_text()
