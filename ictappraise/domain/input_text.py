"""How an appraiser's input for each rule kind is written and read as text.

The checklist shows "45/50" for a ratio, "Có" for yes/no, "3 cuộc họp" for a count; the
same text typed back is understood. Pure functions, so the GUI delegates and the Excel
import agree and both are tested without Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.scoring_rules import (
    TIMELINESS_CHOICES,
    CountCapped,
    Levels,
    Manual,
    Ratio,
    Rule,
    RuleError,
    Tiered,
    YesNo,
)

_RATIO = re.compile(r"^\s*([^/:]+?)\s*[/:]\s*([^/:]+?)\s*$")
# Points typed explicitly, whatever the rule counts: "20đ", "20 đ", "7,5 điểm", "20d".
_POINTS = re.compile(r"^\s*(-?[\d.,]+)\s*(?:đ|điểm|d|diem)\s*$", re.IGNORECASE)
# A count above this many times the count that earns the maximum is not a count the team
# meets in one year of one agency: more likely points typed where a count is read.
IMPLAUSIBLE_FACTOR = 2


def format_input(rule: Rule, value: Any) -> str:
    """The input as the checklist shows it ("" when nothing was entered)."""
    if value is None:
        return ""
    if isinstance(rule, YesNo):
        return "Có" if value is True else "Không"
    if isinstance(rule, Ratio) and isinstance(value, dict):
        num = parse_decimal(value.get("numerator", 0))
        den = parse_decimal(value.get("denominator", 1))
        return f"{format_points(num)}/{format_points(den)}"
    if isinstance(rule, Tiered | CountCapped):
        return f"{value} {rule.unit}"
    if isinstance(rule, Levels):
        try:
            return rule.level(value).label
        except RuleError:
            return str(value)
    if rule.kind == "timeliness":
        return TIMELINESS_CHOICES.get(str(value), str(value))
    if isinstance(rule, Manual):
        return format_points(parse_decimal(value))
    return str(value)


def parse_input(rule: Rule, text: str) -> Any:
    """Text typed by the appraiser → the rule's input (RuleError/ValueError if it cannot be)."""
    cleaned = " ".join(str(text).split())
    value: str | dict[str, str]
    if isinstance(rule, Ratio):
        match = _RATIO.match(cleaned)
        if not match:
            raise RuleError(f"Nhập tỷ lệ dạng «{rule.numerator}/{rule.denominator}», ví dụ 45/50.")
        value = {"numerator": match.group(1), "denominator": match.group(2)}
    elif isinstance(rule, Tiered | CountCapped):
        value = cleaned.split(" ")[0] if cleaned else cleaned
    else:
        value = cleaned
    return rule.normalize_input(value)


def input_choices(rule: Rule) -> list[tuple[str, Any]]:
    """(label, input) pairs for rules scored by picking, else an empty list."""
    if isinstance(rule, YesNo):
        return [("Có", True), ("Không", False)]
    if isinstance(rule, Levels):
        return [(level.label, level.key) for level in rule.levels]
    if rule.kind == "timeliness":
        return [(label, key) for key, label in TIMELINESS_CHOICES.items()]
    return []


def input_hint(rule: Rule) -> str:
    """A short prompt for the input cell."""
    if isinstance(rule, Ratio):
        return f"{rule.numerator}/{rule.denominator}"
    if isinstance(rule, Tiered | CountCapped):
        return f"Số {rule.unit}"
    if isinstance(rule, Manual):
        return "Điểm (ví dụ 7,5)"
    return "Chọn"


@dataclass(frozen=True)
class Reading:
    """What a typed text means for a rule: the input or the points, the result, any doubt."""

    appraisal_input: Any = None
    override: Decimal | None = None
    points: Decimal | None = None
    result: str = ""
    doubt: str = ""


def typed_points(text: str) -> Decimal | None:
    """The points of a text typed as points ("20đ", "7,5 điểm"), else None."""
    match = _POINTS.match(str(text))
    return parse_decimal(match.group(1), what="Điểm") if match else None


def input_unit(rule: Rule) -> str:
    """The label in front of the input editor: what the number typed there counts."""
    if isinstance(rule, Ratio):
        return "Tỷ lệ a/b:"
    if isinstance(rule, Tiered | CountCapped):
        return f"Số {rule.unit}:"
    return "Điểm:"


def read_input(rule: Rule, text: str, maximum: Decimal) -> Reading:
    """Text typed in the input cell → the entry, its points and, if suspicious, why to ask."""
    points = typed_points(text)
    if points is not None:
        return _read_points(points, maximum)
    value = parse_input(rule, text)
    points = rule.points(value, maximum)
    shown = format_input(rule, value)
    return Reading(
        appraisal_input=value,
        points=points,
        result=f"{shown} → {format_points(points)} điểm",
        doubt=_doubt(rule, value, points, maximum, text),
    )


def _read_points(points: Decimal, maximum: Decimal) -> Reading:
    if points < 0 or points > maximum:
        raise RuleError(f"Điểm {format_points(points)} phải từ 0 đến điểm tối đa {format_points(maximum)}.")
    return Reading(override=points, points=points, result=f"nhập trực tiếp {format_points(points)} điểm")


def _doubt(rule: Rule, value: Any, points: Decimal, maximum: Decimal, text: str) -> str:
    """Why a count may not be what the clerk meant ("" when it reads plainly)."""
    typed = " ".join(str(text).split())
    as_points = f"Nếu {typed} là số điểm, gõ «{typed}đ»."
    if isinstance(rule, CountCapped):
        raw = int(value) * rule.per_item
        if raw > maximum:
            return (
                f"{value} {rule.unit} × {format_points(rule.per_item)} = {format_points(raw)} điểm, "
                f"vượt tối đa {format_points(maximum)}: chỉ tính {format_points(points)}. {as_points}"
            )
    if isinstance(rule, Tiered) and rule.tiers:
        top = rule.tiers[0].at_least
        if int(value) > IMPLAUSIBLE_FACTOR * top:
            return (
                f"{value} {rule.unit} là nhiều bất thường (từ {top} {rule.unit} đã đạt tối đa "
                f"{format_points(maximum)} điểm). {as_points}"
            )
    return ""


def choice_for_points(rule: Rule, text: str, maximum: Decimal) -> Any:
    """The choice of a pick-list rule worth the points typed ("0", "10", "5đ"), else None."""
    try:
        points = typed_points(text)
        if points is None:
            points = parse_decimal(text, what="Điểm")
    except ValueError:
        return None
    worth = [value for _label, value in input_choices(rule) if rule.points(value, maximum) == points]
    return worth[0] if len(worth) == 1 else None
