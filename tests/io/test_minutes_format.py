"""The minutes' format and wording as HD 36-HD/VPTW has them, read back from the PDF."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pdf_testing import fonts_embedded, full_text, page_texts, squash
from pypdf import PdfReader

from ictappraise.domain.catalog import load_catalog_file
from ictappraise.io.pdf_fonts import document_fonts
from ictappraise.io.pdf_layout import make_styles
from ictappraise.io.pdf_minutes import render_minutes
from ictappraise.io.pdf_minutes_table import ROW_CRITERION, ROW_GROUP, ROW_SUB, ROW_TOTAL, TableRow
from ictappraise.services import minutes, remarks
from ictappraise.services.minutes import table_points
from ictappraise.services.reading import default_suffix
from ictappraise.services.workspace import Workspace

CATALOGS = Path(__file__).resolve().parents[2] / "resources" / "catalogs"
HEADER = "STT Tiêu chí Điểm tối đa Điểm tự đánh giá Điểm thẩm định Ghi chú"


@pytest.fixture
def tuy_phong(lead_ws: Workspace, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "hutp.pdf"
    minutes.write_minutes(lead_ws, lead_ws.find_agency("HUTP").id, path)
    return path, full_text(path)


def test_dashed_line_under_the_subject_and_dates_as_party_documents_cite_them(tuy_phong) -> None:
    _path, text = tuy_phong
    assert "năm 2022 tại Huyện ủy Tuy Phong ----- Căn cứ Công văn số 294-CV/TU, ngày 23-11-2021" in text
    assert "ngày 02-12-2022 của Văn phòng Tỉnh ủy" in text
    assert not re.search(r"\d{2}/\d{2}/\d{4}", text)  # no "23/11/2021" left in the body


def test_number_suffix_abbreviates_the_body_in_the_header(tuy_phong) -> None:
    _path, text = tuy_phong
    assert "TỔ THẨM ĐỊNH" in text and "Số ……-BB/TTĐ" in text
    assert default_suffix("TỔ THẨM ĐỊNH") == "BB/TTĐ" and default_suffix("VĂN PHÒNG") == "BB/VP"
    assert default_suffix("") == "BB"


def test_one_discreet_verification_line_and_the_rest_in_the_metadata(tuy_phong, lead_ws) -> None:
    path, text = tuy_phong
    _revision, code = minutes.stamp_of(lead_ws.detail(lead_ws.find_agency("HUTP").id))
    for page in page_texts(path):
        assert f"Mã đối chiếu: {code} (để đối chiếu bản giấy với dữ liệu thẩm định)" in squash(page)
    assert "Lần lập" not in text and "Đã ký" not in text and "Mã nội dung" not in text
    assert PdfReader(str(path)).metadata["/Keywords"] == f"Lần lập: 1, Mã nội dung: {code}, Đã ký"


def test_no_sample_label_in_the_body_but_a_warning_before_printing(tuy_phong, lead_ws) -> None:
    _path, text = tuy_phong
    assert "Bộ tiêu chí mẫu" not in text and "theo từng tiêu chí của bộ tiêu chí Phụ lục 2;" in text
    detail = lead_ws.detail(lead_ws.find_agency("HUTP").id)
    assert detail.catalog.sample and "bộ tiêu chí mẫu" in remarks.catalog_warning(detail)
    official = dataclasses.replace(detail, catalog=dataclasses.replace(detail.catalog, sample=False))
    assert remarks.catalog_warning(official) == ""


def test_one_capitalisation_and_consistent_decimals(tuy_phong) -> None:
    _path, text = tuy_phong
    assert "Cổng Thông tin điện tử" in text and "Cổng thông tin điện tử" not in text
    assert "cơ quan Đảng" not in text and "cơ quan đảng" in text
    table = text[text.index(HEADER) : text.index("3. Kiểm tra các trường hợp")]
    assert not re.search(r"\d,\d(?!\d)", table)  # "29,50", never "29,5"
    assert table_points(Decimal("29.5")) == "29,50" and table_points(Decimal("20")) == "20"
    assert table_points(Decimal("14.81")) == "14,81" and table_points(None) == ""


def test_paragraphs_are_6_pt_apart_and_every_font_is_embedded(tuy_phong) -> None:
    path, _text = tuy_phong
    assert make_styles(document_fonts()).body.spaceAfter == 6
    fonts = fonts_embedded(path)
    assert fonts and all(fonts.values()), fonts  # pdffonts would list "emb: no" otherwise
    assert not [name for name in fonts if "Helvetica" in name]


def _catalog_rows(category: int, long: bool) -> tuple[TableRow, ...]:
    """A catalog's table, optionally with long names and long notes on every third row."""
    catalog = load_catalog_file(CATALOGS / f"phu_luc_{category}.yaml")
    rows: list[TableRow] = []
    note = " ".join(["Đối chiếu hồ sơ, phần mềm và thực tế tại đơn vị;"] * 9)
    for group in catalog.groups:
        rows.append(TableRow(ROW_GROUP, group.code, group.name, str(group.maximum), "", ""))
        for index, criterion in enumerate(group.criteria, start=1):
            name = criterion.name + (" — " + criterion.name if long and index % 2 else "")
            text = note if long and index % 3 == 0 else ""
            rows.append(TableRow(ROW_CRITERION, str(index), name, "20", "18,50", "17,25", text))
            rows += [
                TableRow(ROW_SUB, sub.code[-1], sub.name, "5", "5", "4,50", "") for sub in criterion.sub_items
            ]
    rows.append(TableRow(ROW_TOTAL, "", "Tổng cộng", str(catalog.maximum), "1", "1"))
    return tuple(rows)


@pytest.mark.parametrize("category", [2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("long", [False, True])
def test_a_row_never_splits_from_its_number_nor_a_header_repeats_mid_page(
    lead_ws: Workspace, tmp_path: Path, category: int, long: bool
) -> None:
    doc = minutes.minutes_doc(lead_ws, lead_ws.find_agency("HUTP").id)
    rows = _catalog_rows(category, long)
    path = tmp_path / f"pl{category}.pdf"
    render_minutes(dataclasses.replace(doc, rows=rows), path)
    pages = [squash(t) for t in page_texts(path)]
    for row in rows:
        if row.kind in (ROW_CRITERION, ROW_SUB):
            start = f"{row.number} {squash(row.name)}"
            assert any(start in page for page in pages), start  # number and whole name on one page
        if row.note:
            assert any(f"{row.maximum} {row.self_points} {row.points} {row.note[:40]}" in p for p in pages)
    for number, page in enumerate(pages):
        if HEADER in page:
            assert page.count(HEADER) == 1
            if number and HEADER in pages[number - 1]:
                # A continued table starts its page: only the page number and the footer above it.
                before = page[: page.index(HEADER)]
                assert re.fullmatch(rf"{number + 1} Mã đối chiếu: \w+ \(.*\) ", before), before
    last = next(page for page in pages if "Tổng cộng" in page)
    body = last[last.index(HEADER) + len(HEADER) : last.index("Tổng cộng")] if HEADER in last else "x"
    assert body.strip(), "the total stands alone under a repeated header"
