"""The demo database against docs/rules.md §2 and the foundation issue: the evening of 14/12/2022."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ictappraise.services.workspace import SYSTEM_AUTHOR, Workspace
from ictappraise.store import repository
from ictappraise.store.database import open_database

# docs/rules.md §2, typed in from the spec (full names as a clerk writes them).
SPEC_AGENCIES = {
    2: {
        "Văn phòng Tỉnh ủy",
        "Thành ủy Phan Thiết",
        "Thị ủy La Gi",
        "Huyện ủy Tuy Phong",
        "Huyện ủy Bắc Bình",
        "Huyện ủy Hàm Thuận Bắc",
        "Huyện ủy Hàm Thuận Nam",
        "Huyện ủy Hàm Tân",
        "Huyện ủy Tánh Linh",
        "Huyện ủy Đức Linh",
        "Huyện ủy Phú Quý",
        "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
    },
    3: {
        "Ban Tổ chức Tỉnh ủy",
        "Ban Tuyên giáo Tỉnh ủy",
        "Ban Dân vận Tỉnh ủy",
        "Ban Nội chính Tỉnh ủy",
        "Ủy ban Kiểm tra Tỉnh ủy",
    },
    4: {
        "Ủy ban MTTQ Việt Nam tỉnh",
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Hội Nông dân tỉnh",
        "Tỉnh đoàn",
        "Trường Chính trị tỉnh",
    },
    5: {"Liên đoàn Lao động tỉnh"},
    6: {"Báo Bình Thuận"},
    7: {"Hội Cựu chiến binh tỉnh"},
}
SPEC_TEAM = {
    ("Nguyễn Thị Thắng", "lead"),
    ("Chuyên viên A", "member"),
    ("Chuyên viên B", "member"),
    ("Chuyên viên C", "secretary"),
}
EVENING = date(2022, 12, 14)
WORKING_DAYS = {date(2022, 12, d) for d in (9, 12, 13, 14, 15, 16, 19, 20)}


@pytest.fixture(scope="module")
def demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A read-only look at one demo copy, shared by the tests of this module."""
    import shutil

    path = tmp_path_factory.mktemp("demo-data") / "demo.db"
    shutil.copyfile(demo_template, path)
    db = open_database(path)
    ws = Workspace(db)
    with db.reading() as session:
        edits = repository.load_edits(session)
    details = {a.code: ws.detail(a.id) for a in ws.agencies()}
    yield ws, details, edits
    db.close()


def test_round_settings(demo: Any) -> None:
    ws, _details, _edits = demo
    info = ws.round_info()
    assert info.year == 2022
    assert info.visit_start == date(2022, 12, 9)
    assert info.visit_end == date(2022, 12, 20)
    basis = " ".join(info.legal_basis)
    assert "294-CV/TU" in basis and "23/11/2021" in basis
    assert "275-QĐ/VPTU" in basis and "02/12/2022" in basis
    assert info.report_deadline is not None and info.report_deadline < info.visit_start
    assert info.portal_quota > 0


def test_the_25_agencies_and_their_categories(demo: Any) -> None:
    ws, _details, _edits = demo
    agencies = ws.agencies()
    assert len(agencies) == 25
    by_category: dict[int, set[str]] = {}
    for agency in agencies:
        by_category.setdefault(agency.category, set()).add(agency.name)
        assert unicodedata.is_normalized("NFC", agency.name)
        assert agency.code and ws.find_agency(agency.code) == agency == ws.find_agency(agency.name)
    assert by_category == SPEC_AGENCIES
    assert len({a.code for a in agencies}) == 25


def test_the_team_of_four(demo: Any) -> None:
    ws, _details, _edits = demo
    members = ws.members()
    assert {(m.name, m.role) for m in members} == SPEC_TEAM
    lead = ws.find_member("Nguyễn Thị Thắng")
    assert lead is not None and lead.title == "Phó Chánh Văn phòng Tỉnh ủy"


def test_schedule(demo: Any) -> None:
    ws, details, _edits = demo
    assert details["HUTP"].visit.date == date(2022, 12, 9)
    assert details["HUBB"].visit.date == date(2022, 12, 9)
    assert ws.find_agency("Huyện ủy Tuy Phong").visit_date == date(2022, 12, 9)
    assert ws.find_agency("Huyện ủy Bắc Bình").visit_date == date(2022, 12, 9)
    for code, detail in details.items():
        assert detail.visit.date in WORKING_DAYS, code
        assert detail.visit.start and detail.visit.place, code
    day_one = {code for code, d in details.items() if d.visit.date == date(2022, 12, 9)}
    assert day_one == {"HUTP", "HUBB"}


def test_visited_agencies_have_scores_and_full_visit_details(demo: Any) -> None:
    ws, details, _edits = demo
    visited = {code for code, d in details.items() if d.visit.date and d.visit.date <= EVENING}
    assert len(visited) == 11
    member_ids = {m.id for m in ws.members()}
    for code in visited:
        detail = details[code]
        visit = detail.visit
        scored = [e for e in detail.entries.values() if e.appraisal is not None]
        assert scored, code
        assert visit.start < visit.end, code  # time
        assert visit.place, code
        assert visit.team and set(visit.team) <= member_ids, code  # participants
        assert visit.representatives and all(r.name and r.title for r in visit.representatives), code
        assert visit.strengths and visit.weaknesses and visit.recommendations, code  # remarks


def test_agencies_not_yet_visited_have_no_appraisal(demo: Any) -> None:
    _ws, details, _edits = demo
    later = [d for d in details.values() if d.visit.date and d.visit.date > EVENING]
    assert len(later) == 14
    for detail in later:
        assert all(e.appraisal is None for e in detail.entries.values()), detail.agency.code
        assert detail.status == "not_started"
        assert not detail.visit.strengths and not detail.visit.team


def test_some_visits_signed_and_signed_ones_are_complete(demo: Any) -> None:
    _ws, details, _edits = demo
    signed = [d for d in details.values() if d.signed]
    assert 1 <= len(signed) < 11
    for detail in signed:
        assert detail.visit.date is not None and detail.visit.date <= EVENING
        assert detail.scorecard.complete, detail.agency.code
        assert detail.held == () and detail.conflicts == ()
        assert detail.missing_reasons == ()
        assert detail.visit.opinion in ("agree", "reserve")


def test_self_assessments_for_all_25(demo: Any) -> None:
    _ws, details, _edits = demo
    for code, detail in details.items():
        leaves = [leaf.code for leaf in detail.catalog.leaves()]
        missing = [c for c in leaves if detail.entries[c].self_points is None]
        assert missing == [], code
        assert 0 < detail.scorecard.self_total <= detail.catalog.maximum
        assert detail.facts.report_sent is not None, code


def test_one_report_late_and_one_without_the_report(demo: Any) -> None:
    _ws, details, _edits = demo
    late = [c for c, d in details.items() if d.facts.days_late >= 5]
    missing = [c for c, d in details.items() if not d.facts.report_attached]
    assert late and missing
    assert set(late).isdisjoint(missing)


def test_nothing_happens_after_the_evening_of_14_12(demo: Any) -> None:
    ws, _details, edits = demo
    member_ids = {m.id for m in ws.members()} | {SYSTEM_AUTHOR}
    for edit in edits:
        assert edit.created_at[:10] <= "2022-12-14", edit
        assert edit.author in member_ids, edit
    assert len({e.id for e in edits}) == len(edits)
