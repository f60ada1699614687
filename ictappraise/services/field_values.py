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

No Qt, no SQLAlchemy at import; nothing from the other services at import (reading.py,
which the Workspace imports, uses this module).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ictappraise.domain.catalog import Catalog, Criterion, catalog_from_dict
from ictappraise.domain.editlog import STATE_DRAFT, STATE_READY, STATE_REOPENED, STATE_SIGNED, Edit
from ictappraise.domain.numbers import CENT, format_points, parse_decimal
from ictappraise.domain.rating import CATEGORIES, RULES_2022, CategoryRules
from ictappraise.domain.scorecard import MONTHS, Appraisal, score_row
from ictappraise.settings import ROLE_LABELS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "FieldContext",
    "FieldValueError",
    "check_field_value",
    "context_of",
    "first_problem",
    "merge_context",
    "value_problem",
]

# Round settings by the kind of value they hold.
ROUND_REQUIRED_TEXT = ("key", "name", "place")
ROUND_OPTIONAL_TEXT = ("province", "issuer", "issuing_unit", "minutes_number_suffix")
ROUND_DATES = ("report_deadline", "visit_start", "visit_end")
ROUND_WHOLE = {
    "portal_quota": (0, 1000),  # as services.round_admin.set_round_settings
    "minutes_copies": (1, 20),
    "year": (2000, 2100),  # as services.new_round.validate
}
ROUND_KEYS = (*ROUND_REQUIRED_TEXT, *ROUND_OPTIONAL_TEXT, *ROUND_DATES, *ROUND_WHOLE, "legal_basis")
# The visit details of services.appraisal.VISIT_KEYS (a test keeps the two equal).
VISIT_TEXT = ("place", "strengths", "weaknesses", "recommendations", "opinion_text", "minutes_number")
VISIT_KEYS = ("date", "start", "end", "team", "representatives", "opinion", *VISIT_TEXT)
OPINIONS = ("agree", "reserve")
STATUS_STATES = (STATE_DRAFT, STATE_READY, STATE_SIGNED, STATE_REOPENED)
STATUS_KEYS = frozenset({"state", "covers", "fingerprint", "revision"})
CRIT_PARTS = ("appraised", "self", "self_evidence", "note", "self_by_team")
FACT_DATES = ("report_sent", "report_received")
RULES_KEYS = frozenset({"maximum", "tot", "kha", "trung_binh"})
APPRAISAL_SHAPES = ({"input"}, {"override"})
_SEGMENTS = frozenset(str(c) for c in CATEGORIES)
_MONTHS = frozenset(str(m) for m in range(1, MONTHS + 1))
_DIGEST = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")


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
            parts = name.split("/")
            if len(parts) == 2 and parts[0] == "catalog" and parts[1] in _SEGMENTS:
                found = _catalog(int(parts[1]), value)
                if found is not None:
                    catalogs[found.category].setdefault(found.checksum(), found)
            elif len(parts) == 3 and parts[:2] == ["round", "rules"] and parts[2] in _SEGMENTS:
                table = _rules(int(parts[2]), value)
                if table is not None:
                    rules[table.category].setdefault(json.dumps(table.to_dict(), sort_keys=True), table)
            elif len(parts) == 3 and parts[0] == "agency" and parts[2] == "category":
                if _is_whole(value) and value in CATEGORIES:
                    categories[parts[1]].add(value)
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
        if name.startswith(("catalog/", "round/rules/"))
        for head in fs.heads
    ]
    for agency_id in {a for a in agency_ids if a}:
        name = f"agency/{agency_id}/category"
        found = ws.state(agency_id).fields.get(name)
        values += [(name, head.value) for head in (found.heads if found else ())]
    return FieldContext.from_values(values)


def merge_context(session: Session, incoming: Iterable[Edit]) -> FieldContext:
    """Every catalog, threshold and category version the database holds, plus those arriving."""
    from sqlalchemy import or_, select

    from ictappraise.store.models import EditRow

    query = select(EditRow.field, EditRow.value).where(
        or_(
            EditRow.field.like("catalog/%"),
            EditRow.field.like("round/rules/%"),
            EditRow.field.like("agency/%/category"),
        )
    )
    values: list[tuple[str, Any]] = []
    for name, text in session.execute(query):
        try:
            values.append((name, json.loads(text)))
        except ValueError:
            continue  # a damaged row is the store's business, not a reference
    values += [(e.field, e.value) for e in incoming if _is_reference(e.field)]
    return FieldContext.from_values(values)


def _is_reference(name: str) -> bool:
    parts = name.split("/")
    return (
        parts[0] == "catalog"
        or parts[:2] == ["round", "rules"]
        or (len(parts) == 3 and parts[0] == "agency" and parts[2] == "category")
    )


# -- the check ---------------------------------------------------------------------------------


def check_field_value(where: FieldContext | Any, field_name: str, value: Any) -> None:
    """Refuse (FieldValueError, Vietnamese, naming the field) a value that does not fit its field.

    ``where`` is a FieldContext or a Workspace (then what is in force there).
    """
    context = where if isinstance(where, FieldContext) else context_of(where, [_agency_id(field_name)])
    problem = _problem(context, field_name, value)
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
        problem = _problem(context, edit.field, edit.value)
        if problem is not None:
            return edit, FieldValueError(edit.field, problem)
    return None


def field_title(field_name: str) -> str:
    """The field in words (from services.field_text, loaded when a message is written)."""
    from ictappraise.services.field_text import field_title as title

    return title(field_name)


def _agency_id(field_name: str) -> str | None:
    parts = field_name.split("/")
    return parts[1] if parts[0] == "agency" and len(parts) > 2 else None


def _problem(context: FieldContext | None, name: str, value: Any) -> str | None:
    parts = name.split("/")
    try:
        if parts[0] == "round":
            return _round(context, parts[1:], value)
        if parts[0] == "catalog" and len(parts) == 2:
            return _catalog_problem(context, parts[1], value)
        if parts[0] == "member" and len(parts) == 3:
            return _member(parts[2], value)
        if parts[0] == "agency" and len(parts) >= 3:
            return _agency(context, parts[1], parts[2:], value)
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError) as error:
        return f"giá trị không đọc được ({str(error).rstrip('.') or type(error).__name__})"
    return UNKNOWN


UNKNOWN = "phiên bản này của chương trình không có trường này"


# -- round, catalogs, team ------------------------------------------------------------------------


def _round(context: FieldContext | None, rest: list[str], value: Any) -> str | None:
    if len(rest) == 2 and rest[0] == "rules":
        return _rules_problem(context, rest[1], value)
    if len(rest) != 1 or rest[0] not in ROUND_KEYS:
        return UNKNOWN
    key = rest[0]
    if key in ROUND_REQUIRED_TEXT:
        return _text(value, required=True)
    if key in ROUND_OPTIONAL_TEXT:
        return None if value is None else _text(value)
    if key in ROUND_DATES:
        return None if value is None else _iso_date(value)
    if key in ROUND_WHOLE:
        low, high = ROUND_WHOLE[key]
        return _whole(value, low, high)
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        return f"phải là danh sách văn bản (mỗi văn bản một dòng), không phải {_shown(value)}"
    return None


def _rules_problem(context: FieldContext | None, segment: str, value: Any) -> str | None:
    if segment not in _SEGMENTS:
        return UNKNOWN
    category = int(segment)
    if not isinstance(value, Mapping) or set(value) != RULES_KEYS:
        return "phải có đúng các mục maximum, tot, kha, trung_binh"
    try:
        table = CategoryRules.from_dict(category, value)
    except ValueError as error:
        return str(error).rstrip(".")
    if context is not None and table.maximum not in context.rules_maxima(category):
        allowed = ", ".join(format_points(m) for m in sorted(context.rules_maxima(category)))
        return (
            f"điểm tối đa {format_points(table.maximum)} khác điểm tối đa của Phụ lục {category} ({allowed})"
        )
    return None


def _catalog_problem(context: FieldContext | None, segment: str, value: Any) -> str | None:
    if segment not in _SEGMENTS:
        return UNKNOWN
    category = int(segment)
    try:
        found = catalog_from_dict(value)
    except ValueError as error:
        return str(error).rstrip(".")
    if found.category != category:
        return f"là bộ tiêu chí của Phụ lục {found.category}, không phải Phụ lục {category}"
    if context is not None and found.maximum not in context.catalog_maxima(category):
        allowed = ", ".join(format_points(m) for m in sorted(context.catalog_maxima(category)))
        return (
            f"tổng điểm tối đa {format_points(found.maximum)} khác điểm tối đa của Phụ lục {category} "
            f"({allowed})"
        )
    return None


def _member(key: str, value: Any) -> str | None:
    if key == "name":
        return _text(value, required=True)
    if key == "title":
        return None if value is None else _text(value)
    if key == "role":
        if isinstance(value, str) and value in ROLE_LABELS:
            return None
        return f"phải là một trong {', '.join(ROLE_LABELS)} ({', '.join(ROLE_LABELS.values())}), không phải {_shown(value)}"
    if key == "signature":
        if value is None or (isinstance(value, str) and _DIGEST.fullmatch(value)):
            return None
        return f"phải là mã SHA-256 của ảnh chữ ký hoặc null, không phải {_shown(value)}"
    if key == "active":
        return _boolean(value)
    return UNKNOWN


# -- agencies --------------------------------------------------------------------------------------


def _agency(context: FieldContext | None, agency_id: str, rest: list[str], value: Any) -> str | None:
    head = rest[0]
    if len(rest) == 1:
        return _agency_own(head, value)
    if head == "crit":
        return _crit(context, agency_id, rest[1:], value)
    if head == "fact":
        return _fact(rest[1:], value)
    if head == "visit" and len(rest) == 2:
        return _visit(rest[1], value)
    return UNKNOWN


def _agency_own(key: str, value: Any) -> str | None:
    if key in ("name", "code"):
        return _text(value, required=True)
    if key == "category":
        if _is_whole(value) and value in CATEGORIES:
            return None
        return f"phải là số Phụ lục {CATEGORIES[0]}–{CATEGORIES[-1]}, không phải {_shown(value)}"
    if key == "order":
        return _whole(value, 0, None)
    if key == "active":
        return _boolean(value)
    if key == "status":
        return _status(value)
    return UNKNOWN


def _status(value: Any) -> str | None:
    if not isinstance(value, Mapping) or not set(value) <= STATUS_KEYS or "state" not in value:
        return 'phải có dạng {"state": …, "covers": […], "fingerprint": "…", "revision": số}'
    if value["state"] not in STATUS_STATES:
        return f"trạng thái phải là một trong {', '.join(STATUS_STATES)}, không phải {_shown(value['state'])}"
    covers = value.get("covers", [])
    if not isinstance(covers, list) or not all(isinstance(c, str) and c for c in covers):
        return "«covers» phải là danh sách mã sửa đổi"
    if not isinstance(value.get("fingerprint", ""), str):
        return "«fingerprint» phải là văn bản"
    revision = value.get("revision", 0)
    if not _is_whole(revision) or revision < 0:
        return f"«revision» phải là số nguyên không âm, không phải {_shown(revision)}"
    return None


def _crit(context: FieldContext | None, agency_id: str, rest: list[str], value: Any) -> str | None:
    code = rest[0]
    if len(rest) == 2 and rest[1] in CRIT_PARTS:
        part = rest[1]
    elif len(rest) == 3 and rest[1] == "attachment" and _DIGEST.fullmatch(rest[2]):
        part = "attachment"
    else:
        return UNKNOWN
    if part in ("self_evidence", "note"):
        return None if value is None else _text(value)
    if part == "self_by_team":
        return None if value is None else _boolean(value)
    if part == "attachment":
        return None if value is None else _attachment(value)
    if value is None:
        return None
    entry: Appraisal | None = None
    amount: Decimal | None = None
    if part == "appraised":
        entry, problem = _appraisal(value)
    else:  # self
        amount, problem = _self_points(value)
    if problem:
        return problem
    if context is None:
        return None
    criteria, problem = _criteria(context, agency_id, code)
    if problem:
        return problem
    if part == "appraised":
        return _first([_scores(criterion, entry) for criterion in criteria])
    return _first([_within(criterion, amount) for criterion in criteria])


def _criteria(context: FieldContext, agency_id: str, code: str) -> tuple[list[Criterion], str | None]:
    categories = context.categories.get(agency_id, ())
    if not categories:
        return [], "đơn vị này chưa có nhóm đối tượng (Phụ lục) nên không có bộ tiêu chí"
    found = []
    for category in categories:
        for catalog in context.catalogs.get(category, ()):
            criterion = catalog.find(code)
            if criterion is not None:
                found.append(criterion)
    if not found:
        where = ", ".join(f"Phụ lục {c}" for c in categories)
        return [], f"bộ tiêu chí {where} không có tiêu chí {code}"
    return found, None


def _appraisal(value: Any) -> tuple[Appraisal | None, str | None]:
    if not isinstance(value, Mapping) or set(value) not in APPRAISAL_SHAPES:
        return None, (
            'phải có dạng {"input": …} (đầu vào theo cách tính điểm) hoặc {"override": "điểm"}, '
            f"không phải {_shown(value)}"
        )
    override = value.get("override", "")
    if isinstance(override, bool) or not isinstance(override, str | int):
        return None, f"điểm nhập trực tiếp phải là một số, không phải {_shown(override)}"
    try:
        return Appraisal.from_json(value), None
    except ValueError as error:
        return None, str(error).rstrip(".")


def _scores(criterion: Criterion, entry: Appraisal | None) -> str | None:
    if entry is None:
        return None
    if criterion.sub_items:
        return f"tiêu chí {criterion.code} tính bằng tổng các tiểu mục, không chấm trực tiếp"
    try:
        if entry.override is None:
            criterion.rule.normalize_input(entry.input)
        _points, error = score_row(criterion, entry)
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as failure:
        return f"tiêu chí {criterion.code}: {str(failure).rstrip('.')}"
    return error.rstrip(".") or None


def _self_points(value: Any) -> tuple[Decimal | None, str | None]:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, f"phải là một số điểm, không phải {_shown(value)}"
    try:
        amount = parse_decimal(value, what="Điểm")
    except ValueError:
        return None, f"phải là một số điểm (ví dụ 7.5), không phải {_shown(value)}"
    if amount < 0:
        return None, f"không được âm ({format_points(amount)})"
    if amount != amount.quantize(CENT):
        return None, f"có nhiều hơn 2 chữ số thập phân ({_shown(value)})"
    return amount, None


def _within(criterion: Criterion, amount: Decimal | None) -> str | None:
    if amount is not None and amount > criterion.maximum:
        return (
            f"điểm {format_points(amount)} nằm ngoài khoảng 0–{format_points(criterion.maximum)} "
            f"của tiêu chí {criterion.code}"
        )
    return None


def _first(problems: Sequence[str | None]) -> str | None:
    """Fine when any version of the criterion accepts the value; else the first reason."""
    if any(p is None for p in problems):
        return None
    return problems[0] if problems else None


def _attachment(value: Any) -> str | None:
    if not isinstance(value, Mapping) or not {"name", "size"} <= set(value) <= {"name", "size", "added"}:
        return 'phải có dạng {"name": tên tệp, "size": số byte} hoặc null'
    if not isinstance(value["name"], str) or not value["name"].strip():
        return "tên tệp minh chứng phải là văn bản không rỗng"
    if not _is_whole(value["size"]) or value["size"] < 0:
        return f"kích thước tệp phải là số nguyên không âm, không phải {_shown(value['size'])}"
    if not isinstance(value.get("added", ""), str):
        return "thời điểm đính kèm phải là văn bản"
    return None


def _fact(rest: list[str], value: Any) -> str | None:
    if len(rest) == 1 and rest[0] in FACT_DATES:
        return None if value is None else _iso_date(value)
    if rest == ["report_attached"]:
        return None if value is None else _boolean(value)
    if len(rest) == 2 and rest[0] == "portal" and rest[1] in _MONTHS:
        return None if value is None else _whole(value, 0, None)
    return UNKNOWN


def _visit(key: str, value: Any) -> str | None:
    if key not in VISIT_KEYS:
        return UNKNOWN
    if value is None:
        return None
    if key == "date":
        return _iso_date(value)
    if key in ("start", "end"):
        if isinstance(value, str) and (value == "" or _TIME.fullmatch(value)):
            return None
        return f"phải là giờ dạng 07:30 hoặc để trống, không phải {_shown(value)}"
    if key == "team":
        if isinstance(value, list) and all(isinstance(m, str) and m for m in value):
            return None
        return "phải là danh sách mã thành viên Tổ thẩm định"
    if key == "representatives":
        for row in value if isinstance(value, list) else [None]:
            if not (
                isinstance(row, Mapping)
                and set(row) <= {"name", "title"}
                and all(isinstance(v, str) for v in row.values())
            ):
                return 'phải là danh sách {"name": họ tên, "title": chức vụ}'
        return None
    if key == "opinion":
        if value in OPINIONS:
            return None
        return f"phải là agree (thống nhất) hoặc reserve (bảo lưu), không phải {_shown(value)}"
    return _text(value)


# -- values ---------------------------------------------------------------------------------------


def _text(value: Any, *, required: bool = False) -> str | None:
    if not isinstance(value, str):
        return f"phải là văn bản, không phải {_shown(value)}"
    if required and not value.strip():
        return "không được để trống"
    return None


def _boolean(value: Any) -> str | None:
    return (
        None
        if isinstance(value, bool)
        else f"phải là true (có) hoặc false (không), không phải {_shown(value)}"
    )


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _whole(value: Any, low: int, high: int | None) -> str | None:
    if _is_whole(value) and value >= low and (high is None or value <= high):
        return None
    bounds = f"từ {low} đến {high}" if high is not None else f"từ {low} trở lên"
    return f"phải là số nguyên {bounds}, không phải {_shown(value)}"


def _iso_date(value: Any) -> str | None:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return f"phải là ngày dạng năm-tháng-ngày (ví dụ 2022-11-30), không phải {_shown(value)}"


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text if len(text) <= 60 else text[:59] + "…"
    return f"«{text}»"
