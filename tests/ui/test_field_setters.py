"""The window writes notes, report facts and portal counts through the service setters the
command line uses (docs/rules.md §9): what a setter refuses is refused on the screen, in
Vietnamese, and nothing is stored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from ictappraise.domain.fields import crit_field, fact_field, portal_field
from ictappraise.services import appraisal as svc
from ictappraise.services.workspace import ServiceError
from ictappraise.ui.checklist_model import COL_NOTE
from ictappraise.ui.main_window import MainWindow

BIDI_OVERRIDE = "\u202e"  # right-to-left override: shows "txt.exe" as "exe.txt"


def _open_note(window: MainWindow, agency_id: str, code: str) -> QLineEdit:
    window.agencies.select(agency_id)
    QApplication.processEvents()
    index = window.checklist_model.index_of_code(code, COL_NOTE)
    window.checklist.setCurrentIndex(index)
    window.checklist.edit(index)
    QApplication.processEvents()
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    return editor


def test_a_note_the_setter_refuses_is_refused_on_the_screen(window: MainWindow) -> None:
    ws = window.ws
    agency_id = ws.find_agency("HUPQ").id
    typed = f"Đã xem biên bản {BIDI_OVERRIDE}fdp.exe"
    with pytest.raises(ServiceError) as refused:  # the setter the command line and imports use
        svc.set_text(ws, agency_id, "IV.5", "note", typed)
    field = crit_field(agency_id, "IV.5", "note")
    edits_before = len(ws.history(field))
    steps_before = window.controller.undo_stack.count()
    editor = _open_note(window, agency_id, "IV.5")
    editor.setText(typed)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    hint = window.hint.text()
    assert "Không nhận giá trị" in hint and "Ghi chú" in hint and "U+202E" in hint, hint
    assert str(refused.value) in hint  # the setter's own words, not a second message
    assert len(ws.history(field)) == edits_before
    assert window.controller.undo_stack.count() == steps_before


def test_a_note_typed_on_the_screen_is_stored_as_the_setter_stores_it(window: MainWindow) -> None:
    ws = window.ws
    agency_id = ws.find_agency("HUPQ").id
    editor = _open_note(window, agency_id, "IV.5")
    editor.setText("  Đã đối chiếu sổ công văn  ")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert ws.state(agency_id).value(crit_field(agency_id, "IV.5", "note")) == "Đã đối chiếu sổ công văn"


def test_facts_typed_on_the_screen_go_through_the_setters(window: MainWindow) -> None:
    ws = window.ws
    agency_id = ws.find_agency("HUPQ").id
    window.agencies.select(agency_id)
    QApplication.processEvents()
    stack = window.controller.undo_stack
    steps = stack.count()
    march = window.facts.months[2]
    march.setFocus()
    march.selectAll()
    QTest.keyClicks(march, "7")
    QTest.keyClick(march, Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert ws.state(agency_id).value(portal_field(agency_id, 3)) == 7
    assert stack.count() == steps + 1
    window.facts.attached.setChecked(not window.facts.attached.isChecked())
    QApplication.processEvents()
    assert (
        ws.state(agency_id).value(fact_field(agency_id, "report_attached"))
        is window.facts.attached.isChecked()
    )
    assert stack.count() == steps + 2
