"""Commands for several laptops: export a package, merge packages, list and resolve conflicts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ictappraise.cli.common import (
    CommandError,
    add_actor_argument,
    add_db_argument,
    confirm,
    out,
    workspace,
)
from ictappraise.domain.fields import parse_field
from ictappraise.services import merge
from ictappraise.services.conflicts import Conflict, HeldEdit, time_text
from ictappraise.services.resolution_values import parse_typed
from ictappraise.services.workspace import Workspace


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export-package", help="tạo gói dữ liệu (.ictx) để gửi cho Tổ trưởng hoặc thành viên"
    )
    add_db_argument(export)
    export.add_argument("--out", type=Path, required=True, metavar="GÓI.ictx", help="tệp gói sẽ tạo")
    export.add_argument(
        "--since-last", action="store_true", help="chỉ các sửa đổi từ lần tạo gói trước trên máy này"
    )
    add_actor_argument(export)
    export.set_defaults(handler=run_export)

    merging = commands.add_parser("merge", help="tổng hợp các gói dữ liệu vào tệp dữ liệu này")
    add_db_argument(merging)
    merging.add_argument("packages", nargs="+", type=Path, metavar="GÓI.ictx", help="các gói cần tổng hợp")
    merging.add_argument(
        "--yes",
        action="store_true",
        help="xác nhận đã xem các thay đổi quyền hạn, sửa đổi bị giữ lại, người gửi lạ (rồi vẫn tổng hợp)",
    )
    add_actor_argument(merging)
    merging.set_defaults(handler=run_merge)

    conflicts = commands.add_parser(
        "conflicts", help="các xung đột cần Tổ trưởng giải quyết, sửa đổi bị giữ lại"
    )
    add_db_argument(conflicts)
    conflicts.add_argument("--agency", metavar="ĐƠN_VỊ", help="chỉ một đơn vị (mã như HUTP hoặc tên)")
    conflicts.add_argument("--json", action="store_true", help="xuất JSON (UTF-8)")
    conflicts.set_defaults(handler=run_conflicts)

    resolve = commands.add_parser("resolve", help="Tổ trưởng giải quyết một xung đột (kèm lý do)")
    add_db_argument(resolve)
    resolve.add_argument(
        "--field", required=True, metavar="TRƯỜNG", help="trường đang xung đột (xem lệnh conflicts)"
    )
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument(
        "--pick", metavar="MÃ_SỬA_ĐỔI", help="giữ giá trị của phiên bản này (mã hoặc 8 ký tự đầu)"
    )
    choice.add_argument(
        "--value",
        metavar="GIÁ_TRỊ",
        help='giá trị mới, nhập như trong hộp thoại (30/11/2022, 7,5, có, văn bản) hoặc JSON, ví dụ {"override": "12.5"}',
    )
    resolve.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do (bắt buộc)")
    add_actor_argument(resolve)
    resolve.set_defaults(handler=run_resolve)

    accept = commands.add_parser("accept-held", help="Tổ trưởng chấp nhận một sửa đổi bị giữ lại (kèm lý do)")
    add_db_argument(accept)
    accept.add_argument(
        "--edit", required=True, metavar="MÃ_SỬA_ĐỔI", help="mã (hoặc 8 ký tự đầu), xem lệnh conflicts"
    )
    accept.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do (bắt buộc)")
    add_actor_argument(accept)
    accept.set_defaults(handler=run_accept_held)


def run_export(args: argparse.Namespace) -> int:
    with workspace(args, acting=True) as ws:
        result = merge.export_package(ws, args.out, since_last=args.since_last)
    scope = "từ lần gửi trước" if result.since_last else "toàn bộ"
    out(
        f"Đã tạo gói {result.path} ({scope}): {result.edits} sửa đổi, {result.attachments} tệp minh chứng. "
        f"Người gửi: {ws.actor.name if ws.actor else ''}."
    )
    return 0


def run_merge(args: argparse.Namespace) -> int:
    with workspace(args, acting=bool(args.as_name)) as ws:
        plan = merge.plan_merge(ws, args.packages)
        out("Kiểm tra gói dữ liệu:")
        for line in merge.describe_plan(plan):
            out(f"  {line}")
        if (
            plan.needs_confirmation
            and not args.yes
            and not confirm("Vẫn tổng hợp các gói này?", without_terminal=False)
        ):
            raise CommandError(
                "chưa tổng hợp gì vì các gói có thay đổi trạng thái, Tổ thẩm định hoặc thiết lập đợt, "
                "có sửa đổi sẽ bị giữ lại, hoặc có người gửi không thuộc Tổ thẩm định. "
                "Xem lại danh sách trên; nếu chắc chắn, chạy lại lệnh với --yes."
            )
        summary = merge.apply_merge(ws, plan)
        out("Kết quả tổng hợp:")
        for line in merge.describe_summary(summary):
            out(f"  {line}")
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        agency_id = ws.find_agency(args.agency).id if args.agency else None
        conflicts = merge.list_conflicts(ws, agency_id)
        held = merge.list_held(ws, agency_id)
        if args.json:
            data = {"conflicts": [conflict_json(c) for c in conflicts], "held": [held_json(h) for h in held]}
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            _print_conflicts(conflicts, held, args.db)
    return 0


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    """Stable keys for scripts."""
    return {
        "field": conflict.field,
        "agency_id": conflict.agency_id,
        "agency": conflict.agency_name,
        "criterion": conflict.code,
        "what": conflict.what,
        "heads": [
            {
                "edit_id": head.id,
                "value": head.edit.value,
                "text": head.text,
                "author_id": head.edit.author,
                "author": head.author_name,
                "device": head.edit.device,
                "created_at": head.edit.created_at,
                "reason": head.edit.reason,
            }
            for head in conflict.heads
        ],
    }


def held_json(held: HeldEdit) -> dict[str, Any]:
    """Stable keys for scripts."""
    edit = held.edit
    return {
        "edit_id": edit.id,
        "field": edit.field,
        "agency": held.agency_name,
        "what": held.what,
        "value": edit.value,
        "text": held.text,
        "author": held.author_name,
        "created_at": edit.created_at,
        "reason": held.reason,
    }


def _print_conflicts(conflicts: list[Conflict], held: list[HeldEdit], db: Path) -> None:
    if not conflicts:
        out("Không có xung đột nào.")
    for conflict in conflicts:
        out(conflict.title)
        out(f"  trường: {conflict.field}")
        for head in conflict.heads:
            out(f"  [{head.id[:8]}] {head.text} — {head.author_name}, {time_text(head.edit.created_at)}")
    if conflicts:
        out(
            f"\nTổng: {len(conflicts)} xung đột. Giải quyết: ictappraise resolve --db {db} --field TRƯỜNG "
            '--pick MÃ (hoặc --value GIÁ_TRỊ) --reason "lý do"'
        )
    if held:
        out(f"\nSửa đổi bị giữ lại, không áp dụng ({len(held)}):")
        for item in held:
            out(
                f"  [{item.edit.id[:8]}] {item.title} — {item.author_name}, {time_text(item.edit.created_at)}"
                f" — lý do: {item.reason}"
            )


def run_accept_held(args: argparse.Namespace) -> int:
    with workspace(args, acting=True) as ws:
        edit = merge.accept_held(ws, args.edit, args.reason)
    out(f"Đã chấp nhận: trường {edit.field} nhận giá trị của sửa đổi bị giữ lại (sửa đổi mới {edit.id[:8]}).")
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    with workspace(args, acting=True) as ws:
        field_name = _field(ws, args.field)
        if args.pick:
            edit = merge.resolve_pick(ws, field_name, args.pick, args.reason)
        else:
            edit = merge.resolve_conflict(ws, field_name, _value(ws, field_name, args.value), args.reason)
        remaining = len(merge.list_conflicts(ws))
    out(f"Đã giải quyết xung đột {field_name} (sửa đổi {edit.id[:8]}). Còn {remaining} xung đột.")
    return 0


def _value(ws: Workspace, field_name: str, text: str) -> Any:
    """JSON, or else the text as the conflict dialog reads it ("30/11/2022", "7,5", "có")."""
    try:
        return json.loads(text)
    except ValueError:
        return parse_typed(ws, field_name, text)  # checked there and again when resolving


def _field(ws: Workspace, text: str) -> str:
    """A field name; the agency may be given by its code (agency/HUTP/crit/III.5/appraised)."""
    ref = parse_field(text.strip())
    if ref.agency_id is not None and not ws.state(ref.agency_id).fields:
        ref = ref.with_owner(ws.find_agency(ref.agency_id).id)
    return ref.name
