"""How an appraiser's input for each rule kind is written and read as text.

The checklist shows "45/50" for a ratio, "Có" for yes/no, "3 cuộc họp" for a count; the
same text typed back is understood. Pure functions, so the GUI delegates and the Excel
import agree and both are tested without Qt.
"""

from __future__ import annotations

import re
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
