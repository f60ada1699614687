"""Build read models from derived edit-log states (pure functions, no database).

Values were not always checked before they were stored (older builds merged anything that
was JSON). Reading never raises on such a value: it is taken as absent or unknown and said
in words (``RoundInfo.problems``, ``PenaltyFacts.problems`` and unreadable appraised entries
end up as scorecard errors), using the rules of ``services.field_values``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from ictappraise.domain.catalog import Catalog, catalog_from_dict
from ictappraise.domain.editlog import STATE_READY, STATE_SIGNED, Edit, FieldState, LogState
from ictappraise.domain.fields import (
    agency_field,
    agency_prefix,
    catalog_field,
    crit_field,
    dropped_line_field,
    fact_field,
    member_field,
    parse_field,
    portal_field,
    round_field,
    rules_field,
    status_field,
    visit_field,
)
from ictappraise.domain.numbers import parse_decimal
from ictappraise.domain.rating import CATEGORIES, RULES_2022, CategoryRules
from ictappraise.domain.roles import ROLE_LABELS, ROLE_MEMBER
from ictappraise.domain.scorecard import MONTHS, Appraisal, PenaltyFacts
from ictappraise.services.field_values import value_problem
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
    """The round's settings; an unreadable one counts as absent and is listed in ``problems``."""
    problems: list[str] = []

    def get(key: str, default: Any) -> Any:
        name = round_field(key)
        value = state.value(name)
        if value is None:
            return default
        problem = value_problem(name, value)
        if problem is not None:
            problems.append(f"{problem} (coi như chưa có)")
            return default
        return value

    info = RoundInfo(
        key=get("key", ""),
        name=get("name", ""),
        year=get("year", 0),
        province=get("province", ""),
        issuer=get("issuer", ""),
        issuing_unit=get("issuing_unit", ""),
        place=get("place", ""),
        legal_basis=tuple(get("legal_basis", ())),
        report_deadline=parse_date(get("report_deadline", None)),
        visit_start=parse_date(get("visit_start", None)),
        visit_end=parse_date(get("visit_end", None)),
        portal_quota=get("portal_quota", 0),
        minutes_copies=get("minutes_copies", 2),
        minutes_number_suffix=get("minutes_number_suffix", "") or default_suffix(get("issuing_unit", "")),
    )
    by_category = []
    for category in CATEGORIES:
        for name in (rules_field(category), catalog_field(category)):
            value = state.value(name)
            problem = None if value is None else value_problem(name, value)
            if problem is not None:
                instead = "dùng ngưỡng năm 2022" if name == rules_field(category) else "không dùng được"
                by_category.append((category, f"{problem} ({instead})"))
    return replace(info, problems=tuple(problems), category_problems=tuple(by_category))


def category_rules(state: LogState) -> dict[int, CategoryRules]:
    """The round's thresholds, falling back to the 2022 table per category (also for unreadable ones)."""
    table = dict(RULES_2022)
    for category in CATEGORIES:
        data = state.value(rules_field(category))
        if isinstance(data, Mapping):
            try:
                table[category] = CategoryRules.from_dict(category, data)
            except (ValueError, TypeError, ArithmeticError):
                continue  # listed in RoundInfo.category_problems
    return table


def catalogs(state: LogState) -> dict[int, Catalog]:
    """The round's catalogs by category (validated when they were written).

    One an older build stored unchecked is still used when it can be built at all (its
    problem is listed in RoundInfo.category_problems); one that cannot is absent.
    """
    result = {}
    for category in CATEGORIES:
        field = state.fields.get(catalog_field(category))
        # In conflict the checklist shows the first version; every band of the category is
        # withheld (Workspace._round_conflicts), so nothing is guessed from it.
        data = (field.heads[0].value if field.conflict else field.value) if field else None
        if data:
            try:
                found = catalog_from_dict(data, validate=False)
            except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError):
                continue
            result[category] = replace(found, category=category)
    return result


def members(state: LogState) -> list[Member]:
    """Team members, lead first, then by name."""
    # A member has a name; a key announcement alone (member/<id>/announce/…) is not a member yet.
    refs = (parse_field(name) for name in state.fields)
    ids = {ref.member_id for ref in refs if ref.member_id is not None and ref.rest == ("name",)}
    found = []
    for member_id in ids:

        def get(key: str, default: Any = "", _id: str = member_id) -> Any:
            return state.value(member_field(_id, key), default)

        if get("active", True) is False:
            continue
        role = get("role", ROLE_MEMBER)
        signature = get("signature", None)
        found.append(
            Member(
                member_id,
                _text(get("name")),
                _text(get("title")),
                role if isinstance(role, str) and role in ROLE_LABELS else ROLE_MEMBER,
                signature if isinstance(signature, str) else None,
            )
        )
    order = {"lead": 0, "member": 1, "secretary": 2}
    return sorted(found, key=lambda m: (order.get(m.role, 3), m.name))


def _text(value: Any) -> str:
    """Text as stored; anything else (an older build stored it unchecked) counts as empty."""
    return value if isinstance(value, str) else ""


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def agency(agency_id: str, state: LogState) -> Agency | None:
    """An agency from its own scope's state; None when removed or unnamed."""
    get = state.value
    name = _text(get(agency_field(agency_id, "name")))
    if get(agency_field(agency_id, "active"), True) is False or not name:
        return None
    category = get(agency_field(agency_id, "category"))
    return Agency(
        id=agency_id,
        code=_text(get(agency_field(agency_id, "code"))),
        name=name,
        category=category if isinstance(category, int) and category in CATEGORIES else 0,
        visit_date=parse_date(_text(get(visit_field(agency_id, "date")))),
        visit_time=_text(get(visit_field(agency_id, "start"))),
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
    for name, fs in sorted(state.fields.items()):
        ref = parse_field(name)
        if ref.digest is None or ref.agency_id != agency_id or fs.conflict or not fs.value:
            continue
        if value_problem(name, fs.value) is not None:
            continue  # unreadable (listed by stored_problems)
        found.setdefault(ref.code or "", []).append({"sha256": ref.digest, **fs.value})
    return {code: tuple(items) for code, items in found.items()}


def _entry(
    agency_id: str, code: str, state: LogState, attachments: tuple[dict[str, Any], ...]
) -> CriterionEntry:
    appraised = state.fields.get(crit_field(agency_id, code, "appraised"))
    conflict = appraised if appraised is not None and appraised.conflict else None
    appraisal = None
    if appraised is not None and not appraised.conflict:
        try:
            appraisal = Appraisal.from_json(appraised.value)
        except (ValueError, TypeError, AttributeError):
            appraisal = Appraisal.unreadable(appraised.value)  # a scorecard error, not a crash
    self_field = crit_field(agency_id, code, "self")
    self_value = state.value(self_field)
    readable_self = self_value is not None and value_problem(self_field, self_value) is None
    return CriterionEntry(
        code=code,
        appraisal=appraisal,
        self_points=parse_decimal(self_value) if readable_self else None,
        self_evidence=_text(state.value(crit_field(agency_id, code, "self_evidence"))),
        self_entered_by_team=state.value(crit_field(agency_id, code, "self_by_team")) is True,
        note=_text(state.value(crit_field(agency_id, code, "note"))),
        attachments=attachments,
        conflict=conflict,
    )


def facts(agency_id: str, state: LogState, info: RoundInfo) -> PenaltyFacts:
    """Penalty facts of an agency, with the round's deadline and quota.

    An unreadable fact counts as unknown; it, the round's unreadable settings and every other
    unreadable value of the agency are listed in ``problems`` (scorecard errors).
    """
    counts: list[int | None] = []
    for month in range(1, MONTHS + 1):
        counts.append(_whole(state.value(portal_field(agency_id, month))))
    category = state.value(agency_field(agency_id, "category"))
    round_problems = [f"Thiết lập của đợt — {p}" for p in info.problems]
    round_problems += [f"Thiết lập của đợt — {p}" for c, p in info.category_problems if c == category]
    return PenaltyFacts(
        deadline=info.report_deadline,
        report_sent=_date_fact(agency_id, "report_sent", state),
        report_received=_date_fact(agency_id, "report_received", state),
        # Only an explicit "no" counts: a cleared (null) value means the default, attached.
        report_attached=state.value(fact_field(agency_id, "report_attached")) is not False,
        portal_counts=tuple(counts),
        portal_quota=info.portal_quota,
        problems=(*round_problems, *stored_problems(agency_id, state)),
    )


def _date_fact(agency_id: str, key: str, state: LogState) -> date | None:
    name = fact_field(agency_id, key)
    value = state.value(name)
    return None if value is None or value_problem(name, value) else parse_date(value)


#: Edit id → what is wrong with its value read without a round (None: nothing). An edit never
#: changes, so each is checked once, not again on every preview; bounded, cleared when full.
_STORED_CHECKS: dict[str, str | None] = {}
_STORED_CHECKS_LIMIT = 200_000


def _stored_problem(name: str, head: Edit) -> str | None:
    try:
        return _STORED_CHECKS[head.id]
    except KeyError:
        pass
    problem = value_problem(name, head.value)
    if len(_STORED_CHECKS) >= _STORED_CHECKS_LIMIT:
        _STORED_CHECKS.clear()
    _STORED_CHECKS[head.id] = problem
    return problem


def stored_problems(agency_id: str, state: LogState) -> tuple[str, ...]:
    """Values of an agency's fields that cannot be read, in words (appraised entries excepted:
    their rows report them)."""
    found = []
    prefix = agency_prefix(agency_id)
    for name, fs in sorted(state.fields.items()):
        if fs.conflict or not name.startswith(prefix) or parse_field(name).part == "appraised":
            continue
        # Several equal heads hold one value; a field whose parents loop has no head (None).
        problem = _stored_problem(name, fs.heads[0]) if fs.heads else value_problem(name, None)
        if problem is not None:
            found.append(f"{problem} (coi như chưa có).")
    return tuple(found)


def fact_conflicts(agency_id: str, state: LogState) -> set[str]:
    """Names of penalty facts in conflict (their band cannot be known)."""
    prefix = agency_prefix(agency_id, "fact")
    return {
        name[len(prefix) :] for name, fs in state.fields.items() if name.startswith(prefix) and fs.conflict
    }


def visit(agency_id: str, state: LogState) -> Visit:
    """Visit details as entered (an unreadable detail counts as not entered)."""

    def get(key: str, default: Any = "") -> Any:
        name = visit_field(agency_id, key)
        value = state.value(name)  # a stored value is checked; the default needs no check
        return default if value is None or value_problem(name, value) else value

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
        dropped=dropped_lines(agency_id, state),
    )


def dropped_lines(agency_id: str, state: LogState) -> tuple[tuple[str, str], ...]:
    """Required "Hạn chế" lines dropped with a reason: (line key, reason), sorted; a line kept
    again (None), in conflict or unreadable is not dropped."""
    prefix = dropped_line_field(agency_id, "")
    found = []
    for name, field_state in state.fields.items():
        if name.startswith(prefix) and not field_state.conflict:
            value = field_state.value
            if value is not None and not value_problem(name, value):
                found.append((name[len(prefix) :], str(value["reason"]).strip()))
    return tuple(sorted(found))


def status_value(agency_id: str, state: LogState) -> dict[str, Any]:
    """The status edit's value ({} when never set); a signing wins over a concurrent status.

    A "ready" set on one laptop while the lead signed on another must not unsign the visit:
    the signing (not reopened, since a reopen descends from it) is what locks the scores.
    """
    found = state.fields.get(status_field(agency_id))
    if found is None:
        return {}
    if found.conflict:
        signed = [
            h.value for h in found.heads if isinstance(h.value, Mapping) and h.value.get("state") == "signed"
        ]
        return dict(signed[0]) if signed else {}
    return dict(found.value) if isinstance(found.value, Mapping) else {}


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
    prefix = agency_prefix(agency_id)
    return tuple(fs for name, fs in sorted(state.fields.items()) if name.startswith(prefix) and fs.conflict)


def default_suffix(issuing_unit: object) -> str:
    """The ký hiệu of a minutes' number when the round sets none: "BB/" and the initials of the
    body named in the header ("TỔ THẨM ĐỊNH" → "BB/TTĐ")."""
    words = [w for w in str(issuing_unit or "").split() if w[:1].isalpha()]
    initials = "".join(w[0].upper() for w in words)
    return f"BB/{initials}" if initials else "BB"
