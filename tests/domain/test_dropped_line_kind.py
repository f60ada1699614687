"""A required "Hạn chế" line dropped with a reason: its own field kind (docs/rules.md §6, §9)."""

from __future__ import annotations

from ictappraise.domain.authority import DROPPED_LINE, LEAD_OR_SECRETARY, VISIT, authority_problem, kind_of
from ictappraise.domain.editlog import is_lockable
from ictappraise.domain.fields import dropped_line_field, visit_field
from ictappraise.domain.roles import ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY


def test_the_field_is_its_own_kind_locked_by_signing() -> None:
    name = dropped_line_field("a1", "crit/IV.3")
    assert name == "agency/a1/visit/dropped/crit/IV.3"
    assert kind_of(name) is DROPPED_LINE
    assert kind_of(visit_field("a1", "weaknesses")) is VISIT  # the remarks themselves stay VISIT
    assert DROPPED_LINE.locked_by_signing and is_lockable(name)
    assert DROPPED_LINE.roles == LEAD_OR_SECRETARY


def test_only_the_lead_or_the_secretary_may_drop_a_required_line() -> None:
    name = dropped_line_field("a1", "fact/portal")
    value = {"reason": "Đơn vị đã có văn bản giải trình được Tổ chấp nhận"}
    assert authority_problem(name, value, ROLE_SECRETARY) is None
    assert authority_problem(name, value, ROLE_LEAD) is None
    problem = authority_problem(name, value, ROLE_MEMBER)
    assert problem == "chỉ Tổ trưởng hoặc Thư ký được thay đổi ý Hạn chế bắt buộc"
