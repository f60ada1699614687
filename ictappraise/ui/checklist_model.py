"""The criteria checklist of one agency: groups → criteria → sub-items, as a tree model.

Edits go through the services (validated, never clamped) via undo commands; a refused
edit emits ``refused(code, message)`` so the view can show the reason next to the cell.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from ictappraise.domain.input_text import format_input, input_choices, read_input, typed_points
from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.model import AgencyDetail
from ictappraise.services.workspace import Change
from ictappraise.ui.checklist_tree import Node, build_tree, changed_nodes
from ictappraise.ui.commands import push_changes
from ictappraise.ui.controller import Controller
from ictappraise.ui.style import (
    CONFLICT_BACKGROUND,
    ERROR_BACKGROUND,
    GROUP_BACKGROUND,
    MISSING_REASON_BACKGROUND,
    OVERRIDE_FOREGROUND,
    UNSCORED_FOREGROUND,
)

ModelIndex = QModelIndex | QPersistentModelIndex

COL_CODE, COL_NAME, COL_MAX, COL_SELF, COL_INPUT, COL_POINTS, COL_DIFF, COL_NOTE = range(8)
HEADERS = ("Mã", "Tiêu chí", "Tối đa", "Tự ĐG", "Nhập liệu", "Điểm TĐ", "Chênh", "Ghi chú / minh chứng")
HEADER_TIPS = (
    "Mã tiêu chí",
    "Tên tiêu chí",
    "Điểm tối đa",
    "Điểm tự đánh giá của đơn vị",
    "Dữ liệu Tổ thẩm định nhập theo cách tính điểm của tiêu chí",
    "Điểm thẩm định (tính từ nhập liệu, hoặc nhập trực tiếp đè lên cách tính)",
    "Chênh lệch = điểm thẩm định − điểm tự đánh giá",
    "Lý do chênh lệch, minh chứng đã kiểm tra",
)
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 10  # the raw input of a pick-list editor
CODE_ROLE = Qt.ItemDataRole.UserRole + 11
EDITABLE_COLUMNS = (COL_SELF, COL_INPUT, COL_POINTS, COL_NOTE)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChecklistModel", text)


def _points(text: str) -> Any:
    """Points typed in a points column, with or without the "đ" ("7,5", "20đ")."""
    points = typed_points(text)
    return points if points is not None else parse_decimal(text, what=_tr("Điểm"))


class ChecklistModel(QAbstractItemModel):
    """Tree of the selected agency's catalog with its scores."""

    refused = Signal(str, str)
    asked = Signal(str, str)  # (code, question): a typed value that may not be what was meant

    def __init__(self, controller: Controller, parent: Any = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.root = Node("")
        self.detail: AgencyDetail | None = None
        self.self_editing = False
        self.errors: dict[str, str] = {}
        self._refused_text: str | None = None
        self._confirmed: set[tuple[str, str]] = set()  # (code, text) asked about once already

    # -- loading ---------------------------------------------------------------------------
    def set_agency(self, agency_id: str | None) -> None:
        self.beginResetModel()
        self.errors.clear()
        self.detail = self.controller.ws.detail(agency_id) if agency_id else None
        self.root = build_tree(self.detail.catalog if self.detail else None)
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read scores of the same agency without resetting the view (keeps the cursor)."""
        if self.detail is None:
            return
        old = self.detail
        self.detail = self.controller.ws.detail(old.agency.id)
        if self.detail.status != old.status:
            self._emit_all(self.root)  # editability may change anywhere
            return
        for node in changed_nodes(self.root, old, self.detail):
            index = self._index_of(node)
            self.dataChanged.emit(index, index.siblingAtColumn(len(HEADERS) - 1))

    def _emit_all(self, node: Node) -> None:
        if node.children:
            first = self.index(0, 0, self._index_of(node))
            last = self.index(len(node.children) - 1, len(HEADERS) - 1, self._index_of(node))
            self.dataChanged.emit(first, last)
            for child in node.children:
                self._emit_all(child)

    def _index_of(self, node: Node) -> QModelIndex:
        return QModelIndex() if node is self.root else self.createIndex(node.row(), 0, node)

    @property
    def agency_id(self) -> str | None:
        return self.detail.agency.id if self.detail else None

    def locked(self) -> bool:
        return self.detail is not None and self.detail.signed

    # -- structure -------------------------------------------------------------------------
    def node(self, index: ModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self.root

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        parent_node = self.node(parent)
        if not (0 <= row < len(parent_node.children)) or not (0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, parent_node.children[row])

    # The stubs merge QObject.parent() into this overload set; a model overrides only this one.
    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        if node.parent is None or node.parent is self.root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tr(HEADER_TIPS[section])
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(index):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def is_editable(self, index: ModelIndex) -> bool:
        node = self.node(index)
        if not node.is_leaf or self.locked() or self.detail is None:
            return False
        column = index.column()
        if column == COL_SELF:
            return self.self_editing
        if column == COL_POINTS:
            return node.criterion is not None and node.criterion.rule.kind != "manual"
        return column in (COL_INPUT, COL_NOTE)

    # -- data ------------------------------------------------------------------------------
    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.detail is None:
            return None
        node = self.node(index)
        if role == CODE_ROLE:
            return node.code
        if node.criterion is None:
            return self._group_data(node, index.column(), role)
        return self._row_data(node, index.column(), role)

    def _group_data(self, node: Node, column: int, role: int) -> Any:
        assert node.group is not None and self.detail is not None
        if role == Qt.ItemDataRole.DisplayRole:
            score = next(g for g in self.detail.scorecard.groups if g.code == node.group.code)
            return {
                COL_CODE: node.group.code,
                COL_NAME: node.group.name,
                COL_MAX: format_points(node.group.maximum),
                COL_SELF: format_points(score.self_points),
                COL_POINTS: format_points(score.points),
            }.get(column, "")
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(GROUP_BACKGROUND)
        return self._alignment(column) if role == Qt.ItemDataRole.TextAlignmentRole else None

    def _row_data(self, node: Node, column: int, role: int) -> Any:
        assert node.criterion is not None and self.detail is not None
        criterion = node.criterion
        entry = self.detail.entries[criterion.code]
        row = self.detail.scorecard.rows[criterion.code]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(node, column, role == Qt.ItemDataRole.EditRole)
        if role == CHOICE_ROLE and column == COL_INPUT and entry.appraisal is not None:
            return entry.appraisal.input
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(node, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_POINTS and row.points is None:
                return QBrush(UNSCORED_FOREGROUND)
            if column == COL_POINTS and row.overridden:
                return QBrush(OVERRIDE_FOREGROUND)
        if (
            role == Qt.ItemDataRole.FontRole
            and column == COL_POINTS
            and (row.points is None or row.overridden)
        ):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.FontRole and not node.is_leaf:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, node: Node, column: int, editing: bool) -> str:
        assert node.criterion is not None and self.detail is not None
        criterion = node.criterion
        entry = self.detail.entries[criterion.code]
        row = self.detail.scorecard.rows[criterion.code]
        if column == COL_CODE:
            return criterion.code
        if column == COL_NAME:
            return criterion.name
        if column == COL_MAX:
            return format_points(criterion.maximum)
        if column == COL_SELF:
            return format_points(row.self_points)
        if column == COL_INPUT:
            return self._input_text(node, editing)
        if column == COL_POINTS:
            return self._points_text(node, editing)
        if column == COL_DIFF:
            diff = row.difference
            if diff is None or diff == 0:
                return ""  # equal scores stay blank so the differences stand out
            return ("+" if diff > 0 else "") + format_points(diff)
        if column == COL_NOTE:
            return entry.note
        return ""

    def _input_text(self, node: Node, editing: bool) -> str:
        assert node.criterion is not None and self.detail is not None
        entry = self.detail.entries[node.criterion.code]
        if not node.is_leaf:
            return _tr("(cộng các tiểu mục)") if not editing else ""
        if entry.conflict is not None:
            return _tr("xung đột") if not editing else ""
        if entry.appraisal is None or entry.appraisal.override is not None:
            return ""
        return format_input(node.criterion.rule, entry.appraisal.input)

    def _points_text(self, node: Node, editing: bool) -> str:
        assert node.criterion is not None and self.detail is not None
        row = self.detail.scorecard.rows[node.criterion.code]
        if row.conflict:
            return _tr("có xung đột") if not editing else ""
        if row.points is None:
            return "" if editing else _tr("chưa chấm")
        return format_points(row.points)

    def _tooltip(self, node: Node, column: int) -> str | None:
        assert node.criterion is not None and self.detail is not None
        criterion = node.criterion
        entry = self.detail.entries[criterion.code]
        if criterion.code in self.errors:
            return self.errors[criterion.code]
        if entry.conflict is not None:
            values = "; ".join(
                f"{self.controller.ws.member_name(h.author)}: {h.value}" for h in entry.conflict.heads
            )
            return _tr("Xung đột giữa các giá trị: {v}").format(v=values)
        if column in (COL_NAME, COL_INPUT):
            return f"{criterion.name}\n{_tr('Cách tính điểm')}: {criterion.method_text}"
        if column == COL_POINTS and criterion.code in self.detail.scorecard.failed:
            return _tr("Tiêu chí đạt 0 điểm: xếp loại bị hạ một bậc.")
        if column == COL_POINTS and self.detail.scorecard.rows[criterion.code].overridden:
            return _tr("Điểm nhập đè lên cách tính (từ bảng tính hoặc do thành viên nhập).")
        if column == COL_NOTE and criterion.code in self.detail.missing_reasons:
            return _tr("Điểm thẩm định khác điểm tự đánh giá: cần ghi lý do.")
        return None

    def _background(self, node: Node, column: int) -> QBrush | None:
        assert node.criterion is not None and self.detail is not None
        code = node.criterion.code
        if code in self.errors and column in (COL_INPUT, COL_POINTS):
            return QBrush(ERROR_BACKGROUND)
        if self.detail.entries[code].conflict is not None and column in (COL_INPUT, COL_POINTS):
            return QBrush(CONFLICT_BACKGROUND)
        if column == COL_POINTS and code in self.detail.scorecard.failed:
            return QBrush(ERROR_BACKGROUND)  # a criterion at 0 lowers the band: visible in its row
        if column == COL_NOTE and code in self.detail.missing_reasons:
            return QBrush(MISSING_REASON_BACKGROUND)
        return None

    @staticmethod
    def _alignment(column: int) -> int | None:
        if column in (COL_MAX, COL_SELF, COL_POINTS, COL_DIFF):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def choices(self, index: ModelIndex) -> list[tuple[str, Any]]:
        """Pick-list of a rule scored by choosing (empty for typed inputs)."""
        node = self.node(index)
        if index.column() != COL_INPUT or node.criterion is None:
            return []
        return input_choices(node.criterion.rule)

    # -- editing ---------------------------------------------------------------------------
    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self.is_editable(index) or self.detail is None:
            return False
        node = self.node(index)
        assert node.criterion is not None
        code = node.criterion.code
        try:
            if self._ask_first(node, index.column(), value, role):
                return False
            change, label = self._change_for(node, index.column(), value, role)
            if change is None:
                return False
            push_changes(self.controller, [*change], label)
        except USER_ERRORS as error:
            self._refused_text = "" if value is None else str(value) if role != CHOICE_ROLE else None
            self.errors[code] = str(error)
            self.refused.emit(code, str(error))
            row = index.row()  # index may be persistent, which has no siblingAtColumn
            self.dataChanged.emit(index.sibling(row, 0), index.sibling(row, len(HEADERS) - 1))
            return False
        self.errors.pop(code, None)
        return True

    def _change_for(self, node: Node, column: int, value: Any, role: int) -> tuple[list[Change] | None, str]:
        assert node.criterion is not None and self.detail is not None
        ws, agency_id, code = self.controller.ws, self.detail.agency.id, node.criterion.code
        text = "" if value is None else str(value).strip()
        if column == COL_INPUT:
            if role == CHOICE_ROLE:
                appraisal = None if value is None else Appraisal(input=value)
            elif text:
                reading = read_input(node.criterion.rule, text, node.criterion.maximum)
                appraisal = Appraisal(input=reading.appraisal_input, override=reading.override)
            else:
                appraisal = None
            label = _tr("Chấm tiêu chí {c}").format(c=code)
            return [svc.appraisal_change(ws, agency_id, code, appraisal)], label
        if column == COL_POINTS:
            appraisal = Appraisal(override=_points(text)) if text else None
            return [svc.appraisal_change(ws, agency_id, code, appraisal)], _tr("Nhập điểm {c}").format(c=code)
        if column == COL_SELF:
            changes = svc.self_score_changes(ws, agency_id, code, text or None, by_team=True)
            return changes, _tr("Điểm tự đánh giá {c}").format(c=code)
        if column == COL_NOTE:
            return [svc.text_change(ws, agency_id, code, "note", text)], _tr("Ghi chú {c}").format(c=code)
        return None, ""

    def _ask_first(self, node: Node, column: int, value: Any, role: int) -> bool:
        """A count that may be points typed by habit is asked about once, not recorded unseen."""
        assert node.criterion is not None
        text = "" if value is None else " ".join(str(value).split())
        if column != COL_INPUT or role == CHOICE_ROLE or not text:
            return False
        doubt = read_input(node.criterion.rule, text, node.criterion.maximum).doubt
        key = (node.criterion.code, text)
        if not doubt or key in self._confirmed:
            return False
        self._confirmed.add(key)
        self._refused_text = text  # back in the editor: Enter again records it as typed
        self.asked.emit(node.criterion.code, doubt)
        return True

    def preview(self, index: ModelIndex, text: str) -> tuple[str, str]:
        """(what the typed text gives, why it may not be meant) for the hint line while typing."""
        node = self.node(index)
        if node.criterion is None or not text.strip():
            return "", ""
        criterion = node.criterion
        try:
            if index.column() == COL_INPUT and not input_choices(criterion.rule):
                reading = read_input(criterion.rule, text, criterion.maximum)
                return reading.result, reading.doubt
            points = _points(text)
        except ValueError as error:
            return str(error), ""
        if points < 0 or points > criterion.maximum:
            return _tr("Điểm phải từ 0 đến {m}").format(m=format_points(criterion.maximum)), ""
        return _tr("{p} điểm").format(p=format_points(points)), ""

    def take_refused_text(self) -> str | None:
        """The text of the last refused edit (once), so the view can put it back to correct."""
        text, self._refused_text = self._refused_text, None
        return text

    def index_of_code(self, code: str, column: int) -> QModelIndex:
        """The index of a criterion or sub-item by code."""
        stack = list(self.root.children)
        while stack:
            node = stack.pop(0)
            if node.code == code and node.criterion is not None:
                return self.createIndex(node.row(), column, node)
            stack[0:0] = node.children
        return QModelIndex()
