"""Commands that only read work while a window holds the file open; writing ones still wait."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ictappraise.store.database import open_database
from tests.cli.test_cli import make_env

REPO = Path(__file__).resolve().parents[2]


def cli(env: dict[str, str], *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ictappraise", *map(str, args)],
        env=env,
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


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
        refused = cli(env, "sign", "--db", demo_db, "--agency", "TUPT", "--as", "Nguyễn Thị Thắng")
        assert refused.returncode == 1 and "cửa sổ" in refused.stderr and "Traceback" not in refused.stderr
        with window.transaction():  # the window still writes after the readers left
            pass
    finally:
        window.close()
