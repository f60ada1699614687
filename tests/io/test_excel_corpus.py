"""Broken and hostile workbooks: each refused with its own precise message, nothing written."""

from __future__ import annotations

import shutil
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ictappraise.domain.limits import format_size
from ictappraise.io import excel_form, excel_workbook
from ictappraise.io.excel_workbook import WorkbookLimits
from ictappraise.services import excel_import as svc
from ictappraise.services.trust import signer_for
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


def _evidence(code: str, text: str) -> Callable[[object, object, dict[object, int]], None]:
    def change(_workbook: object, sheet: object, rows: dict[object, int]) -> None:
        sheet.cell(rows[code], excel_form.COL["evidence"]).value = text  # type: ignore[attr-defined]

    return change


def _longer_than_excel_allows(base: Path, out: Path) -> Path:
    """A cell of 40 500 characters: openpyxl cuts at Excel's 32 767, so the XML is edited."""
    marked = _edit(base, out.with_name("marked.xlsx"), _evidence("I.1", "@@DAI@@"))
    with zipfile.ZipFile(marked) as archive:
        name = next(n for n in archive.namelist() if b"@@DAI@@" in archive.read(n))
        xml = archive.read(name)
    return _replace_member(marked, out, name, [xml.replace(b"@@DAI@@", ("Tài liệu " * 4500).encode())])


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
        "agency sheet missing criteria",
        "partial.xlsx",
        _foreign([("I.1", "Kế hoạch", 20, 15)], ("Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá")),
        "BTC",
        ("thiếu dòng của", "I.2, I.3"),
    ),
    (
        "text longer than an Excel cell",
        "long.xlsx",
        _longer_than_excel_allows,
        None,
        ("cột F (Tài liệu kiểm chứng)", "40.500 ký tự", "quá giới hạn 32.767 ký tự"),
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
    ws.actor = Actor(lead.id, "test-device", lead.name, lead.role, signer_for(ws, lead.id))
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


# -- hostile text: accepted as NFC text without control characters, or refused ---------


def test_hostile_text_is_accepted_clean(shared_ws, base_form: Path, tmp_path: Path) -> None:
    """10 000 characters, control characters, right-to-left text and combining marks."""
    long_text = ("Công văn số 12-CV/BTCTU; " * 400)[:9_999] + "."
    texts = {
        "I.1": long_text,
        # DEL and a C1 control are legal XML; ESC arrives as Excel writes it, escaped as _x001B_.
        "I.2": "Quyết định\x7f số 30\x85 ngày _x001B_[31m5/12 (_x005F_x0041_)\r\ndòng hai",
        # Bidi overrides (the «Trojan source» trick) go, the Arabic and Hebrew letters stay.
        "I.3": "Báo cáo \u202efdp.exe\u202c مرحبا שלום \u2067x\u2069\ufeff",
        # Decomposed Vietnamese (NFD, as macOS types it) and a letter with many combining marks.
        "I.5": unicodedata.normalize("NFD", "Tài liệu kiểm chứng ") + "a" + "\u0301" * 30,
    }
    expected = {
        "I.1": long_text,
        "I.2": "Quyết định số 30 ngày [31m5/12 (_x0041_)\ndòng hai",
        "I.3": "Báo cáo fdp.exe مرحبا שלום x",
        "I.5": "Tài liệu kiểm chứng á" + "\u0301" * 29,
    }

    def change(_workbook: object, sheet: object, rows: dict[object, int]) -> None:
        for code, text in texts.items():
            sheet.cell(rows[code], excel_form.COL["evidence"]).value = text  # type: ignore[attr-defined]

    path = _edit(base_form, tmp_path / "text.xlsx", change)
    plan = svc.plan_form_import(shared_ws, [path])
    assert plan.errors == []
    found = {c.field.split("/")[3]: c.value for c in plan.changes if c.field.endswith("/self_evidence")}
    assert found == expected
    assert all(unicodedata.is_normalized("NFC", v) for v in found.values())


# -- size limits: zip bombs refused from the zip directory, before anything is decompressed -----

SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _rows_without_numbers(megabytes: float) -> Iterator[bytes]:
    """Identical rows (openpyxl numbers rows without r="…" itself): deflate packs ~1000:1."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    yield SHEET_HEAD
    whole, part = divmod(int(megabytes * 1024 * 1024), len(chunk))
    for _ in range(whole):
        yield chunk
    yield chunk[: part - part % len(row)]
    yield SHEET_TAIL


def _replace_member(base: Path, out: Path, name: str, chunks: Iterable[bytes]) -> Path:
    """A copy of a workbook with one part streamed from chunks (never all in memory)."""
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
                continue
            member = zipfile.ZipInfo(name)
            member.compress_type = zipfile.ZIP_DEFLATED
            with target.open(member, "w", force_zip64=True) as handle:
                for chunk in chunks:
                    handle.write(chunk)
    return out


def _limits(patch: pytest.MonkeyPatch, **changes: int) -> None:
    """The default limits with these changed (open_workbook reads DEFAULT_LIMITS at each call)."""
    patch.setattr(excel_workbook, "DEFAULT_LIMITS", replace(WorkbookLimits(), **changes))


def _refusal(ws: Workspace, path: Path) -> str:
    before = _edit_ids(ws)
    plan = svc.plan_form_import(ws, [path])
    (error,) = plan.errors
    with pytest.raises(ServiceError):
        svc.apply_import(ws, plan)
    assert _edit_ids(ws) == before
    return error


def test_zip_bomb_is_refused_from_the_directory_alone(
    shared_ws, base_form: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reviewer's file: ~1 MB on disk, hundreds of MB of sheet XML (5 GB, 3 min before)."""
    bomb = _replace_member(base_form, tmp_path / "bomb.xlsx", SHEET, _rows_without_numbers(150))
    assert bomb.stat().st_size < 1024 * 1024

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a member of the archive was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)  # testzip and openpyxl both go through open
    error = _refusal(shared_ws, bomb)
    assert error.startswith("Tệp «bomb.xlsx» bị từ chối: ")
    assert f"«{SHEET}»" in error and "150,0 MB" in error and "bom nén" in error
    assert "giới hạn 100 lần" in error


def test_each_limit_names_what_is_too_big(
    shared_ws, base_form: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(base_form) as archive:
        count = len(archive.infolist())
        unzipped = sum(info.file_size for info in archive.infolist())
        sheet = archive.getinfo(SHEET).file_size
    cases = [
        ("members", count - 1, f"có {count} tệp thành phần bên trong, quá giới hạn {count - 1}"),
        (
            "part_bytes",
            sheet - 1,
            f"phần «{SHEET}» giải nén ra {format_size(sheet)}, quá giới hạn {format_size(sheet - 1)}",
        ),
        (
            "total_bytes",
            unzipped - 1000,
            f"giải nén ra {format_size(unzipped)}, quá giới hạn {format_size(unzipped - 1000)}",
        ),
        (
            "total_bytes",
            base_form.stat().st_size - 1,
            f"dung lượng {format_size(base_form.stat().st_size)}, quá giới hạn",
        ),
    ]
    for limit, value, fragment in cases:
        with monkeypatch.context() as patch:
            _limits(patch, **{limit: value})
            error = _refusal(shared_ws, base_form)
        assert error.startswith("Tệp «base.xlsx» bị từ chối: ") and fragment in error, (fragment, error)


def test_ratio_limit_applies_above_the_floor(
    shared_ws, base_form: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _replace_member(base_form, tmp_path / "packed.xlsx", SHEET, _rows_without_numbers(0.3))
    _limits(monkeypatch, ratio_floor=256 * 1024)
    error = _refusal(shared_ws, path)
    assert f"phần «{SHEET}»" in error and "bom nén" in error
    _limits(monkeypatch, ratio_floor=1024 * 1024)  # the same part below the floor
    assert "bom nén" not in " ".join(svc.plan_form_import(shared_ws, [path]).errors)


def test_rows_are_read_up_to_a_limit(shared_ws, base_form: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _limits(monkeypatch, rows=30)
    error = _refusal(shared_ws, base_form)
    assert "trang «Tự đánh giá»" in error and "hơn 30 dòng" in error


def test_a_wrong_dimension_record_does_not_cut_the_sheet(shared_ws, base_form: Path, tmp_path: Path) -> None:
    """Read-only reading trusts <dimension> unless told not to; some writers put a wrong one."""
    path = _edit(base_form, tmp_path / "scored.xlsx", _score("I.5", 7))
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(SHEET)
    start = xml.index(b"<dimension ref=")
    lying = xml[:start] + b'<dimension ref="A1:B3"/>' + xml[xml.index(b"/>", start) + 2 :]
    cut = _replace_member(path, tmp_path / "cut.xlsx", SHEET, [lying])
    plan = svc.plan_form_import(shared_ws, [cut])
    assert plan.errors == [] and [line.code for line in plan.files[0].lines] == ["I.5"]
