"""The lead's proposals for commendation: model agencies and exemplary individuals, with reasons.

The table lists what the report will propose (the lead's decisions, else the program's
candidates by the round's rules). Below, the lead picks an agency, ticks "Đơn vị điển hình"
with a reason and keeps the individuals the team named at the visit; "Lưu quyết định" writes
one edit (services.commendation.decide). Other members see the same, read-only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services import commendation
from ictappraise.services.appraisal import is_lead
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import AnyIndex, ListTableModel, call_service

SOURCE_LABELS = {"lead": "Tổ trưởng xác nhận", "program": "Chương trình đề xuất"}


class ProposalModel(ListTableModel[tuple[str, str, str, str]]):
    """One row per proposed agency or individual: who, kind, reason, source."""

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Đơn vị, cá nhân"), self.tr("Hình thức"), self.tr("Lý do"), self.tr("Nguồn"))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None


def proposal_rows(ws: Workspace) -> list[tuple[str, str, str, str]]:
    """The table's rows from the services' proposals."""
    rows = []
    for item in commendation.proposals(ws):
        source = SOURCE_LABELS[item.source]
        if item.model_reason:
            rows.append((item.name, "Đơn vị điển hình", item.model_reason, source))
        for person in item.individuals:
            rows.append((f"{person.name} ({item.name})", "Cá nhân tiêu biểu", person.reason, source))
    return rows


class CommendationDialog(QDialog):
    """Proposals for the Organisation Board; the lead confirms, changes or declines them."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(self.tr("Đề xuất khen thưởng"))
        self.resize(980, 640)
        lead = is_lead(ws)
        self.rules_label = QLabel()
        self.rules_label.setWordWrap(True)
        self.top_n = QSpinBox()
        self.top_n.setRange(1, 25)
        self.top_n.setValue(commendation.top_n(ws))
        self.top_n.setEnabled(lead)
        self.top_n_button = QPushButton(self.tr("Áp dụng"))
        self.top_n_button.setEnabled(lead)
        self.model = ProposalModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        # Two lines per row: a reason wraps once; resizing rows to contents would re-measure on every reload.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 8)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 260), (1, 130), (3, 150)):
            self.table.setColumnWidth(column, width)

        self.agency = QComboBox()
        for agency in ws.agencies():
            self.agency.addItem(f"{agency.name} ({agency.code})", agency.id)
        self.model_box = QCheckBox(self.tr("Đơn vị điển hình"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Lý do đề xuất"))
        self.people = QListWidget()
        self.people.setMaximumHeight(90)
        self.save_button = QPushButton(self.tr("Lưu quyết định"))
        for widget in (self.model_box, self.reason, self.people, self.save_button):
            widget.setEnabled(lead)
        form = QFormLayout()
        form.addRow(self.tr("Đơn vị:"), self.agency)
        form.addRow("", self.model_box)
        form.addRow(self.tr("Lý do:"), self.reason)
        form.addRow(self.tr("Cá nhân tiêu biểu\n(Tổ ghi nhận khi thẩm định):"), self.people)

        rules_row = QHBoxLayout()
        rules_row.addWidget(self.rules_label, 1)
        rules_row.addWidget(QLabel(self.tr("Số đơn vị dẫn đầu (N):")))
        rules_row.addWidget(self.top_n)
        rules_row.addWidget(self.top_n_button)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(rules_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        bottom = QHBoxLayout()
        if not lead:
            bottom.addWidget(QLabel(self.tr("Chỉ Tổ trưởng được quyết định đề xuất khen thưởng.")))
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.agency.currentIndexChanged.connect(lambda _i: self.show_agency())
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _p: self._row_picked(current.row())
        )
        self.save_button.clicked.connect(self.save)
        self.top_n_button.clicked.connect(self.apply_top_n)
        self.reload()

    def reload(self) -> None:
        model, individual = commendation.rules_text(commendation.top_n(self.ws))
        self.rules_label.setText(f"{model}\n{individual}")
        self.model.set_rows(proposal_rows(self.ws))
        self.show_agency()

    def _row_picked(self, row: int) -> None:
        if row < 0:
            return
        name = self.model.row_at(row)[0]
        for index in range(self.agency.count()):
            agency = self.ws.agency(self.agency.itemData(index))
            if name == agency.name or name.endswith(f"({agency.name})"):
                self.agency.setCurrentIndex(index)
                return

    def show_agency(self) -> None:
        """The selected agency's current proposal: model agency or not, reason, individuals."""
        agency_id = self.agency.currentData()
        if not agency_id:
            return
        found = next((p for p in commendation.proposals(self.ws) if p.agency_id == agency_id), None)
        self.model_box.setChecked(bool(found and found.model_reason))
        self.reason.setText(found.model_reason or "" if found else "")
        self.reason.setCursorPosition(0)
        kept = {p.name for p in found.individuals} if found else set()
        self.people.clear()
        for person in commendation.named_individuals(self.ws, agency_id):
            item = QListWidgetItem(f"{person.name} — {person.reason}")
            item.setData(Qt.ItemDataRole.UserRole, person)
            item.setCheckState(Qt.CheckState.Checked if person.name in kept else Qt.CheckState.Unchecked)
            self.people.addItem(item)

    def save(self) -> None:
        """Write the lead's decision for the selected agency."""
        agency_id = self.agency.currentData()
        people = []
        for index in range(self.people.count()):
            item = self.people.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                person = item.data(Qt.ItemDataRole.UserRole)
                people.append({"name": person.name, "title": person.title, "reason": person.reason})
        reason = self.reason.text() if self.model_box.isChecked() else None
        ok, _ = call_service(self, commendation.decide, self.ws, agency_id, reason, people)
        if ok:
            self.reload()

    def apply_top_n(self) -> None:
        ok, _ = call_service(self, commendation.set_rules, self.ws, self.top_n.value())
        if ok:
            self.reload()
