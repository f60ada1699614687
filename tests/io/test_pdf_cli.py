"""The document commands as a user runs them: subprocesses, files on disk, Vietnamese errors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pdf_testing import full_text
from pypdf import PdfReader

from tests.support import run_cli


def run(home: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ICTAPPRAISE_CONFIG_DIR": str(home / "config"),
        "ICTAPPRAISE_DATA_DIR": str(home / "data"),
    }
    env.update(extra_env)
    return run_cli(env, *args)


def assert_user_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Lỗi:") and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def test_minutes_of_one_agency_and_of_a_day(demo_db: Path, tmp_path: Path) -> None:
    one = tmp_path / "tuy-phong.pdf"
    result = run(tmp_path, "minutes", "--db", str(demo_db), "--agency", "HUTP", "--out", str(one))
    assert result.returncode == 0, result.stderr
    assert "Đã ghi biên bản Huyện ủy Tuy Phong" in result.stdout
    assert "tại Huyện ủy Tuy Phong" in full_text(one)
    day = tmp_path / "day"
    # Written as a clerk writes it, like import-xlsx --sent (domain.dates.parse_day).
    result = run(tmp_path, "minutes", "--db", str(demo_db), "--date", "09/12/2022", "--out-dir", str(day))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in day.iterdir()) == [
        "2022-12-09_HUBB_bien-ban-tham-dinh.pdf",
        "2022-12-09_HUTP_bien-ban-tham-dinh.pdf",
    ]


def test_sign_reopen_and_report_from_the_command_line(demo_db: Path, tmp_path: Path) -> None:
    signed = tmp_path / "tupt.pdf"
    result = run(
        tmp_path,
        "sign",
        "--db",
        str(demo_db),
        "--agency",
        "TUPT",
        "--as",
        "Nguyễn Thị Thắng",
        "--out",
        str(signed),
    )
    assert result.returncode == 0, result.stderr
    assert "Đã ghi nhận biên bản Thành ủy Phan Thiết đã ký (lần lập 1" in result.stdout
    assert "Lần lập: 1" in PdfReader(str(signed)).metadata["/Keywords"]
    assert "Đã ký" in PdfReader(str(signed)).metadata["/Keywords"] and "Đã ký" not in full_text(signed)
    assert_user_error(
        run(
            tmp_path,
            "reopen",
            "--db",
            str(demo_db),
            "--agency",
            "TUPT",
            "--as",
            "Chuyên viên A",
            "--reason",
            "x",
        ),
        "Chỉ Tổ trưởng",
    )
    result = run(
        tmp_path,
        "reopen",
        "--db",
        str(demo_db),
        "--agency",
        "TUPT",
        "--as",
        "Nguyễn Thị Thắng",
        "--reason",
        "Bổ sung minh chứng",
    )
    assert result.returncode == 0 and "Lý do: Bổ sung minh chứng" in result.stdout
    report = tmp_path / "report.pdf"
    result = run(tmp_path, "report", "--db", str(demo_db), "--out", str(report), "--date", "2022-12-21")
    assert result.returncode == 0, result.stderr
    assert "Phan Thiết, ngày 21 tháng 12 năm 2022" in full_text(report)


def test_bad_input_is_a_vietnamese_error_without_traceback(demo_db: Path, tmp_path: Path) -> None:
    assert_user_error(
        run(
            tmp_path, "minutes", "--db", str(demo_db), "--agency", "KHONGCO", "--out", str(tmp_path / "x.pdf")
        ),
        "Không tìm thấy đơn vị",
    )
    assert_user_error(
        run(tmp_path, "sign", "--db", str(demo_db), "--agency", "VPTU", "--as", "Nguyễn Thị Thắng"),
        "chưa chấm",
    )
    result = run(
        tmp_path,
        "minutes",
        "--db",
        str(demo_db),
        "--agency",
        "HUTP",
        "--out",
        str(tmp_path / "y.pdf"),
        "--p12",
        str(tmp_path / "none.p12"),
    )
    assert_user_error(result, "Không có tệp chứng thư số")
    assert not (tmp_path / "y.pdf").exists()
