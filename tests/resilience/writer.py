"""Child process of the kill -9 tests: writes through the real services and reports each save.

Run as a script (``python writer.py MODE DB [TAG]``); stdout is the report the harness reads:

    single DB TAG   one edit per transaction (a note on a criterion), forever;
                    after each commit returns: "SAVED <edit id>"
    bulk DB TAG     one transaction per batch: a note and evidence text on every criterion of
                    the agency (the edit ids are uuid5(NAMESPACE, "TAG/batch/k"));
                    before it: "PLAN <batch> <count>", after the commit returns: "SAVED <batch>"
    seed FOLDER     creates round-<n>.db and writes the whole round in one transaction, forever;
                    after it: "SEEDED <file name> <count>"
    hold DB         opens the database (taking its lock), prints "READY", waits for stdin to close
    restore DB A B  puts backup A, then B, then A … in place of DB, forever;
                    after each: "RESTORED <A|B>"

Every line is printed and flushed only after the call that saved it returned. "READY" is
printed once the database is open and the workspace is loaded.
"""

from __future__ import annotations

import itertools
import sys
import uuid
from pathlib import Path

from ictappraise.services.seed import seed_round
from ictappraise.services.trust import signer_for
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.store.database import open_database

NAMESPACE = uuid.UUID("0b5c1c1e-7c55-4d0e-9a0e-6b1d1c2a7e11")
AGENCY = "VPTU"  # Phụ lục 2 (34 criteria), not signed in the demo
MEMBER = "Chuyên viên A"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def batch_ids(tag: str, batch: int, count: int) -> list[str]:
    """The edit ids of a bulk batch (the harness recomputes them)."""
    return [str(uuid.uuid5(NAMESPACE, f"{tag}/{batch}/{k}")) for k in range(count)]


def workspace(db_path: str) -> Workspace:
    ws = Workspace(open_database(db_path))
    member = ws.find_member(MEMBER)
    assert member is not None
    ws.actor = Actor(member.id, "kill-test-device", member.name, member.role, signer_for(ws, member.id))
    return ws


def run_single(db_path: str, tag: str) -> None:
    ws = workspace(db_path)
    agency = ws.find_agency(AGENCY)
    codes = [leaf.code for leaf in ws.catalog(agency.category).leaves()]
    say("READY")
    for n in itertools.count():
        code = codes[n % len(codes)]
        edits = ws.write([Change(f"agency/{agency.id}/crit/{code}/note", f"Ghi chú {tag} số {n}")])
        for edit in edits:
            say(f"SAVED {edit.id}")


def run_bulk(db_path: str, tag: str) -> None:
    ws = workspace(db_path)
    agency = ws.find_agency(AGENCY)
    codes = [leaf.code for leaf in ws.catalog(agency.category).leaves()]
    say("READY")
    for batch in itertools.count():
        changes = [
            Change(f"agency/{agency.id}/crit/{c}/note", f"Lô {tag}/{batch}: ghi chú {c}") for c in codes
        ]
        changes += [
            Change(f"agency/{agency.id}/crit/{c}/self_evidence", f"Lô {tag}/{batch}: minh chứng {c}")
            for c in codes
        ]
        ids = iter(batch_ids(tag, batch, len(changes)))
        ws.new_id = ids.__next__
        say(f"PLAN {batch} {len(changes)}")
        edits = ws.write(changes)
        assert len(edits) == len(changes)
        say(f"SAVED {batch}")


def run_seed(folder: str) -> None:
    say("READY")
    for n in itertools.count():
        db = open_database(Path(folder) / f"round-{n}.db", create=True)
        count = seed_round(Workspace(db))
        db.close()
        say(f"SEEDED round-{n}.db {count}")


def run_restore(db_path: str, first: str, second: str) -> None:
    from ictappraise.store.backup import restore_backup

    say("READY")
    for n in itertools.count():
        which, source = ("A", first) if n % 2 == 0 else ("B", second)
        restore_backup(source, db_path)
        say(f"RESTORED {which}")


def run_hold(db_path: str) -> None:
    db = open_database(db_path)
    say("READY")
    sys.stdin.read()
    db.close()


def main(argv: list[str]) -> None:
    mode, target, *rest = argv
    if mode == "single":
        run_single(target, rest[0])
    elif mode == "bulk":
        run_bulk(target, rest[0])
    elif mode == "seed":
        run_seed(target)
    elif mode == "restore":
        run_restore(target, rest[0], rest[1])
    elif mode == "hold":
        run_hold(target)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
