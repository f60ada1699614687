"""rank(): band first, then total descending, then name; ties share a rank (docs/rules.md §4)."""

from __future__ import annotations

import random
from decimal import Decimal

from ictappraise.domain.ranking import rank
from ictappraise.domain.rating import Band

D = Decimal


def ranked(entries: list[tuple[str, Band | None, Decimal, str]]) -> list[tuple[int | None, str]]:
    return [(r.rank, r.item) for r in rank(entries)]


def test_band_comes_before_total() -> None:
    # A Khá agency with more points (a penalty lowered it) ranks below a Tốt one with fewer.
    entries = [
        ("late", Band.KHA, D(790), "Huyện ủy A"),
        ("good", Band.TOT, D(752), "Huyện ủy B"),
        ("weak", Band.YEU, D(799), "Huyện ủy C"),
        ("fair", Band.TRUNG_BINH, D(680), "Huyện ủy D"),
    ]
    assert ranked(entries) == [(1, "good"), (2, "late"), (3, "fair"), (4, "weak")]


def test_total_descending_within_a_band() -> None:
    entries = [
        ("b", Band.KHA, D("720.5"), "B"),
        ("a", Band.KHA, D("749.99"), "A"),
        ("c", Band.KHA, D(700), "C"),
    ]
    assert ranked(entries) == [(1, "a"), (2, "b"), (3, "c")]


def test_ties_share_a_rank_and_skip_the_next() -> None:
    entries = [
        ("x", Band.TOT, D(760), "Thị ủy La Gi"),
        ("y", Band.TOT, D(760), "Huyện ủy Bắc Bình"),
        ("z", Band.TOT, D(755), "Huyện ủy Tuy Phong"),
        ("w", Band.KHA, D(720), "Văn phòng Tỉnh ủy"),
    ]
    # Equal band and total: rank 1, 1; then 3 (not 2); names order the tied ones.
    assert ranked(entries) == [(1, "y"), (1, "x"), (3, "z"), (4, "w")]


def test_equal_totals_in_different_bands_do_not_tie() -> None:
    entries = [("a", Band.KHA, D(760), "A"), ("b", Band.TOT, D(760), "B")]
    assert ranked(entries) == [(1, "b"), (2, "a")]


def test_equal_decimals_written_differently_tie() -> None:
    entries = [("a", Band.TOT, D("760.50"), "A"), ("b", Band.TOT, D("760.5"), "B")]
    assert ranked(entries) == [(1, "a"), (1, "b")]


def test_name_breaks_ties_ignoring_case() -> None:
    entries = [
        ("2", Band.TOT, D(760), "ban B"),
        ("1", Band.TOT, D(760), "Ban A"),
        ("3", Band.TOT, D(760), "BAN C"),
    ]
    assert ranked(entries) == [(1, "1"), (1, "2"), (1, "3")]


def test_unknown_band_comes_last_unranked() -> None:
    entries = [
        ("open", None, D(799), "A conflict"),
        ("ok", Band.YEU, D(100), "Z"),
        ("partial", None, D(400), "B provisional"),
    ]
    assert ranked(entries) == [(1, "ok"), (None, "open"), (None, "partial")]


def test_empty_and_all_unknown() -> None:
    assert rank([]) == []
    assert ranked([("a", None, D(0), "A")]) == [(None, "a")]


def test_input_order_does_not_matter() -> None:
    entries = [
        (str(i), band, D(total), name)
        for i, (band, total, name) in enumerate(
            [
                (Band.TOT, 780, "E"),
                (Band.TOT, 780, "D"),
                (Band.KHA, 790, "C"),
                (None, 800, "B"),
                (Band.YEU, 0, "A"),
                (Band.TRUNG_BINH, 690, "F"),
            ]
        )
    ]
    expected = ranked(entries)
    assert expected == [(1, "1"), (1, "0"), (3, "2"), (4, "5"), (5, "4"), (None, "3")]
    shuffler = random.Random(7)
    for _ in range(20):
        copy = list(entries)
        shuffler.shuffle(copy)
        assert ranked(copy) == expected


def test_names_sort_in_vietnamese_dictionary_order() -> None:
    from ictappraise.domain.ranking import vietnamese_key

    names = ["Tu", "Tổ chức", "Tỉnh đoàn", "Đảng ủy", "Dân vận", "Ưu", "Ủy ban", "Uy", "Bâc", "Bắc", "Ban"]
    assert sorted(names, key=vietnamese_key) == [
        "Ban",
        "Bắc",
        "Bâc",
        "Dân vận",
        "Đảng ủy",
        "Tỉnh đoàn",
        "Tổ chức",
        "Tu",
        "Uy",
        "Ủy ban",
        "Ưu",
    ]
