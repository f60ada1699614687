"""Field value rules for an agency: its own fields, criteria, facts, visit details and status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ictappraise.domain.catalog import Criterion
from ictappraise.domain.fields import (
    AGENCY_KEYS,
    CRIT_PARTS,
    CRIT_TEXT_PARTS,
    FACT_DATES,
    MONTH_SEGMENTS,
    OPINIONS,
    PORTAL_MIN,
    STATUS_KEYS,
    VISIT_KEYS,
)
from ictappraise.domain.numbers import CENT, format_points, parse_decimal
from ictappraise.domain.rating import CATEGORIES
from ictappraise.domain.scorecard import Appraisal, score_row
from ictappraise.services.field_rules_chain import visit_chain_problem
from ictappraise.services.field_shapes import (
    APPRAISAL_SHAPES,
    DIGEST,
    STATUS_STATES,
    TIME_OF_DAY,
    UNKNOWN,
    boolean_problem,
    is_whole,
    iso_date_problem,
    shown,
    text_problem,
    whole_problem,
)

if TYPE_CHECKING:
    from ictappraise.services.field_values import FieldContext


def agency_problem(context: FieldContext | None, agency_id: str, rest: list[str], value: Any) -> str | None:
    head = rest[0]
    if len(rest) == 1:
        return _agency_own(head, value)
    if head == "crit":
        return _crit(context, agency_id, rest[1:], value)
    if head == "fact":
        return _fact(rest[1:], value)
    if head == "visit" and len(rest) == 2 and rest[1] in VISIT_KEYS:
        return _visit(rest[1], value)
    if head == "visit" and len(rest) >= 2 and rest[1] == "dropped":
        return _dropped_line(rest[2:], value)
    if head == "visit" and len(rest) >= 2:
        return visit_chain_problem(rest[1:], value)  # follow-ups, exemplary individuals
    return UNKNOWN


def _agency_own(key: str, value: Any) -> str | None:
    if key not in (*AGENCY_KEYS, "status"):
        return UNKNOWN
    if key in ("name", "code"):
        return text_problem(value, required=True)
    if key == "category":
        if is_whole(value) and value in CATEGORIES:
            return None
        return f"phải là số Phụ lục {CATEGORIES[0]}–{CATEGORIES[-1]}, không phải {shown(value)}"
    if key == "order":
        return whole_problem(value, 0, None)
    if key == "active":
        return boolean_problem(value)
    if key == "status":
        return _status(value)
    return UNKNOWN


def _status(value: Any) -> str | None:
    if not isinstance(value, Mapping) or not set(value) <= STATUS_KEYS or "state" not in value:
        return 'phải có dạng {"state": …, "covers": […], "fingerprint": "…", "revision": số}'
    if value["state"] not in STATUS_STATES:
        return f"trạng thái phải là một trong {', '.join(STATUS_STATES)}, không phải {shown(value['state'])}"
    covers = value.get("covers", [])
    if not isinstance(covers, list) or not all(isinstance(c, str) and c for c in covers):
        return "«covers» phải là danh sách mã sửa đổi"
    if not isinstance(value.get("fingerprint", ""), str):
        return "«fingerprint» phải là văn bản"
    revision = value.get("revision", 0)
    if not is_whole(revision) or revision < 0:
        return f"«revision» phải là số nguyên không âm, không phải {shown(revision)}"
    return None


def _crit(context: FieldContext | None, agency_id: str, rest: list[str], value: Any) -> str | None:
    code = rest[0]
    if len(rest) == 2 and rest[1] in CRIT_PARTS:
        part = rest[1]
    elif len(rest) == 3 and rest[1] == "attachment" and DIGEST.fullmatch(rest[2]):
        part = "attachment"
    else:
        return UNKNOWN
    if part in CRIT_TEXT_PARTS:
        return None if value is None else text_problem(value)
    if part == "self_by_team":
        return None if value is None else boolean_problem(value)
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
            f"không phải {shown(value)}"
        )
    override = value.get("override", "")
    if isinstance(override, bool) or not isinstance(override, str | int):
        return None, f"điểm nhập trực tiếp phải là một số, không phải {shown(override)}"
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
        return None, f"phải là một số điểm, không phải {shown(value)}"
    try:
        amount = parse_decimal(value, what="Điểm")
    except ValueError:
        return None, f"phải là một số điểm (ví dụ 7.5), không phải {shown(value)}"
    if amount < 0:
        return None, f"không được âm ({format_points(amount)})"
    if amount != amount.quantize(CENT):
        return None, f"có nhiều hơn 2 chữ số thập phân ({shown(value)})"
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
    if not is_whole(value["size"]) or value["size"] < 0:
        return f"kích thước tệp phải là số nguyên không âm, không phải {shown(value['size'])}"
    if not isinstance(value.get("added", ""), str):
        return "thời điểm đính kèm phải là văn bản"
    return None


def _fact(rest: list[str], value: Any) -> str | None:
    if len(rest) == 1 and rest[0] in FACT_DATES:
        return None if value is None else iso_date_problem(value)
    if rest == ["report_attached"]:
        return None if value is None else boolean_problem(value)
    if len(rest) == 2 and rest[0] == "portal" and rest[1] in MONTH_SEGMENTS:
        return None if value is None else whole_problem(value, PORTAL_MIN, None)
    return UNKNOWN


#: The penalty facts a required "Hạn chế" line may be about (services.remarks).
REQUIRED_FACT_LINES = frozenset({"report_sent", "report_attached", "portal"})


def _dropped_line(line: list[str], value: Any) -> str | None:
    """A required "Hạn chế" line dropped with a reason ({"reason"}), or kept again (None)."""
    if len(line) != 2 or not line[1] or line[0] not in ("crit", "fact"):
        return UNKNOWN
    if line[0] == "fact" and line[1] not in REQUIRED_FACT_LINES:
        return UNKNOWN
    if value is None:
        return None
    if not isinstance(value, Mapping) or set(value) != {"reason"}:
        return 'phải có dạng {"reason": lý do bỏ ý này} hoặc null'
    problem = text_problem(value["reason"], required=True)
    return f"lý do bỏ ý Hạn chế bắt buộc {problem}" if problem else None


def _visit(key: str, value: Any) -> str | None:
    if key not in VISIT_KEYS:
        return UNKNOWN
    if value is None:
        return None
    if key == "date":
        return iso_date_problem(value)
    if key in ("start", "end"):
        if isinstance(value, str) and (value == "" or TIME_OF_DAY.fullmatch(value)):
            return None
        return f"phải là giờ dạng 07:30 hoặc để trống, không phải {shown(value)}"
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
        return f"phải là agree (thống nhất) hoặc reserve (bảo lưu), không phải {shown(value)}"
    return text_problem(value)
