"""Round settings tabs «Ngưỡng xếp loại» (editable thresholds) and «Bộ tiêu chí» (catalogs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import CategoryRules
from ictappraise.services import round_admin
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.round_admin import CatalogRow
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import (
    AnyIndex,
    Column,
    ListTableModel,
    RecordTableModel,
    SortProxy,
    call_service,
    left_row,
    make_table,
    push_button,
    record_view,
    selected_record,
    selected_row,
    show_error,
)

EDITABLE_BACKGROUND = QColor("#fffbe6")


class ThresholdTableModel(ListTableModel[CategoryRules]):
    """One row per Phụ lục: maximum and the lower bounds of Tốt, Khá, Trung bình (editable)."""

    COL_CATEGORY, COL_MAX, COL_TOT, COL_KHA, COL_TB, COL_YEU = range(6)
    refused = Signal(str)
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.editable = False
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = round_admin.rules_table(self.ws)
        self.endResetModel()

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Phụ lục"),
            self.tr("Điểm tối đa"),
            self.tr("Tốt: từ"),
            self.tr("Khá: từ"),
            self.tr("Trung bình: từ"),
            self.tr("Yếu: dưới"),
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and section == self.COL_MAX
        ):
            return self.tr("Bằng tổng điểm tối đa của bộ tiêu chí; đổi khi thay bộ tiêu chí.")
        return super().headerData(section, orientation, role)

    def _value(self, rules: CategoryRules, column: int) -> Any:
        return (
            rules.category,
            rules.maximum,
            rules.tot,
            rules.kha,
            rules.trung_binh,
            rules.trung_binh,
        )[column]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rules, column = self._rows[index.row()], index.column()
        value = self._value(rules, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(value) if column == self.COL_CATEGORY else format_points(value)
        if role == Qt.ItemDataRole.EditRole:
            return format_points(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignCenter if column == self.COL_CATEGORY else Qt.AlignmentFlag.AlignRight
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self._is_editable(column):
            return EDITABLE_BACKGROUND
        return None

    def _is_editable(self, column: int) -> bool:
        return self.editable and column in (self.COL_TOT, self.COL_KHA, self.COL_TB)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if self._is_editable(index.column()) else flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self._is_editable(index.column()):
            return False
        rules = self._rows[index.row()]
        bounds: dict[str, object] = {"tot": rules.tot, "kha": rules.kha, "trung_binh": rules.trung_binh}
        key = {self.COL_TOT: "tot", self.COL_KHA: "kha", self.COL_TB: "trung_binh"}[index.column()]
        bounds[key] = str(value).strip()
        try:
            round_admin.set_thresholds(self.ws, rules.category, **bounds)
        except USER_ERRORS as error:
            self.refused.emit(str(error))
            return False
        self._rows[index.row()] = self.ws.rules()[rules.category]
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 5))
        self.changed.emit()
        return True


class ThresholdsTab(QWidget):
    """The bands' thresholds per Phụ lục, editable by the lead."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ThresholdTableModel(ws, self)
        self.model.refused.connect(lambda text: show_error(self, RuntimeError(text)))
        self.model.changed.connect(self.changed)
        self.view = make_table(self.model, sortable=False)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        note = QLabel(
            self.tr(
                "Cận dưới được tính vào mức (đạt đúng ngưỡng Tốt là Tốt). Điểm tối đa bằng tổng điểm bộ tiêu "
                "chí của Phụ lục. Nhấn đúp vào ô màu vàng để sửa; mỗi thay đổi được lưu ngay và ghi vào lịch sử."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)

    def set_read_only(self, read_only: bool) -> None:
        self.model.beginResetModel()
        self.model.editable = not read_only
        self.model.endResetModel()

    def reload(self) -> None:
        self.model.reload()


class CatalogTableModel(RecordTableModel[CatalogRow]):
    """The catalog of each Phụ lục: title, version, criteria, maximum, scored agencies."""

    COL_CATEGORY, COL_TITLE, COL_VERSION, COL_CRITERIA, COL_MAX, COL_KIND, COL_SCORED = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        right = Qt.AlignmentFlag.AlignRight
        super().__init__(
            [
                Column(self.tr("Phụ lục"), lambda r: r.category, align=Qt.AlignmentFlag.AlignHCenter),
                Column(
                    self.tr("Tên bộ tiêu chí"),
                    lambda r: r.title or self.tr("(chưa có)"),
                    tooltip=lambda r: r.title,
                ),
                Column(self.tr("Phiên bản"), lambda r: r.version),
                Column(self.tr("Số tiêu chí"), lambda r: r.criteria, align=right),
                Column(
                    self.tr("Điểm tối đa"),
                    lambda r: format_points(r.maximum) if r.maximum is not None else "",
                    sort=lambda r: float(r.maximum or 0),
                    align=right,
                ),
                Column(self.tr("Loại"), lambda r: self.tr("Mẫu") if r.sample else self.tr("Chính thức")),
                Column(
                    self.tr("Đơn vị đã có điểm"),
                    lambda r: f"{r.scored_agencies}/{r.agencies}",
                    sort=lambda r: r.scored_agencies,
                    align=right,
                    tooltip=lambda r: (
                        self.tr("Chỉ thay được bộ tiêu chí khi chưa đơn vị nào của Phụ lục có điểm.")
                        if r.scored_agencies
                        else ""
                    ),
                ),
            ],
            parent,
        )


class CatalogsTab(QWidget):
    """The catalogs of the round, and replacing one from the official Excel sheet."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.model = CatalogTableModel(self)
        self.proxy = SortProxy(self.model, self)
        self.view = record_view(self.proxy, CatalogTableModel.COL_TITLE)
        self.replace_button = push_button(self.tr("Thay bộ tiêu chí từ Excel…"), self.replace_from_excel)
        self.replace_button.setToolTip(
            self.tr("Tệp Excel có các cột: Mã, Tiêu chí, Điểm tối đa, Cách tính điểm, Tài liệu kiểm chứng.")
        )
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        note = QLabel(
            self.tr(
                "«Mẫu» là bộ tiêu chí minh họa đi kèm chương trình; Tổ trưởng thay bằng bộ tiêu chí chính "
                "thức của đợt: chọn một dòng rồi bấm «Thay bộ tiêu chí từ Excel…». Chỉ thay được khi chưa "
                "đơn vị nào của Phụ lục đó có điểm."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addLayout(left_row(self.replace_button))
        self._read_only = False
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(round_admin.catalog_rows(self.ws))
        self.view.sortByColumn(CatalogTableModel.COL_CATEGORY, Qt.SortOrder.AscendingOrder)
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.replace_button.setEnabled(
            not self._read_only and selected_row(self.view, self.proxy) is not None
        )

    def selected_category(self) -> int | None:
        row = selected_record(self.view, self.proxy, self.model)
        return None if row is None else row.category

    def replace_from_excel(self) -> None:
        """Pick the official sheet, show what it holds, replace after confirmation."""
        category = self.selected_category()
        if category is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Chọn tệp Excel bộ tiêu chí Phụ lục {n}").format(n=category),
            "",
            self.tr("Bảng tính Excel (*.xlsx *.xlsm)"),
        )
        if not path:
            return
        ok, plan = call_service(self, round_admin.plan_catalog_replacement, self.ws, category, path)
        if not ok:
            return
        summary = "\n".join(plan.summary())
        if plan.errors:
            QMessageBox.warning(self, self.tr("Không thay được bộ tiêu chí"), summary)
            return
        answer = QMessageBox.question(
            self,
            self.tr("Thay bộ tiêu chí"),
            summary
            + "\n\n"
            + self.tr("Thay bộ tiêu chí hiện hành bằng bộ tiêu chí trong tệp {name}?").format(
                name=Path(path).name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ok, _count = call_service(self, round_admin.apply_catalog_plan, self.ws, plan)
        if ok:
            self.reload()
            self.changed.emit()
