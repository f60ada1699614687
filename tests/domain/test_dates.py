"""Days typed as a clerk writes them mean that day (domain.dates)."""

from datetime import date, datetime
from pathlib import Path

import pytest

from ictappraise.domain.dates import DayError, format_day, format_moment, parse_day


@pytest.mark.parametrize(
    "text",
    [
        "5/12/2022",
        "05/12/2022",
        "5-12-2022",
        "05.12.2022",
        "05122022",
        " 5 / 12 / 2022 ",
        "2022-12-05",
        "5/12/22",
    ],
)
def test_written_forms_mean_the_fifth_of_december(text: str) -> None:
    assert parse_day(text) == date(2022, 12, 5)


@pytest.mark.parametrize("text", ["", "31/02/2022", "12/2022", "5122022", "hôm nay", "13/13/2022"])
def test_what_is_not_a_day_is_refused_in_vietnamese(text: str) -> None:
    with pytest.raises(DayError, match="không hợp lệ; ghi ngày/tháng/năm"):
        parse_day(text)


def test_format_day_is_day_first_and_empty_for_none() -> None:
    assert format_day(date(2022, 12, 5)) == "05/12/2022"
    assert format_day(None) == ""
    assert parse_day(format_day(date(2022, 1, 9))) == date(2022, 1, 9)


def test_short_days_and_moments_are_day_first() -> None:
    assert format_day(date(2022, 12, 5), year=False) == "05/12"
    assert format_moment(datetime(2022, 12, 5, 7, 30, 9)) == "05/12/2022 07:30"
    assert format_moment(datetime(2022, 12, 5, 7, 30, 9), seconds=True) == "05/12/2022 07:30:09"
    assert format_moment(None) == ""


def test_days_are_written_only_here() -> None:
    """One format_day/format_moment: no other module spells a day-first format of its own."""
    package = Path(__file__).resolve().parents[2] / "ictappraise"
    spelled = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "dates.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "%d/%m" in line
    ]
    assert spelled == []
