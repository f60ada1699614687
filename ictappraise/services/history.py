"""The audit trail in words: who changed what, when, old → new, why (docs/rules.md §1, §7).

Turns Workspace.history lines into rows a clerk reads; the words for fields and values come
from ``services.field_text`` (shared with the conflict lists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ictappraise.domain.catalog import Catalog
from ictappraise.domain.fields import FieldRef, agency_prefix, parse_field
from ictappraise.services.appraisal import criterion_of
from ictappraise.services.field_text import agency_field_label, agency_value_text, member_names, time_text
from ictappraise.services.field_text import describe_appraisal as describe_appraisal
from ictappraise.services.field_text import describe_input as describe_input
from ictappraise.services.model import HistoryLine
from ictappraise.services.workspace import SYSTEM_AUTHOR, SYSTEM_AUTHOR_NAME, Workspace


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
    held_reason: str = ""


def describe_history(ws: Workspace, agency_id: str, code: str | None = None) -> list[HistoryRow]:
    """Changes of one criterion (with its sub-items) or, with code None, of the whole agency."""
    agency = ws.agency(agency_id)
    catalog = ws.catalogs().get(agency.category)
    if code is None:
        lines = ws.history(agency_prefix(agency_id))
        single = None
    else:
        criterion = criterion_of(ws, agency_id, code)
        codes = [criterion.code, *(sub.code for sub in criterion.sub_items)]
        lines = [line for c in codes for line in ws.history(agency_prefix(agency_id, "crit", c))]
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
    rest = parse_field(edit.field)
    moment = _moment(edit.created_at)
    what, render = _label(ws, rest, catalog, single)
    old = " | ".join(render(value) for value in line.old_values)
    return HistoryRow(
        moment=moment,
        time=time_text(edit.created_at),
        who=_author(ws, edit.author),
        what=what,
        old=old,
        new=render(line.new_value),
        reason=edit.reason or "",
        held=line.held,
        held_reason=line.held_reason,
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


def _label(ws: Workspace, rest: FieldRef, catalog: Catalog | None, single: str | None) -> tuple[str, Any]:
    """The Vietnamese label of an agency field and how to show its values."""
    kind, code, label = agency_field_label(rest)
    criterion = None
    if kind == "crit":
        criterion = catalog.find(code) if catalog and code else None
        label = label if single == code else f"Tiêu chí {code} · {label}"
    elif kind == "visit":
        label = f"Buổi thẩm định · {label}"
    return label, lambda value: agency_value_text(ws, rest, value, criterion)
