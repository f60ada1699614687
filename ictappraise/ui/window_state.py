"""What the main window remembers between runs (QSettings): its geometry, the splitter and the
checklist's columns, and the agency shown last in each database file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from ictappraise.ui.main_window import MainWindow

SETTINGS_GROUP = "main_window"


def restore_geometry(window: MainWindow) -> None:
    """The frame's size and place as it was closed (1366×740 the first time)."""
    geometry = QSettings().value(f"{SETTINGS_GROUP}/geometry")
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(1366, 740)


def restore_panels(window: MainWindow) -> None:
    """The splitter and the checklist's column widths of the attached window."""
    settings = QSettings()
    splitter = settings.value(f"{SETTINGS_GROUP}/splitter")
    if splitter is not None:
        window.splitter.restoreState(splitter)
    header = settings.value(f"{SETTINGS_GROUP}/checklist_header")
    if header is not None:
        window.checklist.header().restoreState(header)


def save_state(window: MainWindow) -> None:
    """Everything the next start restores (only the geometry while still opening)."""
    settings = QSettings()
    settings.setValue(f"{SETTINGS_GROUP}/geometry", window.saveGeometry())
    if not window.attached:  # closed while still opening: only the frame exists
        return
    settings.setValue(f"{SETTINGS_GROUP}/splitter", window.splitter.saveState())
    settings.setValue(f"{SETTINGS_GROUP}/checklist_header", window.checklist.header().saveState())
    if window.agency_id is not None:
        settings.setValue(last_agency_key(window), window.agency_id)


def select_remembered(window: MainWindow) -> None:
    """The agency shown when this file was last closed here, else the first one."""
    remembered = QSettings().value(last_agency_key(window))
    if isinstance(remembered, str) and window.agencies.select(remembered):
        return
    first = window.agencies.proxy.index(0, 0)
    if first.isValid():
        window.agencies.table.setCurrentIndex(first)


def last_agency_key(window: MainWindow) -> str:
    # One key per database file: the same agency id means nothing in another round's file.
    import hashlib

    digest = hashlib.sha1(str(window.ws.db.path).encode("utf-8")).hexdigest()[:16]
    return f"{SETTINGS_GROUP}/last_agency/{digest}"
