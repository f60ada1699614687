"""The agencies panel: search, filters (category, status, visit date, today) and the table.

The selected agency stays listed when a change of its own (signing, a score) makes it leave the
filter: the clerk keeps working on it, a note says it no longer matches, and it drops out once
another agency is selected. Changing a filter by hand still shows exactly what it asks for.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.dates import format_day
from ictappraise.services.model import STATUS_LABELS
from ictappraise.ui.agency_model import (
    COL_BAND,
    COL_CATEGORY,
    COL_CODE,
    COL_DATE,
    COL_NAME,
    COL_POINTS,
    COL_STATUS,
    ID_ROLE,
    AgencyFilterProxy,
    AgencyTableModel,
)

NOTE_STYLE = "color: #7a5200; background: #fbefc9; padding: 3px;"


class PinnedFilterProxy(AgencyFilterProxy):
    """The filters, except that the pinned agency (the one being worked on) is always listed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pinned: str | None = None

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, AgencyTableModel)
        if self.pinned is not None and model.rows[source_row].agency.id == self.pinned:
            return True
        return super().filterAcceptsRow(source_row, source_parent)

    def matches(self, agency_id: str) -> bool:
        """Whether the filters themselves accept the agency (the pin aside)."""
        model = self.sourceModel()
        assert isinstance(model, AgencyTableModel)
        row = model.row_of(agency_id)
        return row >= 0 and super().filterAcceptsRow(row, QModelIndex())


class AgencyPanel(QWidget):
    """Lists the round's agencies; emits ``agency_selected(id)``."""

    agency_selected = Signal(str)

    def __init__(self, model: AgencyTableModel, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.today = today
        self._fit_when_shown = False  # rows changed while hidden: measure their heights on show
        self.proxy = PinnedFilterProxy(self)
        self.proxy.setSourceModel(model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Tìm đơn vị (mã hoặc tên)…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(self.tr("Gõ để lọc; Enter hoặc ↓: vào danh sách (Ctrl+F: về ô tìm)"))
        self.search.installEventFilter(self)
        self.search.returnPressed.connect(self.enter_list)
        self._filtering = False
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        self.category = QComboBox()
        self.category.addItem(self.tr("Mọi Phụ lục"), None)
        for category in range(2, 8):
            self.category.addItem(self.tr("Phụ lục {c}").format(c=category), category)
        self.status = QComboBox()
        self.status.addItem(self.tr("Mọi trạng thái"), None)
        for key, label in STATUS_LABELS.items():
            self.status.addItem(self.tr(label), key)
        filters.addWidget(self.category)
        filters.addWidget(self.status)
        layout.addLayout(filters)
        dates = QHBoxLayout()
        self.visit_date = QComboBox()
        self.today_button = QPushButton(self.tr("Hôm nay"))
        self.today_button.setToolTip(
            self.tr("Chỉ hiện các đơn vị thẩm định hôm nay ({d})").format(d=format_day(today))
        )
        dates.addWidget(self.visit_date, 1)
        dates.addWidget(self.today_button)
        layout.addLayout(dates)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.hide()
        layout.addWidget(self.note)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # Names wrap to two lines and are cut at the end, never in the middle: "Huyện ủy Hàm
        # Thuận Bắc" and "…Nam" stay whole; the band column fits its longest text.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Row heights follow their text, measured when rows or widths change; a score edit
        # re-measures its own row only (ResizeToContents measured all 25 on every edit).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        for column, sample in (
            (COL_CODE, "HUHTB"),
            (COL_CATEGORY, "PL"),
            (COL_DATE, "30/12"),
            (COL_STATUS, "Đang thẩm định"),
            (COL_POINTS, "800,00"),
            (COL_BAND, self.tr("Có xung đột")),
        ):
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title) + 12) + 10
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        for column in (COL_CODE, COL_CATEGORY, COL_STATUS):
            self.table.hideColumn(column)  # the panel stays narrow; right-click the header to show
        self._column_menu(header)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.search, self.table)  # one Tab from the search to the list
        QWidget.setTabOrder(self.table, self.category)
        self.fill_dates()
        self.search.textChanged.connect(self.apply_filters)
        self.category.currentIndexChanged.connect(self.apply_filters)
        self.status.currentIndexChanged.connect(self.apply_filters)
        self.visit_date.currentIndexChanged.connect(self.apply_filters)
        self.today_button.clicked.connect(self.show_today)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.dataChanged.connect(lambda *_: self._update_note())
        self.model.modelReset.connect(self._update_note)
        self.proxy.dataChanged.connect(self._fit_rows_of)
        for signal in (self.proxy.modelReset, self.proxy.layoutChanged, self.proxy.rowsInserted):
            signal.connect(self._fit_all_rows)
        header.sectionResized.connect(self._fit_all_rows)
        self._fit_all_rows()

    def _fit_all_rows(self, *_args: object) -> None:
        if not self.isVisible():  # widths are not final yet: measure once shown (showEvent)
            self._fit_when_shown = True
            return
        self._fit_when_shown = False
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_when_shown:
            self._fit_all_rows()

    def _fit_rows_of(self, top: QModelIndex, bottom: QModelIndex, *_args: object) -> None:
        for row in range(top.row(), bottom.row() + 1):
            self.table.resizeRowToContents(row)

    def _column_menu(self, header: QHeaderView) -> None:
        """Right-click on the header: choose the columns (status, code, Phụ lục are hidden first)."""
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for column in range(self.model.columnCount()):
            if column == COL_NAME:
                continue
            action = QAction(self.model.headerData(column, Qt.Orientation.Horizontal), header)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda shown, c=column: self.table.setColumnHidden(c, not shown))
            header.addAction(action)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self.enter_list()
            return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        """Back to the search box (Ctrl+F), its text selected to type over."""
        self.search.setFocus()
        self.search.selectAll()

    def enter_list(self) -> None:
        """From the search box into the list: the agency shown, else the first one listed."""
        self.table.setFocus()
        current = self.table.currentIndex()
        if current.isValid() and self.table.selectionModel().isRowSelected(current.row(), QModelIndex()):
            return
        first = self.proxy.index(0, COL_NAME)
        if first.isValid():
            self.table.selectionModel().setCurrentIndex(
                first,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def fill_dates(self) -> None:
        current = self.visit_date.currentData()
        self.visit_date.blockSignals(True)
        self.visit_date.clear()
        self.visit_date.addItem(self.tr("Mọi ngày thẩm định"), None)
        days = sorted({r.agency.visit_date for r in self.model.rows if r.agency.visit_date})
        for day in days:  # ISO text as item data: findData compares it reliably
            self.visit_date.addItem(format_day(day), day.isoformat())
        position = self.visit_date.findData(current)
        self.visit_date.setCurrentIndex(max(position, 0))
        self.visit_date.blockSignals(False)

    def show_today(self) -> None:
        position = self.visit_date.findData(self.today.isoformat())
        if position < 0:
            self.visit_date.addItem(format_day(self.today), self.today.isoformat())
            position = self.visit_date.count() - 1
        self.visit_date.setCurrentIndex(position)

    def apply_filters(self) -> None:
        """Filter as the widgets ask; the selected agency is pinned again only if it stays.

        Filtering never opens another agency: when the one shown is filtered out, nothing is
        shown until the clerk picks one (Enter or ↓ from the search box, or a click)."""
        shown = self.current_id()
        self._filtering = True  # the view moves its current row while rows go: not a choice
        try:
            self._filter(shown)
        finally:
            self._filtering = False
        if shown is not None and not self.proxy.matches(shown):
            self.table.selectionModel().clearSelection()
            self.table.selectionModel().setCurrentIndex(
                QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate
            )
            self.agency_selected.emit("")  # the checklist shows no agency that is not listed
        elif shown is not None and self.current_id() != shown:
            self.select(shown)

    def _filter(self, shown: str | None) -> None:
        self.proxy.pinned = None
        self.proxy.set_filters(
            search=self.search.text(),
            category=self.category.currentData(),
            status=self.status.currentData(),
            visit_date=date.fromisoformat(self.visit_date.currentData())
            if self.visit_date.currentData()
            else None,
        )
        self.proxy.pinned = shown if shown is not None and self.proxy.matches(shown) else None
        self._update_note()

    def select(self, agency_id: str) -> bool:
        """Select an agency; False when it is not listed (unknown, or hidden by a filter)."""
        row = self.model.row_of(agency_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COL_NAME))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self._filtering:
            return
        agency_id = current.data(ID_ROLE)
        released = self.proxy.pinned
        self.proxy.pinned = agency_id
        if released not in (None, agency_id) and not self.proxy.matches(released):
            # Drop the agency left behind, after the view has finished moving the selection.
            QTimer.singleShot(0, self, self.apply_filters)
        self._update_note()
        self.agency_selected.emit(agency_id)

    def _update_note(self) -> None:
        """Say why the selected agency is listed although the filters no longer accept it."""
        agency_id = self.proxy.pinned
        row = self.model.row_of(agency_id) if agency_id else -1
        if not agency_id or row < 0 or self.proxy.matches(agency_id):
            self.note.hide()
            return
        item = self.model.rows[row]
        self.note.setText(
            self.tr(
                "{name} nay là «{status}», không còn khớp bộ lọc; "
                "vẫn giữ trong danh sách đến khi chọn đơn vị khác."
            ).format(name=item.agency.name, status=self.tr(STATUS_LABELS[item.status]))
        )
        self.note.show()
