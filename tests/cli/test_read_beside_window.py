"""Commands that only read work while a window holds the file open; writing ones still wait."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import text

from ictappraise.store.database import open_database
from tests.cli.test_cli import make_env
from tests.support import run_cli


def cli(env: dict[str, str], *args: object) -> subprocess.CompletedProcess[str]:
    return run_cli(env, *map(str, args))


def test_reading_commands_run_beside_an_open_window(demo_db: Path, tmp_path: Path) -> None:
    env = make_env(tmp_path)
    window = open_database(demo_db)  # what a running window holds: the instance lock, WAL readers
    try:
        results = cli(env, "results", "--db", demo_db)
        assert results.returncode == 0, results.stderr
        assert "Huyện ủy Tuy Phong" in results.stdout
        sheet = tmp_path / "ket_qua.xlsx"
        assert cli(env, "export-xlsx", "--db", demo_db, "--out", sheet).returncode == 0
        assert sheet.stat().st_size > 0
        report = tmp_path / "bao_cao.pdf"
        done = cli(env, "report", "--db", demo_db, "--out", report, "--date", "21/12/2022")
        assert done.returncode == 0, done.stderr
        package = tmp_path / "goi.ictx"
        done = cli(env, "export-package", "--db", demo_db, "--out", package, "--as", "Nguyễn Thị Thắng")
        assert done.returncode == 0, done.stderr
        assert package.stat().st_size > 0
        listed = cli(env, "required-lines", "--db", demo_db, "--agency", "HUTL")
        assert listed.returncode == 0 and "fact/report_attached" in listed.stdout, listed.stderr
        refused = cli(env, "sign", "--db", demo_db, "--agency", "TUPT", "--as", "Nguyễn Thị Thắng")
        assert refused.returncode == 1 and "cửa sổ" in refused.stderr and "Traceback" not in refused.stderr
        with window.transaction():  # the window still writes after the readers left
            pass
    finally:
        window.close()


def test_a_reader_beside_the_window_leaves_its_wal_and_its_writes_alone(
    demo_db: Path, tmp_path: Path
) -> None:
    """The window's own checks read the file without dropping its SQLite locks (store/filewatch.py):
    a command that closes its connection beside it must not take itself for the last one, fold
    the WAL into the file and delete it while the window still writes there."""
    env = make_env(tmp_path)
    wal = demo_db.with_name(demo_db.name + "-wal")
    window = open_database(demo_db)
    try:
        with window.transaction() as session:  # a commit of the window: its watch reads the header
            session.execute(text("INSERT OR REPLACE INTO local_state(key, value) VALUES ('before', '1')"))
        window.check_still_there()
        assert wal.exists()
        assert cli(env, "results", "--db", demo_db).returncode == 0
        assert wal.exists(), "the reader deleted the window's WAL"
        window.check_still_there()  # still our file: no "overwritten by another program"
        with window.transaction() as session:
            session.execute(text("INSERT OR REPLACE INTO local_state(key, value) VALUES ('after', '1')"))
        with closing(sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True)) as reader:
            found = reader.execute("SELECT key FROM local_state WHERE key IN ('before', 'after')").fetchall()
        assert sorted(found) == [("after",), ("before",)]  # a fresh reader sees the window's writes
    finally:
        window.close()
