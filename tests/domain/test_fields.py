"""domain.fields: every path a builder makes parses back to its parts, and each kind is declared once."""

from __future__ import annotations

import pytest

from ictappraise.domain import fields as f
from ictappraise.domain.roles import ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY

AGENCY, MEMBER, DIGEST = "a-1", "m-1", "ab" * 32


@pytest.mark.parametrize(
    ("name", "family", "owner", "rest"),
    [
        (f.round_field("portal_quota"), "round", None, ("portal_quota",)),
        (f.rules_field(3), "round", None, ("rules", "3")),
        (f.catalog_field(3), "catalog", None, ("3",)),
        (f.previous_field(2021), "round", None, ("previous", "2021")),
        (f.commend_field(AGENCY), "round", None, ("commend", AGENCY)),
        (f.adoption_field("e-9"), "round", None, ("adoption", "e-9")),
        (f.member_field(MEMBER, "role"), "member", MEMBER, ("role",)),
        (f.member_field(MEMBER, "key", "fp"), "member", MEMBER, ("key", "fp")),
        (f.status_field(AGENCY), "agency", AGENCY, ("status",)),
        (f.crit_field(AGENCY, "I.4.b", "note"), "agency", AGENCY, ("crit", "I.4.b", "note")),
        (f.attachment_field(AGENCY, "I.1", DIGEST), "agency", AGENCY, ("crit", "I.1", "attachment", DIGEST)),
        (f.fact_field(AGENCY, "report_sent"), "agency", AGENCY, ("fact", "report_sent")),
        (f.portal_field(AGENCY, 12), "agency", AGENCY, ("fact", "portal", "12")),
        (f.visit_field(AGENCY, "date"), "agency", AGENCY, ("visit", "date")),
        (f.followup_field(AGENCY, 2), "agency", AGENCY, ("visit", "followup", "2")),
        (f.individuals_field(AGENCY), "agency", AGENCY, ("visit", "individuals")),
        (f.dropped_line_field(AGENCY, "crit/IV.3"), "agency", AGENCY, ("visit", "dropped", "crit", "IV.3")),
    ],
)
def test_a_built_path_parses_back(name: str, family: str, owner: str | None, rest: tuple[str, ...]) -> None:
    ref = f.parse_field(name)
    assert (ref.family, ref.owner, ref.rest) == (family, owner, rest)
    assert ref.name == name


def test_the_parts_of_a_criterion_field() -> None:
    ref = f.parse_field(f.crit_field(AGENCY, "III.10.a", "appraised"))
    assert (ref.agency_id, ref.code, ref.part, ref.within) == (
        AGENCY,
        "III.10.a",
        "appraised",
        "crit/III.10.a/appraised",
    )
    attachment = f.parse_field(f.attachment_field(AGENCY, "I.1", DIGEST))
    assert (attachment.part, attachment.digest) == ("attachment", DIGEST)
    assert f.parse_field(f.portal_field(AGENCY, 7)).month == 7
    assert f.parse_field(f.rules_field(5)).category == 5 == f.parse_field(f.catalog_field(5)).category
    assert f.parse_field(f.status_field(AGENCY)).with_owner("b-2").name == f.status_field("b-2")


def test_an_unknown_or_short_path_never_fails() -> None:
    for name in ("", "agency", "agency/a-1", "member/m-1", "nonsense/x/y", "catalog/x"):
        ref = f.parse_field(name)
        assert ref.agency_id is None and ref.code is None and ref.category is None
        assert f.kind_of(name) in (f.UNKNOWN, f.CATALOG, f.ROUND_SETTING)
    assert f.kind_of("nonsense/x/y") is f.UNKNOWN


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        (f.round_field("name"), f.ROUND_SETTING),
        (f.rules_field(2), f.RULES),
        (f.catalog_field(2), f.CATALOG),
        (f.member_field(MEMBER, "role"), f.MEMBER),
        (f.agency_field(AGENCY, "category"), f.AGENCY),
        (f.status_field(AGENCY), f.STATUS),
        (f.crit_field(AGENCY, "I.1", "self"), f.CRIT),
        (f.portal_field(AGENCY, 1), f.FACT),
        (f.visit_field(AGENCY, "date"), f.VISIT_DATE),
        (f.visit_field(AGENCY, "place"), f.VISIT),
        (f.dropped_line_field(AGENCY, "fact/portal"), f.DROPPED_LINE),
    ],
)
def test_each_kind_is_found_from_its_path(name: str, kind: f.FieldKind) -> None:
    assert f.kind_of(name) is kind
    assert f.is_lockable(name) is kind.locked_by_signing


def test_who_may_change_each_kind() -> None:
    team = {ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY}
    lead_only = {k for k in f.KINDS if k.roles == {ROLE_LEAD}}
    assert lead_only == {f.ROUND_SETTING, f.RULES, f.CATALOG, f.MEMBER, f.AGENCY, f.VISIT_DATE, f.UNKNOWN}
    lead_or_secretary = {k for k in f.KINDS if k.roles == {ROLE_LEAD, ROLE_SECRETARY}}
    assert lead_or_secretary == {f.DROPPED_LINE}  # leaving a required Hạn chế line out of the minutes
    assert all(k.roles == team for k in set(f.KINDS) - lead_only - lead_or_secretary)
    assert len({k.label for k in f.KINDS}) == len(f.KINDS)  # each label names one kind


def test_rating_inputs_and_their_category() -> None:
    assert f.rating_category(f.round_field("portal_quota")) is None
    assert f.rating_category(f.rules_field(4)) == 4
    assert f.rating_category(f.catalog_field(6)) == 6
    assert f.rating_category(f.round_field("name")) is False
    assert f.rating_category(f.catalog_field("x")) is False
    assert set(f.rating_fields(3)) == {*f.RATING_INPUTS, f.rules_field(3), f.catalog_field(3)}


def test_roster_fields_and_announcements() -> None:
    assert f.is_roster_field(f.member_field(MEMBER, "role"))
    assert f.is_roster_field(f.adoption_field("e-1"))
    assert not f.is_roster_field(f.member_field(MEMBER, "signature"))
    assert not f.is_roster_field(f.member_field(MEMBER, "announce", "fp"))
    assert f.is_announcement(f.member_field(MEMBER, "announce", "fp"))
    assert not f.is_announcement(f.member_field(MEMBER, "key", "fp"))


def test_like_patterns_for_the_store() -> None:
    assert f.like_pattern("agency/*/category") == "agency/%/category"
    assert f.is_reference(f.agency_field(AGENCY, "category"))
    assert f.is_reference(f.rules_field(2)) and f.is_reference(f.catalog_field(2))
    assert not f.is_reference(f.agency_field(AGENCY, "name"))
