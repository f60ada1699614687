"""Conflicts and held edits as the lead sees them: Vietnamese labels, values in words, resolution.

The lead settles a conflict with a normal edit whose parents are all the current heads, so
the resolution travels back to the members like any other edit (re-exported by
``services.merge``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ictappraise.domain.catalog import Criterion
from ictappraise.domain.dates import parse_day
from ictappraise.domain.editlog import Edit, FieldState
from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.roles import ROLE_LABELS, ROLE_LEAD
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services import field_values
from ictappraise.services.field_text import (
    MEMBER_LABELS,
    OPINION_LABELS,
    agency_field_label,
    agency_value_text,
    round_field_label,
    round_value_text,
)
from ictappraise.services.field_text import time_text as time_text
from ictappraise.services.round_admin import normalize_time
from ictappraise.services.workspace import Change, ServiceError, Workspace
from ictappraise.store import repository

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
    if parts[0] == "round" and len(parts) == 2:
        return "Thông tin đợt", None, round_field_label(parts[1])
    return "Thông tin đợt", None, "/".join(parts[1:])


def value_text(ws: Workspace, field_name: str, value: Any) -> str:
    """A value as the lead reads it ("45/50 → 18 điểm", "Có", "09/12/2022", the text…)."""
    parts = field_name.split("/")
    if parts[0] != "agency" or len(parts) <= 2:
        return round_value_text(ws, field_name, value)
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
    """A resolution value (typed, picked or given to `resolve --value`) in its stored form, checked.

    Vietnamese forms are read first ("30/11/2022", "7,5", "có", "Phụ lục 3"), then the value
    goes through the same checks as a merged edit (services.field_values) against what is in
    force; appraised entries and self scores get the services' normal form.
    """
    value = canonical_value(ws, field_name, value)
    try:
        field_values.check_field_value(ws, field_name, value)
    except ValueError as error:
        raise ServiceError(str(error)) from error
    parts = field_name.split("/")
    if parts[0] == "agency" and len(parts) == 5 and parts[2] == "crit" and value is not None:
        agency_id, code, part = parts[1], parts[3], parts[4]
        if part == "appraised":
            return svc.appraisal_change(ws, agency_id, code, Appraisal.from_json(value)).value
        if part == "self":
            return svc.self_score_change(ws, agency_id, code, value).value
    return value


def canonical_value(ws: Workspace, field_name: str, value: Any) -> Any:
    """A value with Vietnamese input forms read: dates dd/mm/yyyy → ISO, "7,5" → "7.5", "có" → true…

    Values that are not in such a form are returned unchanged (the check says what is wrong).
    """
    kind = _kind(field_name)
    if kind == "appraised" and isinstance(value, Mapping) and isinstance(value.get("override"), str):
        return {**value, "override": _number_text(value["override"])}
    if kind == "appraised" and isinstance(value, str | int) and not isinstance(value, bool):
        return {"override": _number_text(str(value))} if str(value).strip() else None
    if not isinstance(value, str):
        return value
    text = value.strip()
    if kind in ("date", "whole", "self", "bool", "time", "category", "role", "opinion") and not text:
        return None if kind not in ("time",) else ""
    if kind == "date":
        return _maybe(_iso_date, text, value)
    if kind in ("whole", "category"):
        digits = text.removeprefix("Phụ lục").strip() if kind == "category" else text
        try:
            number = parse_decimal(digits, what="Giá trị")
        except ValueError:
            return value
        return int(number) if number == number.to_integral_value() else value
    if kind == "self":
        return _number_text(text)
    if kind == "bool":
        folded = text.casefold()
        return True if folded in YES else False if folded in NO else value
    if kind == "time":
        return _maybe(normalize_time, text, value)
    if kind == "role":
        by_label = {label.casefold(): key for key, label in ROLE_LABELS.items()}
        return by_label.get(text.casefold(), text)
    if kind == "opinion":
        folded = text.casefold()
        for key, label in OPINION_LABELS.items():
            if folded in (key, label.casefold()) or label.casefold().startswith(folded):
                return key
        return text
    if kind == "one_line":
        return " ".join(text.split())
    if kind == "lines":
        return [" ".join(line.split()) for line in re.split(r"[;\n]", value) if line.strip()]
    return value


def _kind(field_name: str) -> str:
    """How a field's typed text is read."""
    parts = field_name.split("/")
    last = parts[-1]
    if parts[0] == "round" and len(parts) == 2:
        if last in field_values.ROUND_DATES:
            return "date"
        if last in field_values.ROUND_WHOLE:
            return "whole"
        if last == "legal_basis":
            return "lines"
        return "one_line"
    if parts[0] == "member" and len(parts) == 3:
        return {"role": "role", "active": "bool", "name": "one_line", "title": "one_line"}.get(last, "")
    if parts[0] != "agency" or len(parts) < 3:
        return ""
    rest = parts[2:]
    if len(rest) == 1:
        return {"category": "category", "order": "whole", "active": "bool"}.get(last, "")
    if rest[0] == "crit" and len(rest) == 3:
        return {"appraised": "appraised", "self": "self", "self_by_team": "bool"}.get(last, "")
    if rest[0] == "fact":
        if rest[1] == "portal":
            return "whole"
        return "date" if last in field_values.FACT_DATES else "bool" if last == "report_attached" else ""
    if rest[0] == "visit" and len(rest) == 2:
        return {"date": "date", "start": "time", "end": "time", "opinion": "opinion"}.get(last, "")
    return ""


def _maybe(parse: Any, text: str, original: Any) -> Any:
    try:
        return parse(text)
    except ValueError:
        return original


def _number_text(text: str) -> str:
    """ "7,5" → "7.5"; anything that is not a number is left as it is."""
    try:
        return format_points(parse_decimal(text, what="Điểm"), comma=False)
    except ValueError:
        return text


def parse_typed(ws: Workspace, field_name: str, text: str) -> Any:
    """A value typed in the conflict dialog, read according to the field; checked."""
    parts = field_name.split("/")
    typed = text.strip()
    last = parts[-1]
    value: Any = typed
    if parts[0] == "catalog" or last == "status":
        value = _json_or_text(typed)
    elif parts[:2] == ["round", "rules"]:
        value = _typed_rules(ws, int(last) if last.isdigit() else 0, typed)
    elif last == "team" and parts[0] == "agency":
        value = _typed_team(ws, typed)
    elif last == "representatives" and parts[0] == "agency":
        value = _typed_representatives(typed)
    elif last == "appraised":
        value = {"override": format_points(_decimal(typed), comma=False)} if typed else None
    elif last in ("note", "self_evidence") or _kind(field_name) == "one_line":
        value = typed
    elif not typed and _kind(field_name) in ("", "lines"):
        value = None if _kind(field_name) == "" else []
    return check_value(ws, field_name, value)


def _typed_rules(ws: Workspace, category: int, typed: str) -> Any:
    """ "750; 700; 650" (Tốt; Khá; Trung bình) with the category's maximum, or the JSON form."""
    if typed.startswith("{"):
        return _json_or_text(typed)
    bounds = [b.strip() for b in re.split(r"[;/]", typed) if b.strip()]
    if len(bounds) != 3:
        raise ServiceError("Hãy nhập ba ngưỡng Tốt; Khá; Trung bình, ví dụ 750; 700; 650.")
    catalog = ws.catalogs().get(category)
    rules = ws.rules().get(category)
    top = catalog.maximum if catalog is not None else rules.maximum if rules is not None else None
    numbers = [format_points(_decimal(b), comma=False) for b in bounds]
    maximum = format_points(top, comma=False) if top is not None else ""
    return {"maximum": maximum, "tot": numbers[0], "kha": numbers[1], "trung_binh": numbers[2]}


def _typed_team(ws: Workspace, typed: str) -> Any:
    """Members by name, separated by commas or semicolons (or the JSON list of ids)."""
    if typed.startswith("["):
        return _json_or_text(typed)
    ids = []
    for name in (n.strip() for n in re.split(r"[,;]", typed)):
        if name:
            member = ws.find_member(name)
            if member is None:
                raise ServiceError(f"Tổ thẩm định không có thành viên «{name}».")
            ids.append(member.id)
    return ids


def _typed_representatives(typed: str) -> Any:
    """ "Họ tên (chức vụ); Họ tên" (or the JSON list)."""
    if typed.startswith("["):
        return _json_or_text(typed)
    found = []
    for item in (i.strip() for i in typed.split(";")):
        if item:
            name, _, title = item.partition("(")
            found.append({"name": " ".join(name.split()), "title": " ".join(title.rstrip(")").split())})
    return found


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
    return parse_day(str(value)).isoformat()


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
    if not field_name.endswith("/appraised"):
        return []
    note_name = field_name.removesuffix("appraised") + "note"
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
