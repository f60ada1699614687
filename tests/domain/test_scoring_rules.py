"""The nine scoring-rule kinds (docs/rules.md §5): points from good input, refusal of bad input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import catalog_samples  # tests/domain/catalog_samples.py
import pytest

from ictappraise.domain.catalog import Catalog
from ictappraise.domain.numbers import parse_decimal, quantize_points
from ictappraise.domain.scorecard import Appraisal, score_agency
from ictappraise.domain.scoring_rules import (
    RULE_KINDS,
    CountCapped,
    Level,
    Levels,
    Manual,
    Ratio,
    RatioThreshold,
    RuleError,
    SubItems,
    Tier,
    Tiered,
    Timeliness,
    YesNo,
    rule_from_dict,
)

D = Decimal
MEETINGS = Tiered(tiers=(Tier(4, D(20)), Tier(3, D(15)), Tier(2, D(10)), Tier(1, D(5))), unit="cuộc họp")
STAFF = Levels(
    levels=(
        Level("full", "Chuyên trách", D(20)),
        Level("half", "Kiêm nhiệm", D(10)),
        Level("none", "Không có", D(0)),
    )
)


@pytest.fixture(name="small_catalog")
def small_catalog_fixture() -> Catalog:
    return catalog_samples.small_catalog()


@pytest.fixture(name="full_inputs")
def full_inputs_fixture() -> Any:
    return catalog_samples.full_inputs


def ratio(numerator: object, denominator: object) -> dict[str, object]:
    return {"numerator": numerator, "denominator": denominator}


# -- yes/no ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, "có", "Có", " CÓ ", "co", "yes", "1", 1, "x", "đạt"])
def test_yes_no_yes_is_max(value: object) -> None:
    assert YesNo().points(value, D(15)) == D(15)


@pytest.mark.parametrize("value", [False, "không", "Không", "khong", "no", "0", 0, "không đạt"])
def test_yes_no_no_is_zero(value: object) -> None:
    assert YesNo().points(value, D(15)) == D(0)


@pytest.mark.parametrize("value", ["có lẽ", "", None, 2, "abc", 0.5])
def test_yes_no_refuses_other_input(value: object) -> None:
    with pytest.raises(RuleError, match="Chỉ nhận «Có» hoặc «Không»"):
        YesNo().points(value, D(15))


def test_yes_no_normalizes_to_bool() -> None:
    assert YesNo().normalize_input("Có") is True
    assert YesNo().normalize_input("không") is False


# -- ratio ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "maximum", "points"),
    [
        (1, 3, 20, "6.67"),  # docs/rules.md §4: 1/3 × 20 = 6.67
        (2, 3, 20, "13.33"),
        (0, 7, 20, "0"),
        (7, 7, 20, "20"),
        ("45", "60", 20, "15"),
        ("1,5", "3", 20, "10"),
        (1, 40, 5, "0.13"),  # 0.125 rounds half up, not to even
        (3, 40, 5, "0.38"),  # 0.375 → 0.38
        (1, 8, 1, "0.13"),
    ],
)
def test_ratio_points(numerator: object, denominator: object, maximum: int, points: str) -> None:
    assert Ratio().points(ratio(numerator, denominator), D(maximum)) == D(points)


def test_ratio_points_are_quantized_to_cents() -> None:
    result = Ratio().points(ratio(1, 3), D(20))
    assert result.as_tuple().exponent == -2
    assert str(result) == "6.67"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (ratio(1, 0), "Mẫu số phải lớn hơn 0"),
        (ratio(0, 0), "Mẫu số phải lớn hơn 0"),
        (ratio(1, -3), "Mẫu số phải lớn hơn 0"),
        (ratio(4, 3), "Tỷ lệ không hợp lệ"),
        (ratio(-1, 3), "Tỷ lệ không hợp lệ"),
        (ratio("abc", 3), "Tử số phải là một số"),
        ({"numerator": 1}, "Mẫu số phải là một số"),
        ("1/3", "Cần nhập tử số và mẫu số"),
        (None, "Cần nhập tử số và mẫu số"),
    ],
)
def test_ratio_refuses_bad_input(value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Ratio().points(value, D(20))


def test_ratio_uses_its_own_labels_in_messages() -> None:
    rule = Ratio(numerator="Số văn bản ký số", denominator="Tổng số văn bản đi")
    with pytest.raises(RuleError, match="Tổng số văn bản đi phải lớn hơn 0"):
        rule.points(ratio(0, 0), D(20))
    assert "Số văn bản ký số" in rule.describe(D(20))


def test_ratio_normalizes_to_plain_strings() -> None:
    assert Ratio().normalize_input(ratio("1,5", 3)) == {"numerator": "1.5", "denominator": "3"}


# -- ratio with threshold --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "points"),
    [
        (79, 100, "0"),  # below the floor
        ("7,99", 10, "0"),
        (80, 100, "16"),  # at the floor: ratio × max
        (4, 5, "16"),
        (9, 10, "18"),
        (10, 10, "20"),
        (0, 10, "0"),
    ],
)
def test_ratio_threshold_points(numerator: object, denominator: object, points: str) -> None:
    rule = RatioThreshold(floor=D("0.8"))
    assert rule.points(ratio(numerator, denominator), D(20)) == D(points)


def test_ratio_threshold_refuses_what_ratio_refuses() -> None:
    with pytest.raises(RuleError, match="Mẫu số phải lớn hơn 0"):
        RatioThreshold(floor=D("0.8")).points(ratio(0, 0), D(20))
    with pytest.raises(RuleError, match="Tỷ lệ không hợp lệ"):
        RatioThreshold(floor=D("0.8")).points(ratio(11, 10), D(20))


@pytest.mark.parametrize("floor", ["1.01", "2", "0", "-0.5"])
def test_ratio_threshold_floor_outside_zero_one_is_refused(floor: str) -> None:
    with pytest.raises(RuleError, match="Ngưỡng tỷ lệ"):
        RatioThreshold(floor=D(floor)).validate(D(20))


@pytest.mark.parametrize("floor", ["0.5", "1"])
def test_ratio_threshold_valid_floors(floor: str) -> None:
    RatioThreshold(floor=D(floor)).validate(D(20))


def test_ratio_threshold_floor_one_needs_everything() -> None:
    rule = RatioThreshold(floor=D(1))
    assert rule.points(ratio(99, 100), D(20)) == D(0)
    assert rule.points(ratio(100, 100), D(20)) == D(20)


# -- tiered -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "points"), [(0, 0), (1, 5), (2, 10), (3, 15), (4, 20), (12, 20), ("3", 15), ("3,0", 15)]
)
def test_tiered_points(count: object, points: int) -> None:
    MEETINGS.validate(D(20))
    assert MEETINGS.points(count, D(20)) == D(points)


@pytest.mark.parametrize("count", [-1, 2.5, "2,5", True, "abc", None])
def test_tiered_refuses_bad_count(count: object) -> None:
    with pytest.raises(ValueError, match="Số cuộc họp phải"):
        MEETINGS.points(count, D(20))


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ((Tier(4, D(15)), Tier(2, D(10))), "phải bằng điểm tối đa"),  # top ≠ max
        ((Tier(4, D(25)), Tier(2, D(10))), "phải bằng điểm tối đa"),
        ((), "ít nhất một mức"),
        ((Tier(2, D(10)), Tier(4, D(20))), "giảm dần"),  # counts ascending
        ((Tier(4, D(20)), Tier(4, D(10))), "không trùng nhau"),
        ((Tier(4, D(20)), Tier(0, D(10))), "từ 1 trở lên"),
        ((Tier(4, D(20)), Tier(2, D(-5))), "không âm"),
        ((Tier(4, D(20)), Tier(3, D(5)), Tier(2, D(10))), "giảm dần"),  # points not descending
    ],
)
def test_tiered_parameter_validation(tiers: tuple[Tier, ...], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        Tiered(tiers=tiers).validate(D(20))


# -- level ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "points"),
    [("full", 20), ("Chuyên trách", 20), ("half", 10), ("Kiêm nhiệm", 10), ("none", 0), ("Không có", 0)],
)
def test_level_points_by_key_or_label(choice: str, points: int) -> None:
    STAFF.validate(D(20))
    assert STAFF.points(choice, D(20)) == D(points)


def test_level_normalizes_to_its_key() -> None:
    assert STAFF.normalize_input("Kiêm nhiệm") == "half"


@pytest.mark.parametrize("choice", ["part", "", None, 20, "chuyên trách "])
def test_level_refuses_unknown_choice(choice: object) -> None:
    with pytest.raises(RuleError, match="Mức độ .* không có; chọn một trong"):
        STAFF.points(choice, D(20))


@pytest.mark.parametrize(
    "levels",
    [
        (Level("full", "Đủ", D(15)), Level("none", "Không", D(0))),  # top ≠ max
        (Level("full", "Đủ", D(30)), Level("none", "Không", D(0))),
        (Level("full", "Đủ", D(20)), Level("none", "Không", D(-1))),
        (Level("full", "Đủ", D(20)),),  # one level is not a choice
        (Level("full", "Đủ", D(20)), Level("full", "Khác", D(0))),  # duplicate key
    ],
)
def test_level_parameter_validation(levels: tuple[Level, ...]) -> None:
    with pytest.raises(RuleError):
        Levels(levels=levels).validate(D(20))


# -- count, capped ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "points"), [(0, 0), (1, 10), (2, 20), (3, 30), (4, 30), (50, 30), ("2", 20)]
)
def test_count_capped_points(count: object, points: int) -> None:
    rule = CountCapped(per_item=D(10), unit="quy chế")
    rule.validate(D(30))
    assert rule.points(count, D(30)) == D(points)


def test_count_capped_fractional_per_item() -> None:
    assert CountCapped(per_item=D("2.5")).points(3, D(10)) == D("7.5")


@pytest.mark.parametrize("count", [-1, 1.5, "x", True])
def test_count_capped_refuses_bad_count(count: object) -> None:
    with pytest.raises(ValueError, match="Số quy chế phải"):
        CountCapped(per_item=D(10), unit="quy chế").points(count, D(30))


@pytest.mark.parametrize("per_item", ["0", "-5", "31"])
def test_count_capped_parameter_validation(per_item: str) -> None:
    with pytest.raises(RuleError, match="Điểm mỗi"):
        CountCapped(per_item=D(per_item)).validate(D(30))


# -- sub-items (through score_agency) ------------------------------------------------------


def test_sub_items_rule_has_no_input_of_its_own() -> None:
    with pytest.raises(RuleError, match="tổng các tiểu mục"):
        SubItems().points(True, D(10))


def test_sub_items_total_is_capped() -> None:
    assert SubItems().total([D(6), D(7)], D(10)) == D(10)
    assert SubItems().total([D("2.5"), D("3.25")], D(10)) == D("5.75")
    assert SubItems().total([], D(10)) == D(0)


def test_sub_items_add_up_through_score_agency(small_catalog: Catalog, full_inputs: Any) -> None:
    inputs = full_inputs(**{"I.3.a": True, "I.3.b": "7,5"})
    card = score_agency(small_catalog, {code: Appraisal(input=v) for code, v in inputs.items()})
    assert card.rows["I.3.a"].points == D(20)
    assert card.rows["I.3.b"].points == D("7.5")
    assert card.rows["I.3"].points == D("27.5")
    assert card.total == D("387.5")


def test_sub_items_refuse_direct_input_through_score_agency(small_catalog: Catalog, full_inputs: Any) -> None:
    appraisals = {code: Appraisal(input=v) for code, v in full_inputs().items()}
    appraisals["I.3.b"] = Appraisal(input="abc")
    card = score_agency(small_catalog, appraisals)
    assert card.rows["I.3.b"].points is None
    assert "I.3.b" in card.rows["I.3.b"].error
    assert "I.3" not in card.failed
    assert not card.complete


# -- timeliness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("on_time", "15"),
        ("Đúng hạn", "15"),
        ("đúng hạn", "15"),
        ("late", "7.5"),
        ("Chậm", "7.5"),
        ("missing", "0"),
        ("Không có", "0"),
    ],
)
def test_timeliness_points(value: str, points: str) -> None:
    rule = Timeliness(late_points=D("7.5"))
    rule.validate(D(15))
    assert rule.points(value, D(15)) == D(points)


@pytest.mark.parametrize("value", ["sớm", "", None, True, 1])
def test_timeliness_refuses_other_input(value: object) -> None:
    with pytest.raises(RuleError, match="Chỉ nhận «Đúng hạn», «Chậm» hoặc «Không có»"):
        Timeliness(late_points=D(5)).points(value, D(10))


@pytest.mark.parametrize("late", ["10", "12", "0", "-1"])
def test_timeliness_late_points_must_be_a_part_of_max(late: str) -> None:
    with pytest.raises(RuleError, match="Điểm khi chậm"):
        Timeliness(late_points=D(late)).validate(D(10))


# -- manual -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [(0, "0"), ("0", "0"), (7.5, "7.5"), ("7,5", "7.5"), ("7.25", "7.25"), (D("0.75"), "0.75"), (20, "20")],
)
def test_manual_points(value: object, points: str) -> None:
    assert Manual().points(value, D(20)) == D(points)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (20.25, "vượt điểm tối đa"),
        ("21", "vượt điểm tối đa"),
        (-1, "không được âm"),
        ("-0,25", "không được âm"),
        ("7.3", "bội số của 0,25"),
        ("0.1", "bội số của 0,25"),
        ("abc", "phải là một số"),
        (None, "phải là một số"),
        (True, "phải là một số"),
    ],
)
def test_manual_refuses_bad_points(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Manual().points(value, D(20))


def test_manual_with_another_step() -> None:
    rule = Manual(step=D("0.5"))
    rule.validate(D(10))
    assert rule.points("2,5", D(10)) == D("2.5")
    with pytest.raises(RuleError, match="bội số của 0,5"):
        rule.points("2.25", D(10))


@pytest.mark.parametrize("step", ["0", "-0.25", "11"])
def test_manual_step_validation(step: str) -> None:
    with pytest.raises(RuleError, match="Bước điểm"):
        Manual(step=D(step)).validate(D(10))


# -- rounding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("6.666666", "6.67"), ("2.675", "2.68"), ("0.125", "0.13"), ("0.005", "0.01"), ("0.0049", "0.00")],
)
def test_points_round_half_up_to_cents(value: str, rounded: str) -> None:
    assert quantize_points(D(value)) == D(rounded)
    assert str(quantize_points(D(value))) == rounded


def test_one_third_of_twenty_through_parse() -> None:
    assert quantize_points(parse_decimal("1") / parse_decimal("3") * parse_decimal("20")) == D("6.67")


# -- building rules from data --------------------------------------------------------------


ALL_RULES = [
    YesNo(),
    Ratio(numerator="A", denominator="B"),
    RatioThreshold(numerator="A", denominator="B", floor=D("0.8")),
    MEETINGS,
    STAFF,
    CountCapped(per_item=D(5), unit="quy chế"),
    SubItems(),
    Timeliness(late_points=D(10)),
    Manual(),
    Manual(step=D("0.5")),
]


def test_every_kind_is_registered() -> None:
    assert set(RULE_KINDS) == {
        "yes_no",
        "ratio",
        "ratio_threshold",
        "tiered",
        "level",
        "count_capped",
        "sub_items",
        "timeliness",
        "manual",
    }


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.kind)
def test_rule_round_trips_through_dict(rule: Any) -> None:
    assert rule_from_dict(rule.to_dict()) == rule


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.kind != "sub_items"], ids=lambda r: r.kind)
def test_describe_is_vietnamese_and_names_the_maximum(rule: Any) -> None:
    text = rule.describe(D(20))
    assert "20" in text
    assert "điểm" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "bonus"}, "Cách tính điểm «bonus» không có"),
        ({}, "Thiếu cách tính điểm"),
        ("yes_no", "Thiếu cách tính điểm"),
        ({"kind": "ratio_threshold", "numerator": "A", "denominator": "B"}, "không đầy đủ"),
        ({"kind": "tiered"}, "không đầy đủ"),
        ({"kind": "level", "levels": [{"key": "a"}]}, "không đầy đủ"),
        ({"kind": "timeliness"}, "không đầy đủ"),
        ({"kind": "count_capped"}, "không đầy đủ"),
        ({"kind": "tiered", "tiers": [{"at_least": 2, "points": "mười"}]}, "phải là một số"),
        ({"kind": "tiered", "tiers": [{"at_least": 1.5, "points": 10}]}, "số nguyên không âm"),
    ],
)
def test_rule_from_dict_refuses_bad_data(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rule_from_dict(data)
