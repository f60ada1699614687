"""rate() against an independent oracle written from docs/rules.md §3–4, on every combination.

The oracle shares no code with ictappraise.domain.rating: its thresholds are typed in from the
table of §3 and its order of penalties from §4's decided points. The grid holds every
threshold's neighbours (a cent below, on it, a cent above), both ends of the scale, and the
penalty inputs on each side of their limits.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from ictappraise.domain.rating import rate

# §3: category → (maximum, Tốt, Khá, Trung bình), lower bounds inclusive.
TABLE = {
    2: (800, 750, 700, 650),
    3: (500, 450, 400, 350),
    4: (700, 650, 600, 550),
    5: (600, 550, 500, 450),
    6: (650, 600, 550, 500),
    7: (400, 350, 300, 250),
}
BANDS = ["Tốt", "Khá", "Trung bình", "Yếu"]
CENT = Decimal("0.01")


def oracle(category: int, total: Decimal, failed: int, days_late: int, attached: bool, months: int) -> str:
    """The band §4 gives, step by step."""
    _maximum, tot, kha, trung_binh = TABLE[category]
    index = 0 if total >= tot else 1 if total >= kha else 2 if total >= trung_binh else 3
    if failed > 0:  # rule 1, once however many failed
        index = min(index + 1, 3)
    if (days_late >= 5 or not attached) and index == 0:  # rule 2: not Tốt
        index = 1
    if months >= 3:  # rule 3: Yếu whatever else
        index = 3
    return BANDS[index]


def totals(category: int) -> list[Decimal]:
    maximum, *thresholds = (Decimal(n) for n in TABLE[category])
    near = {t + step for t in thresholds for step in (-CENT, Decimal(0), CENT)}
    return sorted(near | {Decimal(0), maximum - CENT, maximum})


def test_every_combination_matches_the_oracle() -> None:
    checked = 0
    for category in TABLE:
        grid = itertools.product(totals(category), (0, 1, 3), (0, 4, 5, 40), (True, False), (0, 2, 3, 12))
        for total, failed, days_late, attached, months in grid:
            rating = rate(
                category,
                total,
                failed_criteria=failed,
                days_late=days_late,
                report_attached=attached,
                portal_missing_months=months,
            )
            expected = oracle(category, total, failed, days_late, attached, months)
            assert rating.band.value == expected, (category, total, failed, days_late, attached, months)
            assert rating.total == total and rating.maximum == TABLE[category][0]
            checked += 1
    assert checked == 6 * 12 * 3 * 4 * 2 * 4  # the whole grid ran: 6,912 combinations
