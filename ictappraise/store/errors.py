"""The store's errors, apart from the engine: the start-up path and the command line catch
them without importing SQLAlchemy."""

from __future__ import annotations


class StoreError(Exception):
    """A database that cannot be used; the message is Vietnamese and says what to do."""


class DatabaseMissing(StoreError):
    """The file does not exist."""


class NotOurDatabase(StoreError):
    """Not a SQLite file, or a SQLite file of another program."""


class DatabaseTooNew(StoreError):
    """Written by a newer version of the program."""


class DatabaseLocked(StoreError):
    """Open in another running instance."""


class DatabaseReadOnly(StoreError):
    """The file or its folder cannot be written."""


class DatabaseWriteError(StoreError):
    """A write failed (disk full, file removed, I/O error); nothing was saved."""


class DatabaseCorrupt(StoreError):
    """Damaged: fails SQLite's quick check or lacks our tables; restore a backup."""
