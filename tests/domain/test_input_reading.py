"""A typed input says what it counts and asks when it may not be what the clerk meant."""

from decimal import Decimal

import pytest

from ictappraise.domain.input_text import choice_for_points, input_unit, read_input, typed_points
from ictappraise.domain.scoring_rules import CountCapped, Level, Levels, Ratio, RuleError, Tier, Tiered, YesNo

RULES_I2 = CountCapped(per_item=Decimal(10), unit="quy chế")
CLASSES = Tiered(tiers=(Tier(3, Decimal(10)), Tier(2, Decimal(7)), Tier(1, Decimal(4))), unit="lớp")


def test_units_say_what_is_typed() -> None:
    assert input_unit(RULES_I2) == "Số quy chế:"
    assert input_unit(CLASSES) == "Số lớp:"
    assert input_unit(Ratio()) == "Tỷ lệ a/b:"


def test_a_plain_count_reads_as_a_count_with_its_result() -> None:
    reading = read_input(RULES_I2, "2", Decimal(30))
    assert reading.appraisal_input == 2 and reading.override is None
    assert reading.points == Decimal(20) and reading.result == "2 quy chế → 20 điểm"
    assert reading.doubt == ""


def test_the_i2_trap_asks_and_says_how_to_type_points() -> None:
    reading = read_input(RULES_I2, "20", Decimal(30))
    assert reading.points == Decimal(30)
    assert "20 quy chế × 10 = 200 điểm, vượt tối đa 30: chỉ tính 30" in reading.doubt
    assert "gõ «20đ»" in reading.doubt
    assert read_input(RULES_I2, "3", Decimal(30)).doubt == ""  # exactly the cap is plain


@pytest.mark.parametrize("typed", ["20đ", "20 đ", "20 điểm", "20d", " 20Đ "])
def test_points_typed_explicitly_are_points(typed: str) -> None:
    reading = read_input(RULES_I2, typed, Decimal(30))
    assert reading.override == Decimal(20) and reading.appraisal_input is None
    assert reading.result == "nhập trực tiếp 20 điểm" and reading.doubt == ""
    assert typed_points("7,5 điểm") == Decimal("7.5")


def test_points_above_the_maximum_are_refused() -> None:
    with pytest.raises(RuleError, match="phải từ 0 đến điểm tối đa 30"):
        read_input(RULES_I2, "40đ", Decimal(30))


def test_a_count_far_above_the_top_tier_asks() -> None:
    assert read_input(CLASSES, "6", Decimal(10)).doubt == ""
    doubt = read_input(CLASSES, "10", Decimal(10)).doubt
    assert "10 lớp là nhiều bất thường (từ 3 lớp đã đạt tối đa 10 điểm)" in doubt


def test_ratio_reads_with_its_result() -> None:
    assert read_input(Ratio(), "45/50", Decimal(20)).result == "45/50 → 18 điểm"


def test_choices_are_found_by_their_points() -> None:
    assert choice_for_points(YesNo(), "0", Decimal(10)) is False
    assert choice_for_points(YesNo(), "10", Decimal(10)) is True
    assert choice_for_points(YesNo(), "5", Decimal(10)) is None
    levels = Levels(levels=(Level("full", "Đầy đủ", Decimal(10)), Level("half", "Một phần", Decimal(5))))
    assert choice_for_points(levels, "5đ", Decimal(10)) == "half"
    assert choice_for_points(levels, "Đầy", Decimal(10)) is None
