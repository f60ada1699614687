"""Who changed what, when, old → new, and why: the audit trail of a criterion or an agency."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services.history import HistoryRow, describe_history
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import Column, RecordTableModel, SortProxy, call_service

HELD_BACKGROUND = QColor("#ffe3bf")


class HistoryTableModel(RecordTableModel[tuple[int, HistoryRow]]):
    """One change per row; rows are (position in time order, row)."""

    COL_TIME, COL_WHO, COL_WHAT, COL_OLD, COL_NEW, COL_REASON, COL_HELD = range(7)

    def __init__(self, parent: QWidget | None = None) -> None:
        held_tip = self.tr("Được lưu lại nhưng không áp dụng; Tổ trưởng xem xét. Lý do: %1")
        super().__init__(
            [
                Column(self.tr("Thời gian"), lambda r: r[1].time, sort=lambda r: r[0]),
                Column(self.tr("Người thực hiện"), lambda r: r[1].who),
                Column(self.tr("Nội dung"), lambda r: r[1].what, tooltip=lambda r: r[1].field),
                Column(self.tr("Giá trị cũ"), lambda r: r[1].old, tooltip=lambda r: r[1].old),
                Column(self.tr("Giá trị mới"), lambda r: r[1].new, tooltip=lambda r: r[1].new),
                Column(self.tr("Lý do"), lambda r: r[1].reason, tooltip=lambda r: r[1].reason),
                Column(
                    self.tr("Bị giữ lại"),
                    lambda r: self.tr("Giữ lại") if r[1].held else "",
                    tooltip=lambda r: held_tip.replace("%1", r[1].held_reason) if r[1].held else "",
                ),
            ],
            parent,
        )

    def set_history(self, rows: list[HistoryRow]) -> None:
        self.set_rows(list(enumerate(rows)))

    def row_background(self, row: tuple[int, HistoryRow]) -> QColor | None:
        return HELD_BACKGROUND if row[1].held else None


class HistoryDialog(QDialog):
    """The history of one criterion (with its sub-items), or of a whole agency when code is None."""

    def __init__(
        self, ws: Workspace, agency_id: str, code: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        agency = ws.agency(agency_id)
        criterion = ws.catalog(agency.category).find(code) if code else None
        if criterion is None:
            code = None  # a group row or nothing selected: the whole agency's history
        self.ws, self.agency_id, self.code = ws, agency_id, code
        if code is None:
            self.setWindowTitle(self.tr("Lịch sử thay đổi — {agency}").format(agency=agency.name))
            heading = self.tr("<b>{agency}</b>: mọi thay đổi về điểm, dữ kiện, buổi thẩm định và biên bản.")
            heading = heading.format(agency=agency.name)
        else:
            self.setWindowTitle(
                self.tr("Lịch sử thay đổi — {agency} — tiêu chí {code}").format(agency=agency.name, code=code)
            )
            heading = self.tr("<b>{agency}</b> — tiêu chí <b>{code}</b>: {name}").format(
                agency=agency.name, code=code, name=criterion.name if criterion else ""
            )
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)

        self.model = HistoryTableModel(self)
        self.proxy = SortProxy(self.model, self)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Lọc theo người, nội dung, giá trị, lý do…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.count_label = QLabel()

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (HistoryTableModel.COL_TIME, HistoryTableModel.COL_WHO, HistoryTableModel.COL_HELD):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (HistoryTableModel.COL_WHAT, HistoryTableModel.COL_OLD, HistoryTableModel.COL_NEW):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(HistoryTableModel.COL_REASON, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(HistoryTableModel.COL_REASON, 160)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.setMinimumSize(640, 360)
        self.resize(1100, 560)
        self.reload()

    def reload(self) -> None:
        """Read the history again (newest first)."""
        ok, rows = call_service(self, describe_history, self.ws, self.agency_id, self.code)
        self.model.set_history(rows if ok else [])
        self.table.sortByColumn(HistoryTableModel.COL_TIME, Qt.SortOrder.DescendingOrder)
        self.count_label.setText(self.tr("{n} thay đổi").format(n=len(self.model.rows())))
