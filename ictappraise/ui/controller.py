"""The one "something changed" hub every screen listens to (the Anki pattern).

Widgets never call each other: they call a service through the controller, which writes,
then announces which agency (or the whole round) changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ictappraise.domain.fields import parse_field
from ictappraise.services.workspace import Change, Workspace


class Controller(QObject):
    """Owns the Workspace and the undo stack; emits what changed."""

    agency_changed = Signal(str)
    round_changed = Signal()
    saved = Signal(str)
    failed = Signal(str)  # a write refused outside a dialog (e.g. an undo step), in Vietnamese

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.undo_stack = QUndoStack(self)

    def write(self, changes: Sequence[Change]) -> int:
        """Write changes (raises the service's errors) and announce them; return edits written."""
        edits = self.ws.write(changes)
        self.announce({c.field for c in changes})
        if edits:
            self.saved.emit(edits[-1].created_at)
        return len(edits)

    def announce(self, fields: set[str]) -> None:
        """Emit agency_changed for agency fields and round_changed for the rest."""
        owners = [parse_field(f).agency_id for f in fields]
        for agency_id in sorted({a for a in owners if a is not None}):
            self.agency_changed.emit(agency_id)
        if any(a is None for a in owners):
            self.round_changed.emit()

    def reload(self) -> None:
        """Re-read everything (after a merge, an import or a restore)."""
        self.ws.refresh()
        self.undo_stack.clear()
        self.round_changed.emit()
