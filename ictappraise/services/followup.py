"""Last year's recommendations followed up at this year's visit (visit/followup/<n> edits).

Each recommendation of the agency's last archived result is an item the team ticks at the
visit: Đã khắc phục / Đang khắc phục / Chưa khắc phục, with a note. The items are visit
details, so signing the minutes locks them like the rest of the visit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TypedDict

from ictappraise.domain.fields import FOLLOWUP_STATES, followup_field
from ictappraise.domain.trends import recommendation_items, trend_text
from ictappraise.services import chain
from ictappraise.services.field_rules_chain import followup_problem
from ictappraise.services.workspace import Change, ServiceError, Workspace

#: Printed and counted in this order.
STATES = tuple(FOLLOWUP_STATES)
SECTION_TITLE = "Kết quả khắc phục kiến nghị năm trước"


@dataclass(frozen=True)
class FollowUp:
    """One of last year's recommendations and what the team found this year."""

    number: int
    year: int
    recommendation: str
    state: str | None = None
    note: str = ""

    @property
    def state_label(self) -> str:
        return FOLLOWUP_STATES.get(self.state or "", "Chưa đánh giá")


def items(ws: Workspace, agency_id: str) -> list[FollowUp]:
    """The agency's recommendations of its last archived year, numbered from 1, with their follow-up."""
    agency = ws.agency(agency_id)
    previous = chain.previous_of(ws, agency.code)
    if not previous:
        return []
    # Last year only (two rows when agencies were merged into this one), never an older year.
    year = previous[0].year
    texts = [p.recommendations for p in previous if p.year == year and p.recommendations.strip()]
    state = ws.state(agency_id)
    found = []
    for number, text in enumerate(recommendation_items("\n".join(texts)), start=1):
        value = state.value(followup_field(agency_id, number))
        ok = isinstance(value, dict) and followup_problem(value) is None
        found.append(
            FollowUp(
                number,
                year,
                text,
                value["state"] if ok else None,
                value["note"] if ok else "",
            )
        )
    return found


def set_followup(ws: Workspace, agency_id: str, number: int, state: str | None, note: str = "") -> None:
    """Record what the team found for recommendation ``number`` (None clears it)."""
    known = items(ws, agency_id)
    if not 1 <= number <= len(known):
        raise ServiceError(f"{ws.agency(agency_id).name} không có kiến nghị năm trước số {number}.")
    value = None if state is None else {"state": state, "note": " ".join(note.split())}
    if value is not None and followup_problem(value):
        raise ServiceError(f"Kết quả khắc phục kiến nghị số {number}: {followup_problem(value)}.")
    ws.write([Change(followup_field(agency_id, number), value)])


def lines(found: list[FollowUp]) -> list[str]:
    """The minutes' lines: "1. <recommendation> — Đã khắc phục: <note>"."""
    out = []
    for item in found:
        note = f": {item.note}" if item.note else ""
        out.append(f"{item.number}. {item.recommendation} — {item.state_label}{note}")
    return out


def counts(ws: Workspace) -> Counter[str]:
    """Follow-ups of every agency by state (None: not yet assessed); the report counts them."""
    total: Counter[str] = Counter()
    for agency in ws.agencies():
        for item in items(ws, agency.id):
            total[item.state or "unknown"] += 1
    return total


class MinutesFollowup(TypedDict):
    """The MinutesDoc fields about last year's recommendations."""

    followups: tuple[str, ...]
    followup_year: int | None
    trend: str


def minutes_fields(ws: Workspace, agency_id: str) -> MinutesFollowup:
    """What the minutes print about last year's recommendations (MinutesDoc fields)."""
    found = items(ws, agency_id)
    agency = ws.agency(agency_id)
    # Under the heading "Kết quả thẩm định các năm trước", each year in a sentence of its own.
    previous = chain.previous_of(ws, agency.code)
    trend = trend_text(previous, ws.catalog(agency.category).maximum, year_word="Năm ")
    return {
        "followups": tuple(lines(found)),
        "followup_year": found[0].year if found else None,
        "trend": f"{trend}." if trend else "",
    }
