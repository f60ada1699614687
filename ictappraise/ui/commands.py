"""Undo commands: one per user action, holding old and new field values (orange-canvas style).

A command never touches widgets: redo writes the new values, undo writes the old ones —
both as ordinary edits, so undo is "a new edit restoring the old value" (docs/rules.md §7).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.workspace import Change
from ictappraise.ui.controller import Controller


class FieldsCommand(QUndoCommand):
    """Set some fields; undo restores their previous values."""

    def __init__(self, controller: Controller, changes: Sequence[Change], text: str) -> None:
        super().__init__(text)
        self.controller = controller
        self.new = list(changes)
        self.old = [Change(c.field, self._current(c.field)) for c in changes]
        self.skip_next_redo = False

    def _current(self, field: str) -> Any:
        return self.controller.ws.value(field)

    def redo(self) -> None:
        if self.skip_next_redo:  # already written by push_changes, before the push
            self.skip_next_redo = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)

    def _apply(self, changes: list[Change]) -> None:
        # Undo can be refused later (the visit was signed meanwhile, the disk is full): say so,
        # and drop the command so the stack never claims a step that did not happen.
        try:
            self.controller.write(changes)
        except USER_ERRORS as error:
            self.setObsolete(True)
            self.controller.failed.emit(str(error))


def push_changes(controller: Controller, changes: Sequence[Change], text: str) -> None:
    """Write the changes, then record them for undo; a refused change (the service raises)
    is neither written nor pushed."""
    command = FieldsCommand(controller, changes, text)
    controller.write(changes)
    command.skip_next_redo = True
    controller.undo_stack.push(command)
