"""Characters no text value may hold (docs/rules.md §9): C0 controls but tab and newline, DEL, bidi controls.

A control character breaks the workbook writer (openpyxl refuses it) and the PDF; a bidi
override or isolate can make a printed text read differently from what is stored. Both
are refused wherever a value enters: local input, merge, conflict resolution, catalog import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# C0 controls except tab (09) and newline (0A), DEL, and U+202A–U+202E, U+2066–U+2069.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def forbidden_character(value: Any, _depth: int = 0) -> str | None:
    """The first forbidden character in a text value or anywhere inside a JSON value, or None."""
    if isinstance(value, str):
        found = FORBIDDEN.search(value)
        return found.group() if found else None
    if _depth > 100:  # deeper than any value we write; the shape checks refuse it anyway
        return None
    if isinstance(value, Mapping):
        items: list[Any] = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return None
    for item in items:
        found_in = forbidden_character(item, _depth + 1)
        if found_in is not None:
            return found_in
    return None


def forbidden_problem(value: Any) -> str | None:
    """Why a value is refused for its characters (Vietnamese), or None."""
    char = forbidden_character(value)
    if char is None:
        return None
    return (
        f"văn bản chứa ký tự điều khiển U+{ord(char):04X}, không được phép (thường do dán từ trang web "
        "hoặc tệp khác); hãy gõ lại đoạn đó"
    )


def sanitize(text: str) -> str:
    """Text with every forbidden character replaced by U+FFFD (for exports of older data)."""
    return FORBIDDEN.sub(REPLACEMENT, text)
