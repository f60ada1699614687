"""The command line as a user runs it: a subprocess, Vietnamese messages, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ictappraise.domain.rating import Band, rate
from tests.support import run_cli as run

BANDS = {band.value: band for band in Band}
REQUIRED_KEYS = {
    "code",
    "name",
    "category",
    "rank",
    "status",
    "total",
    "maximum",
    "base_band",
    "band",
    "reasons",
    "conflicts",
    "provisional",
    "unscored",
    "failed_criteria",
    "days_late",
    "report_attached",
    "portal_missing_months",
    "portal_unentered_months",
}


def make_env(folder: Path) -> dict[str, str]:
    """The environment of a subprocess with its own per-user configuration and data folder."""
    env = dict(os.environ)
    env["ICTAPPRAISE_CONFIG_DIR"] = str(folder / "config")
    env["ICTAPPRAISE_DATA_DIR"] = str(folder / "data")
    env.pop("ICTAPPRAISE_DEVICE_ID", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    return make_env(tmp_path)


def assert_user_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 1, a Vietnamese "Lỗi: …" on stderr, no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Lỗi:"), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in result.stderr, (word, result.stderr)


# -- demo ------------------------------------------------------------------------------------


def test_demo_creates_the_demo_and_refuses_to_overwrite(
    user_env: dict[str, str], tmp_path: Path, demo_template: Path
) -> None:
    target = tmp_path / "demo 2022.db"
    result = run(user_env, "demo", "--db", str(target))
    assert result.returncode == 0, result.stderr
    assert "25 đơn vị" in result.stdout and "4 thành viên" in result.stdout
    # Deterministic: the same edits as the demo built in-process by the test fixture.
    assert edit_rows(target) == edit_rows(demo_template)

    before = target.read_bytes()
    again = run(user_env, "demo", "--db", str(target))
    assert_user_error(again, "đã có", "--replace")
    assert target.read_bytes() == before

    replaced = run(user_env, "demo", "--db", str(target), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert edit_rows(target) == edit_rows(demo_template)


def edit_rows(path: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT id, field, value, author, device, created_at, parents, reason, basis FROM edits ORDER BY id"
        ).fetchall()
    finally:
        con.close()


def test_demo_in_a_missing_folder_is_a_clean_error(user_env: dict[str, str], tmp_path: Path) -> None:
    assert_user_error(run(user_env, "demo", "--db", str(tmp_path / "nowhere" / "demo.db")), "thư mục")


# -- results ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results_json(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """`results --json` on a demo copy, run once for the tests that read it."""
    folder = tmp_path_factory.mktemp("results-json")
    demo = folder / "demo.db"
    shutil.copyfile(demo_template, demo)
    result = run(make_env(folder), "results", "--db", str(demo), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Huyện ủy Bắc Bình" in result.stdout  # UTF-8 text, not \u escapes
    assert unicodedata.is_normalized("NFC", result.stdout)
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_results_json_has_stable_keys(results_json: list[dict[str, Any]]) -> None:
    assert len(results_json) == 25
    first_keys = list(results_json[0])
    assert REQUIRED_KEYS <= set(first_keys)
    for row in results_json:
        assert list(row) == first_keys  # same keys, same order, for every agency
        assert row["category"] in (2, 3, 4, 5, 6, 7)
        assert Decimal(row["total"]) <= Decimal(row["maximum"])
        assert row["band"] is None or row["band"] in BANDS
        assert isinstance(row["reasons"], list) and isinstance(row["conflicts"], list)


def test_results_json_bands_follow_the_rules(results_json: list[dict[str, Any]]) -> None:
    # Recompute every final band through the public API from the published facts.
    for row in results_json:
        if row["band"] is None:
            continue
        rating = rate(
            row["category"],
            row["total"],
            failed_criteria=row["failed_criteria"],
            days_late=row["days_late"],
            report_attached=row["report_attached"],
            portal_missing_months=row["portal_missing_months"],
            portal_unentered_months=row["portal_unentered_months"],
            unscored_criteria=len(row["unscored_criteria"]),
        )
        assert rating.band.value == row["band"], row["code"]
        assert rating.base_band.value == row["base_band"], row["code"]
        assert list(rating.reasons) == row["reasons"], row["code"]


def test_results_json_ranks_within_each_category(results_json: list[dict[str, Any]]) -> None:
    for category in {row["category"] for row in results_json}:
        rows = [row for row in results_json if row["category"] == category]
        ranked = [row for row in rows if row["rank"] is not None]
        unranked = [row for row in rows if row["rank"] is None]
        assert rows == ranked + unranked  # unranked (provisional, conflicts) come last
        for row in unranked:
            assert row["provisional"] or row["conflicts"]
        for row in ranked:
            assert not row["provisional"] and not row["conflicts"]
        keys = [(BANDS[row["band"]].rank, -Decimal(row["total"])) for row in ranked]
        assert keys == sorted(keys)
        for position, row in enumerate(ranked, start=1):
            tied = [
                r for r in ranked if (r["band"], Decimal(r["total"])) == (row["band"], Decimal(row["total"]))
            ]
            assert row["rank"] == min(ranked.index(r) for r in tied) + 1 <= position


def test_demo_covers_every_band_and_every_penalty(results_json: list[dict[str, Any]]) -> None:
    final = [row for row in results_json if row["rank"] is not None]  # complete, no conflict
    assert {row["band"] for row in final} == {"Tốt", "Khá", "Trung bình", "Yếu"}

    def applied(row: dict[str, Any], start: str) -> bool:
        return any(reason.startswith(start) for reason in row["reasons"])

    failed = [r for r in final if r["failed_criteria"] and applied(r, "Hạ một bậc")]
    late = [r for r in final if r["days_late"] >= 5 and applied(r, "Không xếp loại Tốt")]
    unattached = [r for r in final if not r["report_attached"] and applied(r, "Không xếp loại Tốt")]
    portal = [r for r in final if r["portal_missing_months"] >= 3 and applied(r, "Xếp loại Yếu")]
    assert failed and late and unattached and portal
    for row in failed:
        assert all(code in " ".join(row["reasons"]) for code in row["failed_criteria"])
    # Each penalty changed the band of at least one agency.
    for group in (failed, late, unattached, portal):
        assert any(row["band"] != row["base_band"] for row in group)


def test_results_table(user_env: dict[str, str], demo_db: Path) -> None:
    result = run(user_env, "results", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for category in range(2, 8):
        assert f"Phụ lục {category}" in out
    for name in ("Huyện ủy Tuy Phong", "Huyện ủy Bắc Bình", "Báo Bình Thuận", "Hội Cựu chiến binh tỉnh"):
        assert name in out
    assert "Tốt" in out and "Khá" in out and "Trung bình" in out and "Yếu" in out
    # Agencies not fully scored show no band, in the words every output uses.
    assert "Chưa đủ điểm, chưa xếp loại" in out and "tạm tính" not in out
    assert "Chưa thẩm định" in out and "(20/34 tiêu chí đã chấm)" in out
    assert "/800" in out and "/400" in out


# -- identity --------------------------------------------------------------------------------


def test_identity_unset_then_set(user_env: dict[str, str]) -> None:
    unset = run(user_env, "identity")
    assert unset.returncode == 1
    assert "chưa khai báo người dùng" in unset.stderr
    assert "identity --set" in unset.stderr
    assert "Traceback" not in unset.stderr

    saved = run(user_env, "identity", "--set", "Chuyên viên A")
    assert saved.returncode == 0, saved.stderr
    assert "Người dùng: Chuyên viên A" in saved.stdout
    assert "— Thành viên" not in saved.stdout  # the role is the round's, not a guess
    assert "Vai trò: theo danh sách Tổ thẩm định trong tệp dữ liệu" in saved.stdout

    shown = run(user_env, "identity")
    assert shown.returncode == 0
    assert "Người dùng: Chuyên viên A" in shown.stdout
    config = json.loads((Path(user_env["ICTAPPRAISE_CONFIG_DIR"]) / "config.json").read_text("utf-8"))
    assert config["identity"]["name"] == "Chuyên viên A"
    assert config["device_id"]  # the device id lives in the per-user config, not the database


def test_a_writing_command_needs_someone_acting(user_env: dict[str, str], demo_db: Path) -> None:
    before = demo_db.read_bytes()
    nobody = run(user_env, "reopen", "--db", str(demo_db), "--agency", "HUBB", "--reason", "Sửa điểm")
    assert_user_error(nobody, "--as", "identity --set")
    stranger = run(
        user_env, "reopen", "--db", str(demo_db), "--agency", "HUBB", "--reason", "Sửa", "--as", "Người lạ"
    )
    assert_user_error(stranger, "không phải thành viên Tổ thẩm định")
    member = run(
        user_env,
        "reopen",
        "--db",
        str(demo_db),
        "--agency",
        "HUBB",
        "--reason",
        "Sửa",
        "--as",
        "Chuyên viên A",
    )
    assert_user_error(member, "Chỉ Tổ trưởng")
    assert demo_db.read_bytes() == before


# -- errors ----------------------------------------------------------------------------------


def test_missing_file(user_env: dict[str, str], tmp_path: Path) -> None:
    result = run(user_env, "results", "--db", str(tmp_path / "không có.db"))
    assert_user_error(result, "Không tìm thấy tệp dữ liệu")
    assert not (tmp_path / "không có.db").exists()


def test_not_our_database(user_env: dict[str, str], tmp_path: Path) -> None:
    text_file = tmp_path / "ghi chú.db"
    text_file.write_text("Đây là một tệp văn bản.\n" * 100, encoding="utf-8")
    before = text_file.read_bytes()
    assert_user_error(run(user_env, "results", "--db", str(text_file), "--json"), "không phải")
    assert text_file.read_bytes() == before

    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    assert_user_error(run(user_env, "results", "--db", str(other)), "chương trình khác")


def test_newer_schema(user_env: dict[str, str], demo_db: Path) -> None:
    con = sqlite3.connect(demo_db)
    con.execute("PRAGMA user_version = 99")
    con.close()
    assert_user_error(run(user_env, "results", "--db", str(demo_db)), "mới hơn")


def test_file_open_in_another_window(user_env: dict[str, str], demo_db: Path) -> None:
    from ictappraise.store.database import open_database

    db = open_database(demo_db)  # as if the GUI had it open
    try:
        # Reading commands run beside the window (tests/cli/test_read_beside_window.py); writing waits.
        signing = run(user_env, "sign", "--db", str(demo_db), "--agency", "TUPT", "--as", "Nguyễn Thị Thắng")
        assert_user_error(signing, "đang được mở")
    finally:
        db.close()


def test_an_output_folder_given_as_a_file_is_a_clear_error(demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ket qua"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "ictappraise", "export-xlsx", "--db", str(demo_db), "--out", str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Lỗi:") and "là một thư mục" in done.stderr
    assert "Traceback" not in done.stderr
