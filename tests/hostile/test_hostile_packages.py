"""Hostile packages (docs/rules.md §9): a member with a text editor tries every lead-only change.

The packages are written by tests/hostile/ictx_writer.py, which does not import ictappraise,
and merged by the real command line. Each forged change must be held (or the package
refused), the lead's results must stay exactly as they were (``results --json``), and the
lead must be told why — after having been asked to confirm (``--yes``).
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from ictappraise.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from ictx_writer import Forger, demo_key

LEAD = "Nguyễn Thị Thắng"
MEMBER_A = "Chuyên viên A"


def cli(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The command line, run in this process (its entry point, without a new interpreter each time)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), mock.patch.object(sys, "stdin", io.StringIO()):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    done = subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
    assert "Traceback" not in done.stderr, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done


def cli_process(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh interpreter, as the lead runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "ictappraise", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )
    assert "Traceback" not in done.stderr, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done


def results(db: Path) -> list[dict[str, Any]]:
    return json.loads(cli("results", "--db", db, "--json").stdout)


def edit_count(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM edits").fetchone()[0])


def rules(tot: str, kha: str, trung_binh: str) -> dict[str, str]:
    return {"maximum": "800", "tot": tot, "kha": kha, "trung_binh": trung_binh}


def _catalog(f: Forger) -> None:
    data = copy.deepcopy(f.value("catalog/3"))
    data["title"] = "Bộ tiêu chí giả"
    f.write("catalog/3", data)


# Every lead-only change, forged by a plain member: (name, forge, why the lead is told).
MEMBER_FORGERIES: list[tuple[str, Callable[[Forger], None], str]] = [
    (
        "reopen",
        lambda f: f.write(f"agency/{f.agency('HUTP')}/status", {"state": "reopened"}, "Sửa"),
        "mở lại",
    ),
    (
        "sign",
        lambda f: f.write(f"agency/{f.agency('TUPT')}/status", {"state": "signed", "covers": []}),
        "ghi nhận biên bản đã ký",
    ),
    ("make_me_lead", lambda f: f.write(f"member/{f.author}/role", "lead"), "Tổ thẩm định"),
    # Another person's signature image (printed on the minutes): theirs or the lead's to set.
    ("lead_signature", lambda f: f.write(f"member/{f.member(LEAD)}/signature", None), "Tổ thẩm định"),
    ("thresholds", lambda f: f.write("round/rules/2", rules("600", "500", "400")), "ngưỡng xếp loại"),
    ("catalog", _catalog, "bộ tiêu chí"),
    ("deadline", lambda f: f.write("round/report_deadline", "2022-12-31"), "thiết lập đợt"),
    ("quota", lambda f: f.write("round/portal_quota", 1), "thiết lập đợt"),
    ("rename", lambda f: f.write(f"agency/{f.agency('HUTP')}/name", "Đơn vị giả"), "danh sách đơn vị"),
    ("category", lambda f: f.write(f"agency/{f.agency('HUPQ')}/category", 3), "danh sách đơn vị"),
    ("order", lambda f: f.write(f"agency/{f.agency('TUPT')}/order", 99), "danh sách đơn vị"),
    (
        "visit_date",
        lambda f: f.write(f"agency/{f.agency('HUPQ')}/visit/date", "2022-12-30"),
        "lịch thẩm định",
    ),
]
# Round settings the lead may change, but not behind signed minutes' back.
LEAD_FORGERIES: list[tuple[str, Callable[[Forger], None], str]] = [
    ("lead_thresholds", lambda f: f.write("round/rules/2", rules("600", "500", "400")), "sẽ đổi kết quả"),
    ("lead_deadline", lambda f: f.write("round/report_deadline", "2022-12-31"), "sẽ đổi kết quả"),
    ("lead_quota", lambda f: f.write("round/portal_quota", 1), "sẽ đổi kết quả"),
]


@pytest.fixture(scope="module")
def before(demo_template: Path) -> list[dict[str, Any]]:
    return results(demo_template)


@pytest.mark.parametrize(
    ("author", "forge", "told"),
    [(MEMBER_A, f, t) for _n, f, t in MEMBER_FORGERIES] + [(LEAD, f, t) for _n, f, t in LEAD_FORGERIES],
    ids=[n for n, _f, _t in MEMBER_FORGERIES + LEAD_FORGERIES],
)
def test_forged_change_is_held_and_results_stay(
    demo_db: Path,
    tmp_path: Path,
    before: list[dict[str, Any]],
    author: str,
    forge: Callable[[Forger], None],
    told: str,
) -> None:
    forger = Forger(demo_db, "")
    forger.author = forger.member(author)
    forge(forger)
    package = forger.package(tmp_path / "forged.ictx", author, demo_key(author))
    count = edit_count(demo_db)
    refused = cli("merge", "--db", demo_db, package, check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert told in refused.stdout and "Sẽ bị giữ lại" in refused.stdout
    assert edit_count(demo_db) == count
    merged = cli("merge", "--db", demo_db, package, "--yes")
    assert "giữ lại, không áp dụng: 1" in merged.stdout and told in merged.stdout
    assert results(demo_db) == before
    held = json.loads(cli("conflicts", "--db", demo_db, "--json").stdout)["held"]
    assert [h["edit_id"] for h in held] == [forger.edits[0]["id"]] and told in held[0]["reason"]
