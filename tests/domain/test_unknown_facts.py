"""Reason lines when a penalty fact is not recorded yet: never "checked, on time" (docs/rules.md §4)."""

from __future__ import annotations

from datetime import date

import catalog_samples  # tests/domain/catalog_samples.py
import pytest

from ictappraise.domain.rating import CHECKED, UNCHECKED, Band, rate
from ictappraise.domain.scorecard import PenaltyFacts, score_agency

DEADLINE = date(2022, 11, 30)


def _report_line(reasons: tuple[str, ...]) -> str:
    return reasons[2]


def _portal_line(reasons: tuple[str, ...]) -> str:
    return reasons[3]


def test_report_date_not_recorded_is_not_checkable_and_changes_nothing() -> None:
    rating = rate(2, 790, days_late=None)
    line = _report_line(rating.reasons)
    assert line.startswith(f"{UNCHECKED}: chưa ghi ngày gửi báo cáo")
    assert "đúng hạn" not in line and "muộn 0" not in line
    assert rating.band is Band.TOT  # unknown is not late: no penalty is guessed
    assert len(rating.reasons) == 4


def test_report_not_attached_still_applies_without_a_date() -> None:
    rating = rate(2, 790, days_late=None, report_attached=False)
    assert rating.band is Band.KHA
    assert _report_line(rating.reasons) == (
        "Không xếp loại Tốt: gửi phiếu đánh giá không kèm báo cáo kết quả (Tốt → Khá)."
    )


def test_recorded_report_lines_are_unchanged() -> None:
    assert _report_line(rate(2, 790, days_late=0).reasons) == (
        f"{CHECKED}: báo cáo gửi đúng hạn hoặc muộn dưới 5 ngày, có kèm báo cáo."
    )
    assert _report_line(rate(2, 790, days_late=7).reasons) == (
        "Không xếp loại Tốt: gửi báo cáo muộn 7 ngày (Tốt → Khá)."
    )


def test_no_portal_month_entered_is_not_checkable() -> None:
    rating = rate(2, 790, portal_unentered_months=12)
    line = _portal_line(rating.reasons)
    assert line.startswith(f"{UNCHECKED}: chưa nhập 12 tháng tin, bài")
    assert "0 tháng đã nhập không đủ định mức" in line
    assert not line.startswith(CHECKED)
    assert rating.band is Band.TOT


def test_months_not_entered_that_could_reach_the_limit_leave_the_rule_unchecked() -> None:
    line = _portal_line(rate(2, 790, portal_missing_months=2, portal_unentered_months=1).reasons)
    assert line.startswith(f"{UNCHECKED}: chưa nhập 1 tháng")
    assert "2 tháng đã nhập không đủ định mức" in line


def test_months_not_entered_that_cannot_reach_the_limit_are_checked_and_named() -> None:
    line = _portal_line(rate(2, 790, portal_missing_months=0, portal_unentered_months=2).reasons)
    assert line.startswith(f"{CHECKED}: 0 tháng không đủ tin, bài")
    assert "chưa nhập 2 tháng" in line


def test_known_short_months_apply_whatever_is_not_entered() -> None:
    rating = rate(2, 790, portal_missing_months=3, portal_unentered_months=9)
    assert rating.band is Band.YEU
    assert _portal_line(rating.reasons).startswith("Xếp loại Yếu: 3 tháng không đủ tin, bài")


def test_more_months_than_a_year_are_refused() -> None:
    with pytest.raises(ValueError, match="Số tháng chưa nhập tin, bài"):
        rate(2, 790, portal_missing_months=3, portal_unentered_months=10)


def test_facts_of_a_fresh_agency_are_unknown_not_zero() -> None:
    facts = PenaltyFacts(deadline=DEADLINE, portal_quota=4)
    assert facts.days_late is None
    assert facts.portal_missing_months == 0
    assert facts.portal_unentered_months == 12
    assert PenaltyFacts(portal_quota=0).portal_unentered_months == 0  # no quota: nothing to miss


def test_scorecard_of_an_agency_with_no_data_tells_the_truth() -> None:
    card = score_agency(
        catalog_samples.small_catalog(), {}, facts=PenaltyFacts(deadline=DEADLINE, portal_quota=4)
    )
    assert card.rating is not None
    reasons = card.rating.reasons
    assert _report_line(reasons) == (
        f"{UNCHECKED}: chưa ghi ngày gửi báo cáo hoặc chưa có hạn gửi — chưa xét được gửi muộn "
        "(muộn từ 5 ngày thì không xếp loại Tốt)."
    )
    assert _portal_line(reasons).startswith(f"{UNCHECKED}: chưa nhập 12 tháng tin, bài")
    text = " ".join(reasons)
    assert "đúng hạn" not in text and "muộn 0" not in text and "✓" not in text


def test_scorecard_with_facts_recorded_keeps_its_lines() -> None:
    facts = PenaltyFacts(
        deadline=DEADLINE, report_sent=date(2022, 12, 2), portal_counts=(4,) * 11 + (1,), portal_quota=4
    )
    card = score_agency(catalog_samples.small_catalog(), {}, facts=facts)
    assert card.rating is not None
    assert _report_line(card.rating.reasons).startswith(f"{CHECKED}: báo cáo gửi đúng hạn")
    assert _portal_line(card.rating.reasons) == (
        f"{CHECKED}: 1 tháng không đủ tin, bài trên Cổng thông tin điện tử Đảng bộ tỉnh (dưới 3 tháng)."
    )


def test_unscored_criteria_leave_the_failed_criterion_rule_unchecked() -> None:
    """Not scored is not zero: with criteria unscored and none at 0, rule 1 is not 'checked'."""
    from ictappraise.domain.rating import UNCHECKED, Band, rate

    rating = rate(2, "760", unscored_criteria=14)
    assert rating.band is Band.TOT and rating.applied == ()
    assert rating.reasons[1].startswith(UNCHECKED) and "còn 14 tiêu chí chưa chấm" in rating.reasons[1]
    assert rating.unchecked == (rating.reasons[1],)
    failed = rate(2, "760", failed_criteria=["I.1"], unscored_criteria=14)  # a 0 is known: it counts
    assert failed.band is Band.KHA and failed.applied[0].startswith("Hạ một bậc")
