"""services.field_values knows every field the services write, with the services' own rules."""

from __future__ import annotations

import pytest

from ictappraise.domain.fields import ROUND_WHOLE, SETTINGS_KEYS, round_field, visit_field
from ictappraise.services import appraisal, field_values, round_admin, seed
from ictappraise.services.errors import ServiceError
from ictappraise.services.field_values import FieldContext, FieldValueError, check_field_value, value_problem
from ictappraise.services.workspace import Workspace


def test_the_known_keys_are_the_services_keys() -> None:
    assert set(field_values.ROUND_KEYS) == set(seed.ROUND_KEYS) | set(round_admin.SETTINGS_KEYS)


@pytest.mark.parametrize("key", sorted(set(ROUND_WHOLE) & set(SETTINGS_KEYS)))
def test_the_setter_and_the_value_check_refuse_the_same_bounds(lead_ws: Workspace, key: str) -> None:
    low, high = ROUND_WHOLE[key]  # declared once (domain.fields), read by both
    assert value_problem(round_field(key), high) is None
    for outside in (low - 1, high + 1):
        assert value_problem(round_field(key), outside) is not None
        with pytest.raises(ServiceError, match=f"số nguyên từ {low} đến {high}"):
            round_admin.set_round_settings(lead_ws, **{key: outside})


def test_a_visit_detail_the_declaration_does_not_know_is_refused_everywhere(lead_ws: Workspace) -> None:
    agency_id = lead_ws.find_agency("HUPQ").id
    with pytest.raises(ServiceError, match="«weather»"):
        appraisal.set_visit(lead_ws, agency_id, weather="nắng")
    assert value_problem(visit_field(agency_id, "weather"), "nắng") is not None


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
