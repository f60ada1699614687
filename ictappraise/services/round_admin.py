"""The lead's use cases: round settings, thresholds, agencies, the team and the visit schedule.

Every function validates first and refuses with a Vietnamese ServiceError, then writes all
its changes in one Workspace.write (one transaction), so nothing is half-done. Only the
team's lead (member role "lead") may change the round; a member may set their own
signature image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ictappraise.domain.dates import format_day
from ictappraise.domain.fields import (
    ROUND_DATES,
    ROUND_WHOLE,
    SETTINGS_KEYS,
    agency_field,
    member_field,
    parse_field,
    round_field,
    rules_field,
)
from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.rating import CATEGORIES, CategoryRules
from ictappraise.domain.roles import ROLE_LABELS, ROLE_LEAD
from ictappraise.services import appraisal
from ictappraise.services.appraisal import is_lead as is_lead  # who may act: re-exported for the screens
from ictappraise.services.appraisal import require_lead
from ictappraise.services.model import Agency, Member
from ictappraise.services.trust import unlock_to_sign
from ictappraise.services.workspace import Change, ServiceError, Workspace
from ictappraise.store import repository

_WHOLE_WHAT = {"portal_quota": "Số tin, bài phải đăng mỗi tháng", "minutes_copies": "Số bản biên bản"}
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
# "7:30", "7h30", "07.30", "8h", and the digits alone as typed fast: "730", "1130".
_TIME = re.compile(r"^(\d{1,2})(?:[:hgG.](\d{2})?)?$|^(\d{1,2})(\d{2})$")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"GIF87a", b"GIF89a")


# -- round settings and thresholds ---------------------------------------------------------
def set_round_settings(ws: Workspace, **values: Any) -> int:
    """Change round settings (keys of SETTINGS_KEYS); return how many fields changed."""
    require_lead(ws)
    info = ws.round_info()
    changes: list[Change] = []
    for key, value in values.items():
        if key not in SETTINGS_KEYS:
            raise ServiceError(f"Không có thiết lập «{key}» của đợt đánh giá.")
        changes.append(Change(round_field(key), _setting_value(key, value)))
    start = values.get("visit_start", info.visit_start)
    end = values.get("visit_end", info.visit_end)
    if isinstance(start, date) and isinstance(end, date) and start > end:
        raise ServiceError(
            f"Ngày bắt đầu thẩm định ({format_day(start)}) phải trước hoặc bằng ngày kết thúc ({format_day(end)})."
        )
    return len(ws.write(changes))


def _setting_value(key: str, value: Any) -> Any:
    if key == "name":
        text = " ".join(str(value or "").split())
        if not text:
            raise ServiceError("Tên đợt đánh giá không được để trống.")
        return text
    if key == "place":
        text = " ".join(str(value or "").split())
        if not text:
            raise ServiceError("Địa danh ghi trên biên bản (ví dụ Phan Thiết) không được để trống.")
        return text
    if key in ROUND_DATES:
        if value is None:
            return None
        if not isinstance(value, date):
            raise ServiceError(f"Ngày không hợp lệ: {value!r}.")
        return value.isoformat()
    if key in ROUND_WHOLE:  # the bounds declared in domain.fields
        return _whole(value, _WHOLE_WHAT[key], *ROUND_WHOLE[key])
    lines = [" ".join(str(line).split()) for line in (value or ())]
    return [line for line in lines if line]  # legal_basis: one document per line


def _whole(value: Any, what: str, low: int, high: int) -> int:
    try:
        number = parse_decimal(value, what=what)
    except ValueError as error:
        raise ServiceError(str(error)) from error
    if number != number.to_integral_value() or not low <= number <= high:
        raise ServiceError(f"{what} phải là số nguyên từ {low} đến {high}, không phải {value}.")
    return int(number)


def set_thresholds(
    ws: Workspace, category: int, *, tot: Any, kha: Any, trung_binh: Any, maximum: Any = None
) -> None:
    """Lower bounds of Tốt, Khá, Trung bình of a category; the maximum is the catalog's."""
    require_lead(ws, "thay đổi ngưỡng xếp loại")
    if category not in CATEGORIES:
        raise ServiceError(f"Không có nhóm đối tượng Phụ lục {category}.")
    catalog = ws.catalogs().get(category)
    top = catalog.maximum if catalog is not None else ws.rules()[category].maximum
    try:
        bounds = [
            parse_decimal(v, what=w)
            for v, w in ((tot, "Ngưỡng Tốt"), (kha, "Ngưỡng Khá"), (trung_binh, "Ngưỡng Trung bình"))
        ]
        if maximum is not None and parse_decimal(maximum, what="Điểm tối đa") != top:
            raise ServiceError(
                f"Điểm tối đa của Phụ lục {category} phải bằng tổng điểm bộ tiêu chí "
                f"({format_points(top)}), không phải {maximum}."
            )
        rules = CategoryRules(category, top, *bounds)
    except ServiceError:
        raise
    except ValueError as error:
        raise ServiceError(str(error)) from error
    ws.set(rules_field(category), rules.to_dict())


# -- agencies ------------------------------------------------------------------------------
@dataclass(frozen=True)
class AgencyRow:
    """An agency as the settings screen lists it."""

    agency: Agency
    order: int
    has_scores: bool
    signed: bool
    appraised: bool = False


def agency_rows(ws: Workspace) -> list[AgencyRow]:
    """Active agencies by Phụ lục, then their order in the round."""
    rows = []
    for item in ws.agencies():
        order = ws.state(item.id).value(agency_field(item.id, "order"), 0) or 0
        rows.append(
            AgencyRow(
                item,
                int(order),
                has_scores(ws, item.id),
                ws.is_signed(item.id),
                has_scores(ws, item.id, parts=("appraised",)),
            )
        )
    return sorted(rows, key=lambda r: (r.agency.category, r.order, r.agency.name))


def has_scores(ws: Workspace, agency_id: str, parts: tuple[str, ...] = ("appraised", "self")) -> bool:
    """Whether any self or appraised score is recorded (a value, or a conflict)."""
    for name, state in ws.state(agency_id).fields.items():
        ref = parse_field(name)
        if ref.agency_id == agency_id and ref.part in parts:
            if state.conflict or state.value is not None:
                return True
    return False


def _clean_code(code: str) -> str:
    text = "".join(str(code or "").split()).upper()
    if not text:
        raise ServiceError("Mã đơn vị không được để trống (ví dụ HUTP).")
    if len(text) > 20 or not all(ch.isalnum() or ch in "-_." for ch in text):
        raise ServiceError(f"Mã đơn vị «{code}» chỉ gồm chữ, số, dấu - _ . và không quá 20 ký tự.")
    return text


def _clean_name(name: str, what: str = "Tên đơn vị") -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise ServiceError(f"{what} không được để trống.")
    return text


def _check_unique(ws: Workspace, code: str | None, name: str | None, except_id: str = "") -> None:
    for other in ws.agencies():
        if other.id == except_id:
            continue
        if code is not None and other.code.casefold() == code.casefold():
            raise ServiceError(f"Mã {code} đã dùng cho {other.name}.")
        if name is not None and " ".join(other.name.split()).casefold() == name.casefold():
            raise ServiceError(f"Đã có đơn vị «{other.name}» (mã {other.code}).")


def _check_category(ws: Workspace, category: Any) -> int:
    if isinstance(category, bool) or not isinstance(category, int) or category not in CATEGORIES:
        raise ServiceError(f"Không có nhóm đối tượng Phụ lục {category} (chỉ có Phụ lục 2–7).")
    ws.catalog(category)  # refuses a category without a catalog in this round
    return category


def add_agency(ws: Workspace, code: str, name: str, category: int) -> str:
    """A new agency of the round (new id); return its id."""
    require_lead(ws, "thêm đơn vị")
    code, name = _clean_code(code), _clean_name(name)
    category = _check_category(ws, category)
    _check_unique(ws, code, name)
    new_id = ws.new_id()
    order = max((r.order for r in agency_rows(ws)), default=0) + 1
    ws.write(
        [
            Change(agency_field(new_id, "code"), code),
            Change(agency_field(new_id, "name"), name),
            Change(agency_field(new_id, "category"), category),
            Change(agency_field(new_id, "order"), order),
        ]
    )
    return new_id


def rename_agency(ws: Workspace, agency_id: str, name: str, code: str | None = None) -> None:
    """A new name (and optionally a new short code)."""
    require_lead(ws, "đổi tên đơn vị")
    ws.agency(agency_id)
    name = _clean_name(name)
    clean_code = _clean_code(code) if code is not None else None
    _check_unique(ws, clean_code, name, except_id=agency_id)
    changes = [Change(agency_field(agency_id, "name"), name)]
    if clean_code is not None:
        changes.append(Change(agency_field(agency_id, "code"), clean_code))
    ws.write(changes)


def change_category(ws: Workspace, agency_id: str, category: int) -> None:
    """Move an agency to another Phụ lục; refused once it has scores (its catalog would change)."""
    require_lead(ws, "đổi nhóm đối tượng của đơn vị")
    agency = ws.agency(agency_id)
    category = _check_category(ws, category)
    if category == agency.category:
        return
    if has_scores(ws, agency_id):
        raise ServiceError(
            f"{agency.name} đã có điểm (tự đánh giá hoặc thẩm định) theo bộ tiêu chí Phụ lục "
            f"{agency.category}, nên không thể chuyển sang Phụ lục {category}: các tiêu chí khác nhau. "
            "Hãy ngừng theo dõi đơn vị này (ghi lý do) rồi thêm lại đơn vị ở Phụ lục mới."
        )
    ws.set(agency_field(agency_id, "category"), category)


def deactivate_agency(ws: Workspace, agency_id: str, reason: str | None = None) -> None:
    """Remove an agency from the round (kept in the log); a reason is required once it has scores."""
    require_lead(ws, "bỏ đơn vị khỏi đợt đánh giá")
    agency = ws.agency(agency_id)
    reason = (reason or "").strip() or None
    if reason is None and has_scores(ws, agency_id):
        raise ServiceError(f"{agency.name} đã có điểm; muốn bỏ đơn vị khỏi đợt đánh giá phải ghi rõ lý do.")
    ws.set(agency_field(agency_id, "active"), False, reason)


def set_schedule(ws: Workspace, agency_id: str, visit_date: date | None, start: str) -> None:
    """The visit date and start time ("07:30") of an agency (locked once its minutes are signed)."""
    require_lead(ws, "sắp xếp lịch thẩm định")
    ws.agency(agency_id)
    appraisal.set_visit(ws, agency_id, date=visit_date, start=normalize_time(start))


def normalize_time(text: str | None) -> str:
    """ "7:30", "7h30", "07.30", "730" → "07:30", "8h" → "08:00"; "" stays ""; else refused."""
    raw = (text or "").strip()
    if not raw:
        return ""
    found = _TIME.match(raw)
    hours = (found[1] or found[3]) if found else ""
    minutes = (found[2] or found[4] or "00") if found else ""
    if not found or int(hours) > 23 or int(minutes) > 59:
        raise ServiceError(f"Giờ «{raw}» không hợp lệ; nhập dạng giờ:phút, ví dụ 07:30 hoặc 14:00.")
    return f"{int(hours):02d}:{minutes}"


# -- the team ------------------------------------------------------------------------------
def _check_role(role: str) -> str:
    if role not in ROLE_LABELS:
        raise ServiceError(f"Vai trò «{role}» không có (chỉ có: {', '.join(ROLE_LABELS.values())}).")
    return role


def _check_member_name(ws: Workspace, name: str, except_id: str = "") -> str:
    name = _clean_name(name, "Họ tên thành viên")
    found = ws.find_member(name)
    if found is not None and found.id != except_id:
        raise ServiceError(f"Tổ thẩm định đã có thành viên «{found.name}».")
    return name


def _leads(ws: Workspace) -> list[Member]:
    return [m for m in ws.members() if m.role == ROLE_LEAD]


def add_member(ws: Workspace, name: str, title: str, role: str) -> str:
    """A new team member; return their id."""
    require_lead(ws, "thêm thành viên Tổ thẩm định")
    name, role = _check_member_name(ws, name), _check_role(role)
    new_id = ws.new_id()
    ws.write(_member_changes(new_id, name, title, role))
    return new_id


def _member_changes(member_id: str, name: str, title: str, role: str) -> list[Change]:
    return [
        Change(member_field(member_id, "name"), name),
        Change(member_field(member_id, "title"), " ".join((title or "").split())),
        Change(member_field(member_id, "role"), role),
    ]


def edit_member(ws: Workspace, member_id: str, *, name: str, title: str, role: str) -> None:
    """Change a member's name, title and role; the team always keeps a lead."""
    require_lead(ws, "sửa thông tin thành viên Tổ thẩm định")
    member = _member(ws, member_id)
    name, role = _check_member_name(ws, name, except_id=member_id), _check_role(role)
    if member.role == ROLE_LEAD and role != ROLE_LEAD and len(_leads(ws)) == 1:
        raise ServiceError(
            f"{member.name} là Tổ trưởng duy nhất; hãy giao vai trò Tổ trưởng cho người khác trước."
        )
    ws.write(_member_changes(member_id, name, title, role))


def deactivate_member(ws: Workspace, member_id: str, reason: str | None = None) -> None:
    """Take a member off the team (their past edits keep their name in the history)."""
    require_lead(ws, "bỏ thành viên khỏi Tổ thẩm định")
    member = _member(ws, member_id)
    if member.role == ROLE_LEAD and len(_leads(ws)) == 1:
        raise ServiceError(f"Không thể bỏ {member.name}: Tổ thẩm định phải luôn có Tổ trưởng.")
    ws.set(member_field(member_id, "active"), False, (reason or "").strip() or None)
    from ictappraise.services.trust import revoke_keys  # a removed member's keys sign nothing new

    revoke_keys(ws, member_id)


def _member(ws: Workspace, member_id: str) -> Member:
    member = ws.member(member_id)
    if member is None:
        raise ServiceError("Không tìm thấy thành viên này trong Tổ thẩm định.")
    return member


def set_member_signature(ws: Workspace, member_id: str, data: bytes | None) -> str | None:
    """Store a signature image (PNG, JPEG, BMP or GIF, at most 2 MB); None removes it."""
    actor = ws.require_actor()
    member = _member(ws, member_id)
    if actor.member_id != member_id:
        require_lead(ws, "thay chữ ký của thành viên khác")
    if data is None:
        ws.set(member_field(member_id, "signature"), None)
        return None
    if not data.startswith(_IMAGE_MAGIC):
        raise ServiceError("Tệp chữ ký phải là ảnh PNG, JPEG, BMP hoặc GIF.")
    if len(data) > MAX_SIGNATURE_BYTES:
        raise ServiceError(f"Ảnh chữ ký của {member.name} quá lớn (tối đa 2 MB); hãy thu nhỏ ảnh.")
    ws.db.check_still_there()
    unlock_to_sign(ws)  # a cancelled passphrase stores no bytes
    # The bytes are stored before the edit that names them, so no edit points at missing bytes.
    with ws.db.transaction() as session:
        digest = repository.put_attachment(session, data)
    ws.set(member_field(member_id, "signature"), digest)
    return digest


def member_signature(ws: Workspace, member_id: str) -> bytes | None:
    """The signature image of a member, if any."""
    member = ws.member(member_id)
    if member is None or not member.signature:
        return None
    with ws.db.reading() as session:
        return repository.get_attachment(session, member.signature)


def rules_table(ws: Workspace) -> list[CategoryRules]:
    """The thresholds of every category, Phụ lục order."""
    return [ws.rules()[category] for category in CATEGORIES]


def catalog_maximum(ws: Workspace, category: int) -> Decimal | None:
    """The catalog's maximum of a category (None without a catalog)."""
    catalog = ws.catalogs().get(category)
    return None if catalog is None else catalog.maximum


@dataclass(frozen=True)
class CatalogRow:
    """A catalog as the settings screen lists it."""

    category: int
    title: str
    version: str
    criteria: int
    maximum: Decimal | None
    sample: bool
    agencies: int
    scored_agencies: int


def catalog_rows(ws: Workspace) -> list[CatalogRow]:
    """Every category with its catalog (if any) and how many of its agencies have scores."""
    rows = agency_rows(ws)
    result = []
    for category in CATEGORIES:
        catalog = ws.catalogs().get(category)
        mine = [r for r in rows if r.agency.category == category]
        result.append(
            CatalogRow(
                category=category,
                title=catalog.title if catalog else "",
                version=catalog.version if catalog else "",
                criteria=sum(1 for _ in catalog.criteria()) if catalog else 0,
                maximum=catalog.maximum if catalog else None,
                sample=catalog.sample if catalog else False,
                agencies=len(mine),
                scored_agencies=sum(1 for r in mine if r.has_scores),
            )
        )
    return result


def plan_catalog_replacement(ws: Workspace, category: int, path: str) -> Any:
    """Read an official catalog sheet for a category (nothing written); lead only.

    Returns the Excel service's CatalogPlan (its ``errors`` say why it cannot be applied,
    its ``summary()`` what would change).
    """
    require_lead(ws, "thay bộ tiêu chí")
    from ictappraise.services import excel_import  # openpyxl only when a sheet is read

    return excel_import.plan_catalog_import(ws, category, Path(path))


def apply_catalog_plan(ws: Workspace, plan: Any) -> int:
    """Replace the catalog as planned (refused while an agency of the category has scores)."""
    require_lead(ws, "thay bộ tiêu chí")
    from ictappraise.services import excel_import

    return int(excel_import.apply_catalog(ws, plan))
