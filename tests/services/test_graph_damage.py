"""A database that already holds a looping edit graph: it opens and says what is wrong.

An older build merged two edits that named each other as parent; `results`, `export-xlsx`
and the main window then died with IndexError. The loop is written here directly with
sqlite3, as that build left it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from ictappraise.services import merge
from ictappraise.services.errors import ServiceError
from ictappraise.services.graph_health import find_damage
from ictappraise.store import backup
from tests.support import member_ws, run_cli

LEAD = "Nguyễn Thị Thắng"


def break_graph(path: Path, code: str = "HUPQ", criterion: str = "IV.3") -> str:
    """Add two appraisals of one criterion that name each other as parent; return the field."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT scope, value FROM edits WHERE field LIKE 'agency/%/code'"
        ).fetchall()
        agency = next(scope for scope, value in rows if json.loads(value) == code)
        field = f"agency/{agency}/crit/{criterion}/appraised"
        heads = [row[0] for row in connection.execute("SELECT id FROM edits WHERE field = ?", (field,))]
        for me, other, points in (("loop-1", "loop-2", "1"), ("loop-2", "loop-1", "2")):
            connection.execute(
                "INSERT INTO edits (id, scope, field, value, author, device, created_at, parents, basis) "
                "VALUES (?, ?, ?, ?, 'x', 'd', '2022-12-09T08:00:00+07:00', ?, '[]')",
                (me, agency, field, json.dumps({"override": points}), json.dumps([other, *heads])),
            )
    return field


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(dict(os.environ, QT_QPA_PLATFORM="offscreen"), *args)  # the test's own folders


def test_the_workspace_reads_the_damaged_field_as_absent_and_names_it(demo_db: Path) -> None:
    taken = backup.backup_database(demo_db, backup.REASON_MERGE)
    field = break_graph(demo_db)
    backup.backup_database(demo_db, backup.REASON_OPEN)  # newer, but it holds the loop
    ws = member_ws(demo_db, LEAD)
    try:
        agency = ws.find_agency("HUPQ")
        assert ws.detail(agency.id).entries["IV.3"].appraisal is None  # no head: not scored
        assert len(ws.results()) == 25
        damage = find_damage(ws)
        assert damage is not None
        assert damage.fields == (field,) and damage.edit_ids == ("loop-1", "loop-2")
        assert damage.backup is not None and taken is not None and damage.backup.path == taken.path
        message = damage.message(ws)
        assert "vòng lặp" in message and agency.name in message and "IV.3" in message
        assert taken.path.name in message
    finally:
        ws.db.close()


def test_a_damaged_database_does_not_export_its_loop(demo_db: Path, tmp_path: Path) -> None:
    break_graph(demo_db)
    ws = member_ws(demo_db, LEAD)
    try:
        with pytest.raises(ServiceError) as refused:
            merge.export_package(ws, tmp_path / "out.ictx")
        assert "Không thể tạo gói dữ liệu" in str(refused.value) and "vòng lặp" in str(refused.value)
        assert not (tmp_path / "out.ictx").exists()
    finally:
        ws.db.close()


def test_a_local_write_on_a_headless_field_gives_it_a_sound_head(demo_db: Path) -> None:
    field = break_graph(demo_db)
    ws = member_ws(demo_db, LEAD)
    try:
        agency = ws.find_agency("HUPQ").id
        (written,) = ws.set(field, {"override": "3"})
        assert written.parents == ()  # no head to replace: nothing to loop with
        assert ws.state(agency).heads(field) == (written.id,)
        assert ws.state(agency).value(field) == {"override": "3"}
    finally:
        ws.db.close()


def test_cli_results_and_export_xlsx_open_it_and_say_what_is_wrong(demo_db: Path, tmp_path: Path) -> None:
    taken = backup.backup_database(demo_db, backup.REASON_MERGE)
    assert taken is not None
    break_graph(demo_db)
    for args in (
        ("results", "--db", str(demo_db)),
        ("results", "--json", "--db", str(demo_db)),
        ("export-xlsx", "--db", str(demo_db), "--out", str(tmp_path / "kq.xlsx")),
    ):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "Lưu ý: Tệp dữ liệu có 1 trường bị hỏng" in result.stderr, result.stderr
        assert taken.path.name in result.stderr
    assert len(json.loads(run("results", "--json", "--db", str(demo_db)).stdout)) == 25
    assert (tmp_path / "kq.xlsx").stat().st_size > 0
