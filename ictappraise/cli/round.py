"""Commands about the round itself: demo database, identity, results."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from ictappraise.cli.common import (
    CommandError,
    add_actor_argument,
    add_db_argument,
    err,
    out,
    print_warnings,
    warn_damage,
    workspace,
)
from ictappraise.domain.numbers import format_points
from ictappraise.domain.roles import ROLE_LABELS, ROLE_MEMBER
from ictappraise.domain.trends import PreviousResult, Trends, trend_text
from ictappraise.services import chain
from ictappraise.services.band_text import band_view
from ictappraise.services.database import delete_database, open_database
from ictappraise.services.fingerprint import MISMATCH_MARK, fingerprint_mismatch
from ictappraise.services.model import STATUS_LABELS, AgencyResult
from ictappraise.services.trust import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV
from ictappraise.settings import Identity, load_config, save_config


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser("demo", help="tạo cơ sở dữ liệu mẫu đợt 2022 (tối 14/12/2022)")
    add_db_argument(demo)
    demo.add_argument("--replace", action="store_true", help="ghi đè nếu tệp đã có")
    demo.set_defaults(handler=run_demo)

    identity = commands.add_parser("identity", help="xem hoặc khai báo người dùng máy này")
    identity.add_argument("--set", dest="set_name", metavar="HỌ_TÊN", help="họ tên thành viên Tổ thẩm định")
    identity.add_argument("--title", default=None, metavar="CHỨC_VỤ", help="chức vụ")
    roles = ", ".join(f"{key} = {label}" for key, label in ROLE_LABELS.items())
    identity.add_argument(
        "--role",
        choices=sorted(ROLE_LABELS),
        default=None,
        metavar="VAI_TRÒ",
        help=f"vai trò bạn đảm nhận: {roles} (chỉ để hiển thị: vai trò thật do Tổ trưởng ghi trong Tổ thẩm định)",
    )
    identity.add_argument(
        "--passphrase",
        action="store_true",
        help=(
            "đặt, đổi hoặc bỏ mật khẩu khóa ký của máy này (hỏi tại dấu nhắc; lệnh tự động: biến môi "
            f"trường {PASSPHRASE_ENV} là mật khẩu hiện tại, {NEW_PASSPHRASE_ENV} là mật khẩu mới, "
            "để trống để bỏ mật khẩu)"
        ),
    )
    identity.set_defaults(handler=run_identity)

    announce = commands.add_parser(
        "announce-key", help="ghi thông báo khóa của máy này vào tệp dữ liệu (gửi kèm gói cho Tổ trưởng)"
    )
    add_db_argument(announce)
    announce.set_defaults(handler=run_announce_key)

    admit = commands.add_parser("admit-key", help="Tổ trưởng công nhận khóa một thành viên đã thông báo")
    add_db_argument(admit)
    admit.add_argument("--fingerprint", metavar="VÂN_TAY", help="vân tay khóa (4 nhóm 4 ký tự), đã đối chiếu")
    admit.add_argument(
        "--role", choices=("member", "secretary"), default="member", help="vai trò khi thêm mới"
    )
    add_actor_argument(admit)
    admit.set_defaults(handler=run_admit_key)

    adopt = commands.add_parser(
        "adopt", help="Tổ trưởng xác nhận các sửa đổi chưa ký (ghi trước khi có khóa) đang bị giữ lại"
    )
    add_db_argument(adopt)
    add_actor_argument(adopt)
    adopt.set_defaults(handler=run_adopt)

    results = commands.add_parser("results", help="kết quả xếp loại của mọi đơn vị")
    add_db_argument(results)
    results.add_argument("--json", action="store_true", help="xuất JSON (UTF-8) cho chương trình khác")
    results.set_defaults(handler=run_results)


def run_demo(args: argparse.Namespace) -> int:
    path = args.db.expanduser()
    if path.exists() and path.stat().st_size > 0:
        if not args.replace:
            raise CommandError(f"Tệp {path} đã có. Dùng --replace để tạo lại dữ liệu mẫu (tệp cũ sẽ bị xóa).")
        delete_database(path)
    db = open_database(path, create=True)
    print_warnings(db)
    try:
        from ictappraise.services.demo import build_demo  # its builders, only for this command

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
    out(f"Người dùng: {who.name}" + (f", {who.title}" if who.title else ""))
    # The role is the one the round's team list gives this name; the saved one only serves a
    # name the list does not have yet ("Nguyễn Thị Thắng" stays Tổ trưởng, never "Thành viên").
    out(
        "Vai trò: theo danh sách Tổ thẩm định trong tệp dữ liệu; nếu tên chưa có trong danh sách, "
        f"được thêm với vai trò {ROLE_LABELS.get(who.role, who.role)}."
    )
    out(f"Mã thiết bị: {config.device_id}")
    _show_keys(who.name)
    if args.passphrase:
        _change_passphrase(who.name)
    return 0


def _change_passphrase(name: str) -> None:
    """Set, change or remove the passphrase of this laptop's key for the person."""
    import getpass
    import os

    from ictappraise.services.trust import change_passphrase, ensure_key, local_key

    public = ensure_key(name).public_key
    key = local_key(public)
    assert key is not None  # ensure_key made it on this laptop
    current = None
    if key.encrypted:
        current = os.environ.get(PASSPHRASE_ENV)
        if current is None:
            current = getpass.getpass("Mật khẩu hiện tại của khóa: ")
    new = os.environ.get(NEW_PASSPHRASE_ENV)
    if new is None:
        new = getpass.getpass("Mật khẩu mới (để trống để bỏ mật khẩu): ")
        if getpass.getpass("Nhập lại mật khẩu mới: ") != new:
            raise CommandError("Hai lần nhập mật khẩu mới không giống nhau; chưa đổi gì.")
    if not new and not key.encrypted:
        raise CommandError("Khóa chưa có mật khẩu và mật khẩu mới để trống: không có gì để đổi.")
    change_passphrase(public, current, new)
    out("Đã lưu mật khẩu của khóa." if new else "Đã bỏ mật khẩu của khóa.")


def _show_keys(name: str) -> None:
    """The fingerprint of this laptop's key for the person (created at first use)."""
    from ictappraise.services.trust import ensure_key

    signer = ensure_key(name)
    out(f"Vân tay khóa của máy này: {signer.fingerprint}")
    out("Khi Tổ trưởng công nhận khóa, hai bên đọc và so vân tay này (trực tiếp hoặc qua điện thoại).")


def run_announce_key(args: argparse.Namespace) -> int:
    import uuid

    from ictappraise.services.trust import announce, ensure_key
    from ictappraise.services.workspace import Actor

    config = load_config()
    if config.identity is None:
        raise CommandError('Máy này chưa khai báo người dùng. Dùng: ictappraise identity --set "Họ tên".')
    with workspace(args) as ws:
        member = ws.find_member(config.identity.name)
        member_id = member.id if member else str(uuid.uuid4())
        signer = ensure_key(config.identity.name)
        actor = Actor(member_id, config.device_id, config.identity.name, "member", signer)
        ws.actor = actor
        announce(ws, actor, config.identity.title)
        out(f"Đã ghi thông báo khóa của {config.identity.name}, vân tay {signer.fingerprint}.")
        out("Hãy xuất gói dữ liệu gửi Tổ trưởng và đọc vân tay này cho Tổ trưởng đối chiếu.")
    return 0


def run_adopt(args: argparse.Namespace) -> int:
    from ictappraise.services.trust import adopt

    with workspace(args, acting=True) as ws:
        if not ws.roster.founded:
            raise CommandError(
                "Đợt này chưa có khóa của Tổ trưởng: Tổ trưởng mở tệp trên máy của mình trước."
            )
        edit = adopt(ws)
        count = len(edit.value["edits"]) if edit is not None else 0
        out(
            f"Đã xác nhận {count} sửa đổi chưa ký." if count else "Không có sửa đổi chưa ký nào cần xác nhận."
        )
    return 0


def run_admit_key(args: argparse.Namespace) -> int:
    from ictappraise.services.trust import admit_key, announced

    with workspace(args, acting=True) as ws:
        if not args.fingerprint:
            waiting = announced(ws)
            if not waiting:
                out("Không có khóa nào đang chờ Tổ trưởng công nhận.")
            for fingerprint, name, title in waiting:
                out(f"{fingerprint}  {name}" + (f", {title}" if title else ""))
            return 0
        name = admit_key(ws, args.fingerprint, args.role)
        out(f"Đã công nhận khóa {args.fingerprint} của {name}.")
    return 0


def run_results(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        warn_damage(ws)
        results = ws.results()
        trends = chain.trends(ws)
        mismatches = {r.agency.id: fingerprint_mismatch(ws.detail(r.agency.id)) for r in results}
        if args.json:
            rows = [
                result_json(r, trends.of(r.agency.code)) | _mismatch_json(mismatches[r.agency.id])
                for r in results
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            _print_table(results, trends, {a for a, found in mismatches.items() if found})
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
        "shown": band_view(card, result.status, result.conflicts).document_label(),
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


def _mismatch_json(found: tuple[str, str] | None) -> dict[str, Any]:
    """Signed minutes whose data changed since: both fingerprints, else null."""
    value = None if found is None else {"signed": found[0], "current": found[1]}
    return {"fingerprint_mismatch": value}


def _print_table(results: list[AgencyResult], trends: Trends, mismatched: set[str]) -> None:
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
        view = band_view(card, result.status, result.conflicts)
        points = view.total or f"—/{format_points(card.maximum)}"
        base = rating.base_band.value if rating and view.final else "—"
        band = view.label  # the status column says whether the minutes are signed
        rank = "" if result.rank is None else str(result.rank)
        out(
            f"{rank:>4}  {result.agency.code:<6} {result.agency.name:<46} {points:>15}  {base:<10} {band:<22} "
            f"{STATUS_LABELS[result.status]}"
            + (f" — {MISMATCH_MARK}" if result.agency.id in mismatched else "")
        )
        if rating and view.final:
            for reason in rating.applied:
                out(f"{'':>12}{reason}")
        if trends.of(result.agency.code):
            out(f"{'':>12}Kết quả các năm trước — {trend_text(trends.of(result.agency.code), card.maximum)}")
