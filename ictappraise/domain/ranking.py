"""Ranking within a category (domain.md §4): band, then total descending, then name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from ictappraise.domain.rating import Band

T = TypeVar("T")


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """An item with its rank; None when its band is unknown (open conflict)."""

    rank: int | None
    item: T


def rank(entries: Iterable[tuple[T, Band | None, Decimal, str]]) -> list[Ranked[T]]:
    """Rank (item, band, total, name) tuples of ONE category.

    Equal band and equal total share a rank ("1, 1, 3"); items without a band come last,
    unranked.
    """
    rated = [e for e in entries]
    known = sorted(
        (e for e in rated if e[1] is not None),
        key=lambda e: (e[1].rank if e[1] else 9, -e[2], e[3].casefold()),
    )
    result: list[Ranked[T]] = []
    previous: tuple[Band | None, Decimal] | None = None
    current = 0
    for position, (item, band, total, _name) in enumerate(known, start=1):
        if (band, total) != previous:
            current = position
            previous = (band, total)
        result.append(Ranked(current, item))
    unknown = sorted((e for e in rated if e[1] is None), key=lambda e: e[3].casefold())
    result.extend(Ranked(None, e[0]) for e in unknown)
    return result
