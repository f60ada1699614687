"""The command line: the same services as the GUI, headless.

Each command module exposes ``register(commands)``; adding a command is adding a module to
COMMAND_MODULES. Without a command, ``ictappraise`` starts the GUI.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

COMMAND_MODULES = (
    "ictappraise.cli.round",
    "ictappraise.cli.excel",
    "ictappraise.cli.exchange",
    "ictappraise.cli.pdf",
    "ictappraise.cli.chain",
    "ictappraise.cli.remarks",
)


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    from ictappraise.cli import argparse_vi

    argparse_vi.install()  # "usage:", "options:", -h and the parser's errors in Vietnamese
    parser = argparse.ArgumentParser(
        prog="ictappraise",
        description="Thẩm định, xếp hạng ứng dụng công nghệ thông tin. Không có lệnh: mở cửa sổ chương trình.",
    )
    parser.add_argument("--db", type=Path, metavar="TỆP", help="mở cửa sổ chương trình trên tệp dữ liệu này")
    parser.add_argument(
        "--demo", action="store_true", help="mở một bản sao mới của dữ liệu mẫu, với vai trò Tổ trưởng"
    )
    if not with_commands:
        return parser
    commands = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def file_error_message(error: OSError) -> str:
    """An operating-system error on a file, in Vietnamese."""
    name = error.filename or ""
    if isinstance(error, IsADirectoryError):
        return f"«{name}» là một thư mục; hãy ghi tên tệp, ví dụ {name}/ket_qua.xlsx."
    if isinstance(error, FileNotFoundError):
        return f"Không tìm thấy tệp hoặc thư mục «{name}»."
    if isinstance(error, PermissionError):
        return f"Không có quyền ghi hoặc tệp «{name}» đang mở trong chương trình khác (Excel?)."
    return f"Không đọc/ghi được tệp «{name}»: {error.strerror or error}."


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m ictappraise``."""
    from ictappraise.app_log import setup_logging

    setup_logging()  # before anything imports a library that may warn: warnings go to the log
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    argv = sys.argv[1:] if argv is None else list(argv)
    # Without a command the window must paint before the store and the rules are imported
    # (docs/ARCHITECTURE.md, Start-up), so the command modules are not even registered.
    args = build_parser(with_commands=not opens_gui(argv)).parse_args(argv)
    if getattr(args, "command", None) is None:
        from ictappraise.ui.launch import run_gui  # Qt is loaded only for the GUI

        return run_gui(db=args.db, demo=args.demo)
    return run_command(args)


def opens_gui(argv: list[str]) -> bool:
    """No command, only --db FILE and --demo: the GUI, started without the command modules."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--db":
            if next(tokens, None) is None:
                return False  # let the full parser say what is missing
        elif token != "--demo" and not token.startswith("--db="):
            return False
    return True


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed command: the services' refusals and file errors become Vietnamese lines."""
    from ictappraise.cli.common import CommandError, err, install_passphrase_prompt
    from ictappraise.services.errors import USER_ERRORS

    refused: tuple[type[Exception], ...] = (CommandError, *USER_ERRORS)
    try:
        _read_config_first()
        install_passphrase_prompt()
        return int(args.handler(args))
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        return 0
    except refused as error:
        # An OSError: a folder given as --out, a file open in Excel, a missing folder…
        err(f"Lỗi: {file_error_message(error) if isinstance(error, OSError) else error}")
        return 1
    except KeyboardInterrupt:
        err("Đã dừng theo yêu cầu.")
        return 130
    finally:
        _print_config_notices()


def _read_config_first() -> None:
    """Read config.json before the command speaks, so a note about a damaged file comes first."""
    from ictappraise.settings import load_config

    load_config()
    _print_config_notices()


def _print_config_notices() -> None:
    """A damaged config.json set aside during the command is said, once, as a note."""
    from ictappraise.cli.common import err
    from ictappraise.settings import take_config_notices

    for notice in take_config_notices():
        err(f"Lưu ý: {notice}")
