"""Value checks shared by the field_values rule families; the shapes are declared in domain.fields."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from ictappraise.domain.editlog import STATE_DRAFT, STATE_READY, STATE_REOPENED, STATE_SIGNED

# The shapes themselves are declared once, per field kind, in domain.fields.
STATUS_STATES = (STATE_DRAFT, STATE_READY, STATE_SIGNED, STATE_REOPENED)
APPRAISAL_SHAPES = ({"input"}, {"override"})
DIGEST = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_OF_DAY = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")

UNKNOWN = "phiên bản này của chương trình không có trường này"


# -- values ---------------------------------------------------------------------------------------


def text_problem(value: Any, *, required: bool = False) -> str | None:
    if not isinstance(value, str):
        return f"phải là văn bản, không phải {shown(value)}"
    if required and not value.strip():
        return "không được để trống"
    return None


def boolean_problem(value: Any) -> str | None:
    return (
        None
        if isinstance(value, bool)
        else f"phải là true (có) hoặc false (không), không phải {shown(value)}"
    )


def is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def whole_problem(value: Any, low: int, high: int | None) -> str | None:
    if is_whole(value) and value >= low and (high is None or value <= high):
        return None
    bounds = f"từ {low} đến {high}" if high is not None else f"từ {low} trở lên"
    return f"phải là số nguyên {bounds}, không phải {shown(value)}"


def iso_date_problem(value: Any) -> str | None:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return f"phải là ngày dạng năm-tháng-ngày (ví dụ 2022-11-30), không phải {shown(value)}"


def shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text if len(text) <= 60 else text[:59] + "…"
    return f"«{text}»"
