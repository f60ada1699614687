"""A damaged file is said in Vietnamese; SQLite's own words go to the log, not the dialog."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ictappraise.store.database import DatabaseCorrupt, open_database


def test_sqlite_words_go_to_the_log(demo_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    damaged = bytearray(demo_db.read_bytes())
    damaged[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
    demo_db.write_bytes(bytes(damaged))
    with caplog.at_level(logging.ERROR, logger="ictappraise"), pytest.raises(DatabaseCorrupt) as refused:
        open_database(demo_db)
    message = str(refused.value)
    assert "bị hỏng" in message and "nhật ký ictappraise.log" in message
    for raw in ("***", "btree", "Page ", "database disk image", "malformed"):
        assert raw not in message
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "demo.db" in logged and ("Page" in logged or "malformed" in logged)
