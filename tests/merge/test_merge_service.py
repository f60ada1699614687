"""Export, merge, conflicts, resolution and held edits through the services (docs/rules.md §7)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from merge_helpers import LEAD, MEMBER_A, MEMBER_B, SECRETARY, edit_count, fingerprint, open_as

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import attachment_field, crit_field, visit_field
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services import merge
from ictappraise.services.resolution_values import parse_typed
from ictappraise.services.workspace import Actor, Change, ServiceError, Workspace
from ictappraise.store import repository
from ictappraise.store.backup import REASON_MERGE, list_backups


def leaves(ws: Workspace, code: str) -> tuple[str, list]:
    agency = ws.find_agency(code)
    return agency.id, list(ws.catalog(agency.category).leaves())


def score(ws: Workspace, agency_id: str, code: str, points: str) -> None:
    svc.set_appraisal(ws, agency_id, code, Appraisal(override=Decimal(points)))


def test_round_trip_counts_and_idempotence(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    agency_id, rows = leaves(a, "HUPQ")
    for row in rows[:5]:
        score(a, agency_id, row.code, "1")
    package = merge.export_package(a, tmp_path / "a").path
    assert package.suffix == ".ictx"
    before = edit_count(lead.db.path)
    summary = merge.merge_packages(lead, [package])
    assert summary.new_edits == 5 and summary.duplicates == before
    assert summary.new_conflicts == () and summary.held == ()
    assert [b.reason for b in list_backups(lead.db.path)].count(REASON_MERGE) == 1
    entry = lead.detail(agency_id).entries[rows[0].code]
    assert entry.appraisal == Appraisal(override=Decimal(1))
    edits_only = fingerprint(lead.db.path, local=False)
    again = merge.merge_packages(lead, [package, package])
    assert again.new_edits == 0 and again.duplicates == 2 * (before + 5)
    assert fingerprint(lead.db.path, local=False) == edits_only
    assert [b.reason for b in list_backups(lead.db.path)].count(REASON_MERGE) == 1  # nothing new: no backup


def test_since_last_exports_only_new_edits_and_a_copied_file_starts_over(laptops, tmp_path: Path) -> None:
    a = laptops(MEMBER_A, "a")
    agency_id, rows = leaves(a, "HUPQ")
    score(a, agency_id, rows[0].code, "1")
    full = merge.export_package(a, tmp_path / "1.ictx", since_last=True)
    assert full.edits == edit_count(a.db.path)  # nothing exported before: everything
    score(a, agency_id, rows[1].code, "1")
    score(a, agency_id, rows[0].code, "2")
    assert merge.export_package(a, tmp_path / "2.ictx", since_last=True).edits == 2
    assert merge.export_package(a, tmp_path / "3.ictx", since_last=True).edits == 0
    # The same file copied to another laptop: its first "since last" package is complete.
    copy = tmp_path / "copy.db"
    shutil.copyfile(a.db.path, copy)
    other = open_as(copy, MEMBER_B, "b-laptop")
    try:
        assert merge.export_package(other, tmp_path / "4.ictx", since_last=True).edits == edit_count(copy)
    finally:
        other.db.close()


def test_missing_parents_are_refused_whole_and_a_full_package_then_merges(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    agency_id, rows = leaves(a, "HUPQ")
    score(a, agency_id, rows[0].code, "1")
    merge.export_package(a, tmp_path / "first.ictx", since_last=True)  # lost on the way
    score(a, agency_id, rows[0].code, "2")  # its parent is in the lost package
    partial = merge.export_package(a, tmp_path / "second.ictx", since_last=True).path
    before = fingerprint(lead.db.path)
    with pytest.raises(merge.MergeRefused, match="thiếu 1 sửa đổi trước đó"):
        merge.merge_packages(lead, [partial])
    assert fingerprint(lead.db.path) == before
    # Both packages together are complete, in either order.
    summary = merge.merge_packages(lead, [partial, tmp_path / "first.ictx"])
    assert summary.new_edits == 2 and summary.new_conflicts == ()
    assert lead.detail(agency_id).entries[rows[0].code].appraisal == Appraisal(override=Decimal(2))


def test_concurrent_different_values_conflict_and_equal_values_do_not(laptops, tmp_path: Path) -> None:
    lead, a, b = laptops(LEAD, "lead"), laptops(MEMBER_A, "a"), laptops(MEMBER_B, "b")
    agency_id, rows = leaves(a, "HUPQ")
    score(a, agency_id, rows[0].code, "1")
    score(b, agency_id, rows[0].code, "2")
    score(a, agency_id, rows[1].code, "1")
    score(b, agency_id, rows[1].code, "1")
    svc.set_text(b, agency_id, rows[2].code, "note", "Thiếu minh chứng")
    paths = [merge.export_package(ws, tmp_path / f"{n}.ictx").path for n, ws in (("a", a), ("b", b))]
    summary = merge.merge_packages(lead, paths)
    assert [c.field for c in summary.new_conflicts] == [crit_field(agency_id, rows[0].code, "appraised")]
    conflict = merge.list_conflicts(lead, agency_id)[0]
    assert conflict.code == rows[0].code and conflict.what == "Điểm thẩm định"
    assert conflict.agency_name == "Huyện ủy Phú Quý"
    assert sorted(h.author_name for h in conflict.heads) == [MEMBER_A, MEMBER_B]
    assert sorted(h.text for h in conflict.heads) == ["1 điểm (nhập trực tiếp)", "2 điểm (nhập trực tiếp)"]
    detail = lead.detail(agency_id)
    assert detail.scorecard.rating is None and rows[0].code in detail.scorecard.conflicts
    result = next(r for r in lead.results() if r.agency.id == agency_id)
    assert result.conflicts == (conflict.field,) and result.rank is None
    assert any("xung đột" in p for p in svc.readiness_problems(lead, agency_id))


def test_resolution_is_an_edit_over_all_heads_that_travels_back(laptops, tmp_path: Path) -> None:
    lead, a, b = laptops(LEAD, "lead"), laptops(MEMBER_A, "a"), laptops(MEMBER_B, "b")
    agency_id, rows = leaves(a, "HUPQ")
    score(a, agency_id, rows[0].code, "1")
    score(b, agency_id, rows[0].code, "2")
    paths = [merge.export_package(ws, tmp_path / f"{n}.ictx").path for n, ws in (("a", a), ("b", b))]
    merge.merge_packages(lead, paths)
    field = crit_field(agency_id, rows[0].code, "appraised")
    conflict = merge.list_conflicts(lead)[0]
    b_head = next(h for h in conflict.heads if h.author_name == MEMBER_B)
    edit = merge.resolve_pick(lead, field, b_head.id[:8], "  Đối chiếu biên bản kiểm tra thực tế  ")
    assert set(edit.parents) == {h.id for h in conflict.heads}
    assert edit.reason == "Đối chiếu biên bản kiểm tra thực tế" and edit.value == {"override": "2"}
    assert merge.list_conflicts(lead) == []
    back = merge.export_package(lead, tmp_path / "lead.ictx").path
    merge.merge_packages(a, [back])
    assert merge.list_conflicts(a) == []
    assert a.detail(agency_id).entries[rows[0].code].appraisal == Appraisal(override=Decimal(2))
    assert {e.id for e in _all(a)} == {e.id for e in _all(lead)}


def _all(ws: Workspace) -> list[Edit]:
    with ws.db.reading() as session:
        return repository.load_edits(session)


def test_resolution_refusals(laptops, tmp_path: Path) -> None:
    lead, a, b = laptops(LEAD, "lead"), laptops(MEMBER_A, "a"), laptops(MEMBER_B, "b")
    agency_id, rows = leaves(a, "HUPQ")
    score(a, agency_id, rows[0].code, "1")
    score(b, agency_id, rows[0].code, "2")
    paths = [merge.export_package(ws, tmp_path / f"{n}.ictx").path for n, ws in (("a", a), ("b", b))]
    merge.merge_packages(lead, paths)
    merge.merge_packages(a, paths)
    field = crit_field(agency_id, rows[0].code, "appraised")
    before = fingerprint(lead.db.path)
    with pytest.raises(ServiceError, match="ghi rõ lý do"):
        merge.resolve_conflict(lead, field, {"override": "1"}, "   ")
    with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
        merge.resolve_conflict(a, field, {"override": "1"}, "lý do")
    with pytest.raises(ServiceError, match="ngoài khoảng"):
        merge.resolve_conflict(lead, field, {"override": "999"}, "lý do")
    with pytest.raises(ServiceError, match="không chỉ đúng một phiên bản"):
        merge.resolve_pick(lead, field, "zzzz", "lý do")
    with pytest.raises(ServiceError, match="không có xung đột"):
        merge.resolve_conflict(lead, crit_field(agency_id, rows[1].code, "appraised"), None, "lý do")
    assert fingerprint(lead.db.path) == before
    typed = parse_typed(lead, field, "1,25")
    assert typed == {"override": "1.25"}
    merge.resolve_conflict(lead, field, typed, "Tổ thống nhất điểm mới")
    assert lead.detail(agency_id).entries[rows[0].code].appraisal == Appraisal(override=Decimal("1.25"))


def test_conflict_on_a_note_blocks_signing(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    tupt = lead.find_agency("TUPT")  # ready to sign in the demo
    code = next(iter(lead.catalog(tupt.category).leaves())).code
    svc.set_text(a, tupt.id, code, "note", "Ghi chú của A")
    svc.set_text(lead, tupt.id, code, "note", "Ghi chú của Tổ trưởng")
    merge.merge_packages(lead, [merge.export_package(a, tmp_path / "a.ictx").path])
    assert [c.what for c in merge.list_conflicts(lead, tupt.id)] == ["Ghi chú"]
    with pytest.raises(ServiceError, match="xung đột"):
        svc.sign(lead, tupt.id)
    merge.resolve_conflict(lead, crit_field(tupt.id, code, "note"), "Ghi chú thống nhất", "Gộp hai ghi chú")
    svc.sign(lead, tupt.id)
    assert lead.is_signed(tupt.id)


def test_edit_to_a_signed_visit_is_held_in_every_arrival_order(laptops, tmp_path: Path) -> None:
    lead, a, b = laptops(LEAD, "lead"), laptops(MEMBER_A, "a"), laptops(MEMBER_B, "b")
    tupt = lead.find_agency("TUPT")
    code = next(iter(lead.catalog(tupt.category).leaves())).code
    svc.set_text(a, tupt.id, code, "note", "Sửa sau khi đã ký")  # A has not seen the signing
    svc.sign(lead, tupt.id)
    a_pkg = merge.export_package(a, tmp_path / "a.ictx").path
    plan = merge.plan_merge(lead, [a_pkg])  # the lead sees what would be held, and why, first
    assert [h.edit.author for h in plan.to_hold] == [a.actor.member_id] and plan.needs_confirmation
    assert "đã ký" in plan.to_hold[0].reason
    with pytest.raises(merge.MergeRefused, match="giữ lại"):
        merge.merge_packages(lead, [a_pkg])
    summary = merge.merge_packages(lead, [a_pkg], confirmed=True)
    assert [h.edit.author for h in summary.held] == [a.actor.member_id]
    assert summary.held[0].what == f"tiêu chí {code} — Ghi chú"
    assert [h.edit.id for h in merge.list_held(lead, tupt.id)] == [summary.held[0].edit.id]
    assert lead.detail(tupt.id).entries[code].note != "Sửa sau khi đã ký"
    lead_pkg = merge.export_package(lead, tmp_path / "lead.ictx").path
    merge.merge_packages(b, [lead_pkg, a_pkg], confirmed=True)  # B: lead first
    merge.merge_packages(a, [lead_pkg], confirmed=True)  # A: its own edit first, the signing later
    for ws in (b, a):
        assert [h.edit.id for h in merge.list_held(ws)] == [summary.held[0].edit.id]
        assert ws.detail(tupt.id).entries[code].note == lead.detail(tupt.id).entries[code].note


def test_attachments_travel_and_are_checked(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    agency_id, rows = leaves(a, "HUPQ")
    data = b"%PDF-1.4 bien ban kiem tra\n" * 100
    with a.db.transaction() as session:
        digest = repository.put_attachment(session, data)
    a.set(attachment_field(agency_id, rows[0].code, digest), {"name": "kiem_tra.pdf", "size": len(data)})
    result = merge.export_package(a, tmp_path / "a.ictx")
    assert result.attachments == 1
    summary = merge.merge_packages(lead, [result.path])
    assert summary.attachments == 1
    with lead.db.reading() as session:
        assert repository.get_attachment(session, digest) == data
    assert lead.detail(agency_id).entries[rows[0].code].attachments[0]["name"] == "kiem_tra.pdf"


def test_unknown_sender_is_shown_before_anything_is_applied(laptops, tmp_path: Path) -> None:
    lead, outsider = laptops(LEAD, "lead"), laptops(MEMBER_A, "x")
    # Someone not on the team announces a key on their copy and sends a package (docs/rules.md §9:
    # adding oneself to the team is the lead's to do, so that is refused on their own laptop:
    # someone not on the team writes nothing there but their own key's announcement).
    from ictappraise.io.keys import create_key
    from ictappraise.services import trust

    newcomer = "11111111-2222-4333-8444-555555555555"
    outsider.actor = Actor(newcomer, "x", "Người lạ", "member", create_key("Người lạ"))
    with pytest.raises(ServiceError, match="Người lạ không có trong Tổ thẩm định của đợt này"):
        outsider.write([Change(f"member/{newcomer}/name", "Người lạ")])
    trust.announce(outsider, outsider.actor)
    package = merge.export_package(outsider, tmp_path / "x.ictx").path
    before = fingerprint(lead.db.path)
    plan = merge.plan_merge(lead, [package])
    assert plan.needs_confirmation and plan.unknown_senders == ("Người lạ",)
    assert any("không phải thành viên Tổ thẩm định" in line for line in merge.describe_plan(plan))
    with pytest.raises(merge.MergeRefused, match="Người lạ"):
        merge.merge_packages(lead, [package])
    assert fingerprint(lead.db.path) == before
    summary = merge.apply_merge(lead, plan)
    assert summary.unknown_senders == ("Người lạ",) and summary.new_edits == 1


def test_progress_is_reported_and_an_exception_in_it_rolls_back(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    agency_id, rows = leaves(a, "HUPQ")
    score(a, agency_id, rows[0].code, "1")
    package = merge.export_package(a, tmp_path / "a.ictx").path
    before = fingerprint(lead.db.path)
    calls: list[tuple[int, int]] = []

    def cancel(done: int, total: int, _text: str) -> None:
        calls.append((done, total))
        if done == total:  # the last call comes after every package was written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        merge.merge_packages(lead, [package], cancel)
    assert calls[-1] == (1, 1) and fingerprint(lead.db.path) == before
    assert lead.detail(agency_id).entries[rows[0].code].appraisal is None


def test_package_replaced_between_check_and_merge_is_refused(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    agency_id, rows = leaves(a, "HUPQ")
    package = merge.export_package(a, tmp_path / "a.ictx").path
    plan = merge.plan_merge(lead, [package])
    score(a, agency_id, rows[0].code, "1")
    merge.export_package(a, package)
    before = fingerprint(lead.db.path)
    with pytest.raises(merge.MergeRefused, match="đã thay đổi sau khi kiểm tra"):
        merge.apply_merge(lead, plan)
    assert fingerprint(lead.db.path) == before


def test_export_needs_a_member_and_a_folder(laptops, tmp_path: Path) -> None:
    a = laptops(SECRETARY, "c")
    with pytest.raises(ServiceError, match="Không có thư mục"):
        merge.export_package(a, tmp_path / "missing" / "x.ictx")
    a.actor = None
    with pytest.raises(ServiceError, match="Chưa biết ai"):
        merge.export_package(a, tmp_path / "x.ictx")


def test_visit_conflict_words(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    hupq = lead.find_agency("HUPQ")
    svc.set_visit(a, hupq.id, place="Hội trường A")
    svc.set_visit(lead, hupq.id, place="Hội trường B")
    merge.merge_packages(lead, [merge.export_package(a, tmp_path / "a.ictx").path])
    (conflict,) = merge.list_conflicts(lead, hupq.id)
    assert conflict.field == visit_field(hupq.id, "place")
    assert conflict.title == "Huyện ủy Phú Quý — Buổi thẩm định: Địa điểm"
    assert sorted(h.text for h in conflict.heads) == ["Hội trường A", "Hội trường B"]


def test_chain_a_lead_b_lead_converges_without_conflict(laptops, tmp_path: Path) -> None:
    lead, a, b = laptops(LEAD, "lead"), laptops(MEMBER_A, "a"), laptops(MEMBER_B, "b")
    agency_id, rows = leaves(a, "HUPQ")
    score(a, agency_id, rows[0].code, "1")
    a_pkg = merge.export_package(a, tmp_path / "a.ictx").path
    merge.merge_packages(lead, [a_pkg])
    merge.merge_packages(b, [merge.export_package(lead, tmp_path / "lead1.ictx").path])
    score(b, agency_id, rows[0].code, "2")  # B saw A's score and replaced it: not a conflict
    summary = merge.merge_packages(lead, [merge.export_package(b, tmp_path / "b.ictx").path, a_pkg])
    assert summary.new_edits == 1 and summary.new_conflicts == ()
    assert lead.detail(agency_id).entries[rows[0].code].appraisal == Appraisal(override=Decimal(2))
    merge.merge_packages(a, [merge.export_package(lead, tmp_path / "lead2.ictx").path])
    assert {e.id for e in _all(a)} == {e.id for e in _all(b)} == {e.id for e in _all(lead)}
    assert a.detail(agency_id).entries[rows[0].code].appraisal == Appraisal(override=Decimal(2))
