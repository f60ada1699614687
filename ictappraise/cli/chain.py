"""Commands about the chain of rounds: the next year's round from the last one."""

from __future__ import annotations

import argparse
from pathlib import Path

from ictappraise.cli.common import add_actor_argument, add_db_argument, out, workspace
from ictappraise.services import chain, new_round


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "new-round", help="tạo đợt đánh giá năm mới từ đợt này (giữ kết quả các năm trước)"
    )
    add_db_argument(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="TỆP", help="tệp dữ liệu của đợt mới")
    parser.add_argument(
        "--year", type=int, default=None, metavar="NĂM", help="năm đánh giá (mặc định: năm sau)"
    )
    parser.add_argument("--key", default=None, metavar="MÃ", help="mã đợt mới (mặc định: mã cũ đổi năm)")
    parser.add_argument("--name", default=None, metavar="TÊN", help="tên đợt mới (mặc định: tên cũ đổi năm)")
    add_actor_argument(parser)
    parser.set_defaults(handler=run_new_round)


def run_new_round(args: argparse.Namespace) -> int:
    with workspace(args, acting=True) as ws:
        plan = new_round.suggest(ws)
        if args.year is not None and args.year != plan.year:
            plan = new_round.for_year(ws, args.year)
        plan = new_round.NewRound(
            key=args.key or plan.key,
            year=plan.year,
            name=args.name or plan.name,
            report_deadline=plan.report_deadline,
            visit_start=plan.visit_start,
            visit_end=plan.visit_end,
        )
        result = new_round.start_new_round(ws, args.out, plan)
        kept = sorted({a.year for a in chain.archives(ws)} | {ws.round_info().year}, reverse=True)
    out(
        f"Đã tạo đợt {plan.name} ({plan.key}): {result.path} — {result.agencies} đơn vị, "
        f"{result.members} thành viên Tổ, {result.catalogs} bộ tiêu chí; "
        f"lưu kết quả các năm {', '.join(str(y) for y in kept)}."
    )
    return 0
