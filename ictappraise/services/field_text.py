"""Edit fields and their values in Vietnamese: one vocabulary for the history and the conflict lists.

Labels name a field of an agency (a ``FieldRef`` of domain.fields); values are shown as the appraiser entered them
("Có", "45/50 → 18 điểm", "Chuyên trách"), dates as dd/mm/yyyy, member ids as names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ictappraise.domain.catalog import Criterion
from ictappraise.domain.dates import format_day, format_moment
from ictappraise.domain.editlog import STATE_READY, STATE_REOPENED, STATE_SIGNED
from ictappraise.domain.fields import (
    CATALOG_HEAD,
    FOLLOWUP_STATES,
    FOUNDING_FIELD,
    ROUND,
    FieldRef,
    member_field,
    parse_field,
)
from ictappraise.domain.limits import format_size
from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.roles import ROLE_LABELS
from ictappraise.domain.scorecard import Appraisal, score_row
from ictappraise.domain.scoring_rules import TIMELINESS_CHOICES, CountCapped, Levels, Tiered

if TYPE_CHECKING:
    from ictappraise.services.workspace import Workspace

CRIT_LABELS = {
    "appraised": "Điểm thẩm định",
    "self": "Điểm tự đánh giá",
    "self_evidence": "Minh chứng đơn vị kê khai",
    "self_by_team": "Điểm tự đánh giá do Tổ nhập hộ",
    "note": "Ghi chú, lý do chênh lệch",
    "attachment": "Tệp minh chứng",
}
FACT_LABELS = {
    "report_sent": "Ngày gửi báo cáo",
    "report_received": "Ngày nhận báo cáo",
    "report_attached": "Có kèm báo cáo kết quả",
}
VISIT_LABELS = {
    "date": "Ngày thẩm định",
    "start": "Giờ bắt đầu",
    "end": "Giờ kết thúc",
    "place": "Địa điểm",
    "team": "Thành viên Tổ tham dự",
    "representatives": "Đại diện đơn vị",
    "strengths": "Ưu điểm",
    "weaknesses": "Hạn chế",
    "recommendations": "Kiến nghị",
    "opinion": "Ý kiến của đơn vị",
    "opinion_text": "Nội dung ý kiến của đơn vị",
    "minutes_number": "Số biên bản",
    "individuals": "Cá nhân tiêu biểu do Tổ ghi nhận",
}
AGENCY_LABELS = {
    "name": "Tên đơn vị",
    "code": "Mã đơn vị",
    "category": "Nhóm đối tượng",
    "order": "Thứ tự",
    "active": "Còn trong đợt đánh giá",
    "status": "Trạng thái biên bản",
}
ROUND_LABELS = {
    "key": "Mã đợt đánh giá",
    "name": "Tên đợt đánh giá",
    "year": "Năm đánh giá",
    "province": "Tỉnh",
    "issuer": "Cơ quan ghi ở đầu biên bản",
    "issuing_unit": "Đơn vị lập biên bản",
    "place": "Địa danh ghi trên biên bản",
    "legal_basis": "Căn cứ pháp lý",
    "report_deadline": "Hạn gửi báo cáo",
    "visit_start": "Ngày bắt đầu thẩm định",
    "visit_end": "Ngày kết thúc thẩm định",
    "portal_quota": "Số tin, bài phải đăng mỗi tháng trên Cổng TTĐT",
    "minutes_copies": "Số bản biên bản",
    "minutes_number_suffix": "Ký hiệu số biên bản",
    "link": "Liên kết với đợt đánh giá năm trước",
    "code_map": "Ghép mã đơn vị giữa các năm",
    "commendation_rules": "Tiêu chí đề xuất khen thưởng",
}
MEMBER_LABELS = {
    "name": "Họ tên",
    "title": "Chức vụ",
    "role": "Vai trò",
    "signature": "Chữ ký",
    "active": "Còn trong Tổ",
}
STATE_LABELS = {
    "draft": "Đang thẩm định",
    STATE_READY: "Chờ ký",
    STATE_SIGNED: "Đã ký",
    STATE_REOPENED: "Mở lại để sửa",
}
OPINION_LABELS = {"agree": "Thống nhất", "reserve": "Bảo lưu ý kiến"}
EMPTY = "(trống)"
NOT_SCORED = "chưa chấm"


def agency_field_label(ref: FieldRef) -> tuple[str, str | None, str]:
    """(kind: crit|fact|visit|agency, criterion code or None, label) of an agency field."""
    parts = ref.rest or ("",)
    head, rest = parts[0], ref.within
    if head == "crit" and len(parts) >= 3:
        return "crit", parts[1], CRIT_LABELS.get(parts[2], parts[2])
    if head == "fact" and len(parts) == 3 and parts[1] == "portal":
        return "fact", None, f"Số tin, bài trên Cổng TTĐT tháng {parts[2]}"
    if head == "fact" and len(parts) >= 2:
        return "fact", None, FACT_LABELS.get(parts[1], parts[1])
    if head == "visit" and len(parts) == 4 and parts[1] == "dropped":
        return "visit", None, f"Ý Hạn chế bắt buộc: {dropped_line_name(parts[2], parts[3])}"
    if head == "visit" and len(parts) == 3 and parts[1] == "followup":
        return "visit", None, f"Khắc phục kiến nghị năm trước, mục {parts[2]}"
    if head == "visit" and len(parts) >= 2:
        return "visit", None, VISIT_LABELS.get(parts[1], parts[1])
    return "agency", None, AGENCY_LABELS.get(head, rest)


#: What a required "Hạn chế" line about a penalty fact is about (services.remarks).
DROPPED_FACT_NAMES = {
    "report_sent": "gửi báo cáo muộn",
    "report_attached": "không kèm báo cáo",
    "portal": "tin, bài trên Cổng TTĐT",
}


def dropped_line_name(kind: str, key: str) -> str:
    """A required line in words: "tiêu chí IV.3", "gửi báo cáo muộn"."""
    return f"tiêu chí {key}" if kind == "crit" else DROPPED_FACT_NAMES.get(key, key)


def round_field_label(key: str) -> str:
    """A round setting in words ("Hạn gửi báo cáo"); a key this version does not know, quoted."""
    return ROUND_LABELS.get(key) or f"Thiết lập «{key}» của đợt"


def field_title(field_name: str) -> str:
    """Any field in words without looking anything up ("Tiêu chí IV.3 — Điểm tự đánh giá")."""
    ref = parse_field(field_name)
    rest, size = ref.rest, len(ref.rest)
    if size == 2 and ref.head in ("rules", "previous", "commend") and ref.family == ROUND:
        return {
            "rules": f"Ngưỡng xếp loại Phụ lục {rest[1]}",
            "previous": f"Kết quả lưu trữ của đợt đánh giá năm {rest[1]}",
            "commend": "Đề xuất khen thưởng của Tổ trưởng",
        }[ref.head]
    if ref.family == ROUND and size == 1 and field_name != FOUNDING_FIELD:
        return round_field_label(ref.head)
    if ref.family == CATALOG_HEAD and size == 1:
        return f"Bộ tiêu chí Phụ lục {ref.head}"
    if ref.member_id is not None and size == 1:
        return f"Thành viên Tổ thẩm định — {MEMBER_LABELS.get(ref.head, ref.head)}"
    if field_name == FOUNDING_FIELD:
        return "Lập đợt đánh giá (khóa của Tổ trưởng)"
    if ref.is_round("adoption"):
        return "Tổ trưởng xác nhận các sửa đổi chưa ký"
    if ref.member_id is not None and size == 2 and ref.head in ("key", "announce"):
        fingerprint = " ".join(rest[1][i : i + 4] for i in range(0, len(rest[1]), 4))
        what = "Khóa" if ref.head == "key" else "Thông báo khóa"
        return f"Thành viên Tổ thẩm định — {what} (vân tay {fingerprint})"
    if ref.agency_id is not None:
        kind, code, label = agency_field_label(ref)
        if kind == "crit":
            return f"Tiêu chí {code} — {label}"
        if kind == "visit":
            return f"Buổi thẩm định — {label}"
        return label
    return field_name


def member_names(ws: Workspace, ids: Sequence[str]) -> list[str]:
    """Names of members by id, including members no longer in the team."""
    state = ws.state()
    names = []
    for member_id in ids:
        found = ws.member(member_id)
        names.append(found.name if found else state.value(member_field(member_id, "name"), "") or "?")
    return names


def round_value_text(ws: Workspace, field_name: str, value: Any) -> str:
    """A value of a round, catalog or member field in words (thresholds, catalogs, roles, dates…)."""
    ref = parse_field(field_name)
    if value is None:
        return EMPTY
    if ref.is_round("rules") and isinstance(value, Mapping):
        try:
            return (
                f"Tốt từ {points_text(value['tot'])}, Khá từ {points_text(value['kha'])}, Trung bình từ "
                f"{points_text(value['trung_binh'])} (tối đa {points_text(value['maximum'])})"
            )
        except KeyError:
            return plain_text(value)
    if ref.family == CATALOG_HEAD and isinstance(value, Mapping):
        groups = value.get("groups")
        listed = groups if isinstance(groups, list) else []
        count = sum(len(g.get("criteria") or ()) for g in listed if isinstance(g, Mapping))
        version = f", phiên bản {value['version']}" if value.get("version") else ""
        return f"«{value.get('title', '')}»{version}, {count} tiêu chí"
    if ref.member_id is not None and len(ref.rest) == 1:
        if ref.head == "role":
            return ROLE_LABELS.get(str(value), str(value))
        if ref.head == "signature":
            return "Có ảnh chữ ký"
    if ref.family == ROUND and ref.rest == ("legal_basis",) and isinstance(value, list):
        return "; ".join(str(line) for line in value) or EMPTY
    return plain_text(value)


def agency_value_text(ws: Workspace, ref: FieldRef, value: Any, criterion: Criterion | None = None) -> str:
    """A value of an agency field in words; ``criterion`` scores an appraised entry."""
    parts = ref.rest or ("",)
    head = parts[0]
    if head == "crit" and len(parts) >= 3:
        part = parts[2]
        if part == "appraised":
            return describe_appraisal(criterion, value)
        if part == "self":
            return EMPTY if value is None else f"{points_text(value)} điểm"
        if part == "attachment":
            return attachment_text(value)
    if head == "visit" and len(parts) >= 2:
        return visit_value_text(ws, parts[1], value)
    if head == "status":
        return status_text(value)
    if head == "category":
        return EMPTY if value is None else f"Phụ lục {value}"
    return plain_text(value)


def plain_text(value: Any) -> str:
    """Any stored value in words: "(trống)", "Có"/"Không", dd/mm/yyyy, lists joined, JSON shortened."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str):
        return date_text(value) or value
    if isinstance(value, list | tuple):
        return "; ".join(plain_text(v) for v in value)
    if isinstance(value, Mapping):
        return short(json.dumps(value, ensure_ascii=False, default=str))
    return str(value)


def points_text(value: Any) -> str:
    """A stored number of points with a decimal comma ("12,5"), or the text as it is."""
    try:
        return format_points(parse_decimal(value))
    except ValueError:
        return str(value)


def date_text(value: str) -> str | None:
    """An ISO date "2022-12-09" as "09/12/2022"; None for anything else."""
    if len(value) == 10 and value[4] == "-":
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return None
    return None


def time_text(created_at: str) -> str:
    """An edit's timestamp as "09/12/2022 14:05" (display only)."""
    try:
        return format_moment(datetime.fromisoformat(created_at))
    except ValueError:
        return created_at


def short(text: str, limit: int = 160) -> str:
    """Text cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def attachment_text(value: Any) -> str:
    """An attachment record as "name.pdf (12,4 KB)"; a removed one as "(đã gỡ)"."""
    if not isinstance(value, Mapping):
        return "(đã gỡ)"
    return f"{value.get('name', '')} ({format_size(int(value.get('size') or 0))})"


def status_text(value: Any) -> str:
    """A status edit as "Chờ ký", "Đã ký (lần 2)"…"""
    if not isinstance(value, Mapping):
        return EMPTY
    state = str(value.get("state", ""))
    label = STATE_LABELS.get(state, state)
    if state == STATE_SIGNED and value.get("revision"):
        return f"{label} (lần {value['revision']})"
    return label


def visit_value_text(ws: Workspace, key: str, value: Any) -> str:
    """A visit field's value: members by name, representatives with titles, the opinion in words."""
    if key == "dropped":  # visit/dropped/<line>: {"reason"} or None (printed again)
        if isinstance(value, Mapping):
            return f"Bỏ khỏi biên bản, lý do: {value.get('reason', '')}"
        return "In trong biên bản"
    if value is None or value == "" or value == []:
        return EMPTY
    if key == "team":
        return ", ".join(member_names(ws, list(value)))
    if key == "representatives":
        return "; ".join(
            f"{r.get('name', '')} ({r.get('title', '')})" if r.get("title") else str(r.get("name", ""))
            for r in value
            if isinstance(r, Mapping)
        )
    if key == "opinion":
        return OPINION_LABELS.get(str(value), str(value))
    if key == "followup" and isinstance(value, Mapping):  # visit/followup/<n>: "Đã khắc phục: note"
        label = FOLLOWUP_STATES.get(str(value.get("state")), str(value.get("state")))
        return f"{label}: {value['note']}" if value.get("note") else label
    if key == "individuals":
        return "; ".join(
            f"{p.get('name', '')} — {p.get('reason', '')}" for p in value if isinstance(p, Mapping)
        )
    return plain_text(value)


def describe_appraisal(criterion: Criterion | None, value: Any) -> str:
    """An appraised entry as the appraiser entered it, with its points: "45/50 → 18 điểm"."""
    if value is None:
        return NOT_SCORED
    try:
        entry = Appraisal.from_json(value)
    except (ValueError, TypeError, AttributeError):
        return plain_text(value)
    if entry is None:
        return NOT_SCORED
    if entry.override is not None:
        return f"{format_points(entry.override)} điểm (nhập trực tiếp)"
    if criterion is None:
        return str(entry.input)
    shown = describe_input(criterion, entry.input)
    points, error = score_row(criterion, entry)
    if points is None:
        return f"{shown} (không hợp lệ: {error})" if error else shown
    if criterion.rule.kind == "manual":
        return f"{format_points(points)} điểm"
    return f"{shown} → {format_points(points)} điểm"


def describe_input(criterion: Criterion, raw: Any) -> str:
    """An input of the criterion's rule in words: "Có", "45/50", "Chuyên trách", "3 lớp"."""
    rule = criterion.rule
    kind = rule.kind
    try:
        if kind == "yes_no":
            return "Có" if rule.normalize_input(raw) else "Không"
        if kind in ("ratio", "ratio_threshold"):
            normal = rule.normalize_input(raw)
            return f"{points_text(normal['numerator'])}/{points_text(normal['denominator'])}"
        if isinstance(rule, Levels):
            return str(rule.level(raw).label)
        if kind == "timeliness":
            return TIMELINESS_CHOICES[rule.normalize_input(raw)]
        if isinstance(rule, Tiered | CountCapped):
            return f"{rule.normalize_input(raw)} {rule.unit}"
        if kind == "manual":
            return f"{points_text(raw)} điểm"
    except (ValueError, KeyError, TypeError):
        pass
    return str(raw)
