"""Official catalog sheets: read, validated, and allowed to replace a catalog only before scoring."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from ictappraise.cli import main
from ictappraise.domain.text_safety import forbidden_character
from ictappraise.services import excel_import as svc
from ictappraise.services.seed import seed_round
from ictappraise.services.trust import signer_for
from ictappraise.services.workspace import Actor, ServiceError, Workspace
from ictappraise.store import repository
from ictappraise.store.database import open_database

HEADER = ("Mã", "Tiêu chí", "Điểm tối đa", "Cách tính điểm", "Tài liệu kiểm chứng")
ROWS: list[tuple[object, ...]] = [
    ("I", "Văn bản chỉ đạo, điều hành", 80, None, None),
    ("I.1", "Kế hoạch ứng dụng CNTT năm 2022", 20, "Có kế hoạch: 20 điểm; không có: 0 điểm.", "Kế hoạch"),
    ("I.2", "Quy chế nội bộ", 30, "Mỗi quy chế 10 điểm, tối đa 30 điểm.", "Quyết định ban hành"),
    ("I.3", "Lãnh đạo, chỉ đạo", 30, "Cộng điểm hai tiểu mục.", None),
    ("I.3.a", "Phân công lãnh đạo phụ trách", 15, "Có: 15 điểm.", "Quyết định phân công"),
    ("b", "Quán triệt văn bản của Trung ương", "15", "Có: 15 điểm.", "Biên bản sinh hoạt"),
    ("II", "Nguồn nhân lực", 80, None, None),
    (1, "Cán bộ phụ trách CNTT", 40, "Chuyên trách 40; kiêm nhiệm 20.", "Quyết định"),
    (2, "Tập huấn, bồi dưỡng", "40", "+10 điểm mỗi lớp, tối đa 40", "Giấy chứng nhận"),
    ("III", "Ứng dụng công nghệ thông tin", 230, None, None),
    ("III.1", "Phần mềm quản lý văn bản", 100, "Tỷ lệ văn bản xử lý trên phần mềm × 100.", None),
    ("III.2", "Thư điện tử công vụ, chữ ký số", 130, "Theo mức độ sử dụng.", None),
    ("IV", "Hạ tầng kỹ thuật, an toàn thông tin", None, None, None),
    ("IV.1", "Mạng, máy tính, phòng chống mã độc", "110", "Kiểm tra thực tế.", "Biên bản kiểm tra"),
    (None, "Tổng cộng", 500, None, None),
]


def write_catalog_sheet(path: Path, rows: list[tuple[object, ...]] = ROWS) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục 3"
    sheet.merge_cells("A1:E1")
    sheet["A1"] = "BỘ TIÊU CHÍ ĐÁNH GIÁ, XẾP HẠNG ỨNG DỤNG CNTT — PHỤ LỤC 3"
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def fresh_ws(tmp_path: Path) -> Iterator[Workspace]:
    """The round as shipped, before any self-assessment: catalogs may still be replaced."""
    db = open_database(tmp_path / "round.db", create=True)
    ws = Workspace(db)
    seed_round(ws)
    lead = ws.find_member("Nguyễn Thị Thắng")
    ws.actor = Actor(lead.id, "test-device", lead.name, lead.role, signer_for(ws, lead.id))
    yield ws
    db.close()


def test_catalog_sheet_replaces_sample_catalog(fresh_ws: Workspace, tmp_path: Path) -> None:
    plan = svc.plan_catalog_import(fresh_ws, 3, write_catalog_sheet(tmp_path / "pl3.xlsx"))
    assert plan.errors == []
    assert svc.apply_catalog(fresh_ws, plan) == 1
    catalog = fresh_ws.catalog(3)
    assert not catalog.sample and catalog.version.startswith("xlsx-")
    assert [g.code for g in catalog.groups] == ["I", "II", "III", "IV"]
    assert catalog.maximum == Decimal(500)
    parent = catalog.find("I.3")
    assert [s.code for s in parent.sub_items] == ["I.3.a", "I.3.b"] and parent.rule.kind == "sub_items"
    assert catalog.find("II.2").method == "+10 điểm mỗi lớp, tối đa 40"
    assert all(leaf.rule.kind == "manual" for leaf in catalog.leaves())
    assert catalog.find("I.1").method_text == "Có kế hoạch: 20 điểm; không có: 0 điểm."
    assert catalog.find("I.2").evidence == "Quyết định ban hành"
    again = svc.plan_catalog_import(fresh_ws, 3, tmp_path / "pl3.xlsx")
    assert svc.apply_catalog(fresh_ws, again) == 0
    form = svc.write_form(fresh_ws, fresh_ws.find_agency("BTC").id, tmp_path / "form.xlsx")
    assert svc.plan_form_import(fresh_ws, [form]).errors == []


def test_bidi_controls_in_a_catalog_sheet_never_reach_the_catalog(
    fresh_ws: Workspace, tmp_path: Path
) -> None:
    rows = list(ROWS)
    rows[2] = ("I.2", "Quy chế \u202enội bộ\u2066", 30, "Mỗi quy chế\u202a 10 điểm", None)
    plan = svc.plan_catalog_import(fresh_ws, 3, write_catalog_sheet(tmp_path / "bidi.xlsx", rows))
    assert plan.errors == [] and plan.catalog is not None
    assert plan.catalog.find("I.2").name == "Quy chế nội bộ"
    assert forbidden_character(plan.catalog.to_dict()) is None


def test_catalog_refused_while_agencies_have_scores(lead_ws, tmp_path: Path) -> None:
    with lead_ws.db.reading() as session:
        before = [e.id for e in repository.load_edits(session)]
    plan = svc.plan_catalog_import(lead_ws, 3, write_catalog_sheet(tmp_path / "pl3.xlsx"))
    assert plan.catalog is not None
    assert any("Ban Tổ chức Tỉnh ủy" in e and "đã có điểm" in e for e in plan.errors)
    with pytest.raises(ServiceError, match="5 đơn vị"):
        svc.apply_catalog(lead_ws, plan)
    with pytest.raises(ServiceError):
        svc.replace_catalog(lead_ws, plan.catalog)
    with lead_ws.db.reading() as session:
        assert [e.id for e in repository.load_edits(session)] == before


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda rows: rows.__setitem__(2, ("I.2", "Quy chế", 25, None, None)), "nhóm I có điểm tối đa 80"),
        (lambda rows: rows.__setitem__(2, ("I.1", "Quy chế", 30, None, None)), "mã «I.1» bị trùng"),
        (lambda rows: rows.__setitem__(2, ("I-2", "Quy chế", 30, None, None)), "không đúng dạng"),
        (lambda rows: rows.__setitem__(2, ("I.2", "Quy chế", None, None, None)), "thiếu điểm tối đa"),
        (lambda rows: rows.__setitem__(2, ("I.2", "Quy chế", "ba mươi", None, None)), "phải là một số"),
        (lambda rows: rows.__setitem__(13, ("IV.1", "Mạng", 100, None, None)), "khác điểm tối đa 500"),
        (lambda rows: rows.__setitem__(4, ("II.5.a", "Lạc chỗ", 15, None, None)), "cần nằm dưới II.5"),
    ],
)
def test_bad_catalog_sheets_are_refused(fresh_ws: Workspace, tmp_path: Path, change, fragment) -> None:
    rows = list(ROWS)
    change(rows)
    plan = svc.plan_catalog_import(fresh_ws, 3, write_catalog_sheet(tmp_path / "bad.xlsx", rows))
    assert plan.errors and fragment in plan.errors[0], plan.errors
    assert "bad.xlsx" in plan.errors[0]
    with pytest.raises(ServiceError):
        svc.apply_catalog(fresh_ws, plan)
    assert fresh_ws.catalog(3).sample


def test_only_the_lead_replaces_a_catalog(fresh_ws: Workspace, tmp_path: Path) -> None:
    plan = svc.plan_catalog_import(fresh_ws, 3, write_catalog_sheet(tmp_path / "pl3.xlsx"))
    member = fresh_ws.find_member("Chuyên viên A")
    fresh_ws.actor = Actor(
        member.id, "test-device", member.name, member.role, signer_for(fresh_ws, member.id)
    )
    with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
        svc.apply_catalog(fresh_ws, plan)
    assert fresh_ws.catalog(3).sample


def test_cli_import_catalog(tmp_path: Path, demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_catalog_sheet(tmp_path / "pl3.xlsx")
    assert main(["import-catalog", "--db", str(demo_db), "--category", "3", str(sheet), "--dry-run"]) == 1
    assert "đã có điểm" in capsys.readouterr().err
