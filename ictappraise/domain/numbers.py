"""Decimal parsing and rounding shared by every calculation (never floats)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

CENT = Decimal("0.01")

# "7,5", "7.5", " 12 ", "-3", "1.234,5" is refused: thousands separators are not scores.
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_decimal(value: object, *, what: str = "Giá trị") -> Decimal:
    """Read a number typed by a person or stored in a file: int, Decimal, float or text.

    The Vietnamese decimal comma is accepted ("7,5"). A float goes through ``str`` so that
    0.1 stays 0.1. Anything else raises ValueError with a Vietnamese message.
    """
    if isinstance(value, bool):
        raise ValueError(f"{what} phải là một số, không phải {value!r}.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # str, not the binary value, so 0.1 stays 0.1; Decimal reads "1e-07" and "nan" itself.
        result = Decimal(str(value))
    elif isinstance(value, str):
        result = _from_text(value, what)
    else:
        raise ValueError(f"{what} phải là một số, không phải {value!r}.")
    if not result.is_finite():
        raise ValueError(f"{what} phải là một số hữu hạn, không phải {value!r}.")
    return result


def _from_text(text: str, what: str) -> Decimal:
    number = _number(text)
    if number is None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise ValueError(f"{what} phải là một số (ví dụ 7,5), không phải «{shown}».")
    return number


@lru_cache(maxsize=4096)
def _number(text: str) -> Decimal | None:
    """The number a text holds, else None. Cached: every preview re-reads the same stored
    texts ("12,5" per self-assessed criterion), and a Decimal never changes."""
    cleaned = text.strip().replace("\u00a0", "")
    if not _NUMBER.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        return None


def quantize_points(value: Decimal) -> Decimal:
    """Points of one criterion rounded to 0.01, half up (docs/rules.md §4: 1/3 × 20 = 6.67)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_points(value: Decimal | None, *, comma: bool = True) -> str:
    """A score as a clerk writes it: no trailing zeros, decimal comma ("7,5", "800")."""
    if value is None:
        return ""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if comma else text
