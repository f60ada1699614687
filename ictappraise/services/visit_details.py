"""Visit details typed in the visit panel, cleaned and checked before services.appraisal.set_visit.

Times are normalised ("7h30" → "07:30"), texts trimmed, representatives without a name not
saved yet (the secretary may type the title first), an end before the start refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ictappraise.services import appraisal
from ictappraise.services.model import Representative, Visit
from ictappraise.services.reading import visit as read_visit
from ictappraise.services.round_admin import normalize_time
from ictappraise.services.workspace import ServiceError, Workspace

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
