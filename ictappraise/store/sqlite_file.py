"""What a SQLite file must be to be ours: header, health, tables, the lock a running program
holds next to it, and the Vietnamese StoreError for each SQLite failure.

Below both store/database.py (opening) and store/backup.py (copying, restoring): each checks
files with these, and neither imports the other back.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from filelock import FileLock, Timeout

from ictappraise.domain.limits import MAX_ATTACHMENT_BYTES, format_size
from ictappraise.store.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseWriteError,
    NotOurDatabase,
    StoreError,
)
from ictappraise.store.models import Base

logger = logging.getLogger(__name__)

APPLICATION_ID = 0x49435441  # "ICTA" in the SQLite header: a file of ours
SCHEMA_VERSION = 2


def write_message(error: Exception) -> str:
    """Why a write failed, in Vietnamese (disk full, read-only, locked, too big)."""
    detail = str(getattr(error, "orig", error)).lower()
    if "full" in detail:
        return "Ổ đĩa đã đầy: không lưu được thay đổi. Hãy giải phóng dung lượng rồi thử lại."
    if "readonly" in detail or "read-only" in detail:
        return "Tệp dữ liệu chỉ cho phép đọc: không lưu được thay đổi."
    if "locked" in detail or "busy" in detail:
        return "Tệp dữ liệu đang bị chương trình khác khóa: không lưu được thay đổi, hãy thử lại."
    if "too big" in detail or "toobig" in detail:  # SQLITE_TOOBIG: "string or blob too big"
        return (
            "Một nội dung quá lớn để lưu vào tệp dữ liệu (vượt giới hạn của SQLite): chưa lưu gì. "
            f"Mỗi tệp minh chứng tối đa {format_size(MAX_ATTACHMENT_BYTES)}; hãy thay tệp quá lớn bằng bản "
            "nhỏ hơn rồi thử lại."
        )
    return f"Không ghi được vào tệp dữ liệu: {getattr(error, 'orig', error)}."


def lock_path(path: Path) -> Path:
    """The lock file next to a database."""
    return path.with_name(path.name + ".lock")


def acquire_instance_lock(db_path: Path) -> FileLock:
    """The lock a running instance holds next to the file; DatabaseLocked if another holds it."""
    instance_lock = FileLock(str(lock_path(db_path)), timeout=0)
    try:
        instance_lock.acquire()
    except Timeout as error:
        raise DatabaseLocked(
            f"Tệp dữ liệu {db_path.name} đang được mở trong một cửa sổ ictappraise khác. "
            "Hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại tệp."
        ) from error
    except OSError as error:
        raise DatabaseReadOnly(f"Không tạo được tệp khóa bên cạnh {db_path.name}: {error}.") from error
    return instance_lock


def check_header(connection: sqlite3.Connection, name: str) -> int:
    """The schema version of a file of ours; NotOurDatabase or DatabaseTooNew otherwise."""
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:  # damaged schema text included
        raise NotOurDatabase(
            f"Tệp {name} không phải tệp dữ liệu của ictappraise (không phải SQLite)."
        ) from error
    if application_id != APPLICATION_ID and (application_id != 0 or tables):
        raise NotOurDatabase(
            f"Tệp {name} là cơ sở dữ liệu của một chương trình khác, không phải ictappraise."
        )
    if version == 0 and tables:  # migration 0 → 1 creates the tables and the version together
        raise DatabaseCorrupt(corrupt_message(name, "có bảng nhưng không có số phiên bản lược đồ"))
    if version > SCHEMA_VERSION:
        raise DatabaseTooNew(
            f"Tệp {name} được tạo bởi phiên bản ictappraise mới hơn (lược đồ {version}, "
            f"chương trình này đọc được tới {SCHEMA_VERSION}). Hãy cập nhật chương trình."
        )
    return int(version)


def check_health(connection: sqlite3.Connection, name: str) -> None:
    """SQLite's quick check (milliseconds for the demo file); DatabaseCorrupt if it fails."""
    rows = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
    if rows != ["ok"]:
        # SQLite's own words ("*** in database main *** Page 9: btreeInitPage()…") help whoever
        # repairs the file, not the clerk: they go to the log, the dialog says it in Vietnamese.
        logger.error("quick_check of %s failed: %s", name, "; ".join(str(r) for r in rows))
        raise DatabaseCorrupt(corrupt_message(name, RAW_IN_LOG))


#: Columns later migrations add (table → columns): a file of an older version lacks them.
ADDED_COLUMNS = {"edits": frozenset({"key", "signature"})}


def check_tables(
    connection: sqlite3.Connection, name: str, added_since: Mapping[str, frozenset[str]] | None = None
) -> None:
    """Every table and column of the current schema is there (but those a pending migration
    adds); DatabaseCorrupt otherwise."""
    for table in Base.metadata.sorted_tables:
        columns = {row[1] for row in connection.execute(f'PRAGMA table_info("{table.name}")')}
        later = (added_since or {}).get(table.name, frozenset())
        missing = sorted({column.name for column in table.columns} - columns - later)
        if missing:
            what = f"bảng {table.name}" if not columns else f"cột {', '.join(missing)} của bảng {table.name}"
            raise DatabaseCorrupt(corrupt_message(name, f"thiếu {what}"))


RAW_IN_LOG = "SQLite không đọc được cấu trúc tệp; chi tiết kỹ thuật ghi trong nhật ký ictappraise.log"


def corrupt_message(name: str, detail: str) -> str:
    return (
        f"Tệp dữ liệu {name} bị hỏng ({detail}). Hãy khôi phục từ một bản sao lưu "
        "(Tệp → Sao lưu và khôi phục) hoặc báo cho Tổ trưởng."
    )


def store_error(error: Exception, name: str) -> StoreError:
    """The StoreError for an SQLite error met while opening or checking a file."""
    detail = str(error).lower()
    if "locked" in detail or "busy" in detail:
        return DatabaseLocked(f"Tệp dữ liệu {name} đang bị một chương trình khác khóa: {error}.")
    if "readonly" in detail or "read-only" in detail or "unable to open" in detail:
        return DatabaseReadOnly(f"Không mở được tệp dữ liệu {name} để ghi: {error}.")
    if "full" in detail:
        return DatabaseWriteError(write_message(error))
    if "disk i/o" in detail:
        return DatabaseWriteError(f"Lỗi đọc ghi ổ đĩa với tệp dữ liệu {name}: {error}.")
    logger.error("SQLite error on %s: %s", name, error)
    return DatabaseCorrupt(corrupt_message(name, RAW_IN_LOG))
