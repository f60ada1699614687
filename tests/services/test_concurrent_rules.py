"""Rules that only show with concurrent edits from several laptops (docs/rules.md §7)."""

from __future__ import annotations

import pytest

from ictappraise.domain.editlog import Edit
from ictappraise.services import appraisal
from ictappraise.services.workspace import Change, ServiceError, VisitLocked, Workspace
from tests.support import signed


def concurrent(ws: Workspace, field: str, *values: object) -> list[Edit]:
    """Edits of one field made on different laptops from the same state: none knew the others."""
    scope = field.split("/")[1] if field.startswith("agency/") else "round"
    parents = ws.state(scope).heads(field)
    edits = [
        Edit(
            f"00000000-0000-4000-8000-00000000000{i}",
            field,
            value,
            ws.actor.member_id,
            f"laptop-{i}",
            f"2022-12-14T2{i}:00:00+07:00",
            parents,
        )
        for i, value in enumerate(values, start=1)
    ]
    ws.append(signed(ws, edits))
    return edits


def test_typing_over_a_conflict_is_refused_only_the_resolution_may(lead_ws: Workspace) -> None:
    agency = lead_ws.find_agency("VPTU")
    field = f"agency/{agency.id}/crit/I.5/note"
    concurrent(lead_ws, field, "Bản của máy A", "Bản của máy B")
    assert lead_ws.state(agency.id).fields[field].conflict
    with pytest.raises(ServiceError, match="Giải quyết xung đột"):
        lead_ws.write([Change(field, "Sửa tay, không lý do")])
    assert lead_ws.state(agency.id).fields[field].conflict  # nothing was written
    lead_ws.write([Change(field, "Bản của máy B", "Đối chiếu biên bản giấy", resolution=True)])
    assert lead_ws.state(agency.id).value(field) == "Bản của máy B"


def test_a_concurrent_ready_does_not_unsign_a_signed_visit(lead_ws: Workspace) -> None:
    agency = lead_ws.find_agency("HUTP")
    status = f"agency/{agency.id}/status"
    signing = lead_ws.state(agency.id).fields[status].heads[0]
    assert signing.value["state"] == "signed"
    other = Edit(
        "00000000-0000-4000-8000-0000000000aa",
        status,
        {"state": "ready"},
        lead_ws.actor.member_id,
        "laptop-b",
        "2022-12-09T11:00:00+07:00",
        signing.parents,
    )
    lead_ws.append(signed(lead_ws, [other]))
    detail = lead_ws.detail(agency.id)
    assert detail.signed and detail.status == "signed"
    with pytest.raises(VisitLocked):
        appraisal.set_text(lead_ws, agency.id, "I.2", "note", "Sửa sau khi ký")
    with pytest.raises(ServiceError, match="đã ký"):
        appraisal.mark_ready(lead_ws, agency.id)


def test_a_conflict_on_the_deadline_withholds_every_band(fresh_lead_ws: Workspace) -> None:
    ws = fresh_lead_ws
    concurrent(ws, "round/report_deadline", "2022-11-30", "2022-12-05")
    detail = ws.detail(ws.find_agency("HUHTN").id)
    assert detail.scorecard.rating is None  # no guessed deadline, no guessed band
    assert "round/report_deadline" in detail.scorecard.conflicts
    assert any(fs.field == "round/report_deadline" for fs in detail.conflicts)
    problems = appraisal.readiness_problems(ws, detail.agency.id)
    assert any("xung đột" in p for p in problems)


def test_self_scores_are_kept_to_the_hundredth(lead_ws: Workspace) -> None:
    agency = lead_ws.find_agency("HUPQ")
    appraisal.set_self_score(lead_ws, agency.id, "II.6", "6.666666666666667")  # a cached =20/3
    assert str(lead_ws.detail(agency.id).entries["II.6"].self_points) == "6.67"


def test_a_conflict_on_a_catalog_keeps_the_checklist_and_withholds_the_band(fresh_lead_ws: Workspace) -> None:
    ws = fresh_lead_ws
    catalog = ws.catalog(7).to_dict()
    renamed = {**catalog, "title": catalog["title"] + " (bản sửa)"}
    concurrent(ws, "catalog/7", {**catalog, "title": catalog["title"] + " (máy A)"}, renamed)
    detail = ws.detail(ws.find_agency("HCCB").id)  # still opens: the first version is shown
    assert detail.scorecard.rating is None
    assert "catalog/7" in detail.scorecard.conflicts
