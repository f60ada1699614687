"""score_agency(): subtotals, failed and unscored criteria, conflicts, penalty facts (docs/rules.md §4)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import catalog_samples  # tests/domain/catalog_samples.py
import pytest

from ictappraise.domain.catalog import Catalog, catalog_from_dict
from ictappraise.domain.rating import Band, CategoryRules
from ictappraise.domain.scorecard import Appraisal, PenaltyFacts, score_agency


@pytest.fixture(name="small_catalog")
def small_catalog_fixture() -> Catalog:
    return catalog_samples.small_catalog()


@pytest.fixture(name="full_inputs")
def full_inputs_fixture() -> Any:
    return catalog_samples.full_inputs


D = Decimal


def appraisals(inputs: dict[str, Any]) -> dict[str, Appraisal | None]:
    return {code: (None if value is None else Appraisal(input=value)) for code, value in inputs.items()}


def test_full_marks(small_catalog: Catalog, full_inputs: Any) -> None:
    card = score_agency(small_catalog, appraisals(full_inputs()))
    assert [(g.code, g.points, g.maximum) for g in card.groups] == [("I", 100, 100), ("II", 300, 300)]
    assert card.total == 400
    assert card.maximum == 400
    assert card.failed == () and card.unscored == () and card.conflicts == () and card.errors == ()
    assert card.complete and not card.provisional
    assert card.rating is not None and card.rating.band is Band.TOT


def test_subtotals_and_total_are_exact_sums(small_catalog: Catalog, full_inputs: Any) -> None:
    inputs = full_inputs(
        **{
            "I.2": {"numerator": 1, "denominator": 3},  # 6.67
            "I.3.b": "7,25",
            "II.1": 3,  # 50
            "II.2": "Kiêm nhiệm",  # 50
            "II.3": "late",  # 25
            "II.4": 2,  # 20
        }
    )
    card = score_agency(small_catalog, appraisals(inputs))
    # I: 40 + 6.67 + (20 + 7.25) = 73.92; II: 50 + 50 + 25 + 20 = 145
    assert [g.points for g in card.groups] == [D("73.92"), D(145)]
    assert card.total == D("218.92")
    assert card.rows["I.2"].points == D("6.67")
    assert card.rows["I.3"].points == D("27.25")
    assert card.rating is not None
    assert card.rating.base_band is Band.YEU  # < 250 in Phụ lục 7


def test_one_third_rows_add_up_after_rounding(small_catalog: Catalog, full_inputs: Any) -> None:
    # Each row is rounded before summing: 6.67, not 6.666… carried into the total.
    card = score_agency(small_catalog, appraisals(full_inputs(**{"I.2": {"numerator": 1, "denominator": 3}})))
    assert card.total == D("386.67")


def test_self_scores_are_summed_per_group(small_catalog: Catalog, full_inputs: Any) -> None:
    selfs = {"I.1": D(40), "I.2": D(18), "I.3.a": D(20), "I.3.b": D(15), "II.1": D(100), "II.4": D("30.5")}
    card = score_agency(small_catalog, appraisals(full_inputs()), selfs)
    assert [g.self_points for g in card.groups] == [D(93), D("130.5")]
    assert card.self_total == D("223.5")
    assert card.rows["I.3"].self_points == D(35)
    assert card.rows["I.2"].difference == D(2)
    assert card.rows["II.2"].difference is None  # no self score


# -- failed criteria -----------------------------------------------------------------------


def test_a_zero_leaf_fails_and_lowers_one_step(small_catalog: Catalog, full_inputs: Any) -> None:
    card = score_agency(small_catalog, appraisals(full_inputs(**{"II.3": "missing"})))
    assert card.failed == ("II.3",)
    assert card.total == 350
    assert card.rating is not None
    assert card.rating.base_band is Band.TOT
    assert card.rating.band is Band.KHA
    assert any(line.startswith("Hạ một bậc: tiêu chí II.3 đạt 0 điểm") for line in card.rating.reasons)


def test_criterion_with_sub_items_fails_only_when_their_sum_is_zero(
    small_catalog: Catalog, full_inputs: Any
) -> None:
    one_zero = score_agency(small_catalog, appraisals(full_inputs(**{"I.3.a": False})))
    assert one_zero.rows["I.3"].points == 20
    assert one_zero.failed == ()  # a zero sub-item is not a failed criterion
    both_zero = score_agency(small_catalog, appraisals(full_inputs(**{"I.3.a": False, "I.3.b": 0})))
    assert both_zero.rows["I.3"].points == 0
    assert both_zero.failed == ("I.3",)
    assert both_zero.rating is not None and both_zero.rating.band is Band.KHA


def test_many_failed_criteria_lower_once_and_are_all_named(small_catalog: Catalog, full_inputs: Any) -> None:
    inputs = full_inputs(**{"I.1": False, "II.2": "none", "II.4": 0})
    card = score_agency(small_catalog, appraisals(inputs))
    assert card.failed == ("I.1", "II.2", "II.4")
    assert card.total == 210
    assert card.rating is not None
    assert card.rating.base_band is Band.YEU
    assert card.rating.band is Band.YEU
    assert "I.1, II.2, II.4" in card.rating.reasons[1]


# -- not scored is not zero ----------------------------------------------------------------


def test_unscored_is_not_zero(small_catalog: Catalog, full_inputs: Any) -> None:
    inputs = full_inputs()
    del inputs["II.3"]
    inputs["II.4"] = None
    card = score_agency(small_catalog, appraisals(inputs))
    assert card.unscored == ("II.3", "II.4")
    assert card.failed == ()  # never triggers rule 1
    assert card.rows["II.3"].points is None
    assert card.total == 300
    assert card.provisional and not card.complete
    assert card.rating is not None
    assert card.rating.band is Band.KHA  # tạm tính over what is scored: 300 of 400 in Phụ lục 7


def test_unscored_sub_item_leaves_the_criterion_unscored(small_catalog: Catalog, full_inputs: Any) -> None:
    inputs = full_inputs(**{"I.3.a": False})
    del inputs["I.3.b"]
    card = score_agency(small_catalog, appraisals(inputs))
    assert card.rows["I.3"].points is None
    assert card.unscored == ("I.3.b",)
    assert "I.3" not in card.failed  # 0 + unscored is not a failed criterion
    assert card.total == 360


def three_sub_items_catalog() -> Catalog:
    """The small catalog with I.3 split into three sub-items (20 + 10 + 10)."""
    data = copy.deepcopy(catalog_samples.SMALL_CATALOG)
    i_3 = data["groups"][0]["criteria"][2]
    i_3["sub_items"] = [
        {"code": "I.3.a", "name": "Có hướng dẫn", "max": 20, "rule": {"kind": "yes_no"}},
        {"code": "I.3.b", "name": "Phân công", "max": 10, "rule": {"kind": "manual"}},
        {"code": "I.3.c", "name": "Kiểm tra", "max": 10, "rule": {"kind": "manual"}},
    ]
    return catalog_from_dict(data)


def test_a_criterion_counts_once_however_many_sub_items_are_unscored(full_inputs: Any) -> None:
    inputs = full_inputs()
    for code in ("I.3.a", "I.3.b", "I.3.c", "II.4"):
        inputs.pop(code, None)
    card = score_agency(three_sub_items_catalog(), appraisals(inputs))
    assert card.unscored == ("I.3.a", "I.3.b", "I.3.c", "II.4")  # every row, for the clerk
    assert card.unscored_criteria == ("I.3", "II.4")  # "còn 2 tiêu chí chưa chấm"
    partly = score_agency(three_sub_items_catalog(), appraisals({**inputs, "I.3.a": True, "II.4": 0}))
    assert partly.unscored == ("I.3.b", "I.3.c") and partly.unscored_criteria == ("I.3",)


def test_nothing_scored(small_catalog: Catalog) -> None:
    card = score_agency(small_catalog, {})
    assert card.total == 0
    assert len(card.unscored) == 8
    assert card.unscored_criteria == ("I.1", "I.2", "I.3", "II.1", "II.2", "II.3", "II.4")
    assert card.failed == ()
    assert card.provisional


# -- conflicts and invalid entries ---------------------------------------------------------


def test_conflict_on_a_criterion_leaves_the_band_unknown(small_catalog: Catalog, full_inputs: Any) -> None:
    card = score_agency(small_catalog, appraisals(full_inputs()), conflicts={"II.1"})
    assert card.rating is None
    assert card.conflicts == ("II.1",)
    assert card.rows["II.1"].conflict
    assert card.rows["II.1"].points is None
    assert not card.complete


def test_conflict_on_a_penalty_fact_leaves_the_band_unknown(small_catalog: Catalog, full_inputs: Any) -> None:
    card = score_agency(small_catalog, appraisals(full_inputs()), conflicts={"report_sent"})
    assert card.rating is None
    assert card.conflicts == ("report_sent",)
    assert card.total == 400


def test_override_within_range_replaces_the_rule(small_catalog: Catalog, full_inputs: Any) -> None:
    entries = appraisals(full_inputs())
    entries["II.1"] = Appraisal(override=D("62.5"))
    card = score_agency(small_catalog, entries)
    assert card.rows["II.1"].points == D("62.5")
    assert card.rows["II.1"].overridden
    assert card.total == D("362.5")


@pytest.mark.parametrize("override", ["100.01", "-1", "400"])
def test_override_outside_range_is_an_error(small_catalog: Catalog, full_inputs: Any, override: str) -> None:
    entries = appraisals(full_inputs())
    entries["II.1"] = Appraisal(override=D(override))
    card = score_agency(small_catalog, entries)
    assert card.rows["II.1"].points is None
    assert "nằm ngoài khoảng 0–100 của tiêu chí II.1" in card.rows["II.1"].error
    assert card.errors == (card.rows["II.1"].error,)
    assert not card.complete


def test_input_the_rule_refuses_is_an_error(small_catalog: Catalog, full_inputs: Any) -> None:
    card = score_agency(small_catalog, appraisals(full_inputs(**{"I.2": {"numerator": 5, "denominator": 3}})))
    assert card.rows["I.2"].points is None
    assert card.errors and card.errors[0].startswith("Tiêu chí I.2:")
    assert not card.complete


def test_appraisal_json_round_trip() -> None:
    for entry in (Appraisal(input={"numerator": "1", "denominator": "3"}), Appraisal(override=D("12.5"))):
        assert Appraisal.from_json(entry.to_json()) == entry
    assert Appraisal.from_json(None) is None
    assert Appraisal(override=D("12.50")).to_json() == {"override": "12.5"}
    with pytest.raises(ValueError, match="Điểm thẩm định phải là một số"):
        Appraisal.from_json({"override": "mười"})


# -- penalties from facts ------------------------------------------------------------------

DEADLINE = date(2022, 11, 30)


@pytest.mark.parametrize(
    ("sent", "received", "days"),
    [
        (date(2022, 12, 5), None, 5),
        (date(2022, 12, 4), date(2022, 12, 9), 4),  # the dispatch date counts, not the arrival
        (None, date(2022, 12, 7), 7),  # arrival date when no dispatch date is known
        (date(2022, 11, 30), None, 0),
        (date(2022, 11, 20), date(2022, 11, 21), 0),  # early is 0, not negative
        (date(2023, 1, 1), None, 32),  # across a month and a year
        (None, None, None),  # no date recorded: unknown, not "on time"
    ],
)
def test_days_late(sent: date | None, received: date | None, days: int | None) -> None:
    facts = PenaltyFacts(deadline=DEADLINE, report_sent=sent, report_received=received)
    assert facts.days_late == days


def test_days_late_without_a_deadline_is_unknown() -> None:
    assert PenaltyFacts(report_sent=date(2022, 12, 31)).days_late is None


def test_portal_missing_months_count_any_months_below_quota() -> None:
    counts = (5, 3, 4, 0, 4, 4, 2, 4, 4, 4, None, 4)
    facts = PenaltyFacts(portal_counts=counts, portal_quota=4)
    assert facts.portal_missing_months == 3  # months 2, 4 and 7; month 11 is unknown, not short
    assert facts.portal_short_months == (2, 4, 7)


def test_portal_unknown_months_are_not_short() -> None:
    assert PenaltyFacts(portal_quota=4).portal_missing_months == 0
    assert PenaltyFacts(portal_counts=(0,) * 12, portal_quota=4).portal_missing_months == 12
    assert PenaltyFacts(portal_counts=(0,) * 12, portal_quota=0).portal_missing_months == 0


def test_facts_reach_the_rating(small_catalog: Catalog, full_inputs: Any) -> None:
    late = PenaltyFacts(deadline=DEADLINE, report_sent=date(2022, 12, 5))
    card = score_agency(small_catalog, appraisals(full_inputs()), facts=late)
    assert card.rating is not None and card.rating.band is Band.KHA
    four_days = PenaltyFacts(deadline=DEADLINE, report_sent=date(2022, 12, 4))
    card = score_agency(small_catalog, appraisals(full_inputs()), facts=four_days)
    assert card.rating is not None and card.rating.band is Band.TOT
    missing = PenaltyFacts(report_attached=False)
    card = score_agency(small_catalog, appraisals(full_inputs()), facts=missing)
    assert card.rating is not None and card.rating.band is Band.KHA
    portal = PenaltyFacts(portal_counts=(0, 0, 0) + (9,) * 9, portal_quota=4)
    card = score_agency(small_catalog, appraisals(full_inputs()), facts=portal)
    assert card.rating is not None and card.rating.band is Band.YEU
    assert card.facts is portal


def test_round_rules_are_used(small_catalog: Catalog, full_inputs: Any) -> None:
    rules = {7: CategoryRules(7, D(400), D(390), D(300), D(250))}
    inputs = full_inputs(**{"II.4": 4})  # 390
    assert score_agency(small_catalog, appraisals(inputs), rules=rules).rating.band is Band.TOT  # type: ignore[union-attr]
    inputs = full_inputs(**{"II.4": 3})  # 380
    card = score_agency(small_catalog, appraisals(inputs), rules=rules)
    assert card.rating is not None and card.rating.band is Band.KHA
