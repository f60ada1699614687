"""The schema (ORM == data/schema.sql), migrations, and opening files safely."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from ictappraise.store.database import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    NotOurDatabase,
    StoreError,
    open_database,
)
from ictappraise.store.models import Base

SCHEMA_SQL = Path(__file__).resolve().parents[2] / "data" / "schema.sql"


def describe_schema(path: Path) -> dict[str, Any]:
    """Tables, columns, indexes and constraints of a SQLite file, as PRAGMA reports them."""
    con = sqlite3.connect(path)
    try:
        tables = [
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        result: dict[str, Any] = {}
        for table in tables:
            columns = [
                # name, declared type, not null, default, primary-key position, hidden
                (row[1], row[2].upper(), row[3], row[4], row[5], row[6])
                for row in con.execute(f"PRAGMA table_xinfo('{table}')")
            ]
            indexes = {}
            for row in con.execute(f"PRAGMA index_list('{table}')"):
                name, unique, origin, partial = row[1], row[2], row[3], row[4]
                cols = [r[2] for r in con.execute(f"PRAGMA index_info('{name}')")]
                indexes[name] = (unique, origin, partial, cols)
            foreign = sorted(con.execute(f"PRAGMA foreign_key_list('{table}')").fetchall())
            autoincrement = bool(
                con.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%AUTOINCREMENT%'", (table,)
                ).fetchone()
            )
            result[table] = {
                "columns": columns,
                "indexes": indexes,
                "foreign_keys": foreign,
                "autoincrement": autoincrement,
            }
        named_indexes = sorted(
            row[0]
            for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        )
        result["(named indexes)"] = named_indexes
        return result
    finally:
        con.close()


def schema_from_sql(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.close()
    return path


def schema_from_orm(path: Path) -> Path:
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    return path


def test_orm_and_schema_sql_are_identical(tmp_path: Path) -> None:
    from_sql = describe_schema(schema_from_sql(tmp_path / "sql.db"))
    from_orm = describe_schema(schema_from_orm(tmp_path / "orm.db"))
    assert from_orm == from_sql
    # The comparison is not vacuous: the schema has the tables and constraints we rely on.
    assert {"schema_meta", "edits", "attachments", "local_state"} <= set(from_sql)
    edits = from_sql["edits"]
    assert edits["autoincrement"]
    assert ("id", "TEXT", 1, None, 0, 0) in edits["columns"]
    assert ("reason", "TEXT", 0, None, 0, 0) in edits["columns"]
    assert ("parents", "TEXT", 1, "'[]'", 0, 0) in edits["columns"]
    assert ("seq", "INTEGER", 1, None, 1, 0) in edits["columns"]
    assert any(unique and cols == ["id"] for unique, _o, _p, cols in edits["indexes"].values())
    assert from_sql["(named indexes)"] == ["ix_edits_field", "ix_edits_scope"]


def test_migrated_file_has_the_schema_of_schema_sql(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db", create=True)
    db.close()
    migrated = describe_schema(tmp_path / "new.db")
    assert migrated == describe_schema(schema_from_sql(tmp_path / "sql.db"))


def test_a_version_1_file_migrates_to_the_schema_of_schema_sql(tmp_path: Path) -> None:
    """Version 1 had no key and signature columns: migration 1 → 2 adds them, data kept."""
    path = tmp_path / "v1.db"
    open_database(path, create=True).close()
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE edits DROP COLUMN key")
    con.execute("ALTER TABLE edits DROP COLUMN signature")
    con.execute(
        "INSERT INTO edits (id, scope, field, value, author, device, created_at) "
        "VALUES ('e1', 'round', 'round/name', '\"Đợt\"', 'a', 'd', '2022-12-01T08:00:00+07:00')"
    )
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    open_database(path).close()
    assert header(path) == (SCHEMA_VERSION, APPLICATION_ID) and SCHEMA_VERSION == 2
    migrated = describe_schema(path)
    assert migrated == describe_schema(schema_from_sql(tmp_path / "sql.db"))
    con = sqlite3.connect(path)
    assert con.execute("SELECT id, value, key, signature FROM edits").fetchall() == [
        ("e1", '"Đợt"', None, None)
    ]
    con.close()


def test_describe_schema_sees_a_difference(tmp_path: Path) -> None:
    # Guard against a comparison that cannot fail: a changed default is noticed.
    sql = SCHEMA_SQL.read_text(encoding="utf-8").replace("basis TEXT NOT NULL DEFAULT '[]'", "basis TEXT")
    con = sqlite3.connect(tmp_path / "changed.db")
    con.executescript(sql)
    con.close()
    assert describe_schema(tmp_path / "changed.db") != describe_schema(schema_from_sql(tmp_path / "sql.db"))


# -- migration from an empty file ----------------------------------------------------------


def header(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(path)
    try:
        return (
            con.execute("PRAGMA user_version").fetchone()[0],
            con.execute("PRAGMA application_id").fetchone()[0],
        )
    finally:
        con.close()


def test_new_file_is_migrated_to_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "round.db"
    db = open_database(path, create=True)
    db.close()
    assert header(path) == (SCHEMA_VERSION, APPLICATION_ID)
    assert APPLICATION_ID == 0x49435441


def test_empty_existing_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    db = open_database(path)
    with db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM edits")).scalar() == 0
    db.close()
    assert header(path) == (SCHEMA_VERSION, APPLICATION_ID)


def test_reopening_keeps_the_data_and_the_version(tmp_path: Path) -> None:
    path = tmp_path / "round.db"
    db = open_database(path, create=True)
    with db.transaction() as session:
        session.execute(text("INSERT INTO local_state (key, value) VALUES ('k', 'v')"))
    db.close()
    db = open_database(path)
    with db.reading() as session:
        assert session.execute(text("SELECT value FROM local_state WHERE key = 'k'")).scalar() == "v"
    db.close()
    assert header(path) == (SCHEMA_VERSION, APPLICATION_ID)


# -- refusing files we cannot use -----------------------------------------------------------


def assert_refused(path: Path, error: type[StoreError], words: str) -> None:
    """Opening fails with the given error and a Vietnamese message, and the file is unchanged."""
    before = path.read_bytes()
    with pytest.raises(error, match=words):
        open_database(path)
    assert path.read_bytes() == before
    # The failed open released its lock: a second attempt fails the same way, not "locked".
    with pytest.raises(error):
        open_database(path)
    assert path.read_bytes() == before
    assert not Path(str(path) + "-wal").exists() or Path(str(path) + "-wal").stat().st_size == 0


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(DatabaseMissing, match="Không tìm thấy tệp dữ liệu"):
        open_database(path)
    assert not path.exists()


def test_missing_folder_even_with_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing, match="Không có thư mục"):
        open_database(tmp_path / "no-such-folder" / "x.db", create=True)


def test_text_file_renamed_db(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Biên bản họp Tổ thẩm định\n" * 200, encoding="utf-8")
    assert_refused(path, NotOurDatabase, "không phải tệp dữ liệu của ictappraise")


def test_sqlite_file_of_another_program(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('Nguyễn Văn A')")
    con.commit()
    con.close()
    assert_refused(path, NotOurDatabase, "cơ sở dữ liệu của một chương trình khác")


def test_sqlite_file_with_another_application_id(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 1234")
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    assert_refused(path, NotOurDatabase, "chương trình khác")


def test_newer_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_database(path, create=True).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    con.close()
    assert_refused(path, DatabaseTooNew, "phiên bản ictappraise mới hơn")


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(NotOurDatabase, match="là một thư mục"):
        open_database(folder)


def test_second_open_of_the_same_file_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "round.db"
    first = open_database(path, create=True)
    try:
        with pytest.raises(DatabaseLocked, match="đang được mở trong một cửa sổ ictappraise khác"):
            open_database(path)
        # The same file through another spelling of its path is still the same file.
        with pytest.raises(DatabaseLocked):
            open_database(tmp_path / "." / "round.db")
    finally:
        first.close()
    open_database(path).close()  # released on close


def test_read_only_file(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: file modes do not stop root from writing, os.access says writable")
    path = tmp_path / "round.db"
    open_database(path, create=True).close()
    copy = tmp_path / "readonly" / "round.db"
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    copy.chmod(0o444)
    try:
        before = copy.read_bytes()
        with pytest.raises(DatabaseReadOnly, match="chỉ cho phép đọc"):
            open_database(copy)
        assert copy.read_bytes() == before
    finally:
        copy.chmod(0o644)


def test_wal_and_full_sync_on_engine_connections(tmp_path: Path) -> None:
    db = open_database(tmp_path / "round.db", create=True)
    try:
        for _ in range(2):  # every pooled connection, not only the first
            with db.engine.connect() as connection:
                assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
                assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with db.reading() as session:
            assert session.execute(text("PRAGMA synchronous")).scalar() == 2
    finally:
        db.close()


def test_a_failed_transaction_saves_nothing(tmp_path: Path) -> None:
    db = open_database(tmp_path / "round.db", create=True)
    try:
        with pytest.raises(RuntimeError), db.transaction() as session:
            session.execute(text("INSERT INTO local_state (key, value) VALUES ('a', '1')"))
            raise RuntimeError("stop half way")
        with db.reading() as session:
            assert session.execute(text("SELECT count(*) FROM local_state")).scalar() == 0
    finally:
        db.close()
