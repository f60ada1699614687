"""Values the lead types to settle a conflict: Vietnamese forms read, then checked like a merged edit.

"30/11/2022", "7,5", "có", "Phụ lục 3", "750; 700; 650", "Nguyễn Văn A, Trần Thị B": each field
reads its typed text by the kind of value declared for it (domain.fields), then the value goes
through the same check as a merged edit (services.field_values) against what is in force.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ictappraise.domain.dates import parse_day
from ictappraise.domain.fields import (
    CATALOG_HEAD,
    FACT_DATES,
    ROUND,
    ROUND_DATES,
    ROUND_WHOLE,
    parse_field,
)
from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.roles import ROLE_LABELS
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services import field_values
from ictappraise.services.field_text import OPINION_LABELS
from ictappraise.services.round_admin import normalize_time
from ictappraise.services.workspace import ServiceError, Workspace

YES = ("có", "co", "c", "yes", "y", "true", "1", "x")
NO = ("không", "khong", "k", "no", "n", "false", "0", "")


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
    ref = parse_field(field_name)
    if ref.agency_id is not None and ref.code is not None and len(ref.rest) == 3 and value is not None:
        agency_id, code, part = ref.agency_id, ref.code, ref.part
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
    ref = parse_field(field_name)
    last, rest = ref.last, ref.rest
    if ref.family == ROUND and len(rest) == 1:
        if last in ROUND_DATES:
            return "date"
        if last in ROUND_WHOLE:
            return "whole"
        if last == "legal_basis":
            return "lines"
        return "one_line"
    if ref.member_id is not None and len(rest) == 1:
        return {"role": "role", "active": "bool", "name": "one_line", "title": "one_line"}.get(last, "")
    if ref.agency_id is None:
        return ""
    if len(rest) == 1:
        return {"category": "category", "order": "whole", "active": "bool"}.get(last, "")
    if rest[0] == "crit" and len(rest) == 3:
        return {"appraised": "appraised", "self": "self", "self_by_team": "bool"}.get(last, "")
    if rest[0] == "fact":
        if rest[1] == "portal":
            return "whole"
        return "date" if last in FACT_DATES else "bool" if last == "report_attached" else ""
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
    ref = parse_field(field_name)
    typed = text.strip()
    last = ref.last
    value: Any = typed
    if ref.family == CATALOG_HEAD or last == "status":
        value = _json_or_text(typed)
    elif ref.is_round("rules"):
        value = _typed_rules(ws, int(last) if last.isdigit() else 0, typed)
    elif last == "team" and ref.agency_id is not None:
        value = _typed_team(ws, typed)
    elif last == "representatives" and ref.agency_id is not None:
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
