"""The minutes dialog and the batch, driven like a user: buttons, a printer, files on disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from ictappraise.domain.fields import status_field
from ictappraise.services.trust import signer_for
from ictappraise.services.workspace import Actor, Workspace
from ictappraise.store import repository
from ictappraise.store.database import open_database
from ictappraise.ui.launch import application
from ictappraise.ui.minutes_batch import batch_summary, write_minutes_batch
from ictappraise.ui.minutes_view import MinutesDialog


def _dialog(qtbot: QtBot, ws: Workspace, code: str, *, confirm: bool = True) -> MinutesDialog:
    application()
    dialog = MinutesDialog(ws, ws.find_agency(code).id)
    qtbot.addWidget(dialog)
    dialog.errors = []  # type: ignore[attr-defined]
    dialog.show_error = dialog.errors.append  # type: ignore[attr-defined, method-assign]
    dialog.show_info = lambda _text: None  # type: ignore[method-assign]
    dialog.confirmations = []  # type: ignore[attr-defined]

    def ask_confirm_sign(name: str) -> bool:
        dialog.confirmations.append(name)  # type: ignore[attr-defined]
        return confirm

    dialog.ask_confirm_sign = ask_confirm_sign  # type: ignore[method-assign]
    return dialog


def _edit_count(ws: Workspace) -> int:
    with ws.db.reading() as session:
        return repository.count_edits(session)


def test_preview_shows_every_page_of_signed_minutes(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _dialog(qtbot, lead_ws, "HUTP")
    assert dialog.pdf_path is not None
    assert dialog.document.pageCount() == len(PdfReader(str(dialog.pdf_path)).pages) >= 3
    assert "Đã ký" in dialog.status_label.text()
    assert not dialog.sign_button.isEnabled() and dialog.reopen_button.isEnabled()
    assert "Huyện ủy Tuy Phong" in dialog.windowTitle()


def test_save_as_pdf_writes_the_minutes(qtbot: QtBot, lead_ws: Workspace, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, lead_ws, "HUTP")
    target = tmp_path / "bien-ban.pdf"
    dialog.ask_save_path = lambda suggested: (
        target if suggested.endswith("_HUTP_bien-ban-tham-dinh.pdf") else None
    )  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = " ".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Huyện ủy Tuy Phong" in text
    assert f"Đã lưu biên bản vào {target}" in dialog.status_label.text()  # said, not silent


def test_print_sends_every_page_to_the_printer(qtbot: QtBot, lead_ws: Workspace, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, lead_ws, "HUTP")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    dialog.ask_printer = lambda: printer  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert len(PdfReader(str(printed)).pages) == dialog.document.pageCount()
    dialog.ask_printer = lambda: None  # type: ignore[method-assign]
    assert dialog.print_document() is False  # cancelled in the print dialog


def test_sign_then_reopen_with_a_reason(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _dialog(qtbot, lead_ws, "TUPT")
    agency_id = dialog.agency_id
    assert dialog.sign_button.isEnabled() and not dialog.reopen_button.isEnabled()
    assert "sẵn sàng ký" in dialog.status_label.text()
    with qtbot.waitSignal(dialog.status_changed, timeout=5000) as signal:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert signal.args == [agency_id] and lead_ws.is_signed(agency_id)
    assert dialog.confirmations == ["Thành ủy Phan Thiết"]  # type: ignore[attr-defined]
    assert "Đã ký (lần lập 1" in dialog.status_label.text()
    dialog.ask_reason = lambda: "   "  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)
    assert dialog.errors and "lý do" in dialog.errors[-1]  # type: ignore[attr-defined]
    dialog.ask_reason = lambda: "Đơn vị xin bổ sung minh chứng"  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)
    assert not lead_ws.is_signed(agency_id)
    reopened = [h for h in lead_ws.history(status_field(agency_id)) if h.new_value.get("state") == "reopened"]
    assert reopened[-1].edit.reason == "Đơn vị xin bổ sung minh chứng"
    assert dialog.sign_button.isEnabled()
    # The two statuses agree after a reopen: the main window's label starts the dialog's line.
    status = lead_ws.detail(agency_id).status_label
    assert dialog.status_label.text().startswith(f"{status} — sẵn sàng ký (lần lập 2)")


def test_cancelling_the_sign_confirmation_changes_nothing(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _dialog(qtbot, lead_ws, "TUPT", confirm=False)
    before = _edit_count(lead_ws)
    with qtbot.assertNotEmitted(dialog.status_changed):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert dialog.confirmations == ["Thành ủy Phan Thiết"]  # type: ignore[attr-defined]
    assert _edit_count(lead_ws) == before and not lead_ws.is_signed(dialog.agency_id)
    assert dialog.sign_button.isEnabled() and "sẵn sàng ký" in dialog.status_label.text()
    assert not dialog.errors  # type: ignore[attr-defined]


def test_sign_confirmation_states_the_consequence_and_enter_cancels(qtbot: QtBot, lead_ws: Workspace) -> None:
    application()
    dialog = MinutesDialog(lead_ws, lead_ws.find_agency("TUPT").id)
    qtbot.addWidget(dialog)
    box = dialog.sign_confirmation("Thành ủy Phan Thiết")
    qtbot.addWidget(box)
    words = box.text() + " " + box.informativeText()
    for part in ("Thành ủy Phan Thiết", "bị khóa", "Chỉ Tổ trưởng", "lý do"):
        assert part in words
    assert box.defaultButton().text() == "Hủy" and box.escapeButton() is box.defaultButton()
    assert sorted(b.text() for b in box.buttons()) == ["Ghi nhận đã ký", "Hủy"]

    def press_enter() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if boxes:
            qtbot.keyClick(boxes[0], Qt.Key.Key_Return)
        else:
            QTimer.singleShot(20, press_enter)

    before = _edit_count(lead_ws)
    QTimer.singleShot(20, press_enter)
    assert dialog.sign_minutes() is False  # the real question, answered with Enter
    assert _edit_count(lead_ws) == before and not lead_ws.is_signed(dialog.agency_id)


def test_unready_minutes_cannot_be_signed_and_say_why(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _dialog(qtbot, lead_ws, "VPTU")
    assert "Dự thảo — chưa ký được" in dialog.status_label.text()
    assert not dialog.sign_button.isEnabled() and dialog.print_button.isEnabled()
    assert dialog.sign_minutes() is False
    assert "chưa chấm" in dialog.errors[-1]  # type: ignore[attr-defined]
    assert dialog.confirmations == []  # type: ignore[attr-defined]  # the reason, not the question


def test_a_member_cannot_reopen(qtbot: QtBot, demo_db: Path) -> None:
    ws = Workspace(open_database(demo_db))
    member = ws.find_member("Chuyên viên A")
    assert member is not None
    ws.actor = Actor(member.id, "test-device", member.name, member.role, signer_for(ws, member.id))
    try:
        dialog = _dialog(qtbot, ws, "HUTP")
        assert not dialog.reopen_button.isEnabled()
        assert dialog.reopen_button.toolTip() == "Chỉ Tổ trưởng mở lại được biên bản đã ký (phải ghi lý do)."
    finally:
        ws.db.close()


def test_batch_of_a_day_writes_each_file(qtbot: QtBot, lead_ws: Workspace, tmp_path: Path) -> None:
    agencies = [a for a in lead_ws.agencies() if a.visit_date == date(2022, 12, 9)]
    outcome = write_minutes_batch(None, lead_ws, agencies, tmp_path)
    assert [p.name for p in outcome.written] == [
        "2022-12-09_HUTP_bien-ban-tham-dinh.pdf",
        "2022-12-09_HUBB_bien-ban-tham-dinh.pdf",
    ]
    assert not outcome.cancelled and not outcome.skipped
    assert "Đã ghi 2 biên bản" in batch_summary(outcome, tmp_path)


def test_batch_cancel_stops_between_files_and_the_gui_keeps_running(
    qtbot: QtBot, lead_ws: Workspace, tmp_path: Path
) -> None:
    ticks: list[int] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start(10)

    def cancel() -> None:
        dialogs = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()
        ]
        if dialogs:
            qtbot.mouseClick(dialogs[0].findChild(QPushButton), Qt.MouseButton.LeftButton)
        else:
            QTimer.singleShot(20, cancel)

    QTimer.singleShot(50, cancel)
    outcome = write_minutes_batch(None, lead_ws, lead_ws.agencies(), tmp_path)
    heartbeat.stop()
    assert outcome.cancelled
    assert 0 < len(outcome.written) + 1 <= 25
    assert len(list(tmp_path.glob("*.pdf"))) == len(outcome.written)  # no half-written file left
    assert not list(tmp_path.glob("*.tmp"))
    assert len(ticks) >= 3  # the event loop ran while the worker laid out the minutes
    assert "Đã dừng theo yêu cầu" in batch_summary(outcome, tmp_path)


@pytest.mark.parametrize("code", ["HUTP"])
def test_dialog_cleans_its_preview_files(qtbot: QtBot, lead_ws: Workspace, code: str) -> None:
    dialog = _dialog(qtbot, lead_ws, code)
    folder = dialog.pdf_path.parent  # type: ignore[union-attr]
    dialog.reject()
    assert not folder.exists()
