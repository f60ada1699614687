"""Broken and hostile workbooks: each refused with its own precise message, nothing written."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ictappraise.io import excel_form
from ictappraise.services import excel_import as svc
from ictappraise.services.workspace import Actor, ServiceError, Workspace
from ictappraise.store import repository
from ictappraise.store.database import open_database

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "xlsx"


def _rows(sheet: object) -> dict[object, int]:
    return {sheet.cell(r, 1).value: r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1)}  # type: ignore[attr-defined]


def _edit(base: Path, out: Path, change: Callable[[object, object, dict[object, int]], None]) -> Path:
    workbook = load_workbook(base)
    sheet = workbook[excel_form.FORM_SHEET]
    change(workbook, sheet, _rows(sheet))
    workbook.save(out)
    return out


def _meta(key: str, value: str) -> Callable[[object, object, dict[object, int]], None]:
    def change(workbook: object, _sheet: object, _rows: dict[object, int]) -> None:
        meta = workbook[excel_form.META_SHEET]  # type: ignore[index]
        for row in range(2, meta.max_row + 1):
            if meta.cell(row, 1).value == key:
                meta.cell(row, 2).value = value

    return change


def _score(code: str, value: object) -> Callable[[object, object, dict[object, int]], None]:
    def change(_workbook: object, sheet: object, rows: dict[object, int]) -> None:
        sheet.cell(rows[code], excel_form.COL["self"]).value = value  # type: ignore[attr-defined]

    return change


def _code(old: str, new: str) -> Callable[[object, object, dict[object, int]], None]:
    def change(_workbook: object, sheet: object, rows: dict[object, int]) -> None:
        sheet.cell(rows[old], 1).value = new  # type: ignore[attr-defined]
        sheet.cell(rows[old], excel_form.COL["self"]).value = 1  # type: ignore[attr-defined]

    return change


def _foreign(rows: list[tuple[object, ...]], header: tuple[str, ...]) -> Callable[[Path, Path], Path]:
    def make(_base: Path, out: Path) -> Path:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Bảng điểm"
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        workbook.save(out)
        return out

    return make


def _bytes(data: bytes) -> Callable[[Path, Path], Path]:
    def make(_base: Path, out: Path) -> Path:
        out.write_bytes(data)
        return out

    return make


def _fixture(name: str) -> Callable[[Path, Path], Path]:
    def make(_base: Path, out: Path) -> Path:
        shutil.copyfile(FIXTURES / name, out)
        return out

    return make


def _truncated(base: Path, out: Path) -> Path:
    out.write_bytes(base.read_bytes()[:1500])
    return out


def _zip_not_workbook(_base: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "không phải sổ tính")
    return out


def _ods(_base: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return out


def _no_table(_base: Path, out: Path) -> Path:
    workbook = Workbook()
    workbook.active["A1"] = "Báo cáo kết quả ứng dụng công nghệ thông tin"
    workbook.save(out)
    return out


def _edited(change: Callable[[object, object, dict[object, int]], None]) -> Callable[[Path, Path], Path]:
    return lambda base, out: _edit(base, out, change)


# (name, file name, builder, --agency, message fragments that must appear)
CASES: list[tuple[str, str, Callable[[Path, Path], Path], str | None, tuple[str, ...]]] = [
    ("renamed csv", "csv.xlsx", _bytes("Mã,Tiêu chí,Điểm\nI.1,Kế hoạch,20\n".encode()), None, ("CSV",)),
    ("corrupt zip", "corrupt.xlsx", _truncated, None, ("bị hỏng",)),
    (
        "encrypted",
        "locked.xlsx",
        _bytes(OLE + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")),
        None,
        ("mật khẩu",),
    ),
    ("xls", "old_format.xls", _fixture("old_format.xls"), None, (".xls", "Excel 97–2003")),
    ("empty file", "empty.xlsx", _bytes(b""), None, ("rỗng",)),
    ("zip not workbook", "archive.xlsx", _zip_not_workbook, None, ("không phải sổ tính",)),
    ("renamed ods", "calc.xlsx", _ods, None, ("OpenDocument",)),
    ("no table", "notable.xlsx", _no_table, "BTC", ("không tìm thấy bảng tiêu chí",)),
    ("other agency", "other.xlsx", _edited(lambda *_: None), "BTG", ("không phải của Ban Tuyên giáo",)),
    (
        "other catalog",
        "catalog.xlsx",
        _edited(_meta("catalog_checksum", "0123456789abcdef")),
        None,
        ("0123456789abcdef", "tạo lại phiếu"),
    ),
    ("other round", "round.xlsx", _edited(_meta("round_key", "binh-thuan-2019")), None, ("binh-thuan-2019",)),
    ("unknown code", "unknown.xlsx", _edited(_code("I.5", "I.9")), None, ("«I.9» không có", "cột A (Mã)")),
    ("duplicate code", "dup.xlsx", _edited(_code("I.5", "I.3")), None, ("«I.3» bị trùng",)),
    (
        "above maximum",
        "above.xlsx",
        _edited(_score("I.1", 25)),
        None,
        ("vượt điểm tối đa", "cột E (Điểm tự đánh giá)"),
    ),
    ("negative", "negative.xlsx", _edited(_score("I.1", -2)), None, ("không được âm",)),
    ("text not number", "text.xlsx", _edited(_score("I.1", "đạt")), None, ("phải là một số", "«đạt»")),
    (
        "formula without value",
        "formula.xlsx",
        _edited(_score("I.1", "=10+5")),
        None,
        ("công thức nhưng không có giá trị",),
    ),
    ("date in score", "date.xlsx", _edited(_score("I.1", datetime(2022, 12, 5))), None, ("ngày tháng",)),
    (
        "no metadata",
        "plain.xlsx",
        _foreign([("I.1", "Kế hoạch", 20, 15)], ("Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá")),
        None,
        ("--agency",),
    ),
    (
        "missing column",
        "nocol.xlsx",
        _foreign([("I.1", "Kế hoạch", 20)], ("Mã", "Tiêu chí", "Điểm tối đa")),
        "BTC",
        ("thiếu cột «Điểm tự đánh giá»",),
    ),
    (
        "parent scored",
        "parent.xlsx",
        _foreign([("I.4", "Lãnh đạo", 15, 12)], ("Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá")),
        "BTC",
        ("tổng các tiểu mục", "I.4.a"),
    ),
    (
        "other maximum",
        "max.xlsx",
        _foreign([("I.1", "Kế hoạch", 30, 15)], ("Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá")),
        "BTC",
        ("khác bộ tiêu chí", "cột C (Điểm tối đa)"),
    ),
]


@pytest.fixture(scope="module")
def shared_ws(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace for the whole corpus: every case is refused, so none of them writes."""
    path = tmp_path_factory.mktemp("corpus") / "demo.db"
    shutil.copyfile(demo_template, path)
    db = open_database(path)
    ws = Workspace(db)
    lead = ws.find_member("Nguyễn Thị Thắng")
    ws.actor = Actor(lead.id, "test-device", lead.name, lead.role)
    yield ws
    db.close()


@pytest.fixture(scope="module")
def base_form(shared_ws: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("base")
    return svc.write_form(shared_ws, shared_ws.find_agency("BTC").id, folder / "base.xlsx")


def _edit_ids(ws: object) -> list[str]:
    with ws.db.reading() as session:  # type: ignore[attr-defined]
        return [e.id for e in repository.load_edits(session)]


@pytest.mark.parametrize(
    ("name", "file_name", "build", "agency", "fragments"), CASES, ids=[c[0] for c in CASES]
)
def test_hostile_workbook_is_refused(
    shared_ws, base_form: Path, tmp_path: Path, name, file_name, build, agency, fragments
) -> None:
    path = build(base_form, tmp_path / file_name)
    before = _edit_ids(shared_ws)
    plan = svc.plan_form_import(shared_ws, [path], agency=agency)
    assert plan.errors, name
    message = " ".join(plan.errors)
    assert file_name in message
    for fragment in fragments:
        assert fragment in message, (name, message)
    with pytest.raises(ServiceError):
        svc.apply_import(shared_ws, plan)
    assert _edit_ids(shared_ws) == before


def test_messages_are_distinct(shared_ws, base_form: Path, tmp_path: Path) -> None:
    messages = set()
    for _name, file_name, build, agency, _fragments in CASES:
        plan = svc.plan_form_import(shared_ws, [build(base_form, tmp_path / file_name)], agency=agency)
        messages.add(plan.errors[0].replace(file_name, "…"))
    assert len(messages) == len(CASES) >= 15


def test_row_errors_name_sheet_row_and_column(shared_ws, base_form: Path, tmp_path: Path) -> None:
    path = _edit(base_form, tmp_path / "above.xlsx", _score("I.1", "25,5"))
    row = _rows(load_workbook(path)[excel_form.FORM_SHEET])["I.1"]
    (error,) = svc.plan_form_import(shared_ws, [path]).errors
    assert error.startswith(
        f"Tệp «above.xlsx», trang «Tự đánh giá», dòng {row}, cột E (Điểm tự đánh giá): điểm 25,5"
    )


def test_one_bad_file_blocks_the_whole_batch(shared_ws, base_form: Path, tmp_path: Path) -> None:
    good = _edit(base_form, tmp_path / "good.xlsx", _score("I.1", 12))
    other = svc.write_form(shared_ws, shared_ws.find_agency("BTG").id, tmp_path / "btg.xlsx")
    bad = _edit(other, tmp_path / "bad.xlsx", _score("I.1", 99))
    before = _edit_ids(shared_ws)
    plan = svc.plan_form_import(shared_ws, [good, bad])
    assert plan.files[0].errors == [] and plan.files[0].changes and plan.files[1].errors
    with pytest.raises(ServiceError):
        svc.apply_import(shared_ws, plan)
    assert _edit_ids(shared_ws) == before


def test_two_forms_of_one_agency_are_refused(shared_ws, base_form: Path, tmp_path: Path) -> None:
    first = _edit(base_form, tmp_path / "a.xlsx", _score("I.1", 12))
    second = _edit(base_form, tmp_path / "b.xlsx", _score("I.1", 13))
    plan = svc.plan_form_import(shared_ws, [first, second])
    assert "cùng là phiếu của Ban Tổ chức Tỉnh ủy" in plan.files[1].errors[0]
