"""Conflicts and held edits as the lead sees them: Vietnamese labels, values in words, resolution.

The lead settles a conflict with a normal edit whose parents are all the current heads, so
the resolution travels back to the members like any other edit (re-exported by
``services.merge``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ictappraise.domain.catalog import Criterion
from ictappraise.domain.editlog import Edit, FieldState
from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services.field_text import MEMBER_LABELS, agency_field_label, agency_value_text, plain_text
from ictappraise.services.field_text import time_text as time_text
from ictappraise.services.workspace import Change, ServiceError, Workspace
from ictappraise.settings import ROLE_LEAD
from ictappraise.store import repository
from ictappraise.store.models import EditRow

# The conflict title already names the criterion, so a note is just "Ghi chú" there.
CRIT_SHORT = {"note": "Ghi chú"}
YES = ("có", "co", "c", "yes", "y", "true", "1", "x")
NO = ("không", "khong", "k", "no", "n", "false", "0", "")


@dataclass(frozen=True)
class Head:
    """One competing version of a field."""

    edit: Edit
    text: str
    author_name: str

    @property
    def id(self) -> str:
        return self.edit.id


@dataclass(frozen=True)
class Conflict:
    """A field with two or more heads holding different values."""

    field: str
    agency_id: str | None
    agency_name: str
    code: str | None
    what: str
    heads: tuple[Head, ...]

    @property
    def title(self) -> str:
        """ "Huyện ủy Tuy Phong — tiêu chí III.5 — Điểm thẩm định"."""
        return " — ".join(
            p for p in (self.agency_name, f"tiêu chí {self.code}" if self.code else "", self.what) if p
        )


@dataclass(frozen=True)
class HeldEdit:
    """An edit kept but not applied because it reached a signed visit."""

    edit: Edit
    agency_name: str
    what: str
    text: str
    author_name: str

    @property
    def title(self) -> str:
        return f"{self.agency_name} — {self.what}: {self.text}"


def known_scopes(ws: Workspace) -> list[str]:
    """Every scope with edits: the round first, then agencies in visit order, then the rest."""
    with ws.db.reading() as session:
        found = set(session.scalars(select(EditRow.scope).distinct()))
    order = [repository.ROUND_SCOPE] + [a.id for a in ws.agencies()]
    return [s for s in order if s in found] + sorted(found - set(order))


def list_conflicts(ws: Workspace, scopes: Iterable[str] | None = None) -> list[Conflict]:
    """Open conflicts of some scopes (all when None), in catalog order."""
    wanted = set(scopes) if scopes is not None else None
    found = []
    for scope in known_scopes(ws):
        if wanted is not None and scope not in wanted:
            continue
        states = sorted(ws.state(scope).conflicts(), key=lambda fs: _order_key(ws, fs.field))
        for state in states:
            agency_name, code, what = field_label(ws, state.field)
            heads = tuple(
                Head(h, value_text(ws, state.field, h.value), ws.member_name(h.author)) for h in state.heads
            )
            found.append(Conflict(state.field, _agency_id(state.field), agency_name, code, what, heads))
    return found


def list_held(ws: Workspace, scopes: Iterable[str] | None = None) -> list[HeldEdit]:
    """Held edits of some scopes (all when None)."""
    wanted = set(scopes) if scopes is not None else None
    found = []
    for scope in known_scopes(ws):
        if wanted is None or scope in wanted:
            for edit in ws.state(scope).held:
                agency_name, code, what = field_label(ws, edit.field)
                label = f"tiêu chí {code} — {what}" if code else what
                text = value_text(ws, edit.field, edit.value)
                found.append(HeldEdit(edit, agency_name, label, text, ws.member_name(edit.author)))
    return found


def _agency_id(field_name: str) -> str | None:
    parts = field_name.split("/")
    return parts[1] if parts[0] == "agency" else None


def _agency_name(ws: Workspace, agency_id: str) -> str:
    state = ws.state(agency_id)
    name = state.value(f"agency/{agency_id}/name") or state.value(f"agency/{agency_id}/code")
    return str(name) if name else f"Đơn vị {agency_id[:8]}"


def _order_key(ws: Workspace, field_name: str) -> tuple[int, str]:
    parts = field_name.split("/")
    if len(parts) > 4 and parts[2] == "crit":
        try:
            category = int(ws.state(parts[1]).value(f"agency/{parts[1]}/category") or 0)
            codes = [c.code for c in ws.catalog(category).leaves()] if category else []
        except ServiceError:
            codes = []
        if parts[3] in codes:
            return codes.index(parts[3]), field_name
    return 10_000, field_name


def field_label(ws: Workspace, field_name: str) -> tuple[str, str | None, str]:
    """(agency or "Thông tin đợt"/"Tổ thẩm định", criterion code or None, what) in Vietnamese."""
    parts = field_name.split("/")
    if parts[0] == "agency" and len(parts) > 2:
        name = _agency_name(ws, parts[1])
        kind, code, label = agency_field_label("/".join(parts[2:]))
        if kind == "crit":
            return name, code, CRIT_SHORT.get(parts[4], label)
        if kind == "visit":
            return name, None, "Buổi thẩm định: " + label
        return name, None, label
    if parts[0] == "member" and len(parts) > 2:
        return "Tổ thẩm định", None, f"{ws.member_name(parts[1])}: {MEMBER_LABELS.get(parts[2], parts[2])}"
    if parts[0] == "catalog":
        return "Thông tin đợt", None, f"Bộ tiêu chí Phụ lục {parts[-1]}"
    if parts[:2] == ["round", "rules"]:
        return "Thông tin đợt", None, f"Ngưỡng xếp loại Phụ lục {parts[-1]}"
    return "Thông tin đợt", None, "/".join(parts[1:])


def value_text(ws: Workspace, field_name: str, value: Any) -> str:
    """A value as the lead reads it ("45/50 → 18 điểm", "Có", "09/12/2022", the text…)."""
    parts = field_name.split("/")
    if parts[0] != "agency" or len(parts) <= 2:
        return plain_text(value)
    appraised = len(parts) > 4 and parts[2] == "crit" and parts[4] == "appraised"
    criterion = _criterion(ws, parts[1], parts[3]) if appraised and value is not None else None
    return agency_value_text(ws, "/".join(parts[2:]), value, criterion)


def _criterion(ws: Workspace, agency_id: str, code: str) -> Criterion | None:
    try:
        category = int(ws.state(agency_id).value(f"agency/{agency_id}/category") or 0)
        return ws.catalog(category).find(code) if category else None
    except (ServiceError, ValueError):
        return None


# -- values the lead types ----------------------------------------------------------------------


def check_value(ws: Workspace, field_name: str, value: Any) -> Any:
    """Validate a resolution value for a field as the services would; return its stored form."""
    parts = field_name.split("/")
    if parts[0] == "agency" and len(parts) == 5 and parts[2] == "crit":
        agency_id, code, part = parts[1], parts[3], parts[4]
        if part == "appraised":
            if value is not None and not isinstance(value, Mapping):
                raise ServiceError('Điểm thẩm định phải là {"override": "điểm"} hoặc {"input": …}.')
            entry = Appraisal.from_json(value) if value is not None else None
            return svc.appraisal_change(ws, agency_id, code, entry).value
        if part == "self":
            return svc.self_score_change(ws, agency_id, code, value).value
        if part in ("note", "self_evidence") and not isinstance(value, str):
            raise ServiceError("Ghi chú phải là văn bản.")
    if parts[0] == "agency" and len(parts) == 5 and parts[3] == "portal":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ServiceError("Số tin, bài phải là số nguyên không âm.")
    if parts[0] == "agency" and parts[-1] in ("report_sent", "report_received", "date") and value is not None:
        return _iso_date(value)
    return value


def parse_typed(ws: Workspace, field_name: str, text: str) -> Any:
    """A value typed in the conflict dialog, read according to the field; checked."""
    parts = field_name.split("/")
    typed = text.strip()
    last = parts[-1]
    if last == "appraised":
        value: Any = {"override": format_points(_decimal(typed), comma=False)} if typed else None
    elif last == "self":
        value = typed or None
    elif last in ("report_attached", "self_by_team", "active"):
        if typed.casefold() not in YES + NO:
            raise ServiceError("Hãy nhập «có» hoặc «không».")
        value = typed.casefold() in YES
    elif len(parts) == 5 and parts[3] == "portal" or last in ("order", "category"):
        value = int(_decimal(typed)) if typed else None
    elif last in ("report_sent", "report_received", "date"):
        value = _iso_date(typed) if typed else None
    elif last in ("note", "self_evidence") or parts[0] == "agency" and parts[2] == "visit":
        value = _json_or_text(typed) if last in ("team", "representatives") else typed
    else:
        value = _json_or_text(typed)
    return check_value(ws, field_name, value)


def _decimal(text: str) -> Any:
    try:
        return parse_decimal(text, what="Giá trị")
    except ValueError as error:
        raise ServiceError(str(error)) from error


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _iso_date(value: Any) -> str:
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ServiceError(f"Ngày «{text}» không hợp lệ (nhập dạng 09/12/2022).")


# -- resolution ---------------------------------------------------------------------------------


def resolve_conflict(ws: Workspace, field_name: str, value: Any, reason: str) -> Edit:
    """The lead settles a conflict: a normal edit whose parents are all current heads."""
    _check_resolver(ws, reason)
    state = current_conflict(ws, field_name)
    checked = check_value(ws, field_name, value)
    edits = ws.write([Change(field_name, checked, reason.strip())])
    if not edits or set(edits[0].parents) != set(state.head_ids):
        raise ServiceError("Không ghi được quyết định giải quyết xung đột; hãy thử lại.")
    return edits[0]


def resolve_pick(ws: Workspace, field_name: str, edit_id: str, reason: str) -> Edit:
    """Resolve by keeping the value of one head (its id, or a unique prefix of it)."""
    _check_resolver(ws, reason)
    state = current_conflict(ws, field_name)
    wanted = edit_id.strip().lower()
    chosen = [h for h in state.heads if wanted and h.id.lower().startswith(wanted)]
    if len(chosen) != 1:
        ids = ", ".join(h.id[:8] for h in state.heads)
        raise ServiceError(f"«{edit_id}» không chỉ đúng một phiên bản của trường này (các phiên bản: {ids}).")
    return resolve_conflict(ws, field_name, chosen[0].value, reason)


def _check_resolver(ws: Workspace, reason: str) -> None:
    actor = ws.require_actor()
    member = ws.member(actor.member_id)
    if member is None or member.role != ROLE_LEAD:
        raise ServiceError("Chỉ Tổ trưởng được giải quyết xung đột.")
    if not reason or not reason.strip():
        raise ServiceError("Giải quyết xung đột phải ghi rõ lý do.")


def current_conflict(ws: Workspace, field_name: str) -> FieldState:
    """The field's state, which must be in conflict."""
    state = ws.state(repository.scope_of(field_name)).fields.get(field_name)
    if state is None or not state.conflict:
        raise ServiceError(f"Trường «{field_name}» hiện không có xung đột.")
    return state
