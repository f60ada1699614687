"""Kill -9 at random moments while writing: the database opens, is intact, and keeps every reported save.

Each scenario kills a real child process (writer.py) 12–15 times (ICTAPPRAISE_KILLS multiplies
that for a soak run). A kill -9 tests what the program does, not the disk: the OS still
writes what the process handed it. Power loss is covered by WAL + synchronous=FULL, which
cannot be provoked here.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from kill_harness import KillRun, kill_at_random, writer_command
from writer import batch_ids

from ictappraise.store.backup import list_backups


def edit_ids(db: Path) -> set[str]:
    with closing(sqlite3.connect(db)) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM edits")}


def test_single_edits_survive_kill(demo_db: Path) -> None:
    """Every edit the writer reported saved is in the database after each of 15 kills."""

    def check(db: Path | None, run: KillRun) -> None:
        assert db is not None
        reported = run.saved("SAVED", every_run=True)
        missing = set(reported) - edit_ids(db)
        assert not missing, f"{len(missing)} reported edits missing"

    report = kill_at_random(
        lambda i: writer_command("single", str(demo_db), f"r{i}"), demo_db, check, kills=15
    )
    saved = sum(len(run.saved()) for run in report.runs)
    assert report.kills >= 12
    assert saved > 0, "the writer never got to write: the kill window is too short"
    # Backups taken at each open are complete SQLite files (written to .part, then renamed).
    for info in list_backups(demo_db):
        assert info.edit_count() is not None


def test_bulk_transaction_is_all_or_nothing(demo_db: Path) -> None:
    """A batch of 68 edits in one transaction is either wholly in the database or not at all."""

    def check(db: Path | None, run: KillRun) -> None:
        assert db is not None
        present = edit_ids(db)
        saved = set(run.saved("SAVED"))
        for line in run.lines:
            if line.startswith("PLAN "):
                _, batch, count = line.split()
                found = sum(1 for i in batch_ids(f"r{run.index}", int(batch), int(count)) if i in present)
                assert found in (0, int(count)), f"batch {batch}: {found} of {count} edits saved"
                if batch in saved:
                    assert found == int(count), f"batch {batch} reported saved but missing"

    report = kill_at_random(
        lambda i: writer_command("bulk", str(demo_db), f"r{i}"), demo_db, check, kills=15, window=(0.0, 0.8)
    )
    assert sum(len(run.saved()) for run in report.runs) > 0


def test_seeding_a_round_is_all_or_nothing(tmp_path: Path) -> None:
    """Creating a round (schema + every seed edit) killed at random: each file is empty or complete."""
    folder = tmp_path / "Đợt mới"
    expected = _seed_count(tmp_path / "reference.db")

    def prepare(_index: int) -> None:
        folder.mkdir(exist_ok=True)
        for stale in folder.iterdir():
            stale.unlink()

    def check(_db: Path | None, run: KillRun) -> None:
        from kill_harness import verify_database

        complete = {line.split()[1] for line in run.lines if line.startswith("SEEDED ")}
        for path in sorted(folder.glob("round-*.db")):
            verify_database(path)
            with closing(sqlite3.connect(path)) as connection:
                count = connection.execute("SELECT count(*) FROM edits").fetchone()[0]
            if path.name in complete:
                assert count == expected, f"{path.name} reported seeded but holds {count} edits"
            assert count in (0, expected), f"{path.name}: {count} of {expected} seed edits"

    report = kill_at_random(
        lambda _i: writer_command("seed", str(folder)),
        None,
        check,
        kills=12,
        window=(0.0, 0.5),
        prepare=prepare,
    )
    assert report.kills >= 10


def test_restoring_a_backup_is_all_or_nothing(demo_db: Path, tmp_path: Path) -> None:
    """Restores killed at random: the file is always one of the two backups, whole, and opens."""
    from ictappraise.store.backup import backup_database

    first = backup_database(demo_db, "manual")
    _write_note(demo_db)
    second = backup_database(demo_db, "manual")
    assert first is not None and second is not None
    keep = tmp_path / "giữ lại"  # the rotation of safety copies must not take the sources away
    keep.mkdir()
    a, b = shutil.copy(first.path, keep / "A.db"), shutil.copy(second.path, keep / "B.db")
    states = {frozenset(edit_ids(Path(a))), frozenset(edit_ids(Path(b)))}
    assert len(states) == 2

    def check(db: Path | None, run: KillRun) -> None:
        assert db is not None
        assert frozenset(edit_ids(db)) in states, "the database is neither backup"

    report = kill_at_random(
        lambda _i: writer_command("restore", str(demo_db), str(a), str(b)),
        demo_db,
        check,
        kills=12,
        window=(0.0, 0.5),
    )
    assert sum(len(run.saved("RESTORED")) for run in report.runs) > 0


def _write_note(path: Path) -> None:
    from ictappraise.services.trust import signer_for
    from ictappraise.services.workspace import Actor, Change, Workspace
    from ictappraise.store.database import open_database

    db = open_database(path, backup=False)
    ws = Workspace(db)
    member = ws.find_member("Chuyên viên A")
    assert member is not None
    ws.actor = Actor(member.id, "test-device", member.name, member.role, signer_for(ws, member.id))
    ws.write([Change(f"agency/{ws.find_agency('VPTU').id}/crit/I.1/note", "Ghi chú giữa hai bản sao lưu")])
    db.close()


def _seed_count(path: Path) -> int:
    from ictappraise.services.seed import seed_round
    from ictappraise.services.workspace import Workspace
    from ictappraise.store.database import open_database

    db = open_database(path, create=True)
    try:
        return seed_round(Workspace(db))
    finally:
        db.close()
