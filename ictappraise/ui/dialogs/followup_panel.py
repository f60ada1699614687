"""Last year's recommendations, ticked at this year's visit: one row per recommendation.

Each row: the recommendation, "Đã khắc phục / Đang khắc phục / Chưa khắc phục" and a note;
a row saves itself (a choice, or leaving the note) through services.followup.set_followup.
Signed minutes lock the rows like the rest of the visit.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from ictappraise.services import followup
from ictappraise.services.field_rules_chain import FOLLOWUP_STATES
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import call_service


class FollowUpBox(QGroupBox):
    """The follow-up of one agency's recommendations of last year (hidden when there are none)."""

    changed = Signal(str)  # agency id, after a row was saved

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Kết quả khắc phục kiến nghị năm trước"), parent)
        self.ws: Workspace | None = None
        self.agency_id = ""
        self.items: list[followup.FollowUp] = []
        self.states: list[QComboBox] = []
        self.notes: list[QLineEdit] = []
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(0, 1)
        self._loading = False
        self.hide()

    def set_agency(self, ws: Workspace, agency_id: str, *, editable: bool) -> None:
        """Show the agency's follow-ups (read-only when the minutes are signed)."""
        self.ws, self.agency_id = ws, agency_id
        ok, found = call_service(self, followup.items, ws, agency_id)
        self.items = found if ok else []
        self._rebuild(editable)

    def _rebuild(self, editable: bool) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.states, self.notes = [], []
        self.setVisible(bool(self.items))
        if not self.items:
            return
        self.setTitle(self.tr("Kết quả khắc phục kiến nghị năm {y}").format(y=self.items[0].year))
        self._loading = True
        try:
            for row, item in enumerate(self.items):
                self._add_row(row, item, editable)
        finally:
            self._loading = False

    def _add_row(self, row: int, item: followup.FollowUp, editable: bool) -> None:
        text = QLabel(f"{item.number}. {item.recommendation}")
        text.setWordWrap(True)
        state = QComboBox()
        state.addItem(self.tr("Chưa đánh giá"), None)
        for key, label in FOLLOWUP_STATES.items():
            state.addItem(self.tr(label), key)
        state.setCurrentIndex(max(state.findData(item.state), 0) if item.state else 0)
        state.setEnabled(editable)
        note = QLineEdit(item.note)
        note.setPlaceholderText(self.tr("Ghi chú (minh chứng, thời hạn…)") if editable else "")
        note.setReadOnly(not editable)
        note.setCursorPosition(0)
        self.grid.addWidget(text, 2 * row, 0, 1, 2)
        self.grid.addWidget(state, 2 * row + 1, 0)
        self.grid.addWidget(note, 2 * row + 1, 1)
        self.grid.setColumnStretch(1, 2)
        state.currentIndexChanged.connect(lambda _i, r=row: self._save(r))
        note.editingFinished.connect(lambda r=row: self._save_note(r))
        self.states.append(state)
        self.notes.append(note)

    def _save_note(self, row: int) -> None:
        if self.states[row].currentData() is None:
            return  # a note alone is kept in the field until a result is chosen, then saved with it
        if " ".join(self.notes[row].text().split()) != self.items[row].note:
            self._save(row)

    def _save(self, row: int) -> None:
        if self._loading or self.ws is None:
            return
        state = self.states[row].currentData()
        item = self.items[row]
        ok, _ = call_service(
            self, followup.set_followup, self.ws, self.agency_id, item.number, state, self.notes[row].text()
        )
        editable = self.states[row].isEnabled()
        if ok:
            self.items = followup.items(self.ws, self.agency_id)
            self.changed.emit(self.agency_id)
            return
        self._rebuild(editable)  # show what is really recorded
