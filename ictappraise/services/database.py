"""The round's database file as the screens and commands see it: open, delete, back up, restore.

The UI and the CLI reach the store only through this module (and services.errors for its
errors); the store's own modules stay free to change behind it.
"""

from __future__ import annotations

from ictappraise.store.backup import REASON_MANUAL, BackupInfo, backup_database, list_backups, restore_backup
from ictappraise.store.database import Database, delete_database, open_database, open_for_reading

__all__ = [
    "REASON_MANUAL",
    "BackupInfo",
    "Database",
    "backup_database",
    "delete_database",
    "list_backups",
    "open_database",
    "open_for_reading",
    "restore_backup",
]
