"""Whether a value fits its field: ONE set of rules for merged edits, resolutions and reading.

Every edit names a field (layout in docs/ARCHITECTURE.md) and carries a JSON value. The
services write only values they validated, but a package can carry anything that is JSON:
``check_field_value`` refuses what the program could not use — a month's news count "ba",
a self score "abc", a quota "4 bài", broken thresholds, an appraised entry its criterion's
rule cannot score — with a Vietnamese message naming the field. The rules are the ones the
services apply (round settings, thresholds via ``CategoryRules.from_dict``, catalogs via
``catalog_from_dict``, appraised entries via ``Appraisal.from_json`` and the criterion's rule,
self scores 0..max with at most 2 decimals…); field shapes this version does not know are
refused.

Checks that depend on the round (which criteria an agency's catalog has, a category's
maximum) use a ``FieldContext``: the catalogs, thresholds and agency categories a value may
refer to. ``context_of(ws)`` holds what is in force (conflict resolution);
``merge_context(session, incoming)`` every version this database has recorded plus those
arriving in the packages being merged, so an edit made against the catalog its author had
(or one arriving in the same package) is accepted. Without a context (``value_problem(field,
value)``) only what needs no round is checked: that is what reading uses to notice a value
stored by an older build.

The shapes and bounds are declared once, per field kind, in domain.fields; the rules that
read them live per field family in services.field_rules_round (round, catalogs, team),
services.field_rules_agency (criteria, facts, visit, status) and services.field_rules_chain,
the shared value checks in services.field_shapes. No Qt, no SQLAlchemy at import; nothing from the other services at
import besides those (reading.py, which the Workspace imports, uses this module).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ictappraise.domain.catalog import Catalog, catalog_from_dict
from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import (
    CATALOG_HEAD,
    FACT_DATES,
    ROUND,
    ROUND_DATES,
    ROUND_KEYS,
    ROUND_WHOLE,
    RULES_KEYS,
    VISIT_KEYS,
    agency_field,
    family_prefix,
    is_reference,
    parse_field,
    round_prefix,
)
from ictappraise.domain.rating import CATEGORIES, RULES_2022, CategoryRules
from ictappraise.domain.text_safety import forbidden_problem
from ictappraise.services.field_rules_agency import agency_problem
from ictappraise.services.field_rules_round import (
    catalog_problem,
    member_key_problem,
    member_problem,
    round_problem,
)
from ictappraise.services.field_shapes import UNKNOWN, is_whole

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    # the field shapes other modules and tests read from here (declared in domain.fields)
    "FACT_DATES",
    "ROUND_DATES",
    "ROUND_KEYS",
    "ROUND_WHOLE",
    "VISIT_KEYS",
    "FieldContext",
    "FieldValueError",
    "check_field_value",
    "context_of",
    "first_problem",
    "merge_context",
    "value_problem",
]


class FieldValueError(ValueError):
    """A value that does not fit its field; the message is Vietnamese and names the field."""

    def __init__(self, field_name: str, problem: str) -> None:
        self.field = field_name
        self.problem = problem
        super().__init__(f"{field_title(field_name)}: {problem}")


@dataclass(frozen=True)
class FieldContext:
    """What values may refer to: catalogs, thresholds and categories (each possibly several versions)."""

    catalogs: Mapping[int, tuple[Catalog, ...]] = field(default_factory=dict)
    rules: Mapping[int, tuple[CategoryRules, ...]] = field(default_factory=dict)
    categories: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def from_values(cls, values: Iterable[tuple[str, Any]]) -> FieldContext:
        """From (field, value) pairs of catalog, threshold and agency category edits; unusable ones skipped."""
        catalogs: dict[int, dict[str, Catalog]] = defaultdict(dict)
        rules: dict[int, dict[str, CategoryRules]] = defaultdict(dict)
        categories: dict[str, set[int]] = defaultdict(set)
        for name, value in values:
            ref = parse_field(name)
            category = ref.category if ref.category in CATEGORIES else None
            if category is not None and ref.family == CATALOG_HEAD:
                found = _catalog(category, value)
                if found is not None:
                    catalogs[found.category].setdefault(found.checksum(), found)
            elif category is not None:  # round/rules/<category>
                table = _rules(category, value)
                if table is not None:
                    rules[table.category].setdefault(json.dumps(table.to_dict(), sort_keys=True), table)
            elif ref.agency_id is not None and ref.rest == ("category",):
                if is_whole(value) and value in CATEGORIES:
                    categories[ref.agency_id].add(value)
        return cls(
            {c: tuple(found.values()) for c, found in catalogs.items()},
            {c: tuple(found.values()) for c, found in rules.items()},
            {a: tuple(sorted(found)) for a, found in categories.items()},
        )

    def catalog_maxima(self, category: int) -> set[Decimal]:
        """Maxima a catalog of the category may have: its thresholds' (the 2022 table without any)."""
        return {r.maximum for r in self.rules.get(category, ())} or {RULES_2022[category].maximum}

    def rules_maxima(self, category: int) -> set[Decimal]:
        """Maxima thresholds of the category may have: its catalogs' (its thresholds' without any)."""
        found = {c.maximum for c in self.catalogs.get(category, ())}
        return found or {r.maximum for r in self.rules.get(category, ())} | {RULES_2022[category].maximum}


def _catalog(category: int, value: Any) -> Catalog | None:
    try:
        found = catalog_from_dict(value)
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError):
        return None
    return found if found.category == category else None


def _rules(category: int, value: Any) -> CategoryRules | None:
    if not isinstance(value, Mapping) or set(value) != RULES_KEYS:
        return None
    try:
        return CategoryRules.from_dict(category, value)
    except (ValueError, TypeError, ArithmeticError):
        return None


def context_of(ws: Any, agency_ids: Iterable[str | None] = ()) -> FieldContext:
    """What is in force in a Workspace: the heads of catalogs, thresholds and the agencies' categories."""
    round_state = ws.state()
    values = [
        (name, head.value)
        for name, fs in round_state.fields.items()
        if name.startswith((family_prefix(CATALOG_HEAD), round_prefix("rules")))
        for head in fs.heads
    ]
    for agency_id in {a for a in agency_ids if a}:
        name = agency_field(agency_id, "category")
        found = ws.state(agency_id).fields.get(name)
        values += [(name, head.value) for head in (found.heads if found else ())]
    return FieldContext.from_values(values)


def merge_context(session: Session, incoming: Iterable[Edit]) -> FieldContext:
    """Every catalog, threshold and category version the database holds, plus those arriving."""
    from ictappraise.store import repository

    values: list[tuple[str, Any]] = []
    for name, text in repository.reference_values(session):
        try:
            values.append((name, json.loads(text)))
        except ValueError:
            continue  # a damaged row is the store's business, not a reference
    values += [(e.field, e.value) for e in incoming if is_reference(e.field)]
    return FieldContext.from_values(values)


# -- the check ---------------------------------------------------------------------------------


def check_field_value(where: FieldContext | Any, field_name: str, value: Any) -> None:
    """Refuse (FieldValueError, Vietnamese, naming the field) a value that does not fit its field.

    ``where`` is a FieldContext or a Workspace (then what is in force there).
    """
    context = where if isinstance(where, FieldContext) else context_of(where, [_agency_id(field_name)])
    problem = forbidden_problem(value) or _problem(context, field_name, value)
    if problem is not None:
        raise FieldValueError(field_name, problem)


def value_problem(field_name: str, value: Any, context: FieldContext | None = None) -> str | None:
    """What is wrong with a value ("<field in words>: <why>"), or None.

    Without a context, only what needs no round is checked (reading a stored value).
    """
    problem = _problem(context, field_name, value)
    return None if problem is None else f"{field_title(field_name)}: {problem}"


def first_problem(context: FieldContext, edits: Iterable[Edit]) -> tuple[Edit, FieldValueError] | None:
    """The first edit whose value does not fit its field, with why."""
    for edit in edits:
        problem = forbidden_problem(edit.value) or forbidden_problem(edit.reason)
        problem = problem or _problem(context, edit.field, edit.value)
        if problem is not None:
            return edit, FieldValueError(edit.field, problem)
    return None


def field_title(field_name: str) -> str:
    """The field in words (from services.field_text, loaded when a message is written)."""
    from ictappraise.services.field_text import field_title as title

    return title(field_name)


def _agency_id(field_name: str) -> str | None:
    return parse_field(field_name).agency_id


def _problem(context: FieldContext | None, name: str, value: Any) -> str | None:
    ref = parse_field(name)
    rest = list(ref.rest)
    try:
        if ref.family == ROUND:
            return round_problem(context, rest, value)
        if ref.family == CATALOG_HEAD and len(rest) == 1:
            return catalog_problem(context, rest[0], value)
        if ref.member_id is not None and len(rest) == 1:
            return member_problem(rest[0], value)
        if ref.member_id is not None and len(rest) == 2:
            return member_key_problem(rest[0], value)
        if ref.agency_id is not None:
            return agency_problem(context, ref.agency_id, rest, value)
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError) as error:
        return f"giá trị không đọc được ({str(error).rstrip('.') or type(error).__name__})"
    return UNKNOWN
