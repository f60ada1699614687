"""One way to show a band: every output says the same thing of the same agency."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from ictappraise.io import excel_results
from ictappraise.services import excel_import, results_report
from ictappraise.services.band_text import PARTIAL, SCORED, UNVISITED, BandView, band_view
from ictappraise.services.workspace import Workspace


def _view(ws: Workspace, code: str) -> BandView:
    result = next(r for r in ws.results() if r.agency.code == code)
    return band_view(result.scorecard, result.status, result.conflicts)


def test_each_state_is_decided_once(lead_ws: Workspace) -> None:
    unvisited, partial = _view(lead_ws, "HUPQ"), _view(lead_ws, "VPTU")
    signed, unsigned = _view(lead_ws, "HUTP"), _view(lead_ws, "TUPT")
    assert (unvisited.state, unvisited.label, unvisited.total, unvisited.band) == (
        UNVISITED,
        "Chưa thẩm định",
        "",
        None,
    )
    # Partly scored: no band in a document, the total says what it covers.
    assert (partial.state, partial.band, partial.label) == (PARTIAL, None, "Chưa đủ điểm, chưa xếp loại")
    assert partial.total == "499,71/800 (20/34 tiêu chí đã chấm)"
    assert partial.provisional is not None and partial.working_label().endswith("(tạm tính)")
    assert (signed.state, signed.label, signed.caveat) == (SCORED, "Tốt", "")
    assert unsigned.final and unsigned.document_label() == "Tốt (biên bản chưa ký)"


def test_workbook_and_report_say_the_same(lead_ws: Workspace, tmp_path: Path) -> None:
    book = load_workbook(excel_import.write_results(lead_ws, tmp_path / "kq.xlsx"))
    sheet = book[excel_results.SUMMARY_SHEET]
    first = excel_results.SUMMARY_HEADER_ROW + 1
    workbook = {sheet.cell(r, 2).value: sheet.cell(r, 10).value for r in range(first, sheet.max_row + 1)}
    lines = {r.agency.code: results_report.report_line(r) for r in lead_ws.results()}
    for code in ("HUPQ", "VPTU", "HUTP", "HUHTB", "BTC"):
        view = _view(lead_ws, code)
        assert workbook[code] == lines[code].band == view.label, code
    assert lines["VPTU"].total == "499,71" and lines["VPTU"].status == "Điểm của 20/34 tiêu chí đã chấm"
    assert lines["HUPQ"].total == "—" and not lines["HUPQ"].final
