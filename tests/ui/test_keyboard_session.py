"""A clerk at 1366×768 scores Huyện ủy Tuy Phong end to end with the
keyboard only — search, every criterion, a question before a count that is probably points,
the penalty facts — and the stored values are the ones typed, nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget

from ictappraise.services.identity import lead_actor
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.app import build_window
from ictappraise.ui.checklist_model import CODE_ROLE, COL_INPUT, COL_POINTS
from ictappraise.ui.checklist_view import ChoiceBox, UnitLineEdit
from ictappraise.ui.launch import application
from ictappraise.ui.main_window import MainWindow

# What the clerk types in each input, in the checklist's order, and the points it must give.
# Pick lists are set by typing the points of the choice ("0" is "Không", not "chưa chấm").
SESSION: list[tuple[str, str, str]] = [
    ("I.1", "20", "20"),
    ("I.2", "2", "20"),  # after "20" was questioned: 20 were points, the count is 2
    ("I.3", "18/20", "18"),
    ("I.4.a", "10", "10"),
    ("I.4.b", "5", "5"),
    ("I.4.c", "2", "10"),
    ("I.5", "9/10", "13,5"),
    ("I.6", "5", "5"),
    ("II.1", "15", "15"),
    ("II.2", "40/50", "20"),
    ("II.3.a", "3", "10"),
    ("II.3.b", "45/50", "9"),
    ("II.3.c", "0", "0"),
    ("II.4", "12/15", "12"),
    ("II.5", "8", "8"),
    ("II.6", "7,5", "7,5"),
    ("III.1.a", "15/15", "15"),
    ("III.1.b", "14/15", "14"),
    ("III.1.c", "10", "10"),
    ("III.2", "17/20", "29,75"),
    ("III.3.a", "20/20", "20"),
    ("III.3.b", "9/10", "9"),
    ("III.3.c", "5", "5"),
    ("III.4", "27/30", "27"),
    ("III.5.a", "10/15", "10"),
    ("III.5.b", "10", "10"),
    ("III.5.c", "10", "10"),
    ("III.6", "96", "40"),
    ("III.7", "8", "20"),
    ("III.8", "20", "20"),
    ("III.9", "5", "25"),
    ("III.10.a", "15", "15"),
    ("III.10.b", "0", "0"),
    ("III.11", "20", "20"),
    ("III.12", "10", "10"),
    ("III.13", "9/10", "22,5"),
    ("IV.1", "18/20", "18"),
    ("IV.2.a", "15", "15"),
    ("IV.2.b", "12/15", "12"),
    ("IV.3", "20", "20"),
    ("IV.4", "19/20", "19"),
    ("IV.5", "15", "15"),
    ("IV.6", "10", "10"),
    ("IV.7", "15/15", "15"),
    ("IV.8", "250", "20"),
    ("IV.9", "15,5", "15,5"),
]
MONTHS = (5, 4, 6, 4, 7, 4, 5, 3, 4, 6, 4, 5)


@pytest.fixture
def fresh_window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    """The 2022 round as first set up (nothing scored), open as the lead at 1366×768."""
    application()
    path = tmp_path / "round.db"
    seeding = Workspace(open_database(path, create=True, backup=False))
    seed_round(seeding)
    seeding.db.close()
    db = open_database(path)
    ws = Workspace(db)
    ws.actor = lead_actor(ws, "clerk-laptop")
    window = build_window(ws, today=date(2022, 12, 9))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    yield window
    window.close()
    db.close()


def focused() -> QWidget:
    QApplication.processEvents()  # editors open and close through queued calls
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key(keycode: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), keycode, modifier)
    QApplication.processEvents()


def type_in(text: str) -> None:
    QTest.keyClicks(focused(), text)
    QApplication.processEvents()


def current_code(window: MainWindow) -> str:
    return window.checklist.currentIndex().data(CODE_ROLE)


def test_a_clerk_scores_tuy_phong_with_the_keyboard(fresh_window: MainWindow) -> None:
    window = fresh_window
    key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: the search box
    assert focused() is window.agencies.search
    type_in("tuy phong")
    key(Qt.Key.Key_Return)  # into the list: the only match opens
    tuy_phong = window.ws.find_agency("HUTP").id
    assert window.agency_id == tuy_phong and focused() is window.agencies.table
    assert window.checklist_model.detail is not None
    assert window.checklist_model.detail.agency.name == "Huyện ủy Tuy Phong"

    key(Qt.Key.Key_F2)  # start scoring: the first input (I.1)
    for code, typed, _points in SESSION:
        assert current_code(window) == code
        editor = focused()
        if code == "I.2":  # the trap of the issue: the points typed where the count is read
            assert isinstance(editor, UnitLineEdit) and editor.unit.text() == "Số quy chế:"
            type_in("20")
            assert "20 quy chế → 30 điểm" in window.hint.text()
            key(Qt.Key.Key_Return)
            assert "kiểm tra lại" in window.hint.text() and "gõ «20đ»" in window.hint.text()
            assert window.ws.detail(tuy_phong).entries["I.2"].appraisal is None  # nothing stored
            assert current_code(window) == "I.2" and focused().text() == "20"  # type: ignore[attr-defined]
            key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            editor = focused()
        assert isinstance(editor, QComboBox | QLineEdit), (code, editor)
        if isinstance(editor, QLineEdit):
            assert isinstance(editor, UnitLineEdit) and editor.unit.text().endswith(":")
        else:
            assert isinstance(editor, ChoiceBox)
        type_in(typed)
        key(Qt.Key.Key_Return)  # commits and moves down to the next input

    model = window.checklist_model
    shown = {code: model.index_of_code(code, COL_POINTS).data() for code, _t, _p in SESSION}
    assert shown == {code: points for code, _t, points in SESSION}
    assert model.index_of_code("II.3.c", COL_INPUT).data() == "Không"
    detail = window.ws.detail(tuy_phong)
    stored = {code: detail.scorecard.rows[code].points for code, _t, _p in SESSION}
    assert stored == {code: Decimal(points.replace(",", ".")) for code, _t, points in SESSION}
    assert all(detail.entries[code].appraisal.override is None for code, _t, _p in SESSION)  # type: ignore[union-attr]
    assert detail.entries["I.2"].appraisal.input == 2  # type: ignore[union-attr]
    assert detail.scorecard.total == Decimal("674.75")
    assert "Tổng: 674,75 / 800" in window.preview.total.text()
    assert not detail.scorecard.unscored

    key(Qt.Key.Key_F6)  # the penalty facts: "Đã gửi", the day as written, the twelve months
    assert focused() is window.facts.sent_known
    key(Qt.Key.Key_Space)
    assert focused() is window.facts.sent and window.facts.sent.text() == ""
    type_in("28-11-2022")
    key(Qt.Key.Key_Tab)
    assert window.ws.detail(tuy_phong).facts.report_sent == date(2022, 11, 28)
    assert window.facts.sent.text() == "28/11/2022"
    assert focused() is window.facts.attached
    assert window.facts.attached.isChecked()  # "attached" is the round's default
    key(Qt.Key.Key_Space)  # not attached after all…
    assert window.ws.detail(tuy_phong).facts.report_attached is False
    key(Qt.Key.Key_Space)  # …it was: ticked again
    assert window.facts.attached.isChecked()
    key(Qt.Key.Key_Tab)
    for month, count in enumerate(MONTHS, start=1):
        assert focused() is window.facts.months[month - 1], month
        type_in(str(count))
        key(Qt.Key.Key_Tab)
    facts = window.ws.detail(tuy_phong).facts
    assert facts.report_attached and facts.portal_counts == MONTHS
    assert "Tháng thiếu tin, bài so với định mức: T8" in window.facts.short.text()
    assert window.ws.detail(tuy_phong).scorecard.total == Decimal("674.75")
