"""Visit details typed in the visit panel, cleaned and checked before services.appraisal.set_visit.

Times are normalised ("7h30" → "07:30"), texts trimmed, representatives without a name not
saved yet (the secretary may type the title first), an end before the start refused. A required
"Hạn chế" line is dropped only with a reason, and can be kept again (docs/rules.md §6).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ictappraise.domain.authority import DROPPED_LINE
from ictappraise.domain.fields import dropped_line_field
from ictappraise.services import appraisal, remarks
from ictappraise.services.model import Representative, Visit
from ictappraise.services.reading import visit as read_visit
from ictappraise.services.round_admin import normalize_time
from ictappraise.services.workspace import Change, ServiceError, Workspace

TEXT_KEYS = ("place", "strengths", "weaknesses", "recommendations", "opinion_text", "minutes_number")


def current_visit(ws: Workspace, agency_id: str) -> Visit:
    """The visit details as recorded now."""
    return read_visit(agency_id, ws.state(agency_id))


def update_visit(ws: Workspace, agency_id: str, **values: Any) -> Visit:
    """Save some visit details (one transaction); return the visit as recorded afterwards."""
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("start", "end"):
            clean[key] = normalize_time(value)
        elif key in TEXT_KEYS:
            clean[key] = str(value or "").strip()
        elif key == "representatives":
            clean[key] = _representatives(value)
        elif key == "team":
            clean[key] = list(dict.fromkeys(str(v) for v in value))
        else:
            clean[key] = value
    before = current_visit(ws, agency_id)
    start = clean.get("start", before.start)
    end = clean.get("end", before.end)
    if start and end and end < start:
        raise ServiceError(f"Giờ kết thúc ({end}) phải sau giờ bắt đầu ({start}).")
    appraisal.set_visit(ws, agency_id, **clean)
    return current_visit(ws, agency_id)


def _representatives(rows: Any) -> list[Representative]:
    found = []
    for row in rows or ():
        if isinstance(row, Mapping):
            name, title = row.get("name", ""), row.get("title", "")
        elif isinstance(row, Representative):
            name, title = row.name, row.title
        else:
            name, title = row
        name, title = " ".join(str(name or "").split()), " ".join(str(title or "").split())
        if name:
            found.append(Representative(name, title))
    return found


def may_drop_required_lines(ws: Workspace) -> bool:
    """Whether the acting person may drop or restore a required line (the lead or the secretary)."""
    role = ws.roster.role_of(ws.actor.member_id) if ws.actor else None
    return role in DROPPED_LINE.roles


def drop_required_line(ws: Workspace, agency_id: str, line: str, reason: str) -> None:
    """Leave a required "Hạn chế" line out of the minutes, with a reason (a signed edit: the
    history shows who, when and why; signing locks it like the remarks)."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ServiceError("Phải ghi lý do mới bỏ được một ý Hạn chế bắt buộc.")
    required = {item.key: item for item in remarks.required_weaknesses(ws.detail(agency_id))}
    if line not in required:
        raise ServiceError("Ý này không (còn) là ý Hạn chế bắt buộc của biên bản; hãy tải lại biên bản.")
    ws.write([Change(dropped_line_field(agency_id, line), {"reason": reason}, reason=reason)])


def keep_required_line(ws: Workspace, agency_id: str, line: str) -> None:
    """Print a dropped required line again (nothing to do when it was never dropped)."""
    ws.write([Change(dropped_line_field(agency_id, line), None)])
