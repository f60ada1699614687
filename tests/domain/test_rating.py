"""rate(): band boundaries of every category and the penalties (docs/rules.md §3–4)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from ictappraise.domain.rating import Band, CategoryRules, rate

TOT, KHA, TB, YEU = Band.TOT, Band.KHA, Band.TRUNG_BINH, Band.YEU

# The table of docs/rules.md §3, typed in from the spec (not from the code):
# category: (maximum, lower bound of Tốt, of Khá, of Trung bình).
SPEC_TABLE = {
    2: (800, 750, 700, 650),
    3: (500, 450, 400, 350),
    4: (700, 650, 600, 550),
    5: (600, 550, 500, 450),
    6: (650, 600, 550, 500),
    7: (400, 350, 300, 250),
}


def _boundary_cases() -> list[tuple[int, str, Band]]:
    cases = []
    for category, (maximum, tot, kha, tb) in SPEC_TABLE.items():
        cases += [
            (category, str(maximum), TOT),
            (category, f"{maximum - 1}.99", TOT),
            (category, str(tot), TOT),
            (category, f"{tot - 1}.99", KHA),
            (category, str(kha), KHA),
            (category, f"{kha - 1}.99", TB),
            (category, str(tb), TB),
            (category, f"{tb - 1}.99", YEU),
            (category, "0.01", YEU),
            (category, "0", YEU),
        ]
    return cases


@pytest.mark.parametrize(("category", "total", "band"), _boundary_cases())
def test_band_boundaries_every_category(category: int, total: str, band: Band) -> None:
    rating = rate(category, Decimal(total))
    assert rating.base_band is band
    assert rating.band is band
    assert rating.total == Decimal(total)
    assert rating.maximum == SPEC_TABLE[category][0]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (750, TOT),
        ("750", TOT),
        (Decimal("750"), TOT),
        (750.0, TOT),
        (749.99, KHA),
        ("749.99", KHA),
        ("749,99", KHA),
        (" 749,99 ", KHA),
        (Decimal("749.99"), KHA),
        (Decimal("749.999"), KHA),
        ("700", KHA),
        (699.99, TB),
        ("650,00", TB),
        (649.99, YEU),
        (0, YEU),
        (0.0, YEU),
        (800, TOT),
        ("800.00", TOT),
    ],
)
def test_total_accepts_int_str_decimal_float(total: object, band: Band) -> None:
    assert rate(2, total).band is band  # type: ignore[arg-type]


def test_float_goes_through_str_so_decimals_are_exact() -> None:
    # 0.1 + 0.2 as a binary float is 0.30000000000000004; through str it is exact.
    assert rate(7, 249.99).total == Decimal("249.99")
    assert rate(7, 1e-7).total == Decimal("1E-7")
    assert rate(7, 1e-7).band is YEU


def test_category_by_keyword_and_position() -> None:
    assert rate(category=2, total="760").band is TOT
    assert rate(3, total=449.99).band is KHA
    assert rate(total="350", category=7).band is TOT


def test_band_values_are_the_official_words() -> None:
    assert [band.value for band in Band] == ["Tốt", "Khá", "Trung bình", "Yếu"]
    for band in Band:
        assert unicodedata.is_normalized("NFC", band.value)
    assert Band("Trung bình") is TB
    assert [band.rank for band in (TOT, KHA, TB, YEU)] == [0, 1, 2, 3]


def test_no_penalty_lists_every_rule_as_checked() -> None:
    rating = rate(2, 760)
    assert rating.band is TOT
    assert len(rating.reasons) == 4
    assert rating.reasons[0].startswith("Tổng điểm 760/800")
    assert "Tốt" in rating.reasons[0]
    assert all(line.startswith("Đã kiểm tra") for line in rating.reasons[1:])
    assert "0 điểm" in rating.reasons[1]
    assert "báo cáo" in rating.reasons[2]
    assert "Cổng thông tin" in rating.reasons[3]
    for line in rating.reasons:
        assert unicodedata.is_normalized("NFC", line)


# -- rule 1: a failed criterion lowers the band one step -------------------------------------


@pytest.mark.parametrize(
    ("total", "base", "final"),
    [(760, TOT, KHA), (750, TOT, KHA), (720, KHA, TB), (660, TB, YEU), (600, YEU, YEU), (0, YEU, YEU)],
)
def test_failed_criterion_lowers_one_step(total: int, base: Band, final: Band) -> None:
    rating = rate(2, total, failed_criteria=1)
    assert rating.base_band is base
    assert rating.band is final


@pytest.mark.parametrize("count", [1, 2, 5, 30])
def test_rule_one_applies_once_however_many_failed(count: int) -> None:
    assert rate(2, 790, failed_criteria=count).band is KHA
    codes = [f"III.{i}" for i in range(1, count + 1)]
    assert rate(2, 790, failed_criteria=codes).band is KHA


def test_failed_codes_are_named_in_the_reason() -> None:
    rating = rate(2, 760, failed_criteria=["III.2"])
    assert rating.band is KHA
    assert any(line.startswith("Hạ một bậc: tiêu chí III.2 đạt 0 điểm") for line in rating.reasons)
    two = rate(2, 760, failed_criteria=("III.2", "IV.1"))
    assert any("III.2" in line and "IV.1" in line and "Hạ một bậc" in line for line in two.reasons)


def test_failed_count_without_codes_says_how_many() -> None:
    rating = rate(2, 760, failed_criteria=2)
    assert any(line.startswith("Hạ một bậc: tiêu chí") and "2" in line for line in rating.reasons)


def test_empty_list_of_failed_codes_is_no_failure() -> None:
    rating = rate(2, 760, failed_criteria=[])
    assert rating.band is TOT
    assert rating.reasons[1].startswith("Đã kiểm tra")


def test_failed_on_yeu_is_listed_as_checked_with_the_code() -> None:
    rating = rate(2, 600, failed_criteria=["III.2"])
    assert rating.band is YEU
    line = rating.reasons[1]
    assert line.startswith("Đã kiểm tra")
    assert "III.2" in line and "Yếu" in line


# -- rule 2: a report sent 5+ days late, or not attached, caps at Khá -------------------------


@pytest.mark.parametrize(("days", "band"), [(0, TOT), (1, TOT), (4, TOT), (5, KHA), (6, KHA), (60, KHA)])
def test_late_report_five_days_or_more(days: int, band: Band) -> None:
    rating = rate(2, 790, days_late=days)
    assert rating.base_band is TOT
    assert rating.band is band


def test_late_report_reason_applied_and_checked() -> None:
    applied = rate(2, 790, days_late=7)
    assert any(line.startswith("Không xếp loại Tốt") and "7 ngày" in line for line in applied.reasons)
    checked = rate(2, 720, days_late=7)  # already Khá: the cap changes nothing
    assert checked.band is KHA
    assert any(line.startswith("Đã kiểm tra") and "7 ngày" in line for line in checked.reasons)


@pytest.mark.parametrize(("total", "final"), [(800, KHA), (750, KHA), (749.99, KHA), (700, KHA), (690, TB)])
def test_report_not_attached_caps_at_kha(total: object, final: Band) -> None:
    rating = rate(2, total, report_attached=False)  # type: ignore[arg-type]
    assert rating.band is final
    assert any("không kèm báo cáo" in line for line in rating.reasons)


def test_late_and_not_attached_together_still_cap_at_kha() -> None:
    rating = rate(2, 800, days_late=10, report_attached=False)
    assert rating.band is KHA
    line = next(line for line in rating.reasons if line.startswith("Không xếp loại Tốt"))
    assert "10 ngày" in line and "không kèm báo cáo" in line


# -- rule 3: short of the portal quota in 3+ months means Yếu ---------------------------------


@pytest.mark.parametrize(("months", "band"), [(0, TOT), (1, TOT), (2, TOT), (3, YEU), (7, YEU), (12, YEU)])
def test_portal_three_months_or_more_is_yeu(months: int, band: Band) -> None:
    rating = rate(2, 800, portal_missing_months=months)
    assert rating.base_band is TOT
    assert rating.band is band


def test_portal_reason_names_the_months() -> None:
    rating = rate(2, 800, portal_missing_months=3)
    assert any(line.startswith("Xếp loại Yếu: 3 tháng") for line in rating.reasons)
    checked = rate(2, 800, portal_missing_months=2)
    assert checked.reasons[3].startswith("Đã kiểm tra: 2 tháng")
    already = rate(2, 600, portal_missing_months=4)  # base Yếu: nothing left to change
    assert already.band is YEU
    assert already.reasons[3].startswith("Đã kiểm tra: 4 tháng")


# -- combinations, in the decided order ----------------------------------------------------


def test_760_failed_and_late_is_kha_not_trung_binh() -> None:
    rating = rate(2, 760, failed_criteria=["III.2"], days_late=5)
    assert rating.base_band is TOT
    assert rating.band is KHA
    # Rule 2 could apply but changed nothing: listed as checked.
    assert rating.reasons[1].startswith("Hạ một bậc: tiêu chí III.2 đạt 0 điểm")
    assert rating.reasons[2].startswith("Đã kiểm tra")
    assert "5 ngày" in rating.reasons[2]


def test_failed_and_not_attached_from_tot_is_kha() -> None:
    assert rate(2, 800, failed_criteria=1, report_attached=False).band is KHA


def test_failed_and_late_from_kha_is_trung_binh() -> None:
    assert rate(2, 720, failed_criteria=1, days_late=9).band is TB


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"failed_criteria": 3},
        {"days_late": 30},
        {"report_attached": False},
        {"failed_criteria": ["I.1"], "days_late": 8, "report_attached": False},
    ],
)
def test_portal_rule_sets_yeu_whatever_else(kwargs: dict[str, object]) -> None:
    for total in (800, 760, 720, 660, 10):
        assert rate(2, total, portal_missing_months=3, **kwargs).band is YEU  # type: ignore[arg-type]


def test_everything_applied_gives_four_reason_lines() -> None:
    rating = rate(4, 700, failed_criteria=["II.1"], days_late=6, portal_missing_months=5)
    assert rating.band is YEU
    assert len(rating.reasons) == 4
    assert "II.1" in rating.reasons[1]
    assert rating.reasons[3].startswith("Xếp loại Yếu")


# -- custom thresholds of a round -----------------------------------------------------------


def test_custom_rules_are_used() -> None:
    rules = {2: CategoryRules(2, Decimal(800), Decimal(770), Decimal(720), Decimal(680))}
    assert rate(2, 760).band is TOT  # the 2022 table
    assert rate(2, 760, rules=rules).band is KHA
    assert rate(2, 770, rules=rules).band is TOT
    assert rate(2, 719.99, rules=rules).band is TB
    assert rate(2, 679.99, rules=rules).band is YEU
    with pytest.raises(ValueError, match="Phụ lục 3"):
        rate(3, 400, rules=rules)  # a round's table without that category


def test_custom_rules_with_another_maximum() -> None:
    rules = {5: CategoryRules(5, Decimal(1000), Decimal(900), Decimal(800), Decimal(700))}
    assert rate(5, 950, rules=rules).band is TOT
    with pytest.raises(ValueError, match="ngoài khoảng"):
        rate(5, 1000.01, rules=rules)


def test_category_rules_refuse_inconsistent_thresholds() -> None:
    with pytest.raises(ValueError, match="Ngưỡng xếp loại"):
        CategoryRules(2, Decimal(800), Decimal(850), Decimal(700), Decimal(650))
    with pytest.raises(ValueError, match="Ngưỡng xếp loại"):
        CategoryRules(2, Decimal(800), Decimal(700), Decimal(750), Decimal(650))


def test_category_rules_round_trip() -> None:
    rules = CategoryRules(6, Decimal(650), Decimal("600.5"), Decimal(550), Decimal(500))
    assert CategoryRules.from_dict(6, rules.to_dict()) == rules


# -- impossible input -----------------------------------------------------------------------


@pytest.mark.parametrize("category", [1, 8, 0, -2, "2", 2.0, None, True])
def test_unknown_category_is_refused(category: object) -> None:
    with pytest.raises(ValueError, match="Không có nhóm đối tượng Phụ lục"):
        rate(category, 100)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("category", "total"),
    [(2, "-0.01"), (2, -1), (2, "800.01"), (2, 801), (3, 500.01), (7, "400,5"), (4, Decimal("700.001"))],
)
def test_total_out_of_range_is_refused(category: int, total: object) -> None:
    with pytest.raises(ValueError, match="Tổng điểm .* nằm ngoài khoảng cho phép"):
        rate(category, total)  # type: ignore[arg-type]


@pytest.mark.parametrize("total", ["abc", "", "7.5.1", "1.234,5", "12 điểm", None, True, False, [750], "nan"])
def test_total_that_is_not_a_number_is_refused(total: object) -> None:
    with pytest.raises(ValueError, match="Tổng điểm phải là một số"):
        rate(2, total)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_total_not_finite_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="Tổng điểm"):
        rate(2, value)


@pytest.mark.parametrize("days", [-1, -30, 2.5, "5", True])  # None: not recorded (allowed)
def test_bad_days_late_is_refused(days: object) -> None:
    with pytest.raises(ValueError, match="Số ngày gửi báo cáo muộn"):
        rate(2, 760, days_late=days)  # type: ignore[arg-type]


@pytest.mark.parametrize("months", [-1, 13, 99, 3.0, "3", True])
def test_bad_portal_months_are_refused(months: object) -> None:
    with pytest.raises(ValueError, match="Số tháng không đủ tin, bài"):
        rate(2, 760, portal_missing_months=months)  # type: ignore[arg-type]


@pytest.mark.parametrize("failed", [-1, True, "III.2", 1.5])
def test_bad_failed_criteria_are_refused(failed: object) -> None:
    with pytest.raises(ValueError, match="tiêu chí đạt 0 điểm"):
        rate(2, 760, failed_criteria=failed)  # type: ignore[arg-type]
