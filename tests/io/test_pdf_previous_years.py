"""The demo's story on paper: Huyện ủy Tuy Phong's 2021 band and follow-ups, the report's proposals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ictappraise.services import minutes, results_report
from ictappraise.services.workspace import Workspace
from tests.io.pdf_testing import full_text


def test_minutes_print_the_previous_band_and_the_follow_up(lead_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "hutp.pdf"
    minutes.write_minutes(lead_ws, lead_ws.find_agency("HUTP").id, out)
    text = full_text(out)
    start = text.index("4. Kết quả khắc phục kiến nghị năm trước (2021)")
    section = text[start : text.index("IV. Ý KIẾN CỦA")]
    assert "Năm 2021: Khá (741,5/800)." in section and "Kết quả các năm trước —" not in section
    assert "1. Triển khai ký số đối với 100% văn bản đi của Huyện ủy. — Đã khắc phục" in section
    assert "— Đang khắc phục: Đơn vị đã có kế hoạch" in section
    other = tmp_path / "tupt.pdf"  # no recommendation in 2021: the trend only
    minutes.write_minutes(lead_ws, lead_ws.find_agency("TUPT").id, other)
    assert "4. Kết quả thẩm định các năm trước Năm 2021: Tốt (781/800)." in full_text(other)


def test_report_compares_years_counts_follow_ups_and_proposes(lead_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    results_report.write_report(lead_ws, out, date(2022, 12, 21))
    text = full_text(out)
    assert "III. SO SÁNH KẾT QUẢ VỚI CÁC NĂM TRƯỚC" in text
    assert "Huyện ủy Tuy Phong 2 Tốt (784,12/800) Khá (741,5/800)" in text
    assert "IV. KẾT QUẢ KHẮC PHỤC KIẾN NGHỊ NĂM 2021" in text and "Cộng 12 7 3 0 2" in text
    proposals = text[text.index("V. ĐỀ XUẤT KHEN THƯỞNG") :]
    assert "Huyện ủy Tuy Phong Đơn vị điển hình Xếp loại Tốt, không bị hạ bậc" in proposals
    assert "Lê Văn E" in proposals and "Cá nhân tiêu biểu" in proposals
