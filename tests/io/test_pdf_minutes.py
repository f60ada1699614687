"""The minutes PDF: text a reader copies out matches the data; layout of a Party document."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pdf_testing import full_text, page_texts, positions, squash
from pypdf import PdfReader

from ictappraise.domain.numbers import format_points
from ictappraise.io.pdf_minutes import render_minutes
from ictappraise.io.pdf_minutes_table import ROW_CRITERION, TableRow
from ictappraise.services import minutes
from ictappraise.services.workspace import Workspace

A4 = (595.28, 841.89)


def _write(ws: Workspace, code: str, tmp_path: Path) -> tuple[Path, minutes.MinutesDoc]:
    agency = ws.find_agency(code)
    path = tmp_path / f"{code}.pdf"
    doc = minutes.write_minutes(ws, agency.id, path)
    return path, doc


def test_tuy_phong_minutes_carry_every_row_total_and_band(lead_ws: Workspace, tmp_path: Path) -> None:
    path, doc = _write(lead_ws, "HUTP", tmp_path)
    text = full_text(path)
    detail = lead_ws.detail(lead_ws.find_agency("HUTP").id)
    card = detail.scorecard
    for expected in (
        "TỈNH ỦY BÌNH THUẬN",
        "TỔ THẨM ĐỊNH",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số ……-BB/TTĐ",
        "Phan Thiết, ngày 09 tháng 12 năm 2022",
        "BIÊN BẢN",
        "Thẩm định kết quả tự đánh giá, xếp hạng ứng dụng công nghệ thông tin năm 2022 tại Huyện ủy Tuy Phong",
        "Căn cứ Công văn số 294-CV/TU",
        "vào lúc 08 giờ 00 phút, ngày 09 tháng 12 năm 2022, tại Hội trường Huyện ủy Tuy Phong",
        "Đồng chí Nguyễn Thị Thắng, Phó Chánh Văn phòng Tỉnh ủy, Tổ trưởng",
        "Đồng chí Nguyễn Văn A, Phó Bí thư Thường trực Huyện ủy Tuy Phong",
        "STT Tiêu chí Điểm tối đa Điểm tự đánh giá Điểm thẩm định Ghi chú",
        f"Tổng cộng 800 {format_points(card.self_total)} {format_points(card.total)}",
        f"Tổng điểm thẩm định: {format_points(card.total)}/800 điểm",
        f"đề xuất xếp loại: {card.rating.band.value}",
        "Buổi thẩm định kết thúc vào lúc 10 giờ 00 phút",
        "Biên bản được lập thành 02 (hai) bản",
        # Both blocks alike, the agency's naming the party and the title.
        "ĐẠI DIỆN HUYỆN ỦY TUY PHONG PHÓ BÍ THƯ THƯỜNG TRỰC T/M TỔ THẨM ĐỊNH TỔ TRƯỞNG",
        "THƯ KÝ",
        f"Mã đối chiếu: {doc.fingerprint} (để đối chiếu bản giấy với dữ liệu thẩm định)",
    ):
        assert expected in text, expected
    # One plain sentence per penalty rule, not the domain's reason lines.
    for sentence in (
        f"Tổng điểm thẩm định {format_points(card.total)}/800, đạt mức Tốt (từ 750 điểm)",
        "Không có tiêu chí nào đạt 0 điểm",
        "Báo cáo kết quả gửi đúng hạn (ngày 25-11-2022; hạn ngày 30-11-2022)",
        "Có 1 tháng (tháng 3) không đủ định mức 4 tin, bài/tháng trên Cổng Thông tin điện tử Đảng bộ tỉnh, "
        "dưới 3 tháng nên không bị xếp loại Yếu",
    ):
        assert sentence in text, sentence
    assert "xếp loại cơ sở" not in text and "→" not in text and "Đã kiểm tra" not in text
    # Every group, criterion and sub-item row, with its maximum, self score and appraised points.
    for group, subtotal in zip(detail.catalog.groups, card.groups, strict=True):
        assert f"{group.code} {group.name} {format_points(group.maximum)}" in text
        assert format_points(subtotal.points) in text
        for criterion in group.criteria:
            for row in (criterion, *criterion.sub_items):
                score = card.rows[row.code]
                line = (
                    f"{squash(row.name)} {format_points(row.maximum)} {format_points(score.self_points)} "
                    f"{format_points(score.points)}"
                )
                assert line in text, row.code
    assert "tạm tính" not in text and "DỰ THẢO" not in text
    assert f"{format_points(card.total)}" != str(card.total)  # printed with the Vietnamese comma


def test_page_size_margins_and_page_numbers(lead_ws: Workspace, tmp_path: Path) -> None:
    path, _doc = _write(lead_ws, "HUTP", tmp_path)
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 3
    for number, page in enumerate(reader.pages):
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
        runs = positions(path, number)
        body = [(x, y, t) for x, y, t in runs if t != str(number + 1) and not t.startswith("Mã đối chiếu")]
        left = min(x for x, _y, _t in body)
        assert left >= 35 - 0.3  # left margin 35 mm: body text starts on it, table text just inside
        if number == 0:
            assert left == pytest.approx(35, abs=0.3)
        assert max(y for _x, y, _t in body) <= 297 - 25  # top margin 25 mm
        assert min(y for _x, y, _t in body) >= 25 - 1  # bottom margin 25 mm (descenders aside)
        assert all(x < 210 - 15 for x, _y, _t in runs)  # nothing starts in the right margin
        numbers = [(x, y) for x, y, t in runs if t == str(number + 1)]
        if number == 0:
            assert not [y for _x, y in numbers if y > 272]  # no number on the first page
        else:
            (x, y), *_ = [(x, y) for x, y in numbers if y > 272]
            assert 272 < y < 297 and 100 < x < 125  # centred in the top margin


def _long_rows(count: int) -> tuple[TableRow, ...]:
    return tuple(
        TableRow(
            ROW_CRITERION, str(i), f"Tiêu chí kiểm thử số {i} về ứng dụng công nghệ thông tin", "10", "9", "8"
        )
        for i in range(1, count + 1)
    )


def test_header_row_repeats_when_the_table_runs_over_three_pages(lead_ws: Workspace, tmp_path: Path) -> None:
    doc = minutes.minutes_doc(lead_ws, lead_ws.find_agency("HUTP").id)
    rows = _long_rows(120)
    path = tmp_path / "long.pdf"
    render_minutes(dataclasses.replace(doc, rows=rows), path)
    pages = [squash(t) for t in page_texts(path)]
    header = "STT Tiêu chí Điểm tối đa Điểm tự đánh giá Điểm thẩm định Ghi chú"
    with_rows = [p for p in pages if "Tiêu chí kiểm thử số" in p]
    assert len(with_rows) >= 3
    assert all(header in p for p in with_rows)
    text = " ".join(pages)
    for row in rows:
        assert f"{row.number} {row.name} 10 9 8" in text


def test_a_row_taller_than_a_page_is_split_without_losing_text(lead_ws: Workspace, tmp_path: Path) -> None:
    doc = minutes.minutes_doc(lead_ws, lead_ws.find_agency("HUTP").id)
    words = [f"minhchứng{i}" for i in range(260)]
    tall = TableRow(ROW_CRITERION, "1", "Tiêu chí có ghi chú rất dài", "10", "10", "5", " ".join(words))
    path = tmp_path / "tall.pdf"
    render_minutes(dataclasses.replace(doc, rows=(tall, *_long_rows(3))), path)
    text = full_text(path)
    missing = [w for w in words if w not in text]
    assert not missing


def test_unscored_agency_prints_only_as_a_marked_draft(lead_ws: Workspace, tmp_path: Path) -> None:
    path, doc = _write(lead_ws, "VPTU", tmp_path)
    text = full_text(path)
    card = lead_ws.detail(lead_ws.find_agency("VPTU").id).scorecard
    assert doc.draft
    assert "DỰ THẢO" in text and "Dự thảo, chưa ký" in PdfReader(str(path)).metadata["/Keywords"]
    # Unscored is not zero: no band proposed, rule 1 not claimed as checked.
    missing = len(card.unscored_criteria)
    assert f"Chưa đề xuất xếp loại: còn {missing} tiêu chí chưa chấm" in text
    assert f"Chưa kiểm tra được điều kiện tiêu chí đạt 0 điểm: còn {missing} tiêu chí chưa chấm" in text
    assert "tạm tính" not in text, text[text.find("tạm tính") - 300 :]
    assert "Tổ thẩm định đề xuất xếp loại" not in text
    assert "không có tiêu chí nào đạt 0 điểm" not in text.lower()


def test_agency_reserving_its_opinion_is_printed_with_its_text(lead_ws: Workspace, tmp_path: Path) -> None:
    path, _doc = _write(lead_ws, "HUHT", tmp_path)
    text = full_text(path)
    assert "IV. Ý KIẾN CỦA HUYỆN ỦY HÀM TÂN" in text
    assert "Huyện ủy Hàm Tân bảo lưu ý kiến: Đơn vị bảo lưu ý kiến đối với điểm tiêu chí" in text


def test_failed_criterion_and_late_report_reasons_are_printed(lead_ws: Workspace, tmp_path: Path) -> None:
    fail_text = full_text(_write(lead_ws, "HUHTB", tmp_path)[0])
    assert "Tiêu chí IV.3 đạt 0 điểm: hạ một bậc, từ Tốt xuống Khá" in fail_text
    late_text = full_text(_write(lead_ws, "HUHTN", tmp_path)[0])
    assert (
        "Báo cáo kết quả gửi muộn 7 ngày (ngày 07-12-2022; hạn ngày 30-11-2022): không được xếp loại Tốt, "
        "từ Tốt xuống Khá" in late_text
    )
    # The penalty is named under "Hạn chế" as well.
    weaknesses = late_text[late_text.index("2. Hạn chế") : late_text.index("3. Kiến nghị")]
    assert "muộn 7 ngày" in weaknesses


def test_signature_image_on_file_is_placed_in_the_lead_block(lead_ws: Workspace, tmp_path: Path) -> None:
    from PIL import Image

    from ictappraise.services import round_admin

    picture = tmp_path / "sig.png"
    Image.new("RGB", (300, 120), "white").save(picture)
    lead = lead_ws.find_member("Nguyễn Thị Thắng")
    round_admin.set_member_signature(lead_ws, lead.id, picture.read_bytes())
    path, _doc = _write(lead_ws, "HUTP", tmp_path)
    last = PdfReader(str(path)).pages[-1]
    assert len(last.images) == 1
    assert "Nguyễn Thị Thắng" in squash(last.extract_text())


def test_signature_blocks_stay_with_their_names(lead_ws: Workspace, tmp_path: Path) -> None:
    path, _doc = _write(lead_ws, "HUTP", tmp_path)
    last = squash(page_texts(path)[-1])
    for part in (
        "ĐẠI DIỆN HUYỆN ỦY TUY PHONG",
        "Nguyễn Văn A",
        "T/M TỔ THẨM ĐỊNH",
        "Nguyễn Thị Thắng",
        "THƯ KÝ",
        "Chuyên viên C",
    ):
        assert part in last


def test_minutes_number_copies_and_closing_time_come_from_the_data(
    lead_ws: Workspace, tmp_path: Path
) -> None:
    from ictappraise.services import appraisal, round_admin

    agency_id = lead_ws.find_agency("TUPT").id
    appraisal.set_visit(lead_ws, agency_id, minutes_number="15", end="16:45")
    round_admin.set_round_settings(lead_ws, minutes_copies=3)
    text = full_text(_write(lead_ws, "TUPT", tmp_path)[0])
    assert "Số 15-BB/TTĐ" in text
    assert "kết thúc vào lúc 16 giờ 45 phút" in text
    assert "lập thành 03 (ba) bản" in text and "Tổ thẩm định giữ 02 (hai) bản" in text
