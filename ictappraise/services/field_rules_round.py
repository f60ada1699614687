"""Field value rules for the round settings, thresholds, catalogs and team members."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ictappraise.domain.catalog import catalog_from_dict
from ictappraise.domain.fields import (
    CATEGORY_SEGMENTS,
    MEMBER_KEYS,
    ROUND_CHAIN_KEYS,
    ROUND_DATES,
    ROUND_KEYS,
    ROUND_OPTIONAL_TEXT,
    ROUND_REQUIRED_TEXT,
    ROUND_WHOLE,
    RULES_KEYS,
)
from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import CategoryRules
from ictappraise.domain.roles import ROLE_LABELS
from ictappraise.services.field_rules_chain import round_chain_problem
from ictappraise.services.field_shapes import (
    DIGEST,
    UNKNOWN,
    boolean_problem,
    iso_date_problem,
    shown,
    text_problem,
    whole_problem,
)

if TYPE_CHECKING:
    from ictappraise.services.field_values import FieldContext


def round_problem(context: FieldContext | None, rest: list[str], value: Any) -> str | None:
    if rest[0] in ("founding", "adoption"):
        return _trust_round(rest, value)
    if len(rest) == 2 and rest[0] == "rules":
        return _rules_problem(context, rest[1], value)
    if rest and rest[0] in ROUND_CHAIN_KEYS:
        return round_chain_problem(rest, value)  # archive, link, code map, commendations
    if len(rest) != 1 or rest[0] not in ROUND_KEYS:
        return UNKNOWN
    key = rest[0]
    if key in ROUND_REQUIRED_TEXT:
        return text_problem(value, required=True)
    if key in ROUND_OPTIONAL_TEXT:
        return None if value is None else text_problem(value)
    if key in ROUND_DATES:
        return None if value is None else iso_date_problem(value)
    if key in ROUND_WHOLE:
        low, high = ROUND_WHOLE[key]
        return whole_problem(value, low, high)
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        return f"phải là danh sách văn bản (mỗi văn bản một dòng), không phải {shown(value)}"
    return None


def _rules_problem(context: FieldContext | None, segment: str, value: Any) -> str | None:
    if segment not in CATEGORY_SEGMENTS:
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


def catalog_problem(context: FieldContext | None, segment: str, value: Any) -> str | None:
    if segment not in CATEGORY_SEGMENTS:
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


def member_problem(key: str, value: Any) -> str | None:
    if key not in MEMBER_KEYS:
        return UNKNOWN
    if key == "name":
        return text_problem(value, required=True)
    if key == "title":
        return None if value is None else text_problem(value)
    if key == "role":
        if isinstance(value, str) and value in ROLE_LABELS:
            return None
        return f"phải là một trong {', '.join(ROLE_LABELS)} ({', '.join(ROLE_LABELS.values())}), không phải {shown(value)}"
    if key == "signature":
        if value is None or (isinstance(value, str) and DIGEST.fullmatch(value)):
            return None
        return f"phải là mã SHA-256 của ảnh chữ ký hoặc null, không phải {shown(value)}"
    if key == "active":
        return boolean_problem(value)
    return UNKNOWN


def _ids_problem(ids: Any) -> str | None:
    if not isinstance(ids, list) or not all(isinstance(i, str) and 0 < len(i) <= 100 for i in ids):
        return "phải là danh sách mã sửa đổi"
    return None


def _trust_round(rest: list[str], value: Any) -> str | None:
    """round/founding and round/adoption/<id> (docs/rules.md §9)."""
    if not isinstance(value, Mapping):
        return f"phải là một bản ghi, không phải {shown(value)}"
    if rest == ["founding"]:
        if set(value) != {"member", "key", "name", "edits"}:
            return "phải có đúng các mục member, key, name, edits"
        if not isinstance(value["member"], str) or not isinstance(value["key"], str):
            return "người lập và khóa phải là chuỗi"
        return text_problem(value["name"], required=True) or _ids_problem(value["edits"])
    if len(rest) == 2 and set(value) == {"edits"}:
        return _ids_problem(value["edits"])
    return UNKNOWN


def member_key_problem(kind: str, value: Any) -> str | None:
    """member/<id>/key/<fingerprint> and member/<id>/announce/<fingerprint> (docs/rules.md §9)."""
    if not isinstance(value, Mapping) or not isinstance(value.get("key"), str) or len(value["key"]) > 100:
        return f"phải là một bản ghi có khóa công khai (key), không phải {shown(value)}"
    if kind == "announce":
        if set(value) != {"key", "name", "title"}:
            return "phải có đúng các mục key, name, title"
        return text_problem(value["name"], required=True) or text_problem(value["title"])
    if kind == "key":
        if set(value) == {"key"}:
            return None
        if set(value) == {"key", "revoked", "keeps"} and value["revoked"] is True:
            return _ids_problem(value["keeps"])
        return "phải là {key} hoặc {key, revoked: true, keeps}"
    return UNKNOWN
