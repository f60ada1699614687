"""Rotating backups of a database file, taken with SQLite's online backup API.

Where: the per-user data folder (``settings.data_dir()``), one folder per database::

    <data dir>/backups/<name>-<8 hex of the full path>/<name>_<YYYYMMDD-HHMMSS-micro>_<reason>.db

not next to the database, so backups survive the deletion of the database's folder, do
not need write access to a shared or USB folder, and two files with the same name in
different folders never rotate each other out. ``origin.txt`` in each folder names the
database. Each backup is a complete SQLite file (rollback journal, no -wal needed), written
to ``.part`` and renamed, so a crash never leaves half a backup in the list.

Public API (the GUI's restore dialog, the import and merge services)::

    backup_database(db_or_path, "import")   # returns BackupInfo
    backup_before(db, "import", "nhập", ServiceError)   # the same, refusing the change if it fails
    list_backups(path)                      # newest first
    restore_backup(info_or_path, target)    # refuses while the target is open; safety copy first

Rotation keeps the KEEP newest of the routine reasons (open, import, merge, manual);
safety copies taken before a restore and salvage copies (file deleted or replaced under the
program) are never rotated out. A backup at open is skipped when nothing changed since the
newest backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ictappraise.domain.dates import format_moment
from ictappraise.settings import data_dir
from ictappraise.store.errors import DatabaseMissing, StoreError
from ictappraise.store.sqlite_file import (
    acquire_instance_lock,
    check_header,
    check_health,
    check_tables,
    store_error,
)

if TYPE_CHECKING:  # database.py opens files and backs them up with this module: no import back
    from ictappraise.store.database import Database

KEEP = 20

REASON_OPEN = "open"
REASON_IMPORT = "import"
REASON_MERGE = "merge"
REASON_MANUAL = "manual"
REASON_RESTORE = "restore"
REASON_SALVAGE = "salvage"
REASON_LABELS = {
    REASON_OPEN: "Khi mở tệp",
    REASON_IMPORT: "Trước khi nhập dữ liệu từ Excel",
    REASON_MERGE: "Trước khi tổng hợp dữ liệu",
    REASON_MANUAL: "Sao lưu thủ công",
    REASON_RESTORE: "Trước khi khôi phục (bản an toàn)",
    REASON_SALVAGE: "Cứu dữ liệu khi tệp bị xóa hoặc thay thế",
}
ROTATED = frozenset({REASON_OPEN, REASON_IMPORT, REASON_MERGE, REASON_MANUAL})
ORIGIN_FILE = "origin.txt"
COMPANIONS = ("-wal", "-shm", "-journal")

_NAME = re.compile(r"^(?P<stem>.*)_(?P<stamp>\d{8}-\d{6}-\d{6})_(?P<reason>[a-z]+)\.db$")
_STAMP = "%Y%m%d-%H%M%S-%f"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: when, why, how big."""

    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def label(self) -> str:
        """Why it was taken, in Vietnamese."""
        return REASON_LABELS.get(self.reason, self.reason)

    def describe(self) -> str:
        """One line for a list: "14/12/2022 21:05:03 — Khi mở tệp — 1,8 MB"."""
        size = f"{self.size / 1_048_576:.1f}".replace(".", ",")
        return f"{format_moment(self.created, seconds=True)} — {self.label} — {size} MB"

    def edit_count(self) -> int | None:
        """How many edits the backup holds (None when it cannot be read)."""
        try:
            with closing(_read_only(self.path)) as connection:
                return int(connection.execute("SELECT count(*) FROM edits").fetchone()[0])
        except sqlite3.Error:
            return None

    def holds_any(self, edit_ids: Iterable[str]) -> bool | None:
        """Whether the backup holds any of these edits (None when it cannot be read)."""
        wanted = list(edit_ids)
        try:
            with closing(_read_only(self.path)) as connection:
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    if connection.execute(
                        f"SELECT 1 FROM edits WHERE id IN ({marks}) LIMIT 1", chunk
                    ).fetchone():
                        return True
        except sqlite3.Error:
            return None
        return False


def backup_folder(database: str | os.PathLike[str]) -> Path:
    """The folder holding the backups of a database file (it may not exist yet)."""
    path = Path(database).expanduser().resolve()
    digest = hashlib.sha256(os.path.normcase(str(path)).encode("utf-8")).hexdigest()[:8]
    return data_dir() / "backups" / f"{_safe_stem(path.stem, 40)}-{digest}"


def backup_database(
    source: Database | str | os.PathLike[str],
    reason: str = REASON_MANUAL,
    *,
    keep: int = KEEP,
    only_if_changed: bool = False,
) -> BackupInfo | None:
    """Copy a database (open or not) into its backups folder; StoreError or OSError on failure.

    Returns None only when ``only_if_changed`` and nothing changed since the newest backup.
    """
    if reason not in REASON_LABELS:
        raise ValueError(f"Lý do sao lưu «{reason}» không có; chỉ có: {', '.join(REASON_LABELS)}.")
    path = Path(source).expanduser().resolve() if isinstance(source, str | os.PathLike) else source.path
    folder = _prepare_folder(path)
    with _source_connection(source, path) as connection:
        if only_if_changed and _unchanged(connection, folder):
            return None
        target = _new_name(folder, path, reason)
        _copy(connection, target, path.name)
    if reason in ROTATED:
        _rotate(folder, keep)
    return _info(target)


def backup_at_open(db: Database) -> BackupInfo | None:
    """The backup taken by open_database; a failure becomes a warning, never an error."""
    try:
        return backup_database(db, REASON_OPEN, only_if_changed=True)
    except (OSError, sqlite3.Error, StoreError) as error:
        db.warnings.append(
            f"Không tạo được bản sao lưu tự động khi mở tệp ({error}). Dữ liệu vẫn mở bình thường; "
            "hãy kiểm tra dung lượng ổ đĩa."
        )
        return None


def salvage(db: Database) -> Path | None:
    """Copy what the open connection still sees (the file was deleted or replaced); None on failure."""
    try:
        info = backup_database(db, REASON_SALVAGE)
    except (OSError, sqlite3.Error, StoreError):
        return None
    return info.path if info else None


def backup_before(db: Database, reason: str, doing: str, refused: type[Exception]) -> None:
    """A rotating backup before a change that cannot be taken out again (an import, a merge):
    restoring it undoes the change. No backup, no change: ``refused`` says so in Vietnamese."""
    try:
        backup_database(db, reason)
    except (StoreError, OSError) as error:
        raise refused(
            f"Không sao lưu được tệp dữ liệu trước khi {doing} ({error}). Chưa {doing} gì; "
            "hãy kiểm tra dung lượng ổ đĩa rồi thử lại."
        ) from error


def list_backups(database: str | os.PathLike[str]) -> list[BackupInfo]:
    """The complete backups of a database file, newest first."""
    folder = backup_folder(database)
    if not folder.is_dir():
        return []
    found = [info for info in (_info(path) for path in folder.glob("*.db")) if info is not None]
    return sorted(found, key=lambda info: (info.created, info.path.name), reverse=True)


def restore_backup(
    backup: BackupInfo | str | os.PathLike[str], target: str | os.PathLike[str]
) -> BackupInfo | None:
    """Put a backup in place of ``target``; return the safety copy of the replaced file (None if none).

    Refuses (DatabaseLocked) while the target is open in any instance, this one included:
    close the Database first, restore, then open it again. The backup is checked (ours, not
    newer, healthy) before anything is touched; a damaged current file is still kept, byte
    for byte, as the safety copy.
    """
    source = backup.path if isinstance(backup, BackupInfo) else Path(backup).expanduser().resolve()
    target_path = Path(target).expanduser().resolve()
    if not source.is_file():
        raise DatabaseMissing(f"Không tìm thấy bản sao lưu {source}.")
    if not target_path.parent.is_dir():
        raise DatabaseMissing(f"Không có thư mục {target_path.parent}.")
    lock = acquire_instance_lock(target_path)
    staged = target_path.with_name(target_path.name + ".restoring")
    try:
        with closing(_read_only(source)) as connection:
            check_header(connection, source.name)
            _copy(connection, staged, source.name)
        safety = _safety_copy(target_path) if target_path.exists() else None
        for suffix in COMPANIONS:
            target_path.with_name(target_path.name + suffix).unlink(missing_ok=True)
        _replace(staged, target_path)
        _sync_folder(target_path.parent)
        return safety
    finally:
        staged.unlink(missing_ok=True)
        lock.release(force=True)


# -- copying --------------------------------------------------------------------------------------
@contextmanager
def _source_connection(source: Database | str | os.PathLike[str], path: Path) -> Iterator[sqlite3.Connection]:
    if not isinstance(source, str | os.PathLike):  # an open Database
        # The program's own connection: after a deletion or replacement it still reads the old file.
        raw = source.engine.raw_connection()
        try:
            connection = raw.driver_connection
            assert isinstance(connection, sqlite3.Connection)  # our engines are SQLite's
            yield connection
        finally:
            raw.close()
        return
    if not path.is_file():
        raise DatabaseMissing(f"Không tìm thấy tệp dữ liệu {path}.")
    with closing(sqlite3.connect(path)) as connection:
        check_header(connection, path.name)
        yield connection


def _copy(connection: sqlite3.Connection, target: Path, name: str) -> None:
    """Back up through SQLite into target (atomic rename), checking the copy."""
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(part, isolation_level=None)) as copy:
            try:
                connection.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                check_header(copy, name)
                check_health(copy, name)
                check_tables(copy, name)
            except sqlite3.Error as error:
                raise store_error(error, name) from error
        _sync_file(part)
        _replace(part, target)
        _sync_folder(target.parent)
    finally:
        part.unlink(missing_ok=True)


def _safety_copy(target: Path) -> BackupInfo | None:
    """Copy the file about to be replaced; byte for byte (with its WAL) if SQLite cannot read it."""
    folder = _prepare_folder(target)
    name = _new_name(folder, target, REASON_RESTORE)
    try:
        with closing(sqlite3.connect(target, isolation_level=None)) as connection:
            _copy(connection, name, target.name)
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except (sqlite3.Error, StoreError):
        name.unlink(missing_ok=True)
        for suffix in ("", "-wal"):
            original = target.with_name(target.name + suffix)
            if original.exists():
                shutil.copyfile(original, name.with_name(name.name + suffix))
                _sync_file(name.with_name(name.name + suffix))
    return _info(name)


def _unchanged(connection: sqlite3.Connection, folder: Path) -> bool:
    newest = next((b for b in _in_folder(folder) if b.reason in ROTATED), None)
    if newest is None:
        try:
            return _fingerprint(connection) == _EMPTY  # an empty new file needs no backup
        except sqlite3.Error:
            return False
    try:
        with closing(_read_only(newest.path)) as previous:
            return _fingerprint(previous) == _fingerprint(connection)
    except sqlite3.Error:
        return False


def _fingerprint(connection: sqlite3.Connection) -> str:
    """What a backup would hold, in short: edits, attachments and the per-file tables."""
    parts = [
        list(connection.execute("SELECT count(*), coalesce(max(seq), 0) FROM edits").fetchone()),
        connection.execute("SELECT count(*) FROM attachments").fetchone()[0],
        [list(row) for row in connection.execute("SELECT key, value FROM local_state ORDER BY key")],
        [list(row) for row in connection.execute("SELECT key, value FROM schema_meta ORDER BY key")],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


_EMPTY = hashlib.sha256(json.dumps([[0, 0], 0, [], []]).encode("utf-8")).hexdigest()


# -- the folder -----------------------------------------------------------------------------------
def _prepare_folder(database: Path) -> Path:
    folder = backup_folder(database)
    folder.mkdir(parents=True, exist_ok=True)
    origin = folder / ORIGIN_FILE
    if not origin.exists():
        origin.write_text(f"{database}\n", encoding="utf-8")
    for stale in folder.glob("*.part"):  # left by a crash; one instance holds the database lock
        stale.unlink(missing_ok=True)
    return folder


def _new_name(folder: Path, database: Path, reason: str) -> Path:
    moment = datetime.now()
    newest = next(iter(_in_folder(folder)), None)
    if newest is not None and newest.created >= moment:  # same microsecond, or the clock went back
        moment = newest.created + timedelta(microseconds=1)
    return folder / f"{_safe_stem(database.stem, 60)}_{moment.strftime(_STAMP)}_{reason}.db"


def _rotate(folder: Path, keep: int) -> None:
    routine = [info for info in _in_folder(folder) if info.reason in ROTATED]
    for info in routine[max(keep, 1) :]:
        for suffix in ("", *COMPANIONS):
            info.path.with_name(info.path.name + suffix).unlink(missing_ok=True)


def _in_folder(folder: Path) -> list[BackupInfo]:
    found = [info for info in (_info(path) for path in folder.glob("*.db")) if info is not None]
    return sorted(found, key=lambda info: (info.created, info.path.name), reverse=True)


def _info(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        created = datetime.strptime(match["stamp"], _STAMP)
        size = path.stat().st_size
        wal = path.with_name(path.name + "-wal")
        size += wal.stat().st_size if wal.exists() else 0
    except (ValueError, OSError):
        return None
    return BackupInfo(path, created, match["reason"], size)


def _safe_stem(stem: str, limit: int) -> str:
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", stem)).strip(" .") or "ictappraise"
    if cleaned.split(".")[0].upper() in _RESERVED:  # names Windows refuses (CON, NUL, COM1…)
        cleaned = "_" + cleaned
    return cleaned[:limit]


def _replace(source: Path, target: Path) -> None:
    """os.replace, retried briefly: on Windows an antivirus or indexer may hold a file a moment."""
    for attempt in range(10):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 9:
                raise
            time.sleep(0.2)


def _read_only(path: Path) -> sqlite3.Connection:
    """Read-only when SQLite takes the URI (not a Windows network path, //server/share)."""
    try:
        return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.OperationalError:
        return sqlite3.connect(path)


def _sync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename durable; folders cannot be opened on Windows, where NTFS journals it."""
    if os.name != "nt":
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
