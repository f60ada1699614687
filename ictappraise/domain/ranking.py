"""Ranking within a category (docs/rules.md §4): band, then total descending, then name."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from ictappraise.domain.rating import Band

T = TypeVar("T")

# The Vietnamese alphabet: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def vietnamese_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key in Vietnamese dictionary order: letters first, tones only to break ties."""
    letters: list[int] = []
    tones: list[int] = []
    for char in text.casefold():
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        letter = "đ" if base == "đ" else base
        for mark in marks:
            if mark in _TONES:
                tones.append(_TONES[mark])
            elif mark in _LETTER_MARKS:
                letter = {
                    ("a", "ă"): "ă",
                    ("a", "â"): "â",
                    ("e", "â"): "ê",
                    ("o", "â"): "ô",
                    ("o", "ơ"): "ơ",
                    ("u", "ơ"): "ư",
                }.get((letter, _LETTER_MARKS[mark]), letter)
        position = _ALPHABET.find(letter)
        letters.append(position if position >= 0 else 100 + ord(letter))
    return tuple(letters), tuple(tones)


def vietnamese_sort_text(text: str) -> str:
    """vietnamese_key as one string, for places that compare text only (Qt sort roles)."""
    letters, tones = vietnamese_key(text)
    return "".join(chr(0x100 + letter) for letter in letters) + "\x00" + "".join(map(str, tones))


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
        key=lambda e: (e[1].rank if e[1] else 9, -e[2], vietnamese_key(e[3])),
    )
    result: list[Ranked[T]] = []
    previous: tuple[Band | None, Decimal] | None = None
    current = 0
    for position, (item, band, total, _name) in enumerate(known, start=1):
        if (band, total) != previous:
            current = position
            previous = (band, total)
        result.append(Ranked(current, item))
    unknown = sorted((e for e in rated if e[1] is None), key=lambda e: vietnamese_key(e[3]))
    result.extend(Ranked(None, e[0]) for e in unknown)
    return result
