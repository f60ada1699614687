"""The demo is what every evaluator reads first: it has to be plausible."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ictappraise.services.demo_text import NOTES, fitting_note
from ictappraise.services.workspace import Workspace

#: Districts far from each other and from Phan Thiết (the provincial bodies sit in Phan Thiết).
FAR = {"HUTP", "HUBB", "HUTL", "HUDL", "HUHT", "TULG", "HUHTN", "HUPQ"}


def test_no_report_is_sent_or_received_at_the_weekend(lead_ws: Workspace) -> None:
    for agency in lead_ws.agencies():
        facts = lead_ws.detail(agency.id).facts
        for day in (facts.report_sent, facts.report_received):
            assert day is not None and day.weekday() < 5, (agency.code, day)


def test_two_visits_of_one_half_day_are_never_far_apart(lead_ws: Workspace) -> None:
    by_half_day = defaultdict(list)
    for agency in lead_ws.agencies():
        assert agency.visit_date is not None and agency.visit_date.weekday() < 5, agency.code
        hour = datetime.strptime(agency.visit_time, "%H:%M").hour
        by_half_day[(agency.visit_date, hour < 12)].append(agency.code)
    for (day, _morning), codes in by_half_day.items():
        if len(codes) > 1:
            # Two district visits in one half day only for neighbours (Hàm Tân and La Gi).
            far = [code for code in codes if code in FAR]
            assert len(far) <= 1 or set(far) == {"HUHT", "TULG"}, (day, codes)
    assert [code for (day, _m), codes in by_half_day.items() for code in codes if "HUPQ" in codes] == ["HUPQ"]


def test_representatives_have_real_titles(lead_ws: Workspace) -> None:
    titles = {}
    for agency in lead_ws.agencies():
        for rep in lead_ws.detail(agency.id).visit.representatives:
            assert "lãnh đạo" not in rep.title, (agency.code, rep.title)
            titles.setdefault(agency.code, rep.title)
    assert titles["VPTU"] == "Chánh Văn phòng Tỉnh ủy"


def test_notes_fit_their_criterion(lead_ws: Workspace) -> None:
    numeric = ("ratio", "ratio_threshold", "tiered", "count_capped", "sub_items")
    for agency in lead_ws.agencies():
        detail = lead_ws.detail(agency.id)
        for code, entry in detail.entries.items():
            leaf = detail.catalog.find(code)
            if entry.note == NOTES[2]:
                assert leaf.rule.kind == "timeliness", code
            if entry.note == NOTES[1]:
                assert leaf.rule.kind in numeric, code
            if entry.note == NOTES[3]:
                assert "máy" in leaf.name.lower() or "phần mềm" in leaf.name.lower(), code
    machine = next(c for c in lead_ws.catalog(2).leaves() if "bản vá" in c.name)
    assert fitting_note(machine, NOTES[2]) == NOTES[3]
