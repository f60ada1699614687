"""The minutes' required "Hạn chế" lines from the command line: list them, drop one with a
reason, print one again (the same services as the minutes dialog; docs/rules.md §6)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ictappraise.cli.common import CommandError, add_actor_argument, add_db_argument, out, workspace

if TYPE_CHECKING:
    from ictappraise.services.remarks import LineState

STATE_WORDS = {
    "written": "đã nêu trong phần Hạn chế",
    "printed": "in tự động sau phần Hạn chế",
    "dropped": "không in, lý do: {reason}",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lines = commands.add_parser(
        "required-lines",
        help="các ý Hạn chế bắt buộc của biên bản: xem, bỏ một ý (kèm lý do) hoặc in lại",
    )
    add_db_argument(lines)
    lines.add_argument("--agency", required=True, metavar="ĐƠN_VỊ", help="mã hoặc tên đơn vị")
    action = lines.add_mutually_exclusive_group()
    action.add_argument("--drop", metavar="Ý", help="mã ý cần bỏ khỏi biên bản (cột đầu của danh sách)")
    action.add_argument("--keep", metavar="Ý", help="mã ý đã bỏ cần in lại")
    lines.add_argument("--reason", metavar="LÝ_DO", help="lý do bỏ ý (bắt buộc với --drop)")
    add_actor_argument(lines)
    lines.set_defaults(handler=run_required_lines)


def run_required_lines(args: argparse.Namespace) -> int:
    from ictappraise.services import remarks, visit_details

    if args.drop and not (args.reason or "").strip():
        raise CommandError("Phải ghi --reason LÝ_DO mới bỏ được một ý Hạn chế bắt buộc.")
    if args.reason and not args.drop:
        raise CommandError("--reason chỉ dùng với --drop.")
    changing = bool(args.drop or args.keep)
    # Listing only reads, so it also works beside a window that has the file open.
    with workspace(args, acting=changing, reading=not changing) as ws:
        agency = ws.find_agency(args.agency)
        states = remarks.line_states(ws.detail(agency.id))
        keys = {state.line.key for state in states}
        if args.drop:
            visit_details.drop_required_line(ws, agency.id, args.drop, args.reason)
            out(f"Đã bỏ ý {args.drop} khỏi biên bản {agency.name}. Lý do: {' '.join(args.reason.split())}")
        elif args.keep:
            if args.keep not in keys:
                raise CommandError(f"«{args.keep}» không phải một ý Hạn chế bắt buộc của {agency.name}.")
            visit_details.keep_required_line(ws, agency.id, args.keep)
            out(f"Ý {args.keep} sẽ được in lại trong biên bản {agency.name}.")
        else:
            _list(agency.name, states)
    return 0


def _list(name: str, states: Sequence[LineState]) -> None:
    if not states:
        out(f"Biên bản {name} không có ý Hạn chế bắt buộc nào.")
        return
    out(f"Các ý Hạn chế bắt buộc của biên bản {name}:")
    for state in states:
        where = STATE_WORDS[state.state].format(reason=state.reason)
        out(f"  {state.line.key:<24} {state.line.sentence}. — {where}")
