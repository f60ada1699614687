"""The results workbook, checked cell by cell: values, formats, layout, no formula injection."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ictappraise.cli import main
from ictappraise.domain.fields import agency_field, crit_field
from ictappraise.io import excel_results
from ictappraise.services import excel_import as svc
from ictappraise.services import remarks
from ictappraise.services.workspace import Change

HOSTILE = ('=HYPERLINK("http://x","bấm")', "+1+cmd", "-2-3", "@SUM(A1)")


@pytest.fixture
def results_book(lead_ws, tmp_path: Path):
    vptu = lead_ws.find_agency("VPTU")
    leaves = list(lead_ws.catalog(vptu.category).leaves())
    lead_ws.write(
        [
            Change(crit_field(vptu.id, leaf.code, "note"), text)
            for leaf, text in zip(leaves, HOSTILE, strict=False)
        ]
        + [Change(agency_field(lead_ws.find_agency("HCCB").id, "name"), "=cmd|' /C calc'!A0")]
    )
    path = svc.write_results(lead_ws, tmp_path / "ket-qua.xlsx")
    return load_workbook(path), lead_ws.results(), lead_ws


def _points(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_summary_sheet_ranks_every_agency(results_book) -> None:
    workbook, results, _ws = results_book
    sheet = workbook[excel_results.SUMMARY_SHEET]
    header_row = excel_results.SUMMARY_HEADER_ROW
    assert [sheet.cell(header_row, c).value for c in range(1, 12)] == [
        label for label, _width in excel_results.SUMMARY_COLUMNS
    ]
    assert sheet.max_row == header_row + 25
    by_code = {sheet.cell(r, 2).value: r for r in range(header_row + 1, sheet.max_row + 1)}
    for result in results:
        row = by_code[result.agency.code]
        card = result.scorecard
        assert sheet.cell(row, 1).value == result.rank
        assert sheet.cell(row, 4).value == result.agency.category
        assert _points(sheet.cell(row, 5).value) == card.self_total
        assert _points(sheet.cell(row, 7).value) == card.maximum
        assert sheet.cell(row, 5).number_format == "0.00"
    tupt = by_code["TUPT"]
    assert sheet.cell(tupt, 1).value == 1 and sheet.cell(tupt, 10).value == "Tốt"
    assert _points(sheet.cell(tupt, 6).value) == Decimal("789")
    huhtb = by_code["HUHTB"]
    assert (sheet.cell(huhtb, 8).value, sheet.cell(huhtb, 10).value) == ("Tốt", "Khá")
    assert "Hạ một bậc" in sheet.cell(huhtb, 9).value
    assert "(từ Tốt xuống Khá)" in sheet.cell(huhtb, 9).value  # a document's words, as the report
    assert not any("→" in str(sheet.cell(r, 9).value or "") for r in by_code.values())
    assert sheet.cell(by_code["VPTU"], 9).value is None  # partly scored: nothing claimed checked
    assert sheet.cell(by_code["HUBB"], 9).value == "Không"
    assert (
        sheet.cell(by_code["VPTU"], 10).value == "Chưa đủ điểm, chưa xếp loại"
        and sheet.cell(by_code["VPTU"], 1).value is None
        and sheet.cell(by_code["VPTU"], 8).value is None  # no base band over half a score
    )
    assert sheet.cell(tupt, 11).value == "Chờ ký"  # the band, and its status beside it
    assert (
        sheet.cell(by_code["BTC"], 10).value == "Chưa thẩm định"
        and sheet.cell(by_code["BTC"], 6).value is None
    )
    categories = [sheet.cell(r, 4).value for r in range(header_row + 1, sheet.max_row + 1)]
    assert categories == sorted(categories)
    assert sheet.freeze_panes == f"D{header_row + 1}"
    assert sheet.auto_filter.ref == f"A{header_row}:K{sheet.max_row}"
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.column_dimensions["C"].width >= 30


def test_agency_sheet_lists_every_criterion_with_subtotals_and_reasons(results_book) -> None:
    workbook, results, ws = results_book
    # The summary, the sheets of previous years, follow-ups and proposals, one sheet per agency.
    assert workbook.sheetnames[1:4] == ["Các năm trước", "Khắc phục kiến nghị", "Đề xuất khen thưởng"]
    assert len(workbook.sheetnames) == 29
    detail = ws.detail(ws.find_agency("HUHTB").id)
    sheet = workbook["HUHTB"]
    rows = {sheet.cell(r, 1).value: r for r in range(excel_results.AGENCY_HEADER_ROW + 1, sheet.max_row + 1)}
    for group, score in zip(detail.catalog.groups, detail.scorecard.groups, strict=True):
        assert _points(sheet.cell(rows[group.code], 5).value) == score.points
        assert _points(sheet.cell(rows[group.code], 4).value) == score.self_points
    for code, row_score in detail.scorecard.rows.items():
        row = rows[code]
        assert _points(sheet.cell(row, 3).value) == row_score.maximum
        assert _points(sheet.cell(row, 5).value) == row_score.points
        if row_score.difference is not None:
            assert _points(sheet.cell(row, 6).value) == row_score.difference
            assert sheet.cell(row, 6).number_format == "+0.00;-0.00;0.00"
        assert (sheet.cell(row, 7).value or "").startswith(detail.entries[code].note)
    texts = [str(sheet.cell(r, 2).value) for r in range(1, sheet.max_row + 1)]
    total_row = texts.index("TỔNG CỘNG") + 1
    assert _points(sheet.cell(total_row, 5).value) == detail.scorecard.total
    rating = {sheet.cell(r, 2).value: sheet.cell(r, 3).value for r in range(total_row + 1, sheet.max_row + 1)}
    assert rating["Xếp loại cơ sở:"] == "Tốt" and rating["Xếp loại:"] == "Khá"
    reasons = [str(sheet.cell(r, 3).value) for r in range(total_row + 1, sheet.max_row + 1)]
    # The rules in the minutes' own plain sentences (one per rule), not the scorecard's check lines.
    sentences = remarks.rule_sentences(detail, ws.rules()[detail.agency.category])
    assert "Tiêu chí IV.3 đạt 0 điểm: hạ một bậc, từ Tốt xuống Khá." in sentences
    start = reasons.index(sentences[0])
    assert tuple(reasons[start : start + len(sentences)]) == sentences
    assert sheet.print_title_rows and sheet.freeze_panes == f"C{excel_results.AGENCY_HEADER_ROW + 1}"


def test_no_formula_injection(results_book) -> None:
    workbook, _results, _ws = results_book
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix
                    found.append(cell.value)
    for text in HOSTILE:
        assert any(value.startswith(text) for value in found), text
    assert "=cmd|' /C calc'!A0" in found


def test_override_is_marked_in_results(lead_ws, tmp_path: Path) -> None:
    from ictappraise.domain.scorecard import Appraisal
    from ictappraise.services.appraisal import set_appraisal

    agency = lead_ws.find_agency("HUPQ")
    leaf = next(x for x in lead_ws.catalog(2).leaves() if x.rule.kind == "ratio")
    set_appraisal(lead_ws, agency.id, leaf.code, Appraisal(override=leaf.maximum))
    workbook = load_workbook(svc.write_results(lead_ws, tmp_path / "r.xlsx"))
    sheet = workbook["HUPQ"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == leaf.code)
    assert "ghi đè cách tính «Tỷ lệ»" in sheet.cell(row, 7).value


def test_cli_export(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "kq.xlsx"
    assert main(["export-xlsx", "--db", str(demo_db), "--out", str(out)]) == 0
    assert load_workbook(out).sheetnames[0] == excel_results.SUMMARY_SHEET


def test_an_unscored_agency_has_blank_sections_not_zeros(results_book) -> None:
    workbook, _results, ws = results_book
    detail = ws.detail(ws.find_agency("HUPQ").id)  # not started: nothing scored
    assert all(row.points is None for row in detail.scorecard.rows.values())
    sheet = workbook["HUPQ"]
    rows = {sheet.cell(r, 1).value: r for r in range(excel_results.AGENCY_HEADER_ROW + 1, sheet.max_row + 1)}
    for group in detail.catalog.groups:
        assert sheet.cell(rows[group.code], 5).value is None  # blank, not 0
    texts = [str(sheet.cell(r, 2).value) for r in range(1, sheet.max_row + 1)]
    total_row = texts.index("TỔNG CỘNG") + 1
    assert sheet.cell(total_row, 5).value is None and sheet.cell(total_row, 6).value is None
    assert sheet.cell(total_row, 3).value is not None  # the maximum is still shown


def test_previous_years_followups_and_proposals_sheets(results_book) -> None:
    workbook, _results, _ws = results_book
    trend = workbook["Các năm trước"]
    header = [c.value for c in trend[3]]
    assert header == ["Đơn vị", "Phụ lục", "Năm 2022", "Năm 2021"]
    rows = {r[0].value: [c.value for c in r] for r in trend.iter_rows(min_row=4) if r[0].value}
    assert rows["Huyện ủy Tuy Phong"][3] == "Khá (741,5/800)"
    assert rows["Ban Tổ chức Tỉnh ủy"][3] == "Tốt (95,8%)"  # the 2021 catalog's maximum was 450
    # This year's column shows a band as every document does (services/band_text): never "Tạm tính".
    assert rows["Huyện ủy Tuy Phong"][2] == "Tốt (784,12/800)"
    assert rows["Thành ủy Phan Thiết"][2] == "Tốt (789/800; biên bản chưa ký)"
    assert rows["Văn phòng Tỉnh ủy"][2] == "Chưa đủ điểm, chưa xếp loại (499,71/800)"
    assert rows["Huyện ủy Phú Quý"][2] == "Chưa thẩm định"
    hostile = next(r for r in trend.iter_rows(min_row=4) if str(r[0].value).startswith("=cmd"))
    assert hostile[0].data_type == "s"  # text, not a formula
    followups = workbook["Khắc phục kiến nghị"]
    counts = {r[0].value: [c.value for c in r[1:]] for r in followups.iter_rows(min_row=4) if r[0].value}
    assert counts["Huyện ủy Tuy Phong"] == [3, 2, 1, 0, 0]
    proposals = workbook["Đề xuất khen thưởng"]
    kinds = [(r[0].value, r[1].value) for r in proposals.iter_rows(min_row=4) if r[1].value]
    assert ("Huyện ủy Tuy Phong", "Đơn vị điển hình") in kinds
