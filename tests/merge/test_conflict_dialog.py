"""pytest-qt: the lead's conflict dialog, the merge dialog and sending a package."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from merge_helpers import LEAD, MEMBER_A, MEMBER_B, fingerprint, open_as, rewrite
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import crit_field, status_field
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import merge
from ictappraise.services.workspace import Workspace
from ictappraise.ui.conflicts import ConflictDialog, HeadTableModel
from ictappraise.ui.merge_dialog import MergeDialog, send_package
from tests.support import signed


def concurrent(ws: Workspace, field: str, values: dict[str, object]) -> None:
    """Edits by several members that each replaced the same heads: a conflict when values differ."""
    agency_id = field.split("/")[1]
    state = ws.state(agency_id)
    edits = []
    for minute, (name, value) in enumerate(values.items(), start=1):
        member = ws.find_member(name)
        assert member is not None
        edits.append(
            Edit(
                f"{member.id[:8]}-{abs(hash(field)) % 10**8}",
                field,
                value,
                member.id,
                f"laptop-{minute}",
                f"2022-12-14T10:{minute:02d}:00+07:00",
                parents=state.heads(field),
                basis=state.heads(status_field(agency_id)),
            )
        )
    ws.append(signed(ws, edits))


@pytest.fixture
def conflicted(lead_ws: Workspace) -> tuple[Workspace, str, str]:
    """Huyện ủy Phú Quý with a score conflict on its first criterion and a note conflict."""
    agency = lead_ws.find_agency("HUPQ")
    code = next(iter(lead_ws.catalog(agency.category).leaves())).code
    concurrent(
        lead_ws,
        crit_field(agency.id, code, "appraised"),
        {MEMBER_A: {"override": "1"}, MEMBER_B: {"override": "2"}},
    )
    concurrent(lead_ws, crit_field(agency.id, code, "note"), {MEMBER_A: "Ghi chú A", MEMBER_B: "Ghi chú B"})
    return lead_ws, agency.id, code


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error dialogs shown (captured instead of blocking the test)."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    return shown


def type_text(widget: QWidget, text: str) -> None:
    """Vietnamese arrives from the input method (Unikey, EVKey) as committed text, not key codes."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_dialog(qtbot, ws: Workspace, agency_id: str | None = None) -> ConflictDialog:
    dialog = ConflictDialog(ws, agency_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def head_row(dialog: ConflictDialog, author: str) -> int:
    model: HeadTableModel = dialog.head_model
    return next(r for r in range(model.rowCount()) if model.heads[r].author_name == author)


def test_lists_each_conflict_in_words_with_every_version(qtbot, qtmodeltester, conflicted) -> None:
    ws, agency_id, code = conflicted
    dialog = open_dialog(qtbot, ws, agency_id)
    model = dialog.conflict_model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    named = (
        f"{code}. {ws.detail(agency_id).catalog.find(code).name}"  # the criterion's name, not only its code
    )
    assert rows == [
        ["Huyện ủy Phú Quý", named, "Điểm thẩm định", 2],
        ["Huyện ủy Phú Quý", named, "Ghi chú", 2],
    ]
    assert (
        dialog.notes_label.text() == f"Ghi chú của thành viên:\n{MEMBER_A}: Ghi chú A\n{MEMBER_B}: Ghi chú B"
    )
    heads = dialog.head_model
    shown = sorted(tuple(heads.index(r, c).data() for c in range(3)) for r in range(heads.rowCount()))
    assert shown == [
        ("1 điểm (nhập trực tiếp)", MEMBER_A, "14/12/2022 10:01"),
        ("2 điểm (nhập trực tiếp)", MEMBER_B, "14/12/2022 10:02"),
    ]
    assert dialog.status_label.text() == "Còn 2 xung đột."
    qtmodeltester.check(model)
    qtmodeltester.check(heads)


def test_reason_and_choice_are_required(qtbot, conflicted, warnings) -> None:
    ws, agency_id, _code = conflicted
    dialog = open_dialog(qtbot, ws, agency_id)
    before = fingerprint(ws.db.path)
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert warnings[-1] == "Hãy chọn phiên bản muốn giữ, hoặc nhập giá trị mới."
    dialog.select_head(0)
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert warnings[-1] == "Giải quyết xung đột phải ghi rõ lý do."
    assert fingerprint(ws.db.path) == before and dialog.conflict_model.rowCount() == 2


def test_pick_one_version_with_a_reason(qtbot, conflicted, warnings) -> None:
    ws, agency_id, code = conflicted
    dialog = open_dialog(qtbot, ws, agency_id)
    dialog.select_head(head_row(dialog, MEMBER_B))
    type_text(dialog.reason_edit, "Đối chiếu biên bản kiểm tra")
    with qtbot.waitSignal(dialog.resolved) as signal:
        qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    field = crit_field(agency_id, code, "appraised")
    assert signal.args == [field] and warnings == []
    assert ws.detail(agency_id).entries[code].appraisal == Appraisal(override=Decimal(2))
    assert [e.reason for e in ws.state(agency_id).fields[field].heads] == ["Đối chiếu biên bản kiểm tra"]
    assert dialog.conflict_model.rowCount() == 1 and dialog.reason_edit.toPlainText() == ""
    assert dialog.status_label.text() == "Còn 1 xung đột."


def test_type_a_new_value(qtbot, conflicted, warnings) -> None:
    ws, agency_id, code = conflicted
    dialog = open_dialog(qtbot, ws, agency_id)
    qtbot.keyClicks(dialog.value_edit, "999")
    assert dialog.new_radio.isChecked()
    type_text(dialog.reason_edit, "Tổ thống nhất điểm mới")
    before = fingerprint(ws.db.path)
    assert dialog.resolve() is False
    assert "ngoài khoảng" in warnings[-1] and fingerprint(ws.db.path) == before
    dialog.value_edit.clear()
    qtbot.keyClicks(dialog.value_edit, "1,5")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert ws.detail(agency_id).entries[code].appraisal == Appraisal(override=Decimal("1.5"))
    # The note conflict is next: typed text is taken as it is.
    type_text(dialog.value_edit, "Ghi chú chung")
    type_text(dialog.reason_edit, "Gộp hai ghi chú")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert ws.detail(agency_id).entries[code].note == "Ghi chú chung"
    assert dialog.status_label.text() == "Không còn xung đột nào."
    assert not dialog.resolve_button.isEnabled()
    assert ws.detail(agency_id).scorecard.conflicts == ()


def test_a_database_that_fails_during_resolve_is_a_message_and_nothing_changes(
    qtbot, conflicted, warnings, tmp_path: Path
) -> None:
    # The store refuses the write (a StoreError, not a ValueError): the file was replaced under
    # the running program (a sync tool, a restore from Explorer). The dialog must show the
    # store's Vietnamese message like any refusal, never let the error escape the click.
    ws, agency_id, code = conflicted
    dialog = open_dialog(qtbot, ws, agency_id)
    dialog.select_head(head_row(dialog, MEMBER_B))
    type_text(dialog.reason_edit, "Đối chiếu biên bản kiểm tra")
    path = ws.db.path
    copy = tmp_path / "same-content.db"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # every committed edit, the WAL's included
    os.replace(copy, path)
    before = fingerprint(path)
    with qtbot.assertNotEmitted(dialog.resolved):
        qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1
    assert warnings[0].startswith(
        f"Tệp dữ liệu {path} đã bị thay bằng một tệp khác khi chương trình đang chạy."
    )
    assert "Thay đổi vừa rồi chưa được lưu." in warnings[0]
    assert fingerprint(path) == before
    field = crit_field(agency_id, code, "appraised")
    assert len(ws.state(agency_id).fields[field].heads) == 2  # still the two versions, unresolved
    assert dialog.conflict_model.rowCount() == 2
    assert dialog.reason_edit.toPlainText() == "Đối chiếu biên bản kiểm tra"  # kept for another try


def test_only_the_lead_resolves(qtbot, conflicted, warnings) -> None:
    ws, agency_id, _code = conflicted
    member = ws.find_member(MEMBER_A)
    ws.actor = type(ws.actor)(member.id, "a", member.name, member.role)
    dialog = open_dialog(qtbot, ws)
    dialog.select_head(0)
    type_text(dialog.reason_edit, "lý do")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert warnings == ["Chỉ Tổ trưởng được giải quyết xung đột."]


def two_laptops(demo_db: Path, tmp_path: Path) -> tuple[Workspace, Path]:
    """Chuyên viên A's laptop, open, and the lead's file: both copies of the demo."""
    member_db, lead_db = tmp_path / "a.db", tmp_path / "lead.db"
    shutil.copyfile(demo_db, member_db)
    shutil.copyfile(demo_db, lead_db)
    return open_as(member_db, MEMBER_A, "a"), lead_db


def test_merge_dialog_shows_the_plan_then_merges(qtbot, demo_db: Path, tmp_path: Path, warnings) -> None:
    a, lead_db = two_laptops(demo_db, tmp_path)
    agency = a.find_agency("HUPQ")
    a.set(crit_field(agency.id, "I.1", "note"), "Ghi chú của A")
    path = send_package_quietly(qtbot, a, tmp_path / "a.ictx")
    a.db.close()
    lead = open_as(lead_db, LEAD, "lead")
    try:
        dialog = MergeDialog(lead, paths=[path])
        qtbot.addWidget(dialog)
        assert "a.ictx: từ Chuyên viên A" in dialog.report.toPlainText()
        assert dialog.merge_button.isEnabled()
        # The check is over: a full bar that says so, not half full on "Đang kiểm tra a.ictx…".
        assert dialog.progress.value() == dialog.progress.maximum()
        assert dialog.progress.format() == "Đã kiểm tra 1 gói."
        with qtbot.waitSignal(dialog.merged):
            qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
        assert "1 sửa đổi mới" in dialog.report.toPlainText() and not dialog.merge_button.isEnabled()
        assert lead.detail(agency.id).entries["I.1"].note == "Ghi chú của A"
        assert dialog.progress.value() == dialog.progress.maximum()
        assert dialog.progress.format() == "Đã tổng hợp xong."  # not "Đang ghi vào tệp dữ liệu…"
        dialog.set_packages([tmp_path / "missing.ictx"])
        assert warnings[-1].startswith("Không tìm thấy gói dữ liệu") and not dialog.merge_button.isEnabled()
    finally:
        lead.db.close()


def test_merge_dialog_checks_and_merges_off_the_gui_thread(
    qtbot, demo_db: Path, tmp_path: Path, warnings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both steps run on a worker with a Workspace of its own; the window's reads the file after."""
    a, lead_db = two_laptops(demo_db, tmp_path)
    agency = a.find_agency("HUPQ")
    a.set(crit_field(agency.id, "I.1", "note"), "Ghi chú của A")
    path = merge.export_package(a, tmp_path / "a.ictx").path
    a.db.close()
    lead = open_as(lead_db, LEAD, "lead")
    calls: list[tuple[str, bool, bool]] = []  # step, on the GUI thread, with the window's Workspace

    def recorded(name: str, step):
        def run(ws: Workspace, *args):
            calls.append((name, threading.current_thread() is threading.main_thread(), ws is lead))
            return step(ws, *args)

        return run

    monkeypatch.setattr(merge, "plan_merge", recorded("plan", merge.plan_merge))
    monkeypatch.setattr(merge, "apply_merge", recorded("apply", merge.apply_merge))
    try:
        lead.detail(agency.id)  # the window's cache holds the state of before the merge
        dialog = MergeDialog(lead)
        qtbot.addWidget(dialog)
        shown = dialog._progress
        buttons_while_busy: list[bool] = []

        def progress(done: int, total: int, text: str) -> None:  # on the GUI thread, while the worker runs
            buttons_while_busy.append(dialog.choose_button.isEnabled() or dialog.closing.isEnabled())
            shown(done, total, text)

        dialog._progress = progress  # type: ignore[method-assign]
        dialog.set_packages([path])
        assert dialog.apply() is True
        assert calls == [("plan", False, False), ("apply", False, False)]
        assert buttons_while_busy and not any(buttons_while_busy)  # nothing else starts meanwhile
        assert lead.detail(agency.id).entries["I.1"].note == "Ghi chú của A"
        assert dialog.closing.isEnabled() and dialog.choose_button.isEnabled()  # free again
        assert warnings == []
    finally:
        lead.db.close()


def send_package_quietly(qtbot, ws: Workspace, path: Path) -> Path:
    """File → Gửi dữ liệu cho Tổ trưởng, with the confirmation box answered."""
    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[str] = []
    original = QMessageBox.information
    QMessageBox.information = lambda _p, _t, text: shown.append(text)  # type: ignore[method-assign]
    try:
        result = send_package(parent, ws, path)
    finally:
        QMessageBox.information = original  # type: ignore[method-assign]
    assert result is not None and result.path == path and path.exists()
    assert shown and str(path) in shown[0]
    return path


def test_merge_dialog_asks_before_a_stranger_package(
    qtbot, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, lead_db = two_laptops(demo_db, tmp_path)
    a.set(crit_field(a.find_agency("HUPQ").id, "I.1", "note"), "Ghi chú")
    merge.export_package(a, tmp_path / "a.ictx")
    a.db.close()
    stranger = rewrite(
        tmp_path / "a.ictx",
        tmp_path / "x.ictx",
        manifest=lambda m: m.update(
            sender={"member_id": "ffffffff-0000-4000-8000-000000000000", "name": "Ai đó"}
        ),
    )
    lead = open_as(lead_db, LEAD, "lead")
    try:
        dialog = MergeDialog(lead, paths=[stranger])
        qtbot.addWidget(dialog)
        assert "KHÔNG thuộc Tổ thẩm định" in dialog.report.toPlainText()
        asked: list[str] = []
        answer = QMessageBox.StandardButton.No
        monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text: asked.append(text) or answer)
        before = fingerprint(lead_db)
        assert dialog.apply() is False
        assert "Ai đó" in asked[0] and fingerprint(lead_db) == before
        answer = QMessageBox.StandardButton.Yes
        monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text: answer)
        assert dialog.apply() is True
        assert "Người gửi không thuộc Tổ thẩm định: Ai đó." in dialog.report.toPlainText()
    finally:
        lead.db.close()


def test_a_settled_score_does_not_ask_for_a_difference_note_again(
    qtbot, lead_ws: Workspace, warnings
) -> None:
    agency = lead_ws.find_agency("HUPQ")
    code = next(iter(lead_ws.catalog(agency.category).leaves())).code
    field = crit_field(agency.id, code, "appraised")
    concurrent(lead_ws, field, {MEMBER_A: {"override": "1"}, MEMBER_B: {"override": "2"}})
    dialog = open_dialog(qtbot, lead_ws, agency.id)
    assert dialog.notes_label.text() == "Ghi chú của thành viên: (không có)"
    dialog.select_head(head_row(dialog, MEMBER_B))
    type_text(dialog.reason_edit, "Đối chiếu biên bản kiểm tra")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    detail = lead_ws.detail(agency.id)
    assert detail.scorecard.rows[code].difference not in (None, Decimal(0))  # it differs from the self score…
    assert code not in detail.missing_reasons  # …and the lead's reason is its note
    assert detail.entries[code].note == "Tổ trưởng giải quyết xung đột: Đối chiếu biên bản kiểm tra"
    assert warnings == []


def test_merge_dialog_shows_authority_and_held_edits_and_needs_the_review_box(
    qtbot, demo_db: Path, tmp_path: Path
) -> None:
    """docs/rules.md §9: status changes with their author, then what is held and why; then a tick."""
    a, lead_db = two_laptops(demo_db, tmp_path)
    hutp = a.find_agency("HUTP")
    forged = Edit(  # A reopens signed minutes by hand: held, whoever merges it
        "forged-reopen",
        status_field(hutp.id),
        {"state": "reopened"},
        a.actor.member_id,
        "a",  # type: ignore[union-attr]
        "2022-12-20T22:00:00+07:00",
        a.state(hutp.id).heads(status_field(hutp.id)),
        "Sửa",
    )
    a.append(signed(a, [forged]))  # with A's own key: held for what it does, not a missing signature
    path = merge.export_package(a, tmp_path / "a.ictx").path
    a.db.close()
    lead = open_as(lead_db, LEAD, "lead")
    try:
        dialog = MergeDialog(lead, paths=[path])
        qtbot.addWidget(dialog)
        dialog.resize(1366, 768)
        changes = dialog.authority_model.stringList()
        held = dialog.held_model.stringList()
        assert len(changes) == 1 and "Huyện ủy Tuy Phong" in changes[0] and "(do Chuyên viên A)" in changes[0]
        assert len(held) == 1 and "chỉ Tổ trưởng được mở lại biên bản đã ký" in held[0]
        assert "(1)" in dialog.authority_label.text() and "(1)" in dialog.held_label.text()
        assert not dialog.merge_button.isEnabled() and not dialog.reviewed.isChecked()
        before = fingerprint(lead_db)
        assert dialog.apply() is False and fingerprint(lead_db) == before
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.grab().save(str(tmp_path / "merge-review.png"))
        dialog.reviewed.click()
        assert dialog.merge_button.isEnabled()
        with qtbot.waitSignal(dialog.merged):
            qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
        assert "giữ lại, không áp dụng: 1" in dialog.report.toPlainText()
        assert lead.is_signed(hutp.id) and not dialog.reviewed.isVisible()
    finally:
        lead.db.close()


def test_lead_accepts_a_held_edit_in_the_conflict_dialog(
    qtbot, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member's rename is held with its reason; the lead accepts it, with a reason."""
    lead = open_as(demo_db, LEAD, "lead")
    try:
        hupq = lead.find_agency("HUPQ")
        name = f"agency/{hupq.id}/name"
        member = lead.find_member(MEMBER_A)
        assert member is not None
        forged = Edit(
            "forged-name",
            name,
            "Tên mới",
            member.id,
            "a",
            "2022-12-20T22:00:00+07:00",
            lead.state(hupq.id).heads(name),
        )
        lead.append(signed(lead, [forged]))  # signed with A's own key, as A's laptop would
        dialog = ConflictDialog(lead)
        qtbot.addWidget(dialog)
        assert [h.edit.id for h in dialog.held_model.held] == ["forged-name"]
        row = dialog.held_model.held.index(
            next(h for h in dialog.held_model.held if h.edit.id == "forged-name")
        )
        assert "chỉ Tổ trưởng" in dialog.held_model.index(row, 4).data()
        errors: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: errors.append(text))
        assert dialog.accept_held() is False and "Hãy chọn" in errors[-1]
        dialog.held_view.selectRow(0)
        assert dialog.accept_held() is False and "lý do" in errors[-1]  # a reason is required
        dialog.reason_edit.setPlainText("Tên theo quyết định mới")
        with qtbot.waitSignal(dialog.resolved):
            qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
        assert lead.agency(hupq.id).name == "Tên mới"
    finally:
        lead.db.close()
