"""The recently opened files (QSettings, newest first): File → Mở gần đây, filled at each open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "recent_files"
RECENT_LIMIT = 8


def remember_recent(path: Path) -> None:
    """Put a file first in the list (once), keeping the newest RECENT_LIMIT."""
    recent = [str(path)] + [p for p in recent_paths() if p != str(path)]
    QSettings().setValue(RECENT_KEY, recent[:RECENT_LIMIT])


def recent_paths() -> list[str]:
    """The recently opened files, newest first."""
    value = QSettings().value(RECENT_KEY) or []
    if isinstance(value, str):  # QSettings gives a one-item list back as a plain string
        value = [value]
    return [p for p in value if isinstance(p, str) and p]
