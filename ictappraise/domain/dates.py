"""Days as a Vietnamese clerk writes them: 5/12/2022, 05/12/2022, 5-12-2022, 05122022.

One parse/format pair for the GUI and the command line, so a date typed anywhere means the
same day. Day first always; ISO 2022-12-05 is accepted too (scripts, older habits).
"""

from __future__ import annotations

import re
from datetime import date, datetime

_SEPARATED = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})")
EXAMPLE = "05/12/2022"


class DayError(ValueError):
    """A text that is not a day; the message says how to write one."""


def _year(text: str) -> int:
    # Two digits mean this century: the team's rounds are all after 2000.
    return 2000 + int(text) if len(text) == 2 else int(text)


def parse_day(text: str) -> date:
    """The day a text names, day first (DayError with a Vietnamese message if none)."""
    value = str(text).strip()
    parts: tuple[int, int, int] | None = None
    if match := _ISO.fullmatch(value):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _SEPARATED.fullmatch(value):
        parts = (int(match[1]), int(match[2]), _year(match[3]))
    elif match := _DIGITS.fullmatch(value):
        parts = (int(match[1]), int(match[2]), _year(match[3]))
    try:
        if parts is None:
            raise ValueError(value)
        return date(parts[2], parts[1], parts[0])
    except ValueError as error:
        raise DayError(
            f"Ngày «{value}» không hợp lệ; ghi ngày/tháng/năm, ví dụ {EXAMPLE}, 5/12/2022 hoặc 05122022."
        ) from error


def format_day(day: date | None, *, year: bool = True) -> str:
    """A day as dd/mm/yyyy, or dd/mm in a narrow column ("" for none)."""
    if not day:
        return ""
    return day.strftime("%d/%m/%Y" if year else "%d/%m")


def format_moment(moment: datetime | None, *, seconds: bool = False) -> str:
    """A moment as dd/mm/yyyy HH:MM (with :SS where two moments may fall in one minute)."""
    if not moment:
        return ""
    return moment.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
