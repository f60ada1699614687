"""What the dialogs share: calling a service and showing its refusal, table models and views, buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QSortFilterProxyModel,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.roles import ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY
from ictappraise.services.errors import USER_ERRORS
from ictappraise.ui.day_edit import DayEdit

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

#: The lowest date of an optional date box: it stands for "no date" and shows the box's empty text.
NO_DATE = QDate(2000, 1, 1)


def tr(text: str) -> str:
    """Translate a string of the dialogs' shared context."""
    return QCoreApplication.translate("Dialogs", text)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Show a service's refusal (its Vietnamese message) in a warning box."""
    QMessageBox.warning(parent, tr("Không thực hiện được"), str(error))


def call_service(
    parent: QWidget | None, function: Callable[..., Any], *args: Any, **kwargs: Any
) -> tuple[bool, Any]:
    """Call one service; on a refusal show its message. Return (succeeded, result)."""
    try:
        return True, function(*args, **kwargs)
    except USER_ERRORS as error:
        show_error(parent, error)
        return False, None


def to_qdate(value: date | None) -> QDate:
    """A Python date as a QDate (an invalid QDate for None)."""
    return QDate(value.year, value.month, value.day) if value else QDate()


def from_qdate(value: QDate) -> date | None:
    """A QDate as a Python date (None when invalid)."""
    return date(value.year(), value.month(), value.day()) if value.isValid() else None


LAST_SAVE_FOLDER_KEY = "dialogs/last_save_folder"


def ask_save_file(parent: QWidget | None, title: str, file_name: str, file_filter: str) -> Path | None:
    """A save dialog that starts where the last file was saved (else Documents), remembered."""
    folder = QSettings().value(LAST_SAVE_FOLDER_KEY)
    if not (isinstance(folder, str) and Path(folder).is_dir()):
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = documents if documents and Path(documents).is_dir() else str(Path.home())
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / file_name), file_filter)
    if not chosen:
        return None
    QSettings().setValue(LAST_SAVE_FOLDER_KEY, str(Path(chosen).parent))
    return Path(chosen)


def date_box(empty_text: str = "", value: date | None = None) -> DayEdit:
    """A date field typed as written (05/12/2022, 5-12-2022…) that may hold no date."""
    edit = DayEdit(empty_text)
    edit.set_day(value)
    return edit


def set_box_date(edit: DayEdit, value: date | None) -> None:
    """Show a date (None: no date) in a date_box."""
    edit.set_day(value)


def box_date(edit: DayEdit) -> date | None:
    """The date of a date_box (None when it holds no date)."""
    return edit.day()


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column of a RecordTableModel: its header and how a row shows in it."""

    header: str
    display: Callable[[Row], Any]
    sort: Callable[[Row], Any] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    tooltip: Callable[[Row], str] | None = None


class ListTableModel(QAbstractTableModel, Generic[Row]):
    """A flat table over a list of rows with fixed column headers; subclasses give data()."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def headers(self) -> Sequence[str]:
        """The column headers; their number is the number of columns."""
        raise NotImplementedError

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row (after a service wrote or the round changed)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = self.headers()
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(headers)
        ):
            return headers[section]
        return None


class RecordTableModel(ListTableModel[Row]):
    """A read-only table of plain rows (read models from a service), one Column per column."""

    def __init__(self, columns: Sequence[Column[Row]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)

    def headers(self) -> list[str]:
        return [column.header for column in self._columns]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.display(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return (column.sort or column.display)(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.row_background(row)
        return None

    def row_background(self, row: Row) -> QColor | None:
        """A background colour for a whole row (none by default)."""
        return None


class SortProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE (locale-aware for text) and filters on any column's text."""

    def __init__(self, source: QAbstractItemModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)


def role_label(role: str) -> str:
    """The Vietnamese name of a team role."""
    return {
        ROLE_LEAD: tr("Tổ trưởng"),
        ROLE_MEMBER: tr("Thành viên"),
        ROLE_SECRETARY: tr("Thư ký"),
    }.get(role, role)


ROLES = (ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY)


def make_table(model: QAbstractItemModel, *, sortable: bool = True) -> QTableView:
    """A compact, row-selecting, read-only table view on a model."""
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(sortable)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    return view


def selected_row(view: QTableView, proxy: QSortFilterProxyModel) -> int | None:
    """The source-model row of the view's current selection, if any."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    return proxy.mapToSource(rows[0]).row()


def record_view(proxy: QSortFilterProxyModel, stretch: int) -> QTableView:
    """A make_table view whose columns fit their contents, but for one that takes the rest."""
    view = make_table(proxy)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def selected_record(
    view: QTableView, proxy: QSortFilterProxyModel, model: RecordTableModel[Row]
) -> Row | None:
    """The record of the view's current selection, if any."""
    row = selected_row(view, proxy)
    return None if row is None else model.row_at(row)


def select_record(
    view: QTableView,
    proxy: QSortFilterProxyModel,
    model: RecordTableModel[Row],
    wanted: Callable[[Row], bool],
) -> bool:
    """Select the first row, in the view's order, whose record is wanted; say whether one was."""
    for row in range(proxy.rowCount()):
        if wanted(model.row_at(proxy.mapToSource(proxy.index(row, 0)).row())):
            view.selectRow(row)
            return True
    return False


class CaptionedButtons(QDialogButtonBox):
    """OK and Cancel with captions of our own that a language change keeps: Qt gives its standard
    buttons their default words again on every LanguageChange (installing the Vietnamese Qt
    translation at start posts one), which turned «Xác nhận»/«Thoát» into «Đồng ý»/«Hủy»."""

    def __init__(self, ok_text: str, cancel_text: str) -> None:
        super().__init__(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.captions = {
            QDialogButtonBox.StandardButton.Ok: ok_text,
            QDialogButtonBox.StandardButton.Cancel: cancel_text,
        }
        self._caption()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._caption()

    def _caption(self) -> None:
        for which, text in self.captions.items():
            self.button(which).setText(text)


def dialog_buttons(dialog: QDialog, ok_text: str, cancel_text: str) -> QDialogButtonBox:
    """OK and Cancel buttons with these captions, wired to the dialog's accept and reject."""
    buttons = CaptionedButtons(ok_text, cancel_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def push_button(text: str, slot: Callable[[], object]) -> QPushButton:
    """A push button that calls slot when clicked."""
    button = QPushButton(text)
    button.clicked.connect(slot)
    return button


def left_row(*widgets: QWidget) -> QHBoxLayout:
    """Widgets side by side from the left; the rest of the line stays empty."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def form_dialog_layout(dialog: QDialog, form: QFormLayout) -> None:
    """Lay out a small edit dialog: its form above «Lưu» and «Hủy»."""
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(dialog_buttons(dialog, tr("Lưu"), tr("Hủy")))


def locked_banner(text: str) -> QLabel:
    """A tinted label that explains why something cannot be changed."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #6b4a00; background: #fff3cd; padding: 6px; border-radius: 4px;")
    return label
