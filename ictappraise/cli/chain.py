"""Commands about the chain of rounds: the next year's round from the last one."""

from __future__ import annotations

import argparse
from pathlib import Path

from ictappraise.cli.common import CommandError, add_actor_argument, add_db_argument, out, workspace
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

    mapping = commands.add_parser(
        "map-codes", help="ghép mã đơn vị các năm trước với mã năm nay (đơn vị đổi tên, sáp nhập)"
    )
    add_db_argument(mapping)
    mapping.add_argument(
        "--set", dest="pairs", nargs="+", metavar="CŨ=MỚI", help="thay bảng ghép bằng các cặp mã cũ=mã mới"
    )
    add_actor_argument(mapping)
    mapping.set_defaults(handler=run_map_codes)


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


def run_map_codes(args: argparse.Namespace) -> int:
    with workspace(args, acting=bool(args.pairs)) as ws:
        if args.pairs:
            pairs = [text.partition("=") for text in args.pairs]
            bad = [
                text
                for text, (old, sep, new) in zip(args.pairs, pairs, strict=True)
                if not (sep and old and new)
            ]
            if bad:
                raise CommandError(f"Cặp mã «{', '.join(bad)}» không hợp lệ: ghi dạng MÃ_CŨ=MÃ_MỚI.")
            chain.set_code_map(ws, {old: new for old, _sep, new in pairs})
        found = chain.code_map(ws)
        if not found:
            out("Chưa ghép mã nào: đơn vị các năm được nối theo mã giống nhau.")
        for old, new in sorted(found.items()):
            out(f"{old} → {new} ({ws.find_agency(new).name})")
    return 0
