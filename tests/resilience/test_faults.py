"""Faults around the file: read-only, full disk, held by another instance, deleted or replaced.

Each test checks the three promises: a clear Vietnamese message (a StoreError, never a
traceback), nothing already saved is lost, and the running program's state stays what the
file holds. Conditions that cannot be produced (root ignores permission bits; no private
mount namespace) are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from kill_harness import Child, child_env, writer_command
from sqlalchemy import event, text

from ictappraise.services.trust import signer_for
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.store.backup import list_backups, restore_backup
from ictappraise.store.database import (
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseWriteError,
    open_database,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def edit_ids(db: Path) -> set[str]:
    with closing(sqlite3.connect(db)) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM edits")}


def acting(db_path: Path) -> Workspace:
    ws = Workspace(open_database(db_path))
    member = ws.find_member("Chuyên viên A")
    assert member is not None
    ws.actor = Actor(member.id, "test-device", member.name, member.role, signer_for(ws, member.id))
    return ws


@pytest.fixture
def ws(demo_db: Path) -> Iterator[Workspace]:
    workspace = acting(demo_db)
    yield workspace
    workspace.db.close()


def note_field(ws: Workspace, code: str = "I.1") -> str:
    return f"agency/{ws.find_agency('VPTU').id}/crit/{code}/note"


def note_of(ws: Workspace, code: str = "I.1") -> str | None:
    entry = ws.detail(ws.find_agency("VPTU").id).entries[code]
    return entry.note


def limit_connections(ws: Workspace, *pragmas: str) -> None:
    """Apply pragmas to every connection of the engine from now on (the pool is emptied)."""

    def apply(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        for pragma in pragmas:
            dbapi_connection.execute(pragma)

    event.listen(ws.db.engine, "connect", apply)
    ws.db.engine.dispose()
    # Closing our last connection may checkpoint the WAL into the file (it grows when the last
    # write needed new pages): our own change, outside Database.transaction(), so say so.
    ws.db.note_commit_elsewhere()


# -- full disk ------------------------------------------------------------------------------------
def test_full_disk_refuses_the_write_and_keeps_everything(ws: Workspace) -> None:
    saved = ws.write([Change(note_field(ws), "Ghi chú đã lưu trước khi đầy ổ đĩa")])
    with ws.db.reading() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
    limit_connections(ws, f"PRAGMA max_page_count={pages}")
    huge = "Minh chứng rất dài. " * 20_000  # far more than the free pages
    with pytest.raises(DatabaseWriteError, match="Ổ đĩa đã đầy"):
        ws.write([Change(note_field(ws, "I.2"), huge)])
    # In memory: unchanged, and the same as the file says.
    assert note_of(ws, "I.2") != huge
    assert note_of(ws) == "Ghi chú đã lưu trước khi đầy ổ đĩa"
    fresh = Workspace(ws.db)
    assert note_of(fresh, "I.2") == note_of(ws, "I.2")
    assert saved[0].id in edit_ids(ws.db.path)
    # Space is back: the same workspace writes again.
    limit_connections(ws, "PRAGMA max_page_count=1073741823")
    ws.write([Change(note_field(ws, "I.2"), "Ghi được sau khi giải phóng dung lượng")])
    assert note_of(Workspace(ws.db), "I.2") == "Ghi được sau khi giải phóng dung lượng"


def _namespace_available() -> str | None:
    """Why a private mount namespace with tmpfs cannot be made here, or None if it can."""
    if sys.platform != "linux" or not IS_ROOT or shutil.which("unshare") is None:
        return "needs Linux, root and unshare to mount a private tmpfs"
    probe = subprocess.run(
        [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k none /mnt",
        ],
        capture_output=True,
        timeout=30,
    )
    return None if probe.returncode == 0 else f"cannot mount tmpfs: {probe.stderr.decode(errors='replace')}"


def _in_namespace(script: str, demo_db: Path, size_kb: int, *, read_only: bool, tmp_path: Path) -> str:
    """Run a Python script against a copy of the demo database on a private tiny tmpfs."""
    reason = _namespace_available()
    if reason:
        pytest.skip(reason)
    mount = tmp_path / "Ổ nhỏ"
    mount.mkdir()
    (tmp_path / "script.py").write_text(textwrap.dedent(script), encoding="utf-8")
    remount = f"mount -o remount,ro '{mount}' && " if read_only else ""
    shell = (
        f"mount -t tmpfs -o size={size_kb}k none '{mount}' && cp '{demo_db}' '{mount}/Dữ liệu 2022.db' && "
        f"{remount}'{sys.executable}' '{tmp_path / 'script.py'}' '{mount}/Dữ liệu 2022.db'"
    )
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", shell],
        capture_output=True,
        timeout=120,
        env=child_env(),
    )
    output = result.stdout.decode("utf-8")
    assert result.returncode == 0, output + result.stderr.decode("utf-8", "replace")
    return output


def test_real_full_disk_on_a_tiny_filesystem(demo_db: Path, tmp_path: Path) -> None:
    """ENOSPC for real (tmpfs barely bigger than the file): refused with the message, nothing lost."""
    script = """
        import sqlite3, sys
        from ictappraise.services.trust import signer_for
        from ictappraise.services.workspace import Actor, Change, Workspace
        from ictappraise.store.database import DatabaseWriteError, open_database

        path = sys.argv[1]
        ws = Workspace(open_database(path))
        member = ws.find_member("Chuyên viên A")
        ws.actor = Actor(member.id, "dev", member.name, member.role, signer_for(ws, member.id))
        agency = ws.find_agency("VPTU")
        saved = []
        try:
            for n in range(10_000):
                edits = ws.write([Change(f"agency/{agency.id}/crit/I.1/note", f"{n} " + "chữ " * 2000)])
                saved += [e.id for e in edits]
        except DatabaseWriteError as error:
            print("ERROR", error)
        last = ws.detail(agency.id).entries["I.1"].note
        ws.db.close()
        db = open_database(path, backup=False)
        fresh = Workspace(db)
        assert fresh.detail(agency.id).entries["I.1"].note == last, "memory and file disagree"
        db.close()
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            present = {row[0] for row in connection.execute("SELECT id FROM edits")}
        assert saved and set(saved) <= present, "a saved edit is missing"
        print("SAVED", len(saved))
    """
    size_kb = demo_db.stat().st_size // 1024 + 400
    output = _in_namespace(script, demo_db, size_kb, read_only=False, tmp_path=tmp_path)
    assert "ERROR Ổ đĩa đã đầy" in output
    assert "SAVED" in output


# -- read-only ------------------------------------------------------------------------------------
def test_read_only_file_is_refused_at_open(demo_db: Path, tmp_path: Path) -> None:
    """Permission bits as a normal user; a read-only file system as root (bits do not stop root)."""
    if not IS_ROOT:
        folder = tmp_path / "Chỉ đọc"
        folder.mkdir()
        target = folder / "Dữ liệu 2022.db"
        shutil.copyfile(demo_db, target)
        target.chmod(0o444)
        folder.chmod(0o555)
        try:
            with pytest.raises(DatabaseReadOnly, match="chỉ cho phép đọc"):
                open_database(target)
        finally:
            folder.chmod(0o755)
        return
    script = """
        import sys
        from ictappraise.store.database import StoreError, open_database
        try:
            open_database(sys.argv[1])
        except StoreError as error:
            print(type(error).__name__, error)
    """
    output = _in_namespace(script, demo_db, 4096, read_only=True, tmp_path=tmp_path)
    assert output.startswith("DatabaseReadOnly") and "chỉ cho phép đọc" in output


def test_file_turning_read_only_while_open(ws: Workspace) -> None:
    """The file becomes unwritable under the program (SQLite query_only stands in): refused, state kept."""
    before = note_of(ws)
    limit_connections(ws, "PRAGMA query_only=ON")
    with pytest.raises(DatabaseWriteError, match="chỉ cho phép đọc"):
        ws.write([Change(note_field(ws), "Không lưu được")])
    assert note_of(ws) == before
    assert note_of(Workspace(ws.db)) == before


# -- another instance -----------------------------------------------------------------------------
def test_second_instance_is_refused_until_the_first_dies(demo_db: Path) -> None:
    holder = Child(writer_command("hold", str(demo_db)))
    try:
        holder.wait_ready(60)
        with pytest.raises(DatabaseLocked, match="đang được mở trong một cửa sổ ictappraise khác"):
            open_database(demo_db)
        backup = list_backups(demo_db)[0]
        with pytest.raises(DatabaseLocked):
            restore_backup(backup, demo_db)
    finally:
        assert holder.kill()  # kill -9: the OS releases the lock
    open_database(demo_db).close()


def test_second_open_in_the_same_process_is_refused(ws: Workspace) -> None:
    with pytest.raises(DatabaseLocked):
        open_database(ws.db.path)


# -- deleted or replaced under the program --------------------------------------------------------
def test_deleted_file_refuses_writes_and_salvages_the_data(ws: Workspace) -> None:
    saved = ws.write([Change(note_field(ws), "Lưu trước khi tệp bị xóa")])
    count = len(edit_ids(ws.db.path))
    ws.db.path.unlink()
    with pytest.raises(DatabaseWriteError, match="đã bị xóa hoặc di chuyển") as raised:
        ws.write([Change(note_field(ws, "I.2"), "Không được lưu")])
    assert note_of(ws) == "Lưu trước khi tệp bị xóa"
    salvage = [b for b in list_backups(ws.db.path) if b.reason == "salvage"]
    assert len(salvage) == 1 and str(salvage[0].path) in str(raised.value)
    assert saved[0].id in edit_ids(salvage[0].path)
    assert len(edit_ids(salvage[0].path)) == count
    with pytest.raises(DatabaseWriteError):  # still refused, and salvaged once only
        ws.write([Change(note_field(ws, "I.3"), "Vẫn không được lưu")])
    assert len([b for b in list_backups(ws.db.path) if b.reason == "salvage"]) == 1
    # The lead restores the salvage copy once this program closed the file.
    path = ws.db.path
    ws.db.close()
    restore_backup(salvage[0], path)
    assert saved[0].id in edit_ids(path)


def other_database(tmp_path: Path) -> Path:
    """Another database of ours (a freshly seeded round), different from the demo."""
    from ictappraise.services.seed import seed_round

    path = tmp_path / "khác.db"
    db = open_database(path, create=True, backup=False)
    seed_round(Workspace(db))
    db.close()
    return path


def test_replaced_file_is_detected_and_left_untouched(ws: Workspace, tmp_path: Path) -> None:
    """A file renamed onto the path is never mixed with our WAL, now or when we close."""
    saved = ws.write([Change(note_field(ws), "Lưu trước khi tệp bị thay")])
    other = other_database(tmp_path)
    other_ids = edit_ids(other)
    os.replace(other, ws.db.path)  # e.g. a sync tool putting its own copy in place
    with pytest.raises(DatabaseWriteError, match="thay bằng một tệp khác"):
        ws.write([Change(note_field(ws, "I.2"), "Không được lưu")])
    assert edit_ids(ws.db.path) == other_ids
    assert note_of(ws) == "Lưu trước khi tệp bị thay"  # the program still shows what it saved
    salvage = next(b for b in list_backups(ws.db.path) if b.reason == "salvage")
    assert saved[0].id in edit_ids(salvage.path)
    ws.db.close()
    assert edit_ids(ws.db.path) == other_ids
    open_database(ws.db.path, backup=False).close()  # opens: healthy, ours


def test_a_replacement_is_not_adopted_by_a_commit_that_skips_the_check(ws: Workspace, tmp_path: Path) -> None:
    """A write straight through Database.transaction() after the replacement: the next check still refuses."""
    from ictappraise.store import repository

    other = other_database(tmp_path)
    os.replace(other, ws.db.path)
    with ws.db.transaction() as session:
        repository.set_local(session, "probe", "1")
    with pytest.raises(DatabaseWriteError, match="thay bằng một tệp khác"):
        ws.write([Change(note_field(ws), "Không được lưu")])


def test_overwritten_in_place_is_detected_and_put_back_at_close(ws: Workspace, tmp_path: Path) -> None:
    """Same inode, other bytes (cp over the file): refused; closing does not mix our WAL into them."""
    ws.write([Change(note_field(ws), "Lưu trước khi tệp bị ghi đè")])
    other = other_database(tmp_path)
    with open(ws.db.path, "r+b") as handle:
        handle.truncate(0)
        handle.write(other.read_bytes())
    with pytest.raises(DatabaseWriteError, match="ghi đè"):
        ws.write([Change(note_field(ws, "I.2"), "Không được lưu")])
    ws.db.close()
    assert ws.db.path.read_bytes() == other.read_bytes()
    assert edit_ids(ws.db.path) == edit_ids(other)


def test_own_checkpoints_are_not_taken_for_a_replacement(ws: Workspace) -> None:
    """Many writes (the WAL is checkpointed into the file) and a commit outside transaction()."""
    text_block = "Minh chứng. " * 1500
    codes = [leaf.code for leaf in ws.catalog(2).leaves()]
    for n in range(120):  # ≈ 2 MB of WAL per 100 edits: several automatic checkpoints
        ws.write([Change(note_field(ws, codes[n % len(codes)]), f"{n} {text_block}")])
    with ws.db.engine.begin() as connection:
        connection.execute(text("INSERT INTO local_state (key, value) VALUES ('probe', '1')"))
    ws.write([Change(note_field(ws), "Vẫn ghi bình thường")])
    assert note_of(Workspace(ws.db)) == "Vẫn ghi bình thường"


# -- Vietnamese names and spaces ------------------------------------------------------------------
def test_vietnamese_path_with_spaces_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "Tổ thẩm định"
    folder.mkdir()
    db = folder / "Dữ liệu 2022.db"

    def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "ictappraise", *args], capture_output=True, timeout=120, env=child_env()
        )

    made = cli("demo", "--db", str(db))
    assert made.returncode == 0, made.stderr.decode("utf-8", "replace")
    shown = cli("results", "--db", str(db))
    assert shown.returncode == 0, shown.stderr.decode("utf-8", "replace")
    assert "Huyện ủy Tuy Phong" in shown.stdout.decode("utf-8")
    backups = list_backups(db)
    assert backups and all("Dữ liệu 2022" in b.path.name for b in backups)
    assert restore_backup(backups[0], db) is not None
    assert cli("results", "--db", str(db)).returncode == 0
