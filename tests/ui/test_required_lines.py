"""The required "Hạn chế" lines in the minutes dialog: listed with where each stands, dropped only
with a reason, restored, refused to a plain member and once signed (docs/rules.md §6)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ictappraise.services import appraisal, minutes, remarks
from ictappraise.services.workspace import Workspace
from ictappraise.ui.launch import application
from ictappraise.ui.minutes_view import MinutesDialog
from tests.support import member_ws

REASON = "Đã nêu trong phần Kiến nghị; đơn vị cam kết khắc phục trong tháng 01-2023"


def _weaknesses(path: Path) -> str:
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)
    return text[text.index("2. Hạn chế") : text.index("3. Kiến nghị")]


def _reopened(db: Path, name: str) -> tuple[Workspace, str]:
    lead = member_ws(db, "Nguyễn Thị Thắng")
    agency_id = lead.find_agency("HUHTB").id
    appraisal.reopen(lead, agency_id, "Sửa phần nhận xét")
    appraisal.set_visit(lead, agency_id, weaknesses="- Tỷ lệ ký số văn bản đi chưa cao.")
    lead.db.close()
    return member_ws(db, name), agency_id


def _dialog(qtbot: QtBot, ws: Workspace, agency_id: str, answers: list[str | None]) -> MinutesDialog:
    application()
    dialog = MinutesDialog(ws, agency_id)
    qtbot.addWidget(dialog)
    box = dialog.required
    box.errors = []  # type: ignore[attr-defined]
    box.show_error = box.errors.append  # type: ignore[attr-defined, method-assign]
    box.ask_drop_reason = lambda _sentence: answers.pop(0)  # type: ignore[method-assign]
    dialog.resize(1000, 700)
    dialog.show()  # laid out: a click lands on the buttons
    qtbot.waitExposed(dialog)
    return dialog


def _cell(dialog: MinutesDialog, row: int, column: int) -> str:
    model = dialog.required.view.model()
    return str(model.data(model.index(row, column)))


def test_the_secretary_drops_a_line_only_with_a_reason(qtbot: QtBot, demo_db: Path) -> None:
    ws, agency_id = _reopened(demo_db, "Chuyên viên C")
    dialog = _dialog(qtbot, ws, agency_id, ["  ", None, REASON])
    box = dialog.required
    assert not box.isHidden() and box.view.model().rowCount() == 1
    assert (
        _cell(dialog, 0, 0).startswith("Tiêu chí IV.3")
        and _cell(dialog, 0, 1) == "In tự động sau phần đã viết"
    )
    assert "IV.3" in _weaknesses(dialog.pdf_path)
    assert box.drop_button.isEnabled() and not box.keep_button.isEnabled()

    qtbot.mouseClick(box.drop_button, Qt.MouseButton.LeftButton)  # an empty reason: refused
    assert box.errors == ["Phải ghi lý do mới bỏ được một ý Hạn chế bắt buộc."]  # type: ignore[attr-defined]
    qtbot.mouseClick(box.drop_button, Qt.MouseButton.LeftButton)  # cancelled
    assert ws.detail(agency_id).visit.dropped == ()

    qtbot.mouseClick(box.drop_button, Qt.MouseButton.LeftButton)
    assert ws.detail(agency_id).visit.dropped == (("crit/IV.3", REASON),)
    assert (_cell(dialog, 0, 1), _cell(dialog, 0, 2)) == ("Đã bỏ, có lý do", REASON)
    assert "IV.3" not in _weaknesses(dialog.pdf_path)  # the preview was laid out again
    assert not box.drop_button.isEnabled() and box.keep_button.isEnabled()

    qtbot.mouseClick(box.keep_button, Qt.MouseButton.LeftButton)
    assert ws.detail(agency_id).visit.dropped == ()
    assert _cell(dialog, 0, 1) == "In tự động sau phần đã viết" and "IV.3" in _weaknesses(dialog.pdf_path)
    ws.db.close()


def test_a_line_already_written_says_how_to_drop_it(qtbot: QtBot, demo_db: Path) -> None:
    """Stated in the secretary's own text: nothing to print or drop here, and the box says why."""
    lead = member_ws(demo_db, "Nguyễn Thị Thắng")
    agency_id = lead.find_agency("HUHTB").id
    appraisal.reopen(lead, agency_id, "Sửa phần nhận xét")
    lead.db.close()
    ws = member_ws(demo_db, "Chuyên viên C")
    dialog = _dialog(qtbot, ws, agency_id, [])
    box = dialog.required
    assert _cell(dialog, 0, 1) == "Có trong phần Hạn chế đã viết"
    assert not box.drop_button.isEnabled() and not box.keep_button.isEnabled()
    assert "thẻ «Buổi thẩm định»" in box.note.text()
    ws.db.close()


def test_a_member_sees_the_lines_but_may_not_drop_one(qtbot: QtBot, demo_db: Path) -> None:
    ws, agency_id = _reopened(demo_db, "Chuyên viên A")
    dialog = _dialog(qtbot, ws, agency_id, [REASON])
    box = dialog.required
    assert box.view.model().rowCount() == 1 and not box.drop_button.isEnabled()
    assert "Chỉ Tổ trưởng hoặc Thư ký" in box.drop_button.toolTip()
    assert "Chỉ Tổ trưởng hoặc Thư ký" in box.note.text()
    ws.db.close()


def test_signing_locks_the_lines(qtbot: QtBot, demo_db: Path) -> None:
    ws, agency_id = _reopened(demo_db, "Nguyễn Thị Thắng")
    dialog = _dialog(qtbot, ws, agency_id, [REASON])
    qtbot.mouseClick(dialog.required.drop_button, Qt.MouseButton.LeftButton)
    dialog.ask_confirm_sign = lambda _name: True  # type: ignore[method-assign]
    dialog.show_info = lambda _text: None  # type: ignore[method-assign]
    appraisal.mark_ready(ws, agency_id)
    question = dialog.sign_confirmation("Huyện ủy Hàm Thuận Bắc")
    qtbot.addWidget(question)
    assert "không in các ý Hạn chế bắt buộc" in question.informativeText()
    assert f"lý do bỏ: {REASON}" in question.informativeText()
    assert dialog.sign_minutes()
    box = dialog.required
    assert not box.drop_button.isEnabled() and not box.keep_button.isEnabled()
    assert "Biên bản đã ký" in box.keep_button.toolTip()
    [state] = remarks.line_states(ws.detail(agency_id))
    assert state.state == remarks.LINE_DROPPED
    assert minutes.stamp_of(ws.detail(agency_id))[1] == ws.detail(agency_id).status_value["fingerprint"]
    ws.db.close()


def test_the_model_is_a_sound_item_model(qtbot: QtBot, qtmodeltester, demo_db: Path) -> None:
    ws, agency_id = _reopened(demo_db, "Chuyên viên C")
    dialog = _dialog(qtbot, ws, agency_id, [REASON])
    qtbot.mouseClick(dialog.required.drop_button, Qt.MouseButton.LeftButton)
    qtmodeltester.check(dialog.required.model)
    ws.db.close()


def test_no_box_when_nothing_is_required(qtbot: QtBot, lead_ws: Workspace) -> None:
    agency_id = lead_ws.find_agency("HUBB").id
    assert remarks.required_weaknesses(lead_ws.detail(agency_id)) == ()
    dialog = _dialog(qtbot, lead_ws, agency_id, [])
    assert dialog.required.isHidden()
