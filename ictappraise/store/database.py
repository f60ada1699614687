"""Opening a database file safely: ours, not newer, not locked, writable; WAL + FULL sync.

No global engine: ``open_database(path)`` makes one per file, so tests pass a temporary
file. One running program holds an OS lock next to the file so two instances never write
the same database; the OS releases it when the process dies, even on kill -9.

At open the file must pass SQLite's quick check and have our tables (else DatabaseCorrupt,
and no backup is taken, so good backups are never rotated out by a damaged copy); then a
rotating backup is taken (store/backup.py). Before every write, ``check_still_there``
compares the file with what was opened (see docs/resilience.md): deleted, replaced by
another file (new inode) or overwritten in place (size or SQLite header changed without a
commit of ours) means no more writes, after copying what this program still sees to the
backups folder.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.schema import CreateIndex, CreateTable

from ictappraise.store.backup import backup_at_open, salvage
from ictappraise.store.errors import (  # noqa: F401  # re-exported: callers import them from here
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    DatabaseWriteError,
    NotOurDatabase,
    StoreError,
)
from ictappraise.store.filewatch import DELETED, OVERWRITTEN, REPLACED, FileWatch
from ictappraise.store.location import network_share
from ictappraise.store.models import Base
from ictappraise.store.sqlite_file import (
    ADDED_COLUMNS,
    APPLICATION_ID,
    SCHEMA_VERSION,
    acquire_instance_lock,
    check_header,
    check_health,
    check_tables,
    corrupt_message,
    store_error,
    write_message,
)


def _migrate_0_to_1(connection: sqlite3.Connection) -> None:
    """Create the schema of version 1 from the ORM mappings (identical to data/schema.sql)."""
    dialect = sqlite_dialect()
    for table in Base.metadata.sorted_tables:
        connection.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
            connection.execute(str(CreateIndex(index).compile(dialect=dialect)))


def _migrate_1_to_2(connection: sqlite3.Connection) -> None:
    """Signed edits (docs/rules.md §9): the signing key and signature of each edit (NULL before)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(edits)")}
    for name in ("key", "signature"):
        if name not in columns:  # a new file got them from the mappings in step 0 → 1
            connection.execute(f"ALTER TABLE edits ADD COLUMN {name} TEXT")


#: Forward-only migrations: MIGRATIONS[n] brings a file from version n to n + 1.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _migrate_0_to_1, 1: _migrate_1_to_2}


@dataclass
class Database:
    """An open database file: its engine, session factory and instance lock."""

    path: Path
    engine: Engine
    lock: FileLock | None
    sessions: sessionmaker[Session] = field(init=False)
    #: Vietnamese notes for the user that did not stop the open (e.g. the backup failed).
    warnings: list[str] = field(default_factory=list)
    _watch: FileWatch = field(init=False, repr=False)
    _salvage: Path | None = field(default=None, init=False, repr=False)
    closed: bool = field(default=False, init=False)
    #: Opened beside a window that holds the lock (open_for_reading): writing is refused.
    read_only: bool = field(default=False, init=False)
    #: Salvages and detaches when the file changed under it; a worker's second connection
    #: (open_for_worker) only refuses to write: the window's Database guards the file.
    guardian: bool = field(default=True, init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._watch = FileWatch(self.path)
        # A commit that did not go through transaction() (e.g. engine.begin()) may checkpoint
        # the WAL into the file; the next check then re-reads the stamp instead of refusing.
        event.listen(self.engine, "commit", self._on_commit)

    def _on_commit(self, _connection: object) -> None:
        self._watch.foreign_commit = True

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: all of it is saved, or none of it."""
        if self.read_only:  # the window holding the lock is the only writer
            raise DatabaseLocked(
                f"Tệp dữ liệu {self.path.name} đang mở trong một cửa sổ ictappraise: lệnh này chỉ được đọc."
            )
        if self.closed:  # SQLAlchemy would quietly reconnect, without our lock
            raise DatabaseWriteError(
                f"Tệp dữ liệu {self.path.name} đã được đóng: thay đổi vừa rồi chưa được lưu. Hãy mở lại tệp."
            )
        session = self.sessions()
        try:
            with session.begin():
                yield session
        except (OperationalError, DBAPIError) as error:
            raise DatabaseWriteError(write_message(error)) from error
        finally:
            session.close()
        self._watch.remember()  # our commit may have checkpointed the WAL into the file

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session."""
        session = self.sessions()
        try:
            yield session
        except (OperationalError, DBAPIError) as error:
            raise DatabaseWriteError(write_message(error)) from error
        finally:
            session.close()

    def note_commit_elsewhere(self) -> None:
        """A worker thread of this program committed through its own connection (open_for_worker):
        the next check re-reads the file's stamp instead of taking the change for an overwrite."""
        self._watch.foreign_commit = True

    def check_still_there(self) -> None:
        """Refuse to write when the file was deleted, replaced or overwritten under the program.

        What this program still sees (its connections keep the old file) is first copied to
        the backups folder, once, and the message names that copy (store/filewatch.py).
        """
        problem = self._file_problem()
        if problem is None:
            return
        where = (
            f"Mọi dữ liệu đã lưu đến lúc này đã được chép vào bản sao lưu {self._salvage}."
            if self._salvage
            else "Dữ liệu đã lưu trước đó vẫn còn trong các bản sao lưu tự động."
        )
        raise DatabaseWriteError(
            f"{problem} Thay đổi vừa rồi chưa được lưu. {where} Hãy đóng rồi mở lại tệp."
        )

    def _file_problem(self) -> str | None:
        state = self._watch.check()
        if state is None:
            return None
        if state in (DELETED, REPLACED) and self._salvage is None and self.guardian:
            self._salvage = salvage(self)
        if self.guardian:
            self._watch.detach()
        return {
            DELETED: f"Tệp dữ liệu {self.path} đã bị xóa hoặc di chuyển khi chương trình đang chạy.",
            REPLACED: f"Tệp dữ liệu {self.path} đã bị thay bằng một tệp khác khi chương trình đang chạy.",
            OVERWRITTEN: f"Tệp dữ liệu {self.path} đã bị chương trình khác ghi đè khi chương trình đang chạy.",
        }.get(state, f"Không đọc được tệp dữ liệu {self.path}.")

    def close(self) -> None:
        """Close the connections and release the lock, salvaging first if the file was changed.
        Closing twice is harmless (a window closes its file; a restore closes it before)."""
        if self.closed:
            return
        self.closed = True
        try:
            self._file_problem()
        except OSError:
            pass  # closing must not fail; the check only protects a file put in our place
        self.engine.dispose()
        self._watch.after_close()
        if self.lock is not None and self.lock.is_locked:
            self.lock.release(force=True)


def open_database(
    path: str | os.PathLike[str], *, create: bool = False, lock: bool = True, backup: bool = True
) -> Database:
    """Open (or create) a database file after checking it can be used; StoreError otherwise.

    With ``backup`` (the default) a rotating backup is taken once the file passed its checks;
    a failed backup does not stop the open, it adds a line to ``Database.warnings``, and so
    does a file on a network share (SQLite's locking is unreliable there).
    """
    db_path = Path(path).expanduser().resolve()
    if not db_path.exists() and not create:
        raise DatabaseMissing(f"Không tìm thấy tệp dữ liệu {db_path}.")
    _check_writable(db_path)
    instance_lock = acquire_instance_lock(db_path) if lock else None
    try:
        _check_and_migrate(db_path)
        engine = _engine(db_path)
    except BaseException:
        if instance_lock is not None:
            instance_lock.release(force=True)
        raise
    database = Database(db_path, engine, instance_lock)
    _warn_if_on_network(database)
    if backup:
        backup_at_open(database)
    return database


def delete_database(path: Path, *, with_lock: bool = False) -> None:
    """Delete a closed database file with its SQLite companions (-wal, -shm), and its lock file
    with ``with_lock``: a -wal left behind would be read into the next file made at that path."""
    for suffix in ("", "-wal", "-shm", ".lock") if with_lock else ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def open_for_reading(path: str | os.PathLike[str]) -> Database:
    """Open a file to read only: as open_database, or beside the window that holds it open.

    SQLite readers work beside a writer under WAL, so a command that only reads (results,
    report, export-xlsx) needs no exclusive lock; it then takes no backup, migrates nothing
    and never writes (the window that holds the lock is the only writer).
    """
    try:
        return open_database(path)
    except DatabaseLocked:
        pass
    db_path = Path(path).expanduser().resolve()
    _check_shared(db_path)
    database = Database(db_path, _engine(db_path), None)
    database.read_only = True
    return database


def open_for_worker(path: str | os.PathLike[str], *, writable: bool) -> Database:
    """A second connection to a file this program already holds open, for a worker thread.

    SQLAlchemy sessions and the window's caches belong to the GUI thread, so a worker opens its
    own engine on the path. The window's open took the instance lock, checked, migrated and
    backed up the file; this one takes no lock (the process holds it) and repeats none of that.
    SQLite serialises the two connections (WAL: readers beside one writer, busy_timeout for the
    rest); the window does not write while a worker runs (ui/operations.py runs one at a time)
    and, after a worker wrote, calls ``note_commit_elsewhere`` on its own Database.
    """
    db_path = Path(path).expanduser().resolve()
    if not db_path.is_file():
        raise DatabaseMissing(f"Không tìm thấy tệp dữ liệu {db_path}.")
    database = Database(db_path, _engine(db_path), None)
    database.read_only = not writable
    database.guardian = False
    return database


def _check_shared(db_path: Path) -> None:
    """A file open in another window: ours, healthy and at this program's schema."""
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise store_error(error, db_path.name) from error
    try:
        version = check_header(connection, db_path.name)
        if version != SCHEMA_VERSION:
            raise DatabaseLocked(
                f"Tệp dữ liệu {db_path.name} đang mở trong một cửa sổ ictappraise và cần nâng cấp; "
                "hãy đóng cửa sổ đó rồi chạy lại lệnh."
            )
        check_health(connection, db_path.name)
        check_tables(connection, db_path.name)
    except sqlite3.Error as error:
        raise store_error(error, db_path.name) from error
    finally:
        connection.close()


def network_warning(where: str) -> str:
    """The note shown when the database file is on a network share."""
    return (
        f"Tệp dữ liệu đang nằm trên ổ mạng ({where}). Nhiều máy cùng mở một tệp qua mạng có thể "
        "làm hỏng dữ liệu: hãy chép tệp về máy mình, làm việc, rồi gửi gói dữ liệu (.ictx) cho "
        "Tổ trưởng."
    )


def _warn_if_on_network(database: Database) -> None:
    where = network_share(database.path)
    if where is not None:
        database.warnings.append(network_warning(where))


def _check_writable(db_path: Path) -> None:
    folder = db_path.parent
    if not folder.exists():
        raise DatabaseMissing(f"Không có thư mục {folder}.")
    if db_path.exists() and db_path.is_dir():
        raise NotOurDatabase(f"{db_path} là một thư mục, không phải tệp dữ liệu.")
    if (db_path.exists() and not os.access(db_path, os.W_OK)) or not os.access(folder, os.W_OK):
        raise DatabaseReadOnly(
            f"Tệp dữ liệu {db_path} (hoặc thư mục chứa nó) chỉ cho phép đọc. Hãy chép tệp sang "
            "một thư mục có quyền ghi (ví dụ Tài liệu) rồi mở lại."
        )


def _check_and_migrate(db_path: Path) -> None:
    """Check the header and health of an existing file, then bring it to SCHEMA_VERSION."""
    try:
        connection = sqlite3.connect(db_path, isolation_level=None)
    except sqlite3.Error as error:
        raise store_error(error, db_path.name) from error
    try:
        version = check_header(connection, db_path.name)
        check_health(connection, db_path.name)
        if version >= 1:  # before anything is written to a refused file (journal mode included)
            check_tables(connection, db_path.name, added_since=ADDED_COLUMNS if version < 2 else {})
        _migrate(connection, version)
        check_tables(connection, db_path.name)
    except sqlite3.Error as error:
        raise store_error(error, db_path.name) from error
    except UnicodeDecodeError as error:  # schema text that is not UTF-8: the file is damaged
        raise DatabaseCorrupt(corrupt_message(db_path.name, "văn bản lược đồ không đọc được")) from error
    finally:
        connection.close()


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    while version < SCHEMA_VERSION:
        connection.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](connection)
            version += 1
            connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version={version}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _engine(db_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_path}")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # WAL + synchronous=FULL: a committed edit survives a power cut.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        engine.dispose()
        raise store_error(error.orig or error, db_path.name) from error  # orig: the sqlite3 error
    return engine
