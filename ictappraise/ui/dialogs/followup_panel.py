"""Last year's recommendations ticked at this year's visit, and the individuals the team names.

Each row: the recommendation, "Đã khắc phục / Đang khắc phục / Chưa khắc phục" and a note;
a row saves itself (a choice, or leaving the note) through services.followup.set_followup.
Signed minutes lock the rows like the rest of the visit.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.fields import FOLLOWUP_STATES
from ictappraise.services import commendation, followup
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import call_service
from ictappraise.ui.dialogs.visit_models import TextRowsModel


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
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
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


class IndividualsModel(TextRowsModel):
    """Exemplary individuals named at the visit: name, title, reason (editable)."""

    def set_people(self, people: tuple[commendation.Person, ...], *, editable: bool) -> None:
        self.beginResetModel()
        self._rows = [[p.name, p.title, p.reason] for p in people]
        self.editable = editable
        self.endResetModel()

    def complete(self) -> list[dict[str, str]]:
        """The rows with a name and a reason (what is saved; a row being typed waits)."""
        return [{"name": n, "title": t, "reason": r} for n, t, r in self._rows if n and r]

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.edited.emit()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Họ tên"), self.tr("Chức vụ"), self.tr("Lý do"))


class IndividualsBox(QGroupBox):
    """Exemplary individuals the team names at the visit (proposed for commendation)."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Cá nhân tiêu biểu (đề xuất khen thưởng)"), parent)
        self.ws: Workspace | None = None
        self.agency_id = ""
        self._saved: list[dict[str, str]] = []
        self.model = IndividualsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.setMaximumHeight(self.fontMetrics().height() * 6 + 20)
        self.add_button = QPushButton(self.tr("Thêm"))
        self.remove_button = QPushButton(self.tr("Xóa"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_person)
        self.remove_button.clicked.connect(lambda: self.model.remove_row(self.view.currentIndex().row()))
        self.model.edited.connect(self._save)

    def set_agency(self, ws: Workspace, agency_id: str, *, editable: bool) -> None:
        self.ws, self.agency_id = ws, agency_id
        people = commendation.named_individuals(ws, agency_id)
        self._saved = [{"name": p.name, "title": p.title, "reason": p.reason} for p in people]
        self.model.set_people(people, editable=editable)
        for button in (self.add_button, self.remove_button):
            button.setEnabled(editable)

    def add_person(self) -> None:
        """A new empty row, its name cell open for typing (saved once a name and a reason are typed)."""
        row = self.model.add_row()
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def _save(self) -> None:
        people = self.model.complete()
        if self.ws is None or people == self._saved:
            return
        ok, _ = call_service(self, commendation.set_individuals, self.ws, self.agency_id, people)
        if ok:
            self._saved = people
            self.changed.emit(self.agency_id)
        else:
            self.set_agency(self.ws, self.agency_id, editable=self.model.editable)
