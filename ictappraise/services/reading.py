"""Build read models from derived edit-log states (pure functions, no database)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ictappraise.domain.catalog import Catalog, catalog_from_dict
from ictappraise.domain.editlog import STATE_READY, STATE_SIGNED, FieldState, LogState
from ictappraise.domain.fields import (
    agency_field,
    catalog_field,
    crit_field,
    fact_field,
    portal_field,
    round_field,
    rules_field,
    status_field,
    visit_field,
)
from ictappraise.domain.numbers import parse_decimal
from ictappraise.domain.rating import CATEGORIES, RULES_2022, CategoryRules
from ictappraise.domain.scorecard import MONTHS, Appraisal, PenaltyFacts
from ictappraise.services.model import (
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    STATUS_READY,
    STATUS_SIGNED,
    Agency,
    CriterionEntry,
    Member,
    Representative,
    RoundInfo,
    Visit,
)


def parse_date(value: Any) -> date | None:
    """ISO date text (or None) from an edit value."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def round_info(state: LogState) -> RoundInfo:
    """The round's settings."""
    get = state.value
    return RoundInfo(
        key=get(round_field("key"), ""),
        name=get(round_field("name"), ""),
        year=int(get(round_field("year"), 0) or 0),
        province=get(round_field("province"), ""),
        issuer=get(round_field("issuer"), ""),
        issuing_unit=get(round_field("issuing_unit"), ""),
        place=get(round_field("place"), ""),
        legal_basis=tuple(get(round_field("legal_basis"), ()) or ()),
        report_deadline=parse_date(get(round_field("report_deadline"))),
        visit_start=parse_date(get(round_field("visit_start"))),
        visit_end=parse_date(get(round_field("visit_end"))),
        portal_quota=int(get(round_field("portal_quota"), 0) or 0),
        minutes_copies=int(get(round_field("minutes_copies"), 2) or 2),
        minutes_number_suffix=get(round_field("minutes_number_suffix"), "BB/VPTU"),
    )


def category_rules(state: LogState) -> dict[int, CategoryRules]:
    """The round's thresholds, falling back to the 2022 table per category."""
    table = dict(RULES_2022)
    for category in CATEGORIES:
        data = state.value(rules_field(category))
        if isinstance(data, Mapping):
            table[category] = CategoryRules.from_dict(category, data)
    return table


def catalogs(state: LogState) -> dict[int, Catalog]:
    """The round's catalogs by category (validated when they were written)."""
    result = {}
    for category in CATEGORIES:
        data = state.value(catalog_field(category))
        if data:
            result[category] = catalog_from_dict(data)
    return result


def members(state: LogState) -> list[Member]:
    """Team members, lead first, then by name."""
    ids = {name.split("/")[1] for name in state.fields if name.startswith("member/")}
    found = []
    for member_id in ids:

        def get(key: str, default: Any = "", _id: str = member_id) -> Any:
            return state.value(f"member/{_id}/{key}", default)

        if get("active", True) is False:
            continue
        found.append(
            Member(member_id, get("name"), get("title"), get("role", "member"), get("signature", None))
        )
    order = {"lead": 0, "member": 1, "secretary": 2}
    return sorted(found, key=lambda m: (order.get(m.role, 3), m.name))


def agency(agency_id: str, state: LogState) -> Agency | None:
    """An agency from its own scope's state; None when removed or unnamed."""
    get = state.value
    if get(agency_field(agency_id, "active"), True) is False or not get(agency_field(agency_id, "name")):
        return None
    visit_at = str(get(visit_field(agency_id, "start"), "") or "")
    return Agency(
        id=agency_id,
        code=get(agency_field(agency_id, "code"), ""),
        name=get(agency_field(agency_id, "name"), ""),
        category=int(get(agency_field(agency_id, "category"), 0) or 0),
        visit_date=parse_date(get(visit_field(agency_id, "date"))),
        visit_time=visit_at,
    )


def entries(agency_id: str, catalog: Catalog, state: LogState) -> dict[str, CriterionEntry]:
    """What is recorded for every criterion and sub-item."""
    attachments = _attachments(agency_id, state)
    result = {}
    for criterion in catalog.criteria():
        for row in (criterion, *criterion.sub_items):
            result[row.code] = _entry(agency_id, row.code, state, attachments.get(row.code, ()))
    return result


def _attachments(agency_id: str, state: LogState) -> dict[str, tuple[dict[str, Any], ...]]:
    """Attachments per criterion code, read in one pass over the agency's fields."""
    found: dict[str, list[dict[str, Any]]] = {}
    prefix = f"agency/{agency_id}/crit/"
    for name, fs in sorted(state.fields.items()):
        if "/attachment/" not in name or not name.startswith(prefix) or fs.conflict or not fs.value:
            continue
        code, _, digest = name[len(prefix) :].partition("/attachment/")
        found.setdefault(code, []).append({"sha256": digest, **fs.value})
    return {code: tuple(items) for code, items in found.items()}


def _entry(
    agency_id: str, code: str, state: LogState, attachments: tuple[dict[str, Any], ...]
) -> CriterionEntry:
    appraised = state.fields.get(crit_field(agency_id, code, "appraised"))
    conflict = appraised if appraised is not None and appraised.conflict else None
    appraisal = None
    if appraised is not None and not appraised.conflict:
        appraisal = Appraisal.from_json(appraised.value)
    self_value = state.value(crit_field(agency_id, code, "self"))
    return CriterionEntry(
        code=code,
        appraisal=appraisal,
        self_points=None if self_value is None else parse_decimal(self_value),
        self_evidence=state.value(crit_field(agency_id, code, "self_evidence"), "") or "",
        self_entered_by_team=bool(state.value(crit_field(agency_id, code, "self_by_team"), False)),
        note=state.value(crit_field(agency_id, code, "note"), "") or "",
        attachments=attachments,
        conflict=conflict,
    )


def facts(agency_id: str, state: LogState, info: RoundInfo) -> PenaltyFacts:
    """Penalty facts of an agency, with the round's deadline and quota."""
    counts: list[int | None] = []
    for month in range(1, MONTHS + 1):
        value = state.value(portal_field(agency_id, month))
        counts.append(None if value is None else int(value))
    return PenaltyFacts(
        deadline=info.report_deadline,
        report_sent=parse_date(state.value(fact_field(agency_id, "report_sent"))),
        report_received=parse_date(state.value(fact_field(agency_id, "report_received"))),
        # Only an explicit "no" counts: a cleared (null) value means the default, attached.
        report_attached=state.value(fact_field(agency_id, "report_attached")) is not False,
        portal_counts=tuple(counts),
        portal_quota=info.portal_quota,
    )


def fact_conflicts(agency_id: str, state: LogState) -> set[str]:
    """Names of penalty facts in conflict (their band cannot be known)."""
    prefix = f"agency/{agency_id}/fact/"
    return {
        name[len(prefix) :] for name, fs in state.fields.items() if name.startswith(prefix) and fs.conflict
    }


def visit(agency_id: str, state: LogState) -> Visit:
    """Visit details as entered."""

    def get(key: str, default: Any = "") -> Any:
        value = state.value(visit_field(agency_id, key), default)
        return default if value is None else value

    return Visit(
        date=parse_date(get("date", None)),
        start=get("start"),
        end=get("end"),
        place=get("place"),
        team=tuple(get("team", ())),
        representatives=tuple(
            Representative(str(r.get("name", "")), str(r.get("title", "")))
            for r in get("representatives", ())
        ),
        strengths=get("strengths"),
        weaknesses=get("weaknesses"),
        recommendations=get("recommendations"),
        opinion=get("opinion", "agree") or "agree",
        opinion_text=get("opinion_text"),
        minutes_number=get("minutes_number"),
    )


def status_value(agency_id: str, state: LogState) -> dict[str, Any]:
    """The status edit's value ({} when never set or in conflict)."""
    value = state.value(status_field(agency_id))
    return dict(value) if isinstance(value, Mapping) else {}


def status(agency_id: str, state: LogState, found: Mapping[str, CriterionEntry]) -> str:
    """Not started / in progress / ready to sign / signed."""
    stage = status_value(agency_id, state).get("state")
    if stage == STATE_SIGNED:
        return STATUS_SIGNED
    if stage == STATE_READY:
        return STATUS_READY
    if any(entry.appraisal is not None or entry.conflict for entry in found.values()):
        return STATUS_IN_PROGRESS
    return STATUS_NOT_STARTED


def missing_reasons(
    catalog: Catalog, found: Mapping[str, CriterionEntry], rows: Mapping[str, Any]
) -> tuple[str, ...]:
    """Scored leaves whose points differ from the self score but have no note."""
    missing = []
    for leaf in catalog.leaves():
        code, entry = leaf.code, found[leaf.code]
        row = rows.get(code)
        difference = getattr(row, "difference", None)
        if difference not in (None, Decimal(0)) and not entry.note.strip():
            missing.append(code)
    return tuple(missing)


def conflicts_of(agency_id: str, state: LogState) -> tuple[FieldState, ...]:
    prefix = f"agency/{agency_id}/"
    return tuple(fs for name, fs in sorted(state.fields.items()) if name.startswith(prefix) and fs.conflict)
