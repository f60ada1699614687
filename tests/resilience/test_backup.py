"""Rotating backups: taken at open and on demand, listed, restored safely."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from ictappraise.services.trust import signer_for
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.settings import data_dir
from ictappraise.store.backup import (
    REASON_LABELS,
    backup_database,
    backup_folder,
    list_backups,
    restore_backup,
)
from ictappraise.store.database import (
    DatabaseCorrupt,
    DatabaseMissing,
    NotOurDatabase,
    open_database,
)


def edit_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM edits").fetchone()[0])


def write_note(db_path: Path, text: str) -> None:
    db = open_database(db_path)
    ws = Workspace(db)
    member = ws.find_member("Chuyên viên B")
    assert member is not None
    ws.actor = Actor(member.id, "test-device", member.name, member.role, signer_for(ws, member.id))
    ws.write([Change(f"agency/{ws.find_agency('DUK').id}/crit/I.1/note", text)])
    db.close()


def test_open_takes_a_backup_only_when_something_changed(demo_db: Path) -> None:
    open_database(demo_db).close()
    open_database(demo_db).close()
    assert [b.reason for b in list_backups(demo_db)] == ["open"]
    write_note(demo_db, "Thay đổi sau lần sao lưu trước")
    open_database(demo_db).close()
    backups = list_backups(demo_db)
    assert [b.reason for b in backups] == ["open", "open"]
    assert backups[0].edit_count() == edit_count(demo_db) == backups[1].edit_count() + 1
    assert backups[0].path.parent == backup_folder(demo_db)
    assert backup_folder(demo_db).is_relative_to(data_dir())
    assert str(demo_db) in (backup_folder(demo_db) / "origin.txt").read_text(encoding="utf-8")


def test_a_new_empty_database_is_not_backed_up(tmp_path: Path) -> None:
    open_database(tmp_path / "mới.db", create=True).close()
    assert list_backups(tmp_path / "mới.db") == []


def test_rotation_keeps_the_newest_routine_backups(demo_db: Path) -> None:
    db = open_database(demo_db)
    try:
        safety = backup_database(db, "salvage")
        made = [backup_database(db, "merge", keep=3) for _ in range(5)]
    finally:
        db.close()
    kept = list_backups(demo_db)
    routine = [b for b in kept if b.reason != "salvage"]
    assert len(routine) == 3
    assert {b.path for b in routine} == {m.path for m in made[-3:] if m}
    assert safety is not None and safety.path in {b.path for b in kept}  # never rotated out
    assert all(b.describe().count("—") == 2 for b in kept)
    assert REASON_LABELS["merge"] in kept[0].describe()


def test_backup_of_a_path_and_an_unknown_reason(demo_db: Path) -> None:
    info = backup_database(demo_db, "import")
    assert info is not None and info.edit_count() == edit_count(demo_db)
    with closing(sqlite3.connect(info.path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    with pytest.raises(ValueError, match="Lý do sao lưu"):
        backup_database(demo_db, "because")


def test_restore_puts_the_backup_back_and_keeps_a_safety_copy(demo_db: Path) -> None:
    before = backup_database(demo_db, "manual")
    assert before is not None
    write_note(demo_db, "Thay đổi sẽ bị hoàn tác khi khôi phục")
    changed = edit_count(demo_db)
    safety = restore_backup(before, demo_db)
    assert edit_count(demo_db) == changed - 1
    assert safety is not None and safety.reason == "restore" and safety.edit_count() == changed
    assert not demo_db.with_name(demo_db.name + "-wal").exists()
    open_database(demo_db).close()  # healthy and ours
    restore_backup(safety, demo_db)  # and back again
    assert edit_count(demo_db) == changed


def test_restore_refuses_a_file_that_is_not_a_backup(demo_db: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "không phải.db"
    garbage.write_bytes(b"PK\x03\x04 not a database" * 100)
    original = demo_db.read_bytes()
    with pytest.raises(NotOurDatabase):
        restore_backup(garbage, demo_db)
    with pytest.raises(DatabaseMissing):
        restore_backup(tmp_path / "không có.db", demo_db)
    assert demo_db.read_bytes() == original
    assert not list(demo_db.parent.glob("*.restoring"))


def test_restore_over_a_damaged_file_keeps_its_bytes(demo_db: Path, tmp_path: Path) -> None:
    good = backup_database(demo_db, "manual")
    assert good is not None
    damaged = bytearray(demo_db.read_bytes())
    damaged[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
    demo_db.write_bytes(bytes(damaged))
    with pytest.raises(DatabaseCorrupt, match="bị hỏng"):
        open_database(demo_db)
    assert [b.reason for b in list_backups(demo_db)] == ["manual"]  # no backup of a damaged file
    safety = restore_backup(good, demo_db)
    assert safety is not None and safety.path.read_bytes() == bytes(damaged)
    open_database(demo_db).close()


def test_restore_when_the_database_is_gone(demo_db: Path) -> None:
    good = backup_database(demo_db, "manual")
    assert good is not None
    demo_db.unlink()
    assert restore_backup(good, demo_db) is None
    assert edit_count(demo_db) == good.edit_count()


def test_a_failed_backup_at_open_is_a_warning_not_an_error(demo_db: Path) -> None:
    blocker = data_dir()
    blocker.parent.mkdir(parents=True, exist_ok=True)
    if blocker.exists():
        shutil.rmtree(blocker)
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    db = open_database(demo_db)
    try:
        assert len(db.warnings) == 1 and "sao lưu" in db.warnings[0]
        assert Workspace(db).agencies()
    finally:
        db.close()
