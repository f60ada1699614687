"""Models and a text box of the visit panel: team presence, the agency's representatives."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QPlainTextEdit

from ictappraise.services.model import Member, Representative
from ictappraise.ui.dialogs.common import AnyIndex, ListTableModel, role_label


class CommitPlainTextEdit(QPlainTextEdit):
    """A multi-line text box that says when its text is finished: on leaving it, if changed."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # Qt override
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.editing_finished.emit()


class TeamPresenceModel(ListTableModel[Member]):
    """Team members with a check box: present at the visit or not."""

    presence_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._present: set[str] = set()
        self._editable = True

    def set_team(self, members: list[Member], present: tuple[str, ...], editable: bool = True) -> None:
        self.beginResetModel()
        self._rows = list(members)
        self._present = set(present)
        self._editable = editable
        self.endResetModel()

    def present_ids(self) -> list[str]:
        """Ids of the members checked, in the team's order."""
        return [m.id for m in self._rows if m.id in self._present]

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Họ tên"), self.tr("Chức vụ"), self.tr("Vai trò"))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        member = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (member.name, member.title, role_label(member.role))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return ", ".join(part for part in (member.name, member.title, role_label(member.role)) if part)
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if member.id in self._present else Qt.CheckState.Unchecked
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self._editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return False
        member_id = self._rows[index.row()].id
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if checked:
            self._present.add(member_id)
        else:
            self._present.discard(member_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.presence_changed.emit()
        return True


class TextRowsModel(ListTableModel[list[str]]):
    """Rows of plain texts, one per column, edited in place (spaces folded); ``edited`` on change."""

    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editable = True

    def add_row(self) -> int:
        """Append an empty row; return its number."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append([""] * len(self.headers()))
        self.endInsertRows()
        return row

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if self.editable else flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = " ".join(str(value or "").split())
        if self._rows[index.row()][index.column()] == text:
            return False
        self._rows[index.row()][index.column()] = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.edited.emit()
        return True


class RepresentativeTableModel(TextRowsModel):
    """The agency's representatives: name and title, editable, rows added and removed."""

    def set_representatives(self, rows: tuple[Representative, ...], editable: bool = True) -> None:
        self.beginResetModel()
        self._rows = [[r.name, r.title] for r in rows]
        self.editable = editable
        self.endResetModel()

    def representatives(self) -> list[Representative]:
        return [Representative(name, title) for name, title in self._rows]

    def remove_rows(self, rows: list[int]) -> None:
        """Remove rows (then say the list was edited, once)."""
        removed = False
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                removed = True
        if removed:
            self.edited.emit()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Họ tên"), self.tr("Chức vụ"))
