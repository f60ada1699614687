"""Commands for the documents: minutes, the results report, signing and reopening, signatures.

reportlab and pyHanko are imported inside the commands that use them: every other command
starts without paying for them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ictappraise.cli.common import CommandError, add_actor_argument, add_db_argument, err, out, workspace
from ictappraise.services.workspace import Workspace


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sheet = commands.add_parser(
        "minutes", help="in biên bản thẩm định (PDF) của một đơn vị, một ngày hoặc tất cả"
    )
    add_db_argument(sheet)
    which = sheet.add_mutually_exclusive_group(required=True)
    which.add_argument("--agency", metavar="ĐƠN_VỊ", help="mã (ví dụ HUTP) hoặc tên đơn vị")
    which.add_argument("--date", type=_day, metavar="NGÀY", help="mọi đơn vị thẩm định ngày này (2022-12-09)")
    which.add_argument("--all", action="store_true", help="mọi đơn vị của đợt")
    sheet.add_argument("--out", type=Path, metavar="TỆP.pdf", help="tệp PDF (với --agency)")
    sheet.add_argument(
        "--out-dir", type=Path, metavar="THƯ_MỤC", help="thư mục ghi các biên bản (với --date, --all)"
    )
    _add_signing(sheet)
    sheet.set_defaults(handler=run_minutes)

    report = commands.add_parser("report", help="báo cáo kết quả xếp hạng (PDF) trình Ban Thường vụ")
    add_db_argument(report)
    report.add_argument("--out", type=Path, required=True, metavar="TỆP.pdf", help="tệp PDF")
    report.add_argument(
        "--date",
        type=_day,
        metavar="NGÀY",
        help="ngày ghi trên báo cáo (mặc định: ngày ký biên bản cuối cùng của đợt)",
    )
    _add_signing(report)
    report.set_defaults(handler=run_report)

    sign = commands.add_parser("sign", help="ghi nhận biên bản đã ký: khóa điểm của đơn vị")
    add_db_argument(sign)
    sign.add_argument("--agency", required=True, metavar="ĐƠN_VỊ", help="mã hoặc tên đơn vị")
    sign.add_argument("--out", type=Path, metavar="TỆP.pdf", help="ghi luôn biên bản đã ký ra tệp PDF")
    add_actor_argument(sign)
    _add_signing(sign)
    sign.set_defaults(handler=run_sign)

    reopen = commands.add_parser("reopen", help="Tổ trưởng mở lại biên bản đã ký (phải ghi lý do)")
    add_db_argument(reopen)
    reopen.add_argument("--agency", required=True, metavar="ĐƠN_VỊ", help="mã hoặc tên đơn vị")
    reopen.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do mở lại")
    add_actor_argument(reopen)
    reopen.set_defaults(handler=run_reopen)

    check = commands.add_parser("verify-pdf", help="kiểm tra chữ ký số trong tệp PDF")
    check.add_argument("file", type=Path, metavar="TỆP.pdf")
    check.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="CHỨNG_THƯ",
        help="chứng thư gốc tin cậy (PEM/DER)",
    )
    check.set_defaults(handler=run_verify)


def _day(text: str) -> date:
    from ictappraise.domain.dates import DayError, parse_day  # one reading of typed dates

    try:
        return parse_day(text)
    except DayError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _add_signing(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("ký số tệp PDF (tùy chọn)")
    group.add_argument("--p12", type=Path, metavar="TỆP.p12", help="chứng thư số dạng PKCS#12 (.p12/.pfx)")
    group.add_argument("--p12-password-env", metavar="BIẾN", help="biến môi trường chứa mật khẩu tệp .p12")
    group.add_argument("--pkcs11-lib", metavar="THƯ_VIỆN", help="thư viện PKCS#11 của USB token (.dll/.so)")
    group.add_argument("--pkcs11-token", metavar="NHÃN", help="nhãn token (mặc định: token đầu tiên)")
    group.add_argument("--pkcs11-key", metavar="NHÃN", help="nhãn khóa/chứng thư trên token")
    group.add_argument("--pkcs11-pin-env", metavar="BIẾN", help="biến môi trường chứa mã PIN của token")


def _secret(variable: str | None, what: str) -> str | None:
    if not variable:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise CommandError(f"Biến môi trường {variable} (chứa {what}) chưa được đặt.")
    return value


Stamp = Callable[[Path], None]


def _digital_signer(args: argparse.Namespace, place: str) -> Stamp | None:
    """A function signing a written PDF in place, when --p12 or --pkcs11-lib was given.

    Secrets are read before anything is written, so a missing password fails early. pyHanko
    and the crypto stack are imported only here, when signing was asked for.
    """
    if args.p12:
        if not args.p12.is_file():
            raise CommandError(f"Không có tệp chứng thư số {args.p12}.")
        password = _secret(args.p12_password_env, "mật khẩu tệp .p12")

        def stamp(path: Path) -> None:
            from ictappraise.services.pdf_signatures import sign_pdf_pkcs12

            sign_pdf_pkcs12(path, path, args.p12, password, location=place)
            out(f"  đã ký số: {path}")

        return stamp
    if args.pkcs11_lib:
        pin = _secret(args.pkcs11_pin_env, "mã PIN")

        def stamp_token(path: Path) -> None:
            from ictappraise.services.pdf_signatures import sign_pdf_pkcs11

            sign_pdf_pkcs11(
                path,
                path,
                module=args.pkcs11_lib,
                pin=pin,
                token_label=args.pkcs11_token,
                key_label=args.pkcs11_key,
                location=place,
            )
            out(f"  đã ký số: {path}")

        return stamp_token
    return None


def run_minutes(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        stamp = _digital_signer(args, ws.round_info().place)
        if args.agency:
            return _one(ws, args, stamp)
        return _many(ws, args, stamp)


def _one(ws: Workspace, args: argparse.Namespace, stamp: Stamp | None) -> int:
    from ictappraise.services import minutes
    from ictappraise.services.fingerprint import mismatch_text

    if not args.out:
        raise CommandError("Cần --out TỆP.pdf để ghi biên bản của một đơn vị.")
    agency = ws.find_agency(args.agency)
    doc = minutes.write_minutes(ws, agency.id, args.out)
    note = " — DỰ THẢO (" + doc.draft_reason + ")" if doc.draft else ""
    out(
        f"Đã ghi biên bản {agency.name}: {args.out} (lần lập {doc.revision}, mã đối chiếu {doc.fingerprint}){note}"
    )
    if doc.watermark:  # signed minutes whose data changed since: never printed as the signed ones
        err(f"Lưu ý: {mismatch_text(ws.detail(agency.id))}. Mọi trang có dòng chữ «{doc.watermark}».")
    if stamp:
        stamp(args.out)
    return 0


def _many(ws: Workspace, args: argparse.Namespace, stamp: Stamp | None) -> int:
    from ictappraise.services import minutes

    if not args.out_dir:
        raise CommandError("Cần --out-dir THƯ_MỤC để ghi nhiều biên bản.")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    agencies = ws.agencies() if args.all else minutes.agencies_on(ws, args.date)
    jobs, skipped = minutes.prepare_batch(ws, agencies, args.out_dir)
    for path in minutes.render_batch(jobs):
        job = next(j for j in jobs if j.path == path)
        out(f"{job.agency.name}: {path.name}" + (" — DỰ THẢO" if job.doc.draft else ""))
        if stamp:
            stamp(path)
    for item in skipped:
        err(f"Bỏ qua {item.agency.name}: {item.reason}")
    out(
        f"Đã ghi {len(jobs)} biên bản vào {args.out_dir}"
        + (f"; bỏ qua {len(skipped)} đơn vị." if skipped else ".")
    )
    return 1 if skipped else 0


def run_report(args: argparse.Namespace) -> int:
    from ictappraise.services import results_report

    with workspace(args) as ws:
        stamp = _digital_signer(args, ws.round_info().place)
        doc = results_report.write_report(ws, args.out, args.date)
        out(f"Đã ghi báo cáo kết quả: {args.out} ({doc.signed}/{doc.total_agencies} đơn vị đã ký biên bản).")
        if stamp:
            stamp(args.out)
    return 0


def run_sign(args: argparse.Namespace) -> int:
    from ictappraise.services import minutes

    with workspace(args, acting=True) as ws:
        agency = ws.find_agency(args.agency)
        stamp = _digital_signer(args, ws.round_info().place)
        if stamp and not args.out:
            raise CommandError("Ký số cần --out TỆP.pdf: tệp biên bản để ký.")
        revision, print_ = minutes.sign(ws, agency.id)
        out(f"Đã ghi nhận biên bản {agency.name} đã ký (lần lập {revision}, mã đối chiếu {print_}).")
        out("Điểm, dữ kiện và thông tin buổi thẩm định của đơn vị đã khóa.")
        if args.out:
            minutes.write_minutes(ws, agency.id, args.out)
            out(f"Đã ghi biên bản đã ký: {args.out}")
            if stamp:
                stamp(args.out)
    return 0


def run_reopen(args: argparse.Namespace) -> int:
    from ictappraise.services import minutes

    with workspace(args, acting=True) as ws:
        agency = ws.find_agency(args.agency)
        minutes.reopen(ws, agency.id, args.reason)
        out(f"Đã mở lại biên bản {agency.name}. Lý do: {args.reason.strip()}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from ictappraise.services.pdf_signatures import verify_pdf

    checks = verify_pdf(args.file, tuple(args.trust))
    if not checks:
        raise CommandError(f"Tệp {args.file.name} không có chữ ký số.")
    for check in checks:
        state = "nguyên vẹn, hợp lệ" if check.ok else "KHÔNG hợp lệ hoặc đã bị sửa"
        trust = "chứng thư tin cậy" if check.trusted else "chưa xác minh được nguồn chứng thư"
        out(f"{check.field}: {check.signer} — {state}; {trust}; thời điểm ký {check.signing_time or '?'}")
    return 0 if all(c.ok for c in checks) else 1
