"""Self-assessment forms: what the template contains, and round trips back into the database."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ictappraise.domain.catalog import Catalog
from ictappraise.domain.numbers import format_points
from ictappraise.io import excel_form
from ictappraise.services import excel_import as svc
from ictappraise.services.workspace import ServiceError
from ictappraise.store import repository
from tests.support import member_ws

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "xlsx"
LIBREOFFICE_FORM = FIXTURES / "btc_filled_libreoffice.xlsx"
FORMULA_CODE_INDEX = 5  # the leaf whose score is typed as a formula before the LibreOffice re-save


def expected_values(catalog: Catalog) -> dict[str, tuple[Decimal | None, str]]:
    """Deterministic self scores and evidence per leaf: full, half a point less, half, blank."""
    values: dict[str, tuple[Decimal | None, str]] = {}
    for index, leaf in enumerate(catalog.leaves()):
        kind = index % 4
        if kind == 3:
            values[leaf.code] = (None, "")
            continue
        points = {0: leaf.maximum, 1: leaf.maximum - Decimal("0.5"), 2: leaf.maximum / 2}[kind]
        values[leaf.code] = (points, f"Văn bản số {index + 1}/BC-VP ngày 05/12/2022 — “{leaf.code}”")
    return values


def fill_form(path: Path, out: Path, catalog: Catalog, *, formula: bool = False) -> None:
    """Fill a generated form like an agency would, with numbers, text with a comma, and a formula."""
    workbook = load_workbook(path)
    sheet = workbook[excel_form.FORM_SHEET]
    values = expected_values(catalog)
    for index, (code, (points, evidence)) in enumerate(values.items()):
        row = next(
            r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == code
        )
        if points is None:
            continue
        if formula and index == FORMULA_CODE_INDEX:
            cell_value: object = f"={format_points(points, comma=False)}*2/2"
        elif index % 4 == 1:
            cell_value = format_points(points)  # text with a decimal comma, e.g. "9,5"
        else:
            cell_value = float(points)
        sheet.cell(row, excel_form.COL["self"]).value = cell_value
        sheet.cell(row, excel_form.COL["evidence"]).value = evidence
    workbook.save(out)


def edits(ws: object) -> list[str]:
    with ws.db.reading() as session:  # type: ignore[attr-defined]
        return [e.id for e in repository.load_edits(session)]


def test_template_has_header_table_protection_and_metadata(lead_ws, tmp_path: Path) -> None:
    agency = lead_ws.find_agency("BTC")
    catalog = lead_ws.catalog(agency.category)
    path = svc.write_form(lead_ws, agency.id, tmp_path / "btc.xlsx")
    workbook = load_workbook(path)
    sheet = workbook[excel_form.FORM_SHEET]
    header = [sheet.cell(excel_form.HEADER_ROW, c).value for c in range(1, 10)]
    assert header == [
        "Mã",
        "Tiêu chí",
        "Điểm tối đa",
        "Cách tính điểm",
        "Điểm tự đánh giá",
        "Tài liệu kiểm chứng của đơn vị",
        "Tài liệu kiểm chứng cần có",
        "Điểm thẩm định",
        "Ghi chú",
    ]
    texts = " ".join(str(sheet.cell(r, 1).value) for r in range(1, 10))
    assert (
        "Ban Tổ chức Tỉnh ủy" in texts and "Phụ lục 3" in texts and "500" in texts and "30/11/2022" in texts
    )
    rows = {sheet.cell(r, 1).value: r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1)}
    first_leaf = next(catalog.leaves())
    leaf_row = rows[first_leaf.code]
    assert sheet.cell(leaf_row, 4).value == excel_form.method_with_scale(first_leaf)
    assert sheet.cell(leaf_row, 5).protection.locked is False
    assert sheet.cell(leaf_row, 6).protection.locked is False
    assert sheet.cell(leaf_row, 2).protection.locked is True
    assert sheet.protection.sheet is True
    parent = next(c for c in catalog.criteria() if c.sub_items)
    parent_formula = sheet.cell(rows[parent.code], 5).value
    assert parent_formula.startswith("=MIN(SUM(E") and parent_formula.endswith(f",{parent.maximum})")
    assert sheet.cell(rows["I"], 5).value.startswith("=SUM(")
    total_row = next(
        r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 2).value == "TỔNG CỘNG"
    )
    assert sheet.cell(total_row, 3).value == 500
    assert total_row < sheet.max_row  # the signature block is below the table
    validated = {}
    for rule in sheet.data_validations.dataValidation:
        for ref in str(rule.sqref).split():
            validated[ref] = (rule.type, rule.formula1, rule.formula2)
    assert validated[f"E{leaf_row}"] == ("decimal", "0", format_points(first_leaf.maximum, comma=False))
    assert sum(1 for ref in validated if ref.startswith("E")) == len(list(catalog.leaves()))
    assert sheet.freeze_panes == f"C{excel_form.FIRST_ROW}"
    assert sheet.print_title_rows == f"${excel_form.HEADER_ROW}:${excel_form.HEADER_ROW}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert workbook[excel_form.META_SHEET].sheet_state == "hidden"
    meta = excel_form.read_meta(workbook)
    assert meta is not None and meta.agency_id == agency.id and meta.agency_code == "BTC"
    assert meta.catalog_checksum == catalog.checksum() and meta.round_key == "binh-thuan-2022"


def _import_and_check(ws, path: Path, agency_code: str, sent: object = None) -> None:
    agency = ws.find_agency(agency_code)
    catalog = ws.catalog(agency.category)
    plan = svc.plan_form_import(ws, [path], sent=sent)
    assert plan.errors == [], plan.errors
    assert svc.apply_import(ws, plan) > 0
    detail = ws.detail(agency.id)
    before = {code: e.self_points for code, e in detail.entries.items()}
    for code, (points, evidence) in expected_values(catalog).items():
        entry = detail.entries[code]
        if points is None:
            assert entry.self_points == before[code]
        else:
            assert entry.self_points == points, code
            assert entry.self_evidence == evidence
    again = svc.plan_form_import(ws, [path], sent=sent)
    assert again.changes == [] and again.errors == []
    count = len(edits(ws))
    assert svc.apply_import(ws, again) == 0
    assert len(edits(ws)) == count


def test_form_filled_by_openpyxl_imports_back_exactly(lead_ws, tmp_path: Path) -> None:
    agency = lead_ws.find_agency("BTC")
    form = svc.write_form(lead_ws, agency.id, tmp_path / "form.xlsx")
    filled = tmp_path / "filled.xlsx"
    fill_form(form, filled, lead_ws.catalog(agency.category))
    sent = svc.parse_day("05/12/2022")
    _import_and_check(lead_ws, filled, "BTC", sent)
    assert lead_ws.detail(agency.id).facts.report_sent.isoformat() == "2022-12-05"


def test_form_resaved_by_libreoffice_imports_back_exactly(lead_ws) -> None:
    assert LIBREOFFICE_FORM.exists(), "run tests/fixtures/xlsx/make_fixtures.py"
    with zipfile.ZipFile(LIBREOFFICE_FORM) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    workbook = load_workbook(LIBREOFFICE_FORM, data_only=True)
    sheet = workbook[excel_form.FORM_SHEET]
    assert workbook[excel_form.META_SHEET].sheet_state == "hidden"
    group_subtotal = sheet.cell(excel_form.FIRST_ROW, excel_form.COL["self"]).value
    assert isinstance(group_subtotal, (int, float))  # a formula: LibreOffice cached its value
    _import_and_check(lead_ws, LIBREOFFICE_FORM, "BTC")


def test_plan_lists_current_and_new_values(lead_ws, tmp_path: Path) -> None:
    agency = lead_ws.find_agency("BTC")
    catalog = lead_ws.catalog(agency.category)
    form = svc.write_form(lead_ws, agency.id, tmp_path / "form.xlsx")
    fill_form(form, tmp_path / "filled.xlsx", catalog)
    plan = svc.plan_form_import(lead_ws, [tmp_path / "filled.xlsx"])
    entries = lead_ws.detail(agency.id).entries
    expected = expected_values(catalog)
    code = next(c for c, (p, _e) in expected.items() if p is not None and entries[c].self_points != p)
    line = next(x for x in plan.files[0].lines if x.code == code and x.what == "Điểm tự đánh giá")
    assert (line.current, line.new) == (
        format_points(entries[code].self_points),
        format_points(expected[code][0]),
    )
    unchanged = [c for c, (p, _e) in expected.items() if p is not None and entries[c].self_points == p]
    assert not any(x.code in unchanged and x.what == "Điểm tự đánh giá" for x in plan.files[0].lines)
    text = "\n".join(plan.summary())
    assert "Ban Tổ chức Tỉnh ủy" in text and "→" in text


def test_appraised_import_records_member_edits_and_overrides(demo_db: Path, tmp_path: Path) -> None:
    ws = member_ws(demo_db, "Chuyên viên A")
    agency = ws.find_agency("HUPQ")
    catalog = ws.catalog(agency.category)
    form = svc.write_form(ws, agency.id, tmp_path / "hupq.xlsx")
    workbook = load_workbook(form)
    sheet = workbook[excel_form.FORM_SHEET]
    rows = {sheet.cell(r, 1).value: r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1)}
    leaves = list(catalog.leaves())
    manual = next(leaf for leaf in leaves if leaf.rule.kind == "manual")
    computed = next(leaf for leaf in leaves if leaf.rule.kind in ("ratio", "tiered", "level"))
    for leaf, points in ((manual, leaf_half(manual)), (computed, leaf_half(computed))):
        sheet.cell(rows[leaf.code], excel_form.COL["appraised"]).value = float(points)
        sheet.cell(rows[leaf.code], excel_form.COL["note"]).value = f"Kiểm tra thực tế {leaf.code}"
    workbook.save(tmp_path / "scored.xlsx")
    plan = svc.plan_form_import(ws, [tmp_path / "scored.xlsx"], appraised=True)
    assert plan.errors == []
    notes = {line.code: line.note for line in plan.files[0].lines if line.what == "Điểm thẩm định"}
    assert notes[manual.code] == "" and "ghi đè" in notes[computed.code]
    assert svc.apply_import(ws, plan) == 4
    detail = ws.detail(agency.id)
    assert detail.entries[manual.code].appraisal.input == format_points(leaf_half(manual), comma=False)
    assert detail.entries[computed.code].appraisal.override == leaf_half(computed)
    assert detail.scorecard.rows[computed.code].overridden is True
    assert detail.entries[computed.code].note == f"Kiểm tra thực tế {computed.code}"
    history = ws.history(f"agency/{agency.id}/crit/{computed.code}/appraised")
    assert history[-1].author_name == "Chuyên viên A" and "ghi đè" in history[-1].edit.reason
    assert svc.apply_import(ws, svc.plan_form_import(ws, [tmp_path / "scored.xlsx"], appraised=True)) == 0
    ws.db.close()


def leaf_half(leaf: object) -> Decimal:
    return (leaf.maximum / 2).quantize(Decimal("0.25"))  # type: ignore[attr-defined]


def test_signed_agency_form_is_refused(lead_ws, tmp_path: Path) -> None:
    agency = lead_ws.find_agency("HUTP")
    form = svc.write_form(lead_ws, agency.id, tmp_path / "hutp.xlsx")
    fill_form(form, tmp_path / "filled.xlsx", lead_ws.catalog(agency.category))
    before = edits(lead_ws)
    plan = svc.plan_form_import(lead_ws, [tmp_path / "filled.xlsx"])
    assert any("đã ký" in e for e in plan.errors)
    with pytest.raises(ServiceError):
        svc.apply_import(lead_ws, plan)
    assert edits(lead_ws) == before


def test_cli_template_all_and_import(demo_db: Path, tmp_path: Path) -> None:
    from ictappraise.cli import main

    assert main(["template", "--db", str(demo_db), "--all", "--out-dir", str(tmp_path / "forms")]) == 0
    forms = sorted((tmp_path / "forms").glob("*.xlsx"))
    assert len(forms) == 25
    form = tmp_path / "forms" / "Phieu_tu_danh_gia_BTC.xlsx"
    ws = member_ws(demo_db, "Chuyên viên C")
    fill_form(form, tmp_path / "btc.xlsx", ws.catalog(3))
    ws.db.close()
    args = ["import-xlsx", "--db", str(demo_db), str(tmp_path / "btc.xlsx"), "--as", "Chuyên viên C"]
    assert main([*args, "--sent", "2022-12-01", "--dry-run"]) == 0
    assert main([*args, "--sent", "2022-12-01", "--yes"]) == 0


def test_cli_refusal_prints_message_without_traceback(demo_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("Mã;Tiêu chí;Điểm\nI.1;Kế hoạch;20\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ictappraise",
            "import-xlsx",
            "--db",
            str(demo_db),
            str(bad),
            "--as",
            "Chuyên viên C",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 1
    assert "CSV" in result.stdout and "Lỗi:" in result.stderr and "Traceback" not in result.stderr
