"""The audit trail in words: who changed what, when, old → new, why (domain.md §1, §7).

Turns Workspace.history lines into rows a clerk reads: Vietnamese field labels, appraised
inputs shown as the appraiser entered them ("Có", "45/50", "Chuyên trách") with their points,
dates as dd/mm/yyyy, member ids as names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.scorecard import Appraisal, score_row
from ictappraise.domain.scoring_rules import TIMELINESS_CHOICES
from ictappraise.services.appraisal import criterion_of
from ictappraise.services.evidence import format_size
from ictappraise.services.model import HistoryLine
from ictappraise.services.reading import parse_date
from ictappraise.services.round_admin import member_names
from ictappraise.services.workspace import SYSTEM_AUTHOR, SYSTEM_AUTHOR_NAME, Workspace

CRIT_LABELS = {
    "appraised": "Điểm thẩm định",
    "self": "Điểm tự đánh giá",
    "self_evidence": "Minh chứng đơn vị kê khai",
    "self_by_team": "Điểm tự đánh giá do Tổ nhập",
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
}
AGENCY_LABELS = {
    "name": "Tên đơn vị",
    "code": "Mã đơn vị",
    "category": "Nhóm đối tượng",
    "order": "Thứ tự",
    "active": "Còn trong đợt đánh giá",
    "status": "Trạng thái biên bản",
}
STATE_LABELS = {"draft": "Đang thẩm định", "ready": "Chờ ký", "signed": "Đã ký", "reopened": "Mở lại để sửa"}
OPINION_LABELS = {"agree": "Thống nhất", "reserve": "Bảo lưu ý kiến"}


@dataclass(frozen=True)
class HistoryRow:
    """One change, in words."""

    moment: datetime | None
    time: str
    who: str
    what: str
    old: str
    new: str
    reason: str
    held: bool
    field: str


def describe_history(ws: Workspace, agency_id: str, code: str | None = None) -> list[HistoryRow]:
    """Changes of one criterion (with its sub-items) or, with code None, of the whole agency."""
    agency = ws.agency(agency_id)
    catalog = ws.catalogs().get(agency.category)
    if code is None:
        lines = ws.history(f"agency/{agency_id}/")
        single = None
    else:
        criterion = criterion_of(ws, agency_id, code)
        codes = [criterion.code, *(sub.code for sub in criterion.sub_items)]
        lines = [line for c in codes for line in ws.history(f"agency/{agency_id}/crit/{c}/")]
        single = code
    return [_row(ws, line, agency_id, catalog, single) for line in _ordered(lines)]


def _ordered(lines: list[HistoryLine]) -> list[HistoryLine]:
    """Oldest first; within one second (the clock's resolution) a change comes after the one it replaced."""
    by_id = {line.edit.id: line.edit for line in lines}
    generation: dict[str, int] = {}

    def depth(edit_id: str) -> int:
        if edit_id not in generation:
            generation[edit_id] = 0  # guards against a malformed cycle
            parents = [p for p in by_id[edit_id].parents if p in by_id]
            generation[edit_id] = 1 + max((depth(p) for p in parents), default=0)
        return generation[edit_id]

    return sorted(lines, key=lambda line: (line.edit.created_at, depth(line.edit.id), line.edit.id))


def _row(
    ws: Workspace, line: HistoryLine, agency_id: str, catalog: Catalog | None, single: str | None
) -> HistoryRow:
    edit = line.edit
    rest = edit.field[len(f"agency/{agency_id}/") :]
    moment = _moment(edit.created_at)
    what, render = _label(ws, rest, catalog, single)
    old = " | ".join(render(value) for value in line.old_values)
    return HistoryRow(
        moment=moment,
        time=moment.strftime("%d/%m/%Y %H:%M") if moment else edit.created_at,
        who=_author(ws, edit.author),
        what=what,
        old=old,
        new=render(line.new_value),
        reason=edit.reason or "",
        held=line.held,
        field=edit.field,
    )


def _author(ws: Workspace, member_id: str) -> str:
    if member_id == SYSTEM_AUTHOR:
        return SYSTEM_AUTHOR_NAME
    return member_names(ws, [member_id])[0]


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _label(ws: Workspace, rest: str, catalog: Catalog | None, single: str | None) -> tuple[str, Any]:
    """The Vietnamese label of a field (after agency/<id>/) and how to show its values."""
    parts = rest.split("/")
    head = parts[0]
    if head == "crit" and len(parts) >= 3:
        code, part = parts[1], parts[2]
        label = CRIT_LABELS.get(part, part)
        shown = label if single == code else f"Tiêu chí {code} · {label}"
        criterion = catalog.find(code) if catalog else None
        return shown, _crit_renderer(part, criterion)
    if head == "fact" and len(parts) >= 2:
        if parts[1] == "portal" and len(parts) == 3:
            return f"Số tin, bài trên Cổng TTĐT tháng {parts[2]}", _plain
        return FACT_LABELS.get(parts[1], parts[1]), _plain
    if head == "visit" and len(parts) >= 2:
        key = parts[1]
        return f"Buổi thẩm định · {VISIT_LABELS.get(key, key)}", lambda value: _visit_value(ws, key, value)
    if head == "status":
        return AGENCY_LABELS["status"], _status
    if head == "category":
        return AGENCY_LABELS["category"], lambda v: "(trống)" if v is None else f"Phụ lục {v}"
    return AGENCY_LABELS.get(head, rest), _plain


def _plain(value: Any) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str) and parse_date(value) and len(value) == 10:
        return f"{parse_date(value):%d/%m/%Y}"
    if isinstance(value, list | tuple):
        return "; ".join(_plain(v) for v in value)
    return str(value)


def _crit_renderer(part: str, criterion: Criterion | None) -> Any:
    if part == "appraised":
        return lambda value: describe_appraisal(criterion, value)
    if part == "self":
        return lambda value: "(trống)" if value is None else f"{_points(value)} điểm"
    if part == "attachment":
        return _attachment
    return _plain


def _points(value: Any) -> str:
    try:
        return format_points(parse_decimal(value))
    except ValueError:
        return str(value)


def _attachment(value: Any) -> str:
    if not isinstance(value, Mapping):
        return "(đã gỡ)"
    return f"{value.get('name', '')} ({format_size(int(value.get('size') or 0))})"


def describe_appraisal(criterion: Criterion | None, value: Any) -> str:
    """An appraised entry as the appraiser entered it, with its points: "45/50 → 18 điểm"."""
    if value is None:
        return "chưa chấm"
    try:
        entry = Appraisal.from_json(value)
    except (ValueError, TypeError, AttributeError):
        return str(value)
    if entry is None:
        return "chưa chấm"
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
            return f"{_points(normal['numerator'])}/{_points(normal['denominator'])}"
        if kind == "level":
            return str(rule.level(raw).label)  # type: ignore[attr-defined]
        if kind == "timeliness":
            return TIMELINESS_CHOICES[rule.normalize_input(raw)]
        if kind in ("tiered", "count_capped"):
            return f"{rule.normalize_input(raw)} {rule.unit}"  # type: ignore[attr-defined]
        if kind == "manual":
            return f"{_points(raw)} điểm"
    except (ValueError, KeyError, TypeError):
        pass
    return str(raw)


def _status(value: Any) -> str:
    if not isinstance(value, Mapping):
        return "(trống)"
    state = str(value.get("state", ""))
    label = STATE_LABELS.get(state, state)
    if state == "signed" and value.get("revision"):
        return f"{label} (lần {value['revision']})"
    return label


def _visit_value(ws: Workspace, key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(trống)"
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
    return _plain(value)
