"""Conflicts and held edits as the lead sees them: Vietnamese labels, values in words, resolution.

The lead settles a conflict with a normal edit whose parents are all the current heads, so
the resolution travels back to the members like any other edit (re-exported by
``services.merge``). The values the lead types are read and checked in services.resolution_values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ictappraise.domain.catalog import Criterion
from ictappraise.domain.editlog import Edit, FieldState
from ictappraise.domain.fields import (
    CATALOG_HEAD,
    ROUND,
    agency_field,
    crit_field,
    parse_field,
)
from ictappraise.domain.roles import ROLE_LEAD
from ictappraise.services.field_text import (
    MEMBER_LABELS,
    agency_field_label,
    agency_value_text,
    round_field_label,
    round_value_text,
)
from ictappraise.services.field_text import time_text as time_text
from ictappraise.services.resolution_values import check_value
from ictappraise.services.workspace import Change, ServiceError, Workspace
from ictappraise.store import repository

# The conflict title already names the criterion, so a note is just "Ghi chú" there.
CRIT_SHORT = {"note": "Ghi chú"}


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
    """An edit kept but not applied: it reached a signed visit, or its author may not make it."""

    edit: Edit
    agency_name: str
    what: str
    text: str
    author_name: str
    #: Why it is held, in Vietnamese ("chỉ Tổ trưởng được mở lại biên bản đã ký"…).
    reason: str = ""

    @property
    def title(self) -> str:
        return f"{self.agency_name} — {self.what}: {self.text}"


def known_scopes(ws: Workspace) -> list[str]:
    """Every scope with edits: the round first, then agencies in visit order, then the rest."""
    with ws.db.reading() as session:
        found = repository.stored_scopes(session)
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
    found: list[HeldEdit] = []
    for scope in known_scopes(ws):
        if wanted is None or scope in wanted:
            state = ws.state(scope)
            found.extend(held_edit(ws, edit, state.held_reasons.get(edit.id, "")) for edit in state.held)
    return found


def held_edit(ws: Workspace, edit: Edit, reason: str) -> HeldEdit:
    """A held edit in words, with why."""
    agency_name, code, what = field_label(ws, edit.field)
    label = f"tiêu chí {code} — {what}" if code else what
    text = value_text(ws, edit.field, edit.value)
    return HeldEdit(edit, agency_name, label, text, ws.member_name(edit.author), reason)


def _agency_id(field_name: str) -> str | None:
    return parse_field(field_name).agency_id


def _agency_name(ws: Workspace, agency_id: str) -> str:
    state = ws.state(agency_id)
    name = state.value(agency_field(agency_id, "name")) or state.value(agency_field(agency_id, "code"))
    return str(name) if name else f"Đơn vị {agency_id[:8]}"


def _order_key(ws: Workspace, field_name: str) -> tuple[int, str]:
    ref = parse_field(field_name)
    if ref.agency_id is not None and ref.code is not None:
        try:
            category = int(ws.state(ref.agency_id).value(agency_field(ref.agency_id, "category")) or 0)
            codes = [c.code for c in ws.catalog(category).leaves()] if category else []
        except ServiceError:
            codes = []
        if ref.code in codes:
            return codes.index(ref.code), field_name
    return 10_000, field_name


def field_label(ws: Workspace, field_name: str) -> tuple[str, str | None, str]:
    """(agency or "Thông tin đợt"/"Tổ thẩm định", criterion code or None, what) in Vietnamese."""
    ref = parse_field(field_name)
    if ref.agency_id is not None:
        name = _agency_name(ws, ref.agency_id)
        kind, code, label = agency_field_label(ref)
        if kind == "crit":
            return name, code, CRIT_SHORT.get(ref.part or "", label)
        if kind == "visit":
            return name, None, "Buổi thẩm định: " + label
        return name, None, label
    if ref.member_id is not None:
        return (
            "Tổ thẩm định",
            None,
            f"{ws.member_name(ref.member_id)}: {MEMBER_LABELS.get(ref.head, ref.head)}",
        )
    if ref.family == CATALOG_HEAD:
        return "Thông tin đợt", None, f"Bộ tiêu chí Phụ lục {ref.last}"
    if ref.is_round("rules"):
        return "Thông tin đợt", None, f"Ngưỡng xếp loại Phụ lục {ref.last}"
    if ref.family == ROUND and len(ref.rest) == 1:
        return "Thông tin đợt", None, round_field_label(ref.head)
    return "Thông tin đợt", None, ref.within


def value_text(ws: Workspace, field_name: str, value: Any) -> str:
    """A value as the lead reads it ("45/50 → 18 điểm", "Có", "09/12/2022", the text…)."""
    ref = parse_field(field_name)
    if ref.agency_id is None:
        return round_value_text(ws, field_name, value)
    appraised = ref.part == "appraised" and ref.code is not None
    criterion = _criterion(ws, ref.agency_id, ref.code or "") if appraised and value is not None else None
    return agency_value_text(ws, ref, value, criterion)


def _criterion(ws: Workspace, agency_id: str, code: str) -> Criterion | None:
    try:
        category = int(ws.state(agency_id).value(agency_field(agency_id, "category")) or 0)
        return ws.catalog(category).find(code) if category else None
    except (ServiceError, ValueError):
        return None


# -- resolution ---------------------------------------------------------------------------------


def resolve_conflict(ws: Workspace, field_name: str, value: Any, reason: str) -> Edit:
    """The lead settles a conflict: a normal edit whose parents are all current heads."""
    _check_resolver(ws, reason)
    state = current_conflict(ws, field_name)
    checked = check_value(ws, field_name, value)
    changes = [Change(field_name, checked, reason.strip(), resolution=True)]
    edits = ws.write(changes + _reason_as_note(ws, field_name, reason))
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


def _reason_as_note(ws: Workspace, field_name: str, reason: str) -> list[Change]:
    """A settled score whose criterion has no note yet takes the lead's reason as its note, so
    the criterion does not go on asking for a difference note the lead just gave."""
    ref = parse_field(field_name)
    if ref.agency_id is None or ref.code is None or ref.part != "appraised":
        return []
    note_name = crit_field(ref.agency_id, ref.code, "note")
    state = ws.state(repository.scope_of(note_name)).fields.get(note_name)
    if state is not None and (state.conflict or str(state.value or "").strip()):
        return []  # a note is there (or itself in conflict): the lead's reason stays in the log only
    return [Change(note_name, f"Tổ trưởng giải quyết xung đột: {reason.strip()}", reason.strip())]


def _check_resolver(ws: Workspace, reason: str) -> None:
    actor = ws.require_actor()
    # The role derived from the edits (domain.authority), never the one a laptop typed.
    if ws.roster.role_of(actor.member_id) != ROLE_LEAD:
        raise ServiceError("Chỉ Tổ trưởng được giải quyết xung đột.")
    if not reason or not reason.strip():
        raise ServiceError("Giải quyết xung đột phải ghi rõ lý do.")


def accept_held(ws: Workspace, edit_id: str, reason: str) -> Edit:
    """The lead accepts a held edit: a new edit of the lead re-applies its value, with a reason.

    The held edit stays held (nothing is deleted); the new one is judged like any change the
    lead types, so a signed visit must be reopened first and a setting that would change
    signed results is refused as it would be when typed.
    """
    actor = ws.require_actor()
    if ws.roster.role_of(actor.member_id) != ROLE_LEAD:
        raise ServiceError("Chỉ Tổ trưởng được chấp nhận sửa đổi bị giữ lại.")
    if not reason or not reason.strip():
        raise ServiceError("Chấp nhận sửa đổi bị giữ lại phải ghi rõ lý do.")
    wanted = edit_id.strip().lower()
    found = [
        e
        for scope in known_scopes(ws)
        for e in ws.state(scope).held
        if wanted and e.id.lower().startswith(wanted)
    ]
    if len(found) != 1:
        raise ServiceError(f"«{edit_id}» không chỉ đúng một sửa đổi bị giữ lại (xem lệnh conflicts).")
    held = found[0]
    current = ws.state(repository.scope_of(held.field)).fields.get(held.field)
    edits = ws.write(
        [Change(held.field, held.value, reason.strip(), resolution=bool(current and current.conflict))]
    )
    if not edits:
        raise ServiceError("Giá trị của sửa đổi này đã đang được áp dụng; không cần chấp nhận.")
    return edits[0]


def current_conflict(ws: Workspace, field_name: str) -> FieldState:
    """The field's state, which must be in conflict."""
    state = ws.state(repository.scope_of(field_name)).fields.get(field_name)
    if state is None or not state.conflict:
        raise ServiceError(f"Trường «{field_name}» hiện không có xung đột.")
    return state
