"""services.field_values knows every field the services write, with the services' own rules."""

from __future__ import annotations

import pytest

from ictappraise.services import appraisal, field_values, round_admin, seed
from ictappraise.services.field_values import FieldContext, FieldValueError, check_field_value, value_problem


def test_the_known_keys_are_the_services_keys() -> None:
    assert set(field_values.VISIT_KEYS) == set(appraisal.VISIT_KEYS)
    assert set(field_values.ROUND_KEYS) == set(seed.ROUND_KEYS) | set(round_admin.SETTINGS_KEYS)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("round/report_deadline", "2022-11-30"),
        ("round/report_deadline", None),
        ("round/portal_quota", 0),
        ("round/minutes_copies", 20),
        ("round/legal_basis", ["Công văn 294-CV/TU"]),
        ("member/m1/signature", "ab" * 32),
        ("agency/a1/status", {"state": "signed", "covers": ["e1"], "fingerprint": "f", "revision": 2}),
        ("agency/a1/status", {"state": "reopened", "revision": 1}),
        ("agency/a1/visit/representatives", [{"name": "Ông A", "title": "Bí thư"}]),
        ("agency/a1/visit/start", ""),
        ("agency/a1/fact/portal/12", 0),
        ("agency/a1/crit/I.1/attachment/" + "cd" * 32, {"name": "a.pdf", "size": 3, "added": "x"}),
        ("agency/a1/crit/I.1/self", "7.25"),  # no round: the maximum is not known, the form is
    ],
)
def test_values_the_services_write_pass(field: str, value: object) -> None:
    assert value_problem(field, value) is None
    if "/crit/" not in field:  # a criterion needs a round to look it up
        check_field_value(FieldContext(), field, value)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("round/minutes_copies", 0, "từ 1 đến 20"),
        ("round/portal_quota", True, "số nguyên"),
        ("round/visit_start", "2022-02-30", "2022-02-30"),
        ("round/name", "  ", "để trống"),
        ("round/legal_basis", "Công văn", "danh sách"),
        ("agency/a1/visit/start", "7h30", "07:30"),
        ("agency/a1/visit/team", "Chuyên viên A", "danh sách"),
        ("agency/a1/status", {"state": "signed", "covers": "e1"}, "covers"),
        ("agency/a1/crit/I.1/attachment/xyz", {"name": "a", "size": 1}, "không có trường này"),
        ("member/m1/active", "không", "true"),
    ],
)
def test_values_that_do_not_fit_are_refused_in_words(field: str, value: object, words: str) -> None:
    with pytest.raises(FieldValueError) as refused:
        check_field_value(FieldContext(), field, value)
    assert words in str(refused.value)
