"""Fuzzing what open_database accepts: random bytes, damaged databases, SQLite files of all kinds.

Contract: open_database raises a StoreError with a Vietnamese message, or opens a file that
the services then read without any other exception (ValueError/StoreError allowed, with a
Vietnamese message). A refused file is left byte for byte as it was and its lock is released.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import (  # noqa: F401 - fuzz_tally_fixture is the fuzz_tally fixture
    FUZZ,
    HOSTILE_TEXT,
    assert_clean_error,
    fuzz_tally_fixture,
    mutate_bytes,
)
from hypothesis import given
from hypothesis import strategies as st

from ictappraise.services.workspace import Workspace
from ictappraise.store.database import APPLICATION_ID, DatabaseLocked, StoreError, open_database
from ictappraise.store.models import Base

SQLITE_MAGIC = b"SQLite format 3\x00"
TABLES = {table.name: [column.name for column in table.columns] for table in Base.metadata.sorted_tables}


@pytest.fixture(scope="module")
def demo_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The demo database as one self-contained file (WAL checkpointed)."""
    from ictappraise.services.demo import build_demo

    path = tmp_path_factory.mktemp("fuzz-demo") / "demo.db"
    db = open_database(path, create=True, backup=False)
    build_demo(db)
    db.close()
    return path.read_bytes()


def open_and_read(path: Path) -> None:
    """Open like the program does and read everything a screen shows; only clean errors allowed."""
    before = path.read_bytes()
    try:
        db = open_database(path)
    except StoreError as error:
        assert not isinstance(error, DatabaseLocked), "the lock of a refused file was not released"
        assert_clean_error(error)
        assert path.read_bytes() == before, "a refused file was changed"
        with pytest.raises(StoreError):  # refused again the same way: nothing left half-open
            open_database(path)
        return
    try:
        ws = Workspace(db)
        for agency in ws.agencies():
            ws.detail(agency.id)
        ws.results()
    except (ValueError, StoreError) as error:
        assert_clean_error(error)
    finally:
        db.close()


@FUZZ
@given(blob=st.one_of(st.binary(max_size=4096), st.binary(max_size=4096).map(lambda b: SQLITE_MAGIC + b)))
def test_fuzz_random_bytes(blob: bytes, tmp_path: Path, fuzz_tally: Any) -> None:
    fuzz_tally("open: random bytes")
    path = tmp_path / "ngẫu nhiên.db"
    path.write_bytes(blob)
    open_and_read(path)
    for stale in tmp_path.glob("ngẫu nhiên.db*"):
        stale.unlink()


@FUZZ
@given(data=st.data())
def test_fuzz_damaged_demo_database(
    data: st.DataObject, demo_bytes: bytes, tmp_path: Path, fuzz_tally: Any
) -> None:
    """Truncated, bit-flipped, overwritten copies of the demo database."""
    fuzz_tally("open: damaged demo database")
    path = tmp_path / "hỏng.db"
    path.write_bytes(mutate_bytes(data.draw, demo_bytes))
    open_and_read(path)
    for stale in tmp_path.glob("hỏng.db*"):
        stale.unlink()


@st.composite
def sqlite_files(draw: st.DrawFn) -> dict[str, Any]:
    """A description of an SQLite file: header numbers, tables (ours or not, whole or not), rows."""
    tables = {}
    for name in draw(st.lists(st.sampled_from([*TABLES, "khac", "edits_old"]), max_size=5, unique=True)):
        columns = TABLES.get(name, ["a", "b"])
        if draw(st.booleans()):
            columns = draw(st.lists(st.sampled_from(columns), min_size=1, unique=True))
        rows = draw(
            st.lists(
                st.lists(
                    st.one_of(HOSTILE_TEXT, st.integers(-(2**63), 2**63 - 1), st.none()),
                    min_size=len(columns),
                    max_size=len(columns),
                ),
                max_size=3,
            )
        )
        tables[name] = (columns, rows)
    return {
        "application_id": draw(st.sampled_from([0, APPLICATION_ID, 1, -1])),
        "user_version": draw(st.sampled_from([0, 1, 2, 99])),
        "tables": tables,
    }


@FUZZ
@given(spec=sqlite_files())
def test_fuzz_sqlite_files_of_every_kind(spec: dict[str, Any], tmp_path: Path, fuzz_tally: Any) -> None:
    fuzz_tally("open: SQLite files with random tables")
    path = tmp_path / "lạ.db"
    for stale in tmp_path.glob("lạ.db*"):
        stale.unlink()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA application_id={spec['application_id']}")
        connection.execute(f"PRAGMA user_version={spec['user_version']}")
        for name, (columns, rows) in spec["tables"].items():
            connection.execute(f'CREATE TABLE "{name}" ({", ".join(f"{c}" for c in columns)})')
            marks = ", ".join("?" for _ in columns)
            connection.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        connection.commit()
    open_and_read(path)


def test_a_database_of_ours_with_rows_that_make_no_sense(demo_db: Path, fuzz_tally: Any) -> None:
    """Healthy SQLite, our schema, but edits whose JSON is broken: a clean message, not a traceback."""
    fuzz_tally("open: edits with broken values")
    with closing(sqlite3.connect(demo_db)) as connection:
        connection.execute("UPDATE edits SET value = '{\"input\": ' WHERE seq = (SELECT max(seq) FROM edits)")
        connection.commit()
    open_and_read(demo_db)
