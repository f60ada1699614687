"""The checklist tree view: editors that fit each rule kind, keyboard-first navigation.

Tab moves to the next input cell (Shift+Tab back), Enter commits and moves down to the
same column of the next scorable row, so a whole agency is scored without the mouse.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ictappraise.domain.input_text import input_hint
from ictappraise.domain.numbers import format_points
from ictappraise.ui.checklist_model import (
    CHOICE_ROLE,
    CODE_ROLE,
    COL_CODE,
    COL_DIFF,
    COL_INPUT,
    COL_MAX,
    COL_NAME,
    COL_NOTE,
    COL_POINTS,
    COL_SELF,
    EDITABLE_COLUMNS,
    ChecklistModel,
)

ModelIndex = QModelIndex | QPersistentModelIndex
UNSET = object()


class ChecklistDelegate(QStyledItemDelegate):
    """A pick list for yes/no, level and timeliness; a line edit ("7,5", "45/50") otherwise."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        model = index.model()
        assert isinstance(model, ChecklistModel)
        choices = model.choices(index)
        if choices:
            combo = QComboBox(parent)
            combo.addItem(self.tr("— chưa chấm —"), UNSET)
            criterion = model.node(index).criterion
            for label, value in choices:
                points = criterion.rule.points(value, criterion.maximum) if criterion else None
                shown = f"{label} — {format_points(points)} đ" if points is not None else label
                combo.addItem(shown, value)  # the points show what each choice is worth
            return combo
        editor = QLineEdit(parent)
        node = model.node(index)
        if index.column() == COL_INPUT and node.criterion is not None:
            editor.setPlaceholderText(input_hint(node.criterion.rule))
        elif index.column() in (COL_POINTS, COL_SELF):
            editor.setPlaceholderText(self.tr("Điểm, ví dụ 7,5"))
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            current = index.data(CHOICE_ROLE)
            position = next((i for i in range(1, editor.count()) if editor.itemData(i) == current), 0)
            editor.setCurrentIndex(position)
            return
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
            if value is UNSET and index.data(CHOICE_ROLE) is None:
                return
            model.setData(index, None if value is UNSET else value, CHOICE_ROLE)
            return
        assert isinstance(editor, QLineEdit)
        text = editor.text().strip()
        if text == str(index.data(Qt.ItemDataRole.EditRole) or "").strip():
            return  # nothing changed: no edit, no undo step
        model.setData(index, text, Qt.ItemDataRole.EditRole)


class ChecklistView(QTreeView):
    """Tree of groups, criteria and sub-items with keyboard navigation between inputs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(ChecklistDelegate(self))
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setWordWrap(False)
        self.setAllColumnsShowFocus(True)
        self.setIndentation(12)

    def configure_columns(self) -> None:
        """Widths that fit 1366×768 without horizontal scrolling of the main columns."""
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        widths = (
            (COL_CODE, 82),
            (COL_MAX, 46),
            (COL_SELF, 58),
            (COL_INPUT, 100),
            (COL_POINTS, 74),
            (COL_DIFF, 50),
            (COL_NOTE, 122),
        )
        for column, width in widths:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

    def model(self) -> ChecklistModel:  # type: ignore[override]
        model = super().model()
        assert isinstance(model, ChecklistModel)
        return model

    def editable_cells(self) -> list[QModelIndex]:
        """Every editable cell in reading order (rows top-down, columns left-right)."""
        cells: list[QModelIndex] = []
        model = self.model()

        def walk(parent: QModelIndex) -> None:
            for row in range(model.rowCount(parent)):
                first = model.index(row, 0, parent)
                cells.extend(
                    first.siblingAtColumn(c)
                    for c in EDITABLE_COLUMNS
                    if model.is_editable(first.siblingAtColumn(c))
                    and (c != COL_POINTS)  # overrides are deliberate: reachable by click, not by Tab
                )
                walk(first)

        walk(QModelIndex())
        return cells

    def move_to(self, index: QModelIndex, *, edit: bool = True) -> None:
        if not index.isValid():
            return
        self.scrollTo(index)
        self.setCurrentIndex(index)
        if edit:
            self.edit(index)

    def next_cell(self, current: QModelIndex, step: int, same_column: bool = False) -> QModelIndex:
        cells = self.editable_cells()
        if same_column:
            cells = [c for c in cells if c.column() == current.column()]
        keys = [(self._path(c), c.column()) for c in cells]
        here = (self._path(current), current.column())
        if step > 0:
            after = [c for c, k in zip(cells, keys, strict=True) if k > here]
            return after[0] if after else QModelIndex()
        before = [c for c, k in zip(cells, keys, strict=True) if k < here]
        return before[-1] if before else QModelIndex()

    def _path(self, index: QModelIndex) -> tuple[int, ...]:
        rows = []
        while index.isValid():
            rows.append(index.row())
            index = index.parent()
        return tuple(reversed(rows))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        current = self.currentIndex()
        refused = self.model().take_refused_text()
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if refused is not None and hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            # A refused value stays where it was typed, to be corrected, not retyped elsewhere.
            self.move_to(current)
            retry = self.focusWidget()
            if isinstance(retry, QLineEdit):
                retry.setText(refused)
            return
        if hint == QAbstractItemDelegate.EndEditHint.EditNextItem:
            self.move_to(self.next_cell(current, +1))
        elif hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem:
            self.move_to(self.next_cell(current, -1))
        elif hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_to(self.next_cell(current, +1, same_column=True))

    def current_code(self) -> str | None:
        """The code of the selected group, criterion or sub-item."""
        return self.currentIndex().data(CODE_ROLE)

    def input_of_current_row(self) -> QModelIndex:
        """The input cell of the selected row, if it has one."""
        current = self.currentIndex()
        cell = current.siblingAtColumn(COL_INPUT) if current.isValid() else QModelIndex()
        return cell if cell.isValid() and self.model().is_editable(cell) else QModelIndex()

    def first_input(self) -> QModelIndex:
        cells = [c for c in self.editable_cells() if c.column() == COL_INPUT]
        return cells[0] if cells else QModelIndex()

    def keyPressEvent(self, event: Any) -> None:
        # Tab outside an editor also jumps between inputs rather than leaving the view.
        if event.key() == Qt.Key.Key_Tab and self.state() != QAbstractItemView.State.EditingState:
            target = (
                self.next_cell(self.currentIndex(), +1)
                if self.currentIndex().isValid()
                else self.first_input()
            )
            self.move_to(target)
            return
        if event.key() == Qt.Key.Key_Backtab and self.state() != QAbstractItemView.State.EditingState:
            self.move_to(self.next_cell(self.currentIndex(), -1))
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        # Keep Tab inside the checklist: it is the keyboard path through the inputs.
        if self.currentIndex().isValid() or self.first_input().isValid():
            return False
        return super().focusNextPrevChild(forward)
