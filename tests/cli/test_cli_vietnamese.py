"""Every command's help and the parser's own refusals in Vietnamese (argparse's words too)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from ictappraise.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
ENGLISH = ("usage:", "options:", "show this help message", "positional arguments", "error:", "{lead")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ictappraise", *args],
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def test_every_command_help_is_vietnamese() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = [parser.format_help()] + [sub.format_help() for sub in commands.choices.values()]
    assert len(helps) > 10
    for text in helps:
        assert text.startswith("Cách dùng: ")
        assert not [word for word in ENGLISH if word in text], text
    identity = commands.choices["identity"].format_help()
    assert "hiện hướng dẫn này rồi thoát" in identity and "tùy chọn:" in identity
    assert "lead = Tổ trưởng" in identity


def test_help_and_refusals_from_the_command_line() -> None:
    shown = run("identity", "--help")
    assert shown.returncode == 0 and shown.stdout.startswith("Cách dùng: ictappraise identity")
    refused = run("identity", "--role", "boss")
    assert refused.returncode == 2
    assert "Lỗi: tham số --role: không có lựa chọn 'boss'" in refused.stderr
    assert not [word for word in ENGLISH if word in refused.stderr]
    missing = run("results")
    assert "thiếu tham số bắt buộc: --db" in missing.stderr
