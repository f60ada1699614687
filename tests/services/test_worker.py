"""A worker's own Workspace beside the window's: plain reference in, own connection, writes adopted."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from ictappraise.domain.fields import crit_field
from ictappraise.services import worker
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import DatabaseLocked, DatabaseWriteError, open_for_reading


def _note(ws: Workspace) -> str:
    return crit_field(ws.find_agency("HUPQ").id, "I.1", "note")


def _write_in_worker(ref: worker.WorkspaceRef, field: str, value: str) -> None:
    """As a background operation does: on another thread, from the plain reference only."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with worker.opened(ref) as own:
                for agency in [a for a in own.agencies() if not own.is_signed(a.id)]:  # grows the file
                    own.set(crit_field(agency.id, "I.1", "note"), f"{agency.name}: " + "ghi chú dài " * 300)
                own.set(field, value)
                with own.db.engine.begin() as connection:  # as SQLite does when the WAL grows
                    connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def test_a_worker_opens_its_own_workspace_from_plain_data(lead_ws: Workspace) -> None:
    ref = worker.ref_of(lead_ws)
    assert ref.path == lead_ws.db.path and ref.actor == lead_ws.actor and ref.writable
    with worker.opened(ref) as own:
        assert own is not lead_ws and own.db is not lead_ws.db and own.db.engine is not lead_ws.db.engine
        assert [a.id for a in own.agencies()] == [a.id for a in lead_ws.agencies()]
    assert own.db.closed and not lead_ws.db.closed  # closing the worker's leaves the window's open


def test_the_window_adopts_what_a_worker_wrote_and_keeps_writing(lead_ws: Workspace) -> None:
    field = _note(lead_ws)
    lead_ws.state()  # the window's cache holds the state before the worker writes
    _write_in_worker(worker.ref_of(lead_ws), field, "Ghi chú từ luồng phụ")
    worker.adopt_worker_writes(lead_ws)
    assert lead_ws.state(field.split("/")[1]).fields[field].value == "Ghi chú từ luồng phụ"
    lead_ws.set(field, "Ghi chú của cửa sổ")  # not refused as a file overwritten by another program
    assert lead_ws.state(field.split("/")[1]).fields[field].value == "Ghi chú của cửa sổ"


def test_a_commit_the_window_was_not_told_of_is_still_refused(lead_ws: Workspace) -> None:
    """The guard adopt_worker_writes relaxes, once, for its own worker (store/filewatch.py)."""
    field = _note(lead_ws)
    _write_in_worker(worker.ref_of(lead_ws), field, "Ghi chú từ luồng phụ")
    lead_ws.refresh()
    with pytest.raises(DatabaseWriteError):
        lead_ws.set(field, "Ghi chú của cửa sổ")


def test_a_read_only_window_gives_a_read_only_worker(lead_ws: Workspace, demo_db: Path) -> None:
    reader = Workspace(open_for_reading(demo_db), lead_ws.actor)  # beside the window holding the lock
    try:
        with pytest.raises(DatabaseLocked):
            _write_in_worker(worker.ref_of(reader), _note(reader), "Không được ghi")
    finally:
        reader.db.close()


def test_a_worker_closing_never_touches_what_the_window_wrote_meanwhile(lead_ws: Workspace) -> None:
    """Only the window's Database salvages or puts bytes back; a worker's connection just closes."""
    field = _note(lead_ws)
    with worker.opened(worker.ref_of(lead_ws)) as own:
        own.state()
        for agency in [a for a in lead_ws.agencies() if not lead_ws.is_signed(a.id)]:  # grows the file
            lead_ws.set(crit_field(agency.id, "I.1", "note"), f"{agency.name}: " + "ghi chú dài " * 300)
        with lead_ws.db.engine.begin() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        lead_ws.set(field, "Chỉ có trong tệp -wal")
    lead_ws.refresh()
    assert lead_ws.state(field.split("/")[1]).fields[field].value == "Chỉ có trong tệp -wal"
    lead_ws.set(field, "Vẫn ghi được")
