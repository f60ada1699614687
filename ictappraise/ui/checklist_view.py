"""The checklist tree view: editors that fit each rule kind, keyboard-first navigation.

Tab moves to the next input cell (Shift+Tab back), Enter commits and moves down to the
same column of the next scorable row, so a whole agency is scored without the mouse.
Up/Down keep the column (Qt's own moves); the current cell is framed inside the highlighted
row, so the clerk sees which cell typing will edit (F2 always starts on the row's input).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QInputMethodEvent, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ictappraise.domain.input_text import choice_for_points, input_hint, input_unit
from ictappraise.domain.numbers import format_points
from ictappraise.ui.agency_model import fold
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
# The current cell inside the highlighted row: the plain cell colours, framed in the dark blue
# of the band colours (style.BAND_FOREGROUND), so it reads like a spreadsheet's active cell.
CURRENT_CELL_FRAME = QColor("#0d47a1")
CURRENT_CELL_BACKGROUND = QColor("#ffffff")
SIZE_CACHE_LIMIT = 4096  # distinct (column, text, font, width) sizes kept; then measured afresh


POINTS_ROLE = Qt.ItemDataRole.UserRole + 1  # what a choice of a ChoiceBox is worth


class UnitLineEdit(QLineEdit):
    """A line edit that shows what it takes ("Số quy chế:", "Tỷ lệ a/b:", "Điểm:") in front."""

    def __init__(self, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = QLabel(unit, self)
        self.unit.setStyleSheet("color: #0d47a1; padding-left: 3px;")
        self.unit.adjustSize()
        self.setTextMargins(self.unit.width() + 2, 0, 0, 0)

    def resizeEvent(self, event: Any) -> None:  # Qt override
        super().resizeEvent(event)
        self.unit.move(0, (self.height() - self.unit.height()) // 2)

    def minimum_width(self) -> int:
        """Room for the unit and a few characters, however narrow the column."""
        return self.unit.width() + self.fontMetrics().horizontalAdvance("00000/00000")


class ChoiceBox(QComboBox):
    """A pick list whose type-ahead follows the whole text typed since it opened: the choice
    that begins with it (diacritics optional), else the value it had before typing. A note
    typed here by mistake ("Kiểm tra…") therefore leaves the score as it was."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(False)
        self.typed = ""
        self._before = 0
        self.points_of: Any = None  # typed text → the choice worth those points, or None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        shortcut = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if event.key() == Qt.Key.Key_Backspace and self.typed:
            self._type(self.typed[:-1])
        elif text and text.isprintable() and not shortcut and (self.typed or not text.isspace()):
            self._type(self.typed + text)  # a first Space still opens the list, as usual
        else:
            self.typed = ""  # arrows, Home, End: a deliberate choice; typing starts afresh
            super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Vietnamese from an input method (Unikey, EVKey) arrives as committed text.
        if event.commitString():
            self._type(self.typed + event.commitString())
        event.accept()

    def _type(self, typed: str) -> None:
        if not self.typed:
            self._before = self.currentIndex()
        self.typed = typed
        wanted = fold(typed)
        match = next(
            (i for i in range(self.count()) if wanted and fold(self.itemText(i)).startswith(wanted)),
            None,
        )
        if match is None and self.points_of is not None:
            # Points typed where a choice is asked ("0", "10đ") pick the choice worth them.
            value = self.points_of(typed)
            match = next(
                (
                    i
                    for i in range(1, self.count())
                    if value is not None
                    and self.itemData(i) == value
                    and type(self.itemData(i)) is type(value)
                ),
                None,
            )
        self.setCurrentIndex(self._before if match is None else match)


class ChecklistDelegate(QStyledItemDelegate):
    """A pick list for yes/no, level and timeliness; a line edit ("7,5", "45/50") otherwise."""

    typing = Signal(str, str, str)  # (code, what the text gives, why it may not be meant)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        view = self.parent()
        if not isinstance(view, QAbstractItemView) or index != view.currentIndex():
            super().paint(painter, option, index)
            return
        # The current cell is cut out of the row's highlight and framed, so it stays visible.
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected
        plain.state &= ~QStyle.StateFlag.State_HasFocus
        painter.save()
        painter.fillRect(option.rect, CURRENT_CELL_BACKGROUND)
        super().paint(painter, plain, index)
        painter.setPen(QPen(CURRENT_CELL_FRAME, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        model = index.model()
        assert isinstance(model, ChecklistModel)
        choices = model.choices(index)
        if choices:
            combo = ChoiceBox(parent)
            combo.setToolTip(self.tr("Chọn bằng ↑/↓, hoặc gõ chữ đầu của lựa chọn (không dấu cũng được)."))
            combo.addItem(self.tr("— chưa chấm —"), UNSET)
            criterion = model.node(index).criterion
            for label, value in choices:
                points = criterion.rule.points(value, criterion.maximum) if criterion else None
                shown = f"{label} — {format_points(points)} đ" if points is not None else label
                combo.addItem(shown, value)  # the points show what each choice is worth
            if criterion is not None:
                combo.points_of = lambda text: choice_for_points(criterion.rule, text, criterion.maximum)
            return combo
        node = model.node(index)
        if index.column() == COL_INPUT and node.criterion is not None:
            editor = UnitLineEdit(input_unit(node.criterion.rule), parent)
            editor.setPlaceholderText(input_hint(node.criterion.rule) + self.tr(" (điểm: gõ thêm đ)"))
        elif index.column() in (COL_POINTS, COL_SELF):
            editor = UnitLineEdit(self.tr("Điểm:"), parent)
            editor.setPlaceholderText(self.tr("ví dụ 7,5"))
        else:
            return QLineEdit(parent)
        code = node.criterion.code if node.criterion else ""
        cell = QPersistentModelIndex(index)
        editor.textEdited.connect(lambda text: self.typing.emit(code, *model.preview(cell, text)))
        return editor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Measured sizes by what they depend on: column, text, font and the name column's
        # width. A score edit re-announces its row (and group rows); Qt asks every cell of
        # those rows for its size again, but only cells whose text changed are measured.
        self._sizes: dict[tuple[int, str, str, int], QSize] = {}
        self.measured = 0  # cells measured (cache misses), for tests and benchmarks

    def forget_sizes(self) -> None:
        """Measure again from scratch (the view's font or style changed)."""
        self._sizes.clear()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> Any:
        column = index.column()
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        font = index.data(Qt.ItemDataRole.FontRole)
        view = self.parent()
        wraps = column == COL_NAME and isinstance(view, QTreeView)
        width = view.header().sectionSize(COL_NAME) - 8 if wraps else 0  # type: ignore[union-attr]
        key = (column, text, font.key() if isinstance(font, QFont) else "", width)
        size = self._sizes.get(key)
        if size is None:
            size = self._measure(option, index, width if wraps else None)
            if len(self._sizes) > SIZE_CACHE_LIMIT:
                self._sizes.clear()
            self._sizes[key] = size
        return QSize(size)

    def _measure(self, option: QStyleOptionViewItem, index: ModelIndex, name_width: int | None) -> QSize:
        self.measured += 1
        size = super().sizeHint(option, index)
        if name_width is not None:
            # A criterion name takes two lines when one is too short for it (the tooltip has all).
            metrics = option.fontMetrics
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            lines = 2 if metrics.horizontalAdvance(text) > name_width else 1
            size.setHeight(max(size.height(), lines * metrics.lineSpacing() + 6))
        return size

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        super().updateEditorGeometry(editor, option, index)
        if isinstance(editor, UnitLineEdit) and editor.width() < editor.minimum_width():
            editor.resize(editor.minimum_width(), editor.height())  # over the next cell while typing

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
            value, current = editor.currentData(), index.data(CHOICE_ROLE)
            if (value is UNSET and current is None) or (type(value) is type(current) and value == current):
                return  # nothing changed: no edit, no undo step
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
        self.setUniformRowHeights(False)  # long criterion names take two lines
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAllColumnsShowFocus(True)
        self.setIndentation(12)

    def configure_columns(self) -> None:
        """Widths that fit 1366×768 without horizontal scrolling of the main columns."""
        header = self.header()
        header.setStretchLastSection(False)
        # Widths from the font, so a larger system font does not cut the numbers; the name
        # column gets what is left and wraps to two lines, the note grows with the window.
        metrics = self.fontMetrics()

        def room(column: int, sample: str) -> int:
            title = str(self.model().headerData(column, Qt.Orientation.Horizontal))
            return max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title)) + 14

        widths = (
            (COL_CODE, room(COL_CODE, "III.10.a") + 3 * self.indentation()),  # two levels + root
            (COL_MAX, room(COL_MAX, "800")),
            (COL_SELF, room(COL_SELF, "109,83")),
            (COL_INPUT, room(COL_INPUT, "45/50 quy chế")),
            (COL_POINTS, room(COL_POINTS, "chưa chấm")),
            (COL_DIFF, room(COL_DIFF, "+10,5")),
        )
        for column, width in widths:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NOTE, QHeaderView.ResizeMode.Interactive)
        self.note_minimum = metrics.horizontalAdvance("Ghi chú / m") + 12  # header cut, tooltip whole
        self.share_width()
        # Rows re-measure when the name column changes width (window or splitter resized).
        header.sectionResized.connect(self._section_resized)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == COL_NAME:
            self.scheduleDelayedItemsLayout()

    def share_width(self) -> None:
        """The width left by the number columns: about two thirds to the name, the rest to the note."""
        header = self.header()
        fixed = sum(header.sectionSize(c) for c in range(header.count()) if c not in (COL_NAME, COL_NOTE))
        free = max(self.viewport().width() - fixed, 0)
        note = max(self.note_minimum, free // 3)
        header.resizeSection(COL_NOTE, note)
        header.resizeSection(COL_NAME, max(free - note, 120))

    def resizeEvent(self, event: Any) -> None:  # Qt override
        super().resizeEvent(event)
        if hasattr(self, "note_minimum"):
            self.share_width()

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            delegate = self.itemDelegate()
            if isinstance(delegate, ChecklistDelegate):
                delegate.forget_sizes()  # measured with the old font
        super().changeEvent(event)

    def model(self) -> ChecklistModel:
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
