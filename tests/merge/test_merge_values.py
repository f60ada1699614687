"""Every merged value is checked against its field before anything is written (exchange-format.md).

A package whose checksums are right can still carry a value the program cannot use ("ba"
news in a month, a self score "abc", a quota "4 bài", broken thresholds…). Merging it used
to succeed and leave a database that `results` and the GUI could not read; now the whole
package is refused, naming the edit, the field and why, and the database is unchanged.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from merge_helpers import LEAD, MEMBER_A, fingerprint

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import catalog_field, crit_field, member_field, portal_field, rules_field
from ictappraise.io import exchange
from ictappraise.io.exchange import Origin
from ictappraise.services import field_values, merge
from ictappraise.services.workspace import Workspace, now_iso
from ictappraise.store import repository
from ictappraise.store.database import SCHEMA_VERSION
from tests.support import reopen_signed, signed

_counter = iter(range(1_000_000))


def edit(ws: Workspace, field: str, value: Any) -> Edit:
    """An edit as a member's laptop would make it: parents are the field's current heads."""
    assert ws.actor is not None
    heads = ws.state(repository.scope_of(field)).heads(field)
    return Edit(
        f"bad-{next(_counter)}", field, value, ws.actor.member_id, ws.actor.device_id, now_iso(), heads
    )


def package(ws: Workspace, path: Path, edits: list[Edit]) -> Path:
    """A package with correct checksums holding exactly these edits."""
    assert ws.actor is not None
    member = ws.member(ws.actor.member_id)
    assert member is not None
    origin = Origin(
        ws.round_info().key, SCHEMA_VERSION, member.id, member.name, ws.actor.device_id, now_iso()
    )
    exchange.write_package(path, origin, signed(ws, edits), [])  # as the author's laptop signs them
    return path


def hupq(ws: Workspace) -> str:
    return ws.find_agency("HUPQ").id


BAD = {
    "portal month as words": (lambda ws: portal_field(hupq(ws), 3), "ba", "tháng 3"),
    "self score as words": (lambda ws: crit_field(hupq(ws), "IV.3", "self"), "abc", "tự đánh giá"),
    "self score above the maximum": (lambda ws: crit_field(hupq(ws), "IV.3", "self"), "25", "0–20"),
    "self score with 3 decimals": (lambda ws: crit_field(hupq(ws), "IV.3", "self"), "1.125", "2 chữ số"),
    "quota with words": (lambda ws: "round/portal_quota", "4 bài", "Số tin, bài"),
    "deadline in dd/mm/yyyy": (lambda ws: "round/report_deadline", "30/11/2022", "Hạn gửi báo cáo"),
    "broken thresholds": (lambda ws: rules_field(2), {"maximum": "800", "tot": "x"}, "Ngưỡng xếp loại"),
    "thresholds of another maximum": (
        lambda ws: rules_field(2),
        {"maximum": "900", "tot": "750", "kha": "700", "trung_binh": "650"},
        "800",
    ),
    "appraised not an appraisal": (lambda ws: crit_field(hupq(ws), "IV.3", "appraised"), "abc", "thẩm định"),
    "appraised input the rule refuses": (
        lambda ws: crit_field(hupq(ws), "IV.3", "appraised"),
        {"input": "có lẽ"},
        "IV.3",
    ),
    "appraised override above the maximum": (
        lambda ws: crit_field(hupq(ws), "IV.3", "appraised"),
        {"override": "21"},
        "0–20",
    ),
    "appraised on a criterion with sub-items": (
        lambda ws: crit_field(hupq(ws), "I.4", "appraised"),
        {"override": "1"},
        "tiểu mục",
    ),
    "appraised on an unknown criterion": (
        lambda ws: crit_field(hupq(ws), "IX.99", "appraised"),
        {"override": "1"},
        "IX.99",
    ),
    "a status nobody knows": (lambda ws: f"agency/{hupq(ws)}/status", {"state": "done"}, "Trạng thái"),
    "an opinion nobody knows": (lambda ws: f"agency/{hupq(ws)}/visit/opinion", "maybe", "Ý kiến"),
    "a role nobody knows": (
        lambda ws: member_field(ws.find_member(MEMBER_A).id, "role"),  # type: ignore[union-attr]
        "boss",
        "Vai trò",
    ),
    "a category nobody knows": (lambda ws: f"agency/{hupq(ws)}/category", 9, "Phụ lục"),
    "report attached as text": (lambda ws: f"agency/{hupq(ws)}/fact/report_attached", "có", "kèm báo cáo"),
    "an unknown field": (lambda ws: f"agency/{hupq(ws)}/colour", "red", "không có"),
    "an unknown round setting": (lambda ws: "round/colour", "red", "không có"),
    "a portal month 13": (lambda ws: portal_field(hupq(ws), 13), 4, "không có"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_value_refuses_the_whole_package(laptops, tmp_path: Path, case: str) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    field_of, value, words = BAD[case]
    good = edit(a, crit_field(hupq(a), "IV.5", "note"), "Đã kiểm tra tại chỗ")
    bad = edit(a, field_of(a), value)
    path = package(a, tmp_path / "a.ictx", [good, bad])
    before = fingerprint(lead.db.path)
    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_packages(lead, [path])
    message = str(refused.value)
    assert bad.id in message and bad.field in message and words in message, message
    assert "Chưa tổng hợp" in message
    assert fingerprint(lead.db.path) == before
    assert len(lead.results()) == 25  # still readable


def test_valid_values_merge_and_a_catalog_in_the_same_package_counts(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    # Round settings are the lead's (docs/rules.md §9): made on a laptop where the lead reopened
    # the signed minutes first, carried in A's package with A's scores.
    lead_laptop = laptops(LEAD, "lead-laptop")
    reopen_signed(lead_laptop)
    reopened = merge.export_package(lead_laptop, tmp_path / "l.ictx").path
    merge.merge_packages(a, [reopened], confirmed=True)
    merge.merge_packages(lead, [reopened], confirmed=True)
    agency = a.find_agency("HCCB")  # Phụ lục 7
    data = copy.deepcopy(a.state().value(catalog_field(7)))
    data["groups"][0]["criteria"][0]["code"] = "I.1-moi"
    data["version"] = "2"
    new_catalog = edit(lead_laptop, catalog_field(7), data)
    scored = edit(a, crit_field(agency.id, "I.1-moi", "appraised"), {"input": "on_time"})
    alone = package(a, tmp_path / "alone.ictx", [scored])
    before = fingerprint(lead.db.path)
    with pytest.raises(merge.MergeRefused, match="I.1-moi"):
        merge.merge_packages(lead, [alone])  # no catalog has that criterion
    assert fingerprint(lead.db.path) == before
    fine = [
        new_catalog,
        scored,
        edit(a, portal_field(agency.id, 3), 3),
        edit(a, portal_field(agency.id, 4), None),
        edit(a, crit_field(agency.id, "I.2", "self"), "7.5"),
        edit(lead_laptop, "round/report_deadline", "2022-11-29"),
        edit(lead_laptop, "round/portal_quota", 5),
        edit(
            lead_laptop, rules_field(7), {"maximum": "400", "tot": "360", "kha": "300", "trung_binh": "250"}
        ),
        edit(a, f"agency/{agency.id}/visit/start", "07:30"),
        edit(a, f"agency/{agency.id}/visit/opinion", "reserve"),
    ]
    summary = merge.merge_packages(lead, [package(a, tmp_path / "fine.ictx", fine)], confirmed=True)
    assert summary.new_edits == len(fine)
    detail = lead.detail(agency.id)
    assert detail.catalog.find("I.1-moi") is not None
    assert detail.scorecard.rows["I.1-moi"].points == detail.catalog.find("I.1-moi").maximum  # type: ignore[union-attr]
    assert lead.round_info().portal_quota == 5


def test_every_edit_of_the_demo_round_passes_the_checks(lead_ws) -> None:
    with lead_ws.db.reading() as session:
        edits = repository.load_edits(session)
        context = field_values.merge_context(session, edits)
    assert len(edits) > 3000
    for item in edits:
        field_values.check_field_value(context, item.field, item.value)
