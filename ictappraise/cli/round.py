"""Commands about the round itself: demo database, identity, results."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from ictappraise.cli.common import CommandError, add_db_argument, err, out, print_warnings, workspace
from ictappraise.domain.numbers import format_points
from ictappraise.domain.trends import PreviousResult, Trends, trend_text
from ictappraise.services import chain
from ictappraise.services.demo import build_demo
from ictappraise.services.model import STATUS_LABELS, AgencyResult
from ictappraise.settings import ROLE_LABELS, ROLE_MEMBER, Identity, load_config, save_config
from ictappraise.store.database import open_database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser("demo", help="tạo cơ sở dữ liệu mẫu đợt 2022 (tối 14/12/2022)")
    add_db_argument(demo)
    demo.add_argument("--replace", action="store_true", help="ghi đè nếu tệp đã có")
    demo.set_defaults(handler=run_demo)

    identity = commands.add_parser("identity", help="xem hoặc khai báo người dùng máy này")
    identity.add_argument("--set", dest="set_name", metavar="HỌ_TÊN", help="họ tên thành viên Tổ thẩm định")
    identity.add_argument("--title", default=None, help="chức vụ")
    identity.add_argument("--role", choices=sorted(ROLE_LABELS), default=None, help="vai trò trong Tổ")
    identity.set_defaults(handler=run_identity)

    results = commands.add_parser("results", help="kết quả xếp loại của mọi đơn vị")
    add_db_argument(results)
    results.add_argument("--json", action="store_true", help="xuất JSON (UTF-8) cho chương trình khác")
    results.set_defaults(handler=run_results)


def run_demo(args: argparse.Namespace) -> int:
    path = args.db.expanduser()
    if path.exists() and path.stat().st_size > 0:
        if not args.replace:
            raise CommandError(f"Tệp {path} đã có. Dùng --replace để tạo lại dữ liệu mẫu (tệp cũ sẽ bị xóa).")
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    db = open_database(path, create=True)
    print_warnings(db)
    try:
        ws = build_demo(db)
        out(f"Đã tạo dữ liệu mẫu: {path} — {len(ws.agencies())} đơn vị, {len(ws.members())} thành viên Tổ.")
    finally:
        db.close()
    return 0


def run_identity(args: argparse.Namespace) -> int:
    config = load_config()
    if args.set_name:
        name = " ".join(args.set_name.split())
        old = config.identity
        config.identity = Identity(
            name=name,
            title=args.title if args.title is not None else (old.title if old else ""),
            role=args.role or (old.role if old else ROLE_MEMBER),
        )
        save_config(config)
    if config.identity is None:
        err('Máy này chưa khai báo người dùng. Dùng: ictappraise identity --set "Họ tên".')
        out(f"Mã thiết bị: {config.device_id}")
        return 1
    who = config.identity
    out(
        f"Người dùng: {who.name}"
        + (f", {who.title}" if who.title else "")
        + f" — {ROLE_LABELS.get(who.role, who.role)}"
    )
    out(f"Mã thiết bị: {config.device_id}")
    return 0


def run_results(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        results = ws.results()
        trends = chain.trends(ws)
        if args.json:
            rows = [result_json(r, trends.of(r.agency.code)) for r in results]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            _print_table(results, trends)
    return 0


def result_json(result: AgencyResult, previous: Sequence[PreviousResult] = ()) -> dict[str, Any]:
    """Stable keys for scripts."""
    card = result.scorecard
    rating = card.rating
    return {
        "code": result.agency.code,
        "name": result.agency.name,
        "category": result.agency.category,
        "rank": result.rank,
        "status": result.status,
        "total": format_points(card.total, comma=False),
        "self_total": format_points(card.self_total, comma=False),
        "maximum": format_points(card.maximum, comma=False),
        "base_band": rating.base_band.value if rating else None,
        "band": rating.band.value if rating else None,
        "provisional": card.provisional,
        "unscored": list(card.unscored),
        "unscored_criteria": list(card.unscored_criteria),
        "failed_criteria": list(card.failed),
        "days_late": card.facts.days_late,
        "report_attached": card.facts.report_attached,
        "portal_missing_months": card.facts.portal_missing_months,
        "portal_unentered_months": card.facts.portal_unentered_months,
        "conflicts": list(result.conflicts),
        "reasons": list(rating.reasons) if rating else [],
        "previous": [p.to_json() for p in previous],
    }


def _print_table(results: list[AgencyResult], trends: Trends) -> None:
    category = None
    for result in results:
        if result.agency.category != category:
            category = result.agency.category
            out(f"\nPhụ lục {category}")
            out(
                f"{'Hạng':>4}  {'Mã':<6} {'Đơn vị':<46} {'Điểm':>15}  {'Cơ sở':<10} {'Xếp loại':<22} Trạng thái"
            )
        card = result.scorecard
        rating = card.rating
        points = f"{format_points(card.total)}/{format_points(card.maximum)}"
        if result.conflicts:
            band, base = "có xung đột", "—"
        elif rating is None:
            band, base = "—", "—"
        else:
            base = rating.base_band.value
            band = rating.band.value + (
                f" (tạm tính, chưa chấm đủ {len(card.unscored_criteria)} tiêu chí)"
                if card.provisional
                else ""
            )
        rank = "" if result.rank is None else str(result.rank)
        out(
            f"{rank:>4}  {result.agency.code:<6} {result.agency.name:<46} {points:>15}  {base:<10} {band:<22} "
            f"{STATUS_LABELS[result.status]}"
        )
        if rating and not card.provisional:
            for reason in rating.applied:
                out(f"{'':>12}{reason}")
        if trends.of(result.agency.code):
            out(f"{'':>12}Kết quả các năm trước — {trend_text(trends.of(result.agency.code), card.maximum)}")
