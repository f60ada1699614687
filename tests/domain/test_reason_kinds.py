"""Reason lines carry a kind, made where the line is made; nothing classifies them by their words.

docs/rules.md §4: every penalty rule yields a line, "checked" when it did not change the band and
"cannot be checked yet" when a fact is missing. Rewording a line must change no classification.
"""

from __future__ import annotations

import itertools

import pytest

from ictappraise.domain import rating as rating_module
from ictappraise.domain.rating import Band, Rating, Reason, ReasonKind, rate

GRID = [
    dict(
        failed_criteria=failed,
        days_late=days_late,
        report_attached=attached,
        portal_missing_months=missing,
        portal_unentered_months=unentered,
        unscored_criteria=unscored,
    )
    for failed, days_late, attached, missing, unentered, unscored in itertools.product(
        (0, 1, ("I.1", "II.2")), (0, 5, None), (True, False), (0, 2, 3), (0, 1, 9), (0, 4)
    )
    if missing + unentered <= 12
]
TOTALS = ("800", "750", "700", "650", "10")


def _kinds(value: Rating) -> tuple[ReasonKind, ...]:
    return tuple(finding.kind for finding in value.findings)


@pytest.mark.parametrize("total", TOTALS)
def test_a_band_changes_exactly_when_a_penalty_is_applied(total: str) -> None:
    for facts in GRID:
        result = rate(2, total, **facts)
        assert result.findings[0].kind is ReasonKind.BASE
        assert ReasonKind.BASE not in _kinds(result)[1:]
        assert len(result.findings) == 4  # the base band and one line per rule of §4
        assert (result.band is not result.base_band) == bool(result.applied), facts
        assert result.reasons == tuple(finding.text for finding in result.findings)
        assert result.unchecked == tuple(f.text for f in result.findings if f.kind is ReasonKind.UNCHECKED)


def test_unknown_facts_are_unchecked_and_never_applied() -> None:
    result = rate(2, 790, days_late=None, portal_unentered_months=12, unscored_criteria=3)
    assert _kinds(result) == (ReasonKind.BASE,) + (ReasonKind.UNCHECKED,) * 3
    assert result.band is Band.TOT and result.applied == ()


@pytest.mark.parametrize("total", TOTALS)
def test_rewording_the_lead_ins_changes_no_classification(
    total: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = [rate(2, total, **facts) for facts in GRID]
    # Swap the two lead-ins: a text-keyed classifier would now take every checked line for
    # an unchecked one and the other way round.
    monkeypatch.setattr(rating_module, "CHECKED", rating_module.UNCHECKED)
    monkeypatch.setattr(rating_module, "UNCHECKED", "Đã kiểm tra")
    after = [rate(2, total, **facts) for facts in GRID]
    assert any(old.reasons != new.reasons for old, new in zip(before, after, strict=True))  # reworded
    for old, new in zip(before, after, strict=True):
        assert _kinds(new) == _kinds(old)
        assert new.band is old.band
        assert new.applied == old.applied  # applied lines were not reworded
        assert len(new.unchecked) == len(old.unchecked)


def test_kind_not_words_decides_applied_and_unchecked() -> None:
    findings = (
        Reason(ReasonKind.BASE, "Tổng điểm 760/800", "xếp loại cơ sở Tốt."),
        Reason(ReasonKind.APPLIED, "Đã kiểm tra", "lời lẽ của một dòng đã kiểm tra, nhưng đã hạ bậc."),
        Reason(ReasonKind.CHECKED, "Chưa kiểm tra được", "lời lẽ của một dòng chưa kiểm tra."),
        Reason(ReasonKind.UNCHECKED, "Hạ một bậc", "lời lẽ của một dòng hạ bậc."),
    )
    value = Rating(
        rating_module.RULES_2022[2].tot, rating_module.RULES_2022[2].maximum, Band.TOT, Band.KHA, findings
    )
    assert value.applied == ("Đã kiểm tra: lời lẽ của một dòng đã kiểm tra, nhưng đã hạ bậc.",)
    assert value.unchecked == ("Hạ một bậc: lời lẽ của một dòng hạ bậc.",)
    assert str(findings[2]) == findings[2].text == "Chưa kiểm tra được: lời lẽ của một dòng chưa kiểm tra."
