"""Excel commands: template, import-xlsx, import-catalog, export-xlsx."""

from __future__ import annotations

import argparse
from pathlib import Path

from ictappraise.cli.common import (
    CommandError,
    add_actor_argument,
    add_db_argument,
    confirm,
    out,
    warn_damage,
    workspace,
)
from ictappraise.services import excel_import as svc


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    template = commands.add_parser("template", help="tạo phiếu tự đánh giá (Excel) cho đơn vị")
    add_db_argument(template)
    which = template.add_mutually_exclusive_group(required=True)
    which.add_argument("--agency", metavar="MÃ_HOẶC_TÊN", help="đơn vị (mã như HUTP hoặc tên đầy đủ)")
    which.add_argument("--all", action="store_true", help="mọi đơn vị, mỗi đơn vị một tệp")
    template.add_argument("--out", type=Path, metavar="TỆP.xlsx", help="tệp phiếu (với --agency)")
    template.add_argument(
        "--out-dir", type=Path, metavar="THƯ_MỤC", help="thư mục chứa các phiếu (với --all)"
    )
    template.set_defaults(handler=run_template)

    imports = commands.add_parser("import-xlsx", help="nhập phiếu tự đánh giá hoặc điểm thẩm định từ Excel")
    add_db_argument(imports)
    imports.add_argument("files", nargs="+", type=Path, metavar="TỆP.xlsx")
    imports.add_argument(
        "--agency", metavar="MÃ_HOẶC_TÊN", help="đơn vị, khi tệp không phải phiếu do chương trình tạo"
    )
    imports.add_argument(
        "--sent", metavar="NGÀY", help="ngày đơn vị gửi báo cáo (05/12/2022 hoặc 2022-12-05)"
    )
    imports.add_argument(
        "--appraised",
        action="store_true",
        help="nhập cột Điểm thẩm định và Ghi chú (thay cho điểm tự đánh giá)",
    )
    imports.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    imports.add_argument("--yes", action="store_true", help="ghi ngay, không hỏi lại")
    add_actor_argument(imports)
    imports.set_defaults(handler=run_import)

    catalog = commands.add_parser("import-catalog", help="thay bộ tiêu chí của một Phụ lục bằng bảng Excel")
    add_db_argument(catalog)
    catalog.add_argument("--category", type=int, required=True, metavar="N", help="Phụ lục (2–7)")
    catalog.add_argument("file", type=Path, metavar="TỆP.xlsx")
    catalog.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    add_actor_argument(catalog)
    catalog.set_defaults(handler=run_import_catalog)

    export = commands.add_parser("export-xlsx", help="xuất kết quả xếp hạng ra Excel")
    add_db_argument(export)
    export.add_argument("--out", type=Path, required=True, metavar="TỆP.xlsx")
    export.set_defaults(handler=run_export)


def run_template(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        if args.all:
            if args.out_dir is None:
                raise CommandError("Với --all cần chỉ thư mục bằng --out-dir THƯ_MỤC.")
            written = svc.write_all_forms(ws, args.out_dir)
            out(f"Đã tạo {len(written)} phiếu tự đánh giá trong {args.out_dir}.")
        else:
            if args.out is None:
                raise CommandError("Cần chỉ tệp phiếu bằng --out TỆP.xlsx.")
            agency = ws.find_agency(args.agency)
            svc.write_form(ws, agency.id, args.out)
            out(f"Đã tạo phiếu tự đánh giá của {agency.name}: {args.out}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    with workspace(args, acting=not args.dry_run) as ws:
        sent = svc.parse_day(args.sent) if args.sent else None
        plan = svc.plan_form_import(ws, args.files, agency=args.agency, sent=sent, appraised=args.appraised)
        for line in plan.summary():
            out(line)
        if plan.errors:
            raise CommandError(_errors_line(plan.errors) + " Không ghi gì vào dữ liệu.")
        if args.dry_run:
            out(f"Xem trước: {len(plan.changes)} thay đổi (chưa ghi).")
            return 0
        if not plan.changes:
            out("Không có gì để ghi.")
            return 0
        if not args.yes and not confirm(f"Ghi {len(plan.changes)} thay đổi?", without_terminal=True):
            out("Đã hủy, không ghi gì.")
            return 1
        written = svc.apply_import(ws, plan)
        out(f"Đã ghi {written} thay đổi.")
    return 0


def _errors_line(errors: list[str]) -> str:
    more = f" (và {len(errors) - 1} lỗi khác, xem ở trên)" if len(errors) > 1 else ""
    return f"{errors[0].rstrip('.')}{more}."


def run_import_catalog(args: argparse.Namespace) -> int:
    with workspace(args, acting=not args.dry_run) as ws:
        plan = svc.plan_catalog_import(ws, args.category, args.file)
        for line in plan.summary():
            out(line)
        if plan.errors:
            raise CommandError(_errors_line(plan.errors) + " Bộ tiêu chí không đổi.")
        if args.dry_run:
            out("Bộ tiêu chí hợp lệ (chưa ghi).")
            return 0
        written = svc.apply_catalog(ws, plan)
        out("Đã thay bộ tiêu chí." if written else "Bộ tiêu chí không đổi, không ghi gì.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        warn_damage(ws)
        svc.write_results(ws, args.out)
        out(f"Đã xuất kết quả xếp hạng: {args.out}")
    return 0
