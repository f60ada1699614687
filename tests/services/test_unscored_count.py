""" "Còn n tiêu chí chưa chấm" counts criteria, not rows: a criterion with sub-items counts once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ictappraise.domain.scorecard import Appraisal
from ictappraise.services.appraisal import readiness_problems, set_appraisal, unscored_labels
from ictappraise.services.band_text import band_view
from ictappraise.services.minutes import minutes_doc
from ictappraise.services.results_report import report_line
from ictappraise.services.workspace import Workspace

#: Phụ lục 2 of 2022: 34 criteria, 46 rows to score (sub-items included).
CRITERIA, ROWS = 34, 46


@pytest.fixture
def started(fresh_lead_ws: Workspace) -> tuple[Workspace, str]:
    """Văn phòng Tỉnh ủy with I.1 scored and one of the three sub-items of I.4."""
    ws = fresh_lead_ws
    agency_id = ws.find_agency("VPTU").id
    set_appraisal(ws, agency_id, "I.1", Appraisal(override=Decimal(20)))
    set_appraisal(ws, agency_id, "I.4.a", Appraisal(override=Decimal(0)))
    return ws, agency_id


def test_the_catalog_has_more_rows_than_criteria(fresh_lead_ws: Workspace) -> None:
    card = fresh_lead_ws.detail(fresh_lead_ws.find_agency("VPTU").id).scorecard
    assert (len(card.unscored_criteria), len(card.unscored)) == (CRITERIA, ROWS)


def test_every_message_counts_criteria(started: tuple[Workspace, str]) -> None:
    ws, agency_id = started
    card = ws.detail(agency_id).scorecard
    assert "I.4" in card.unscored_criteria and "I.4.b" in card.unscored  # I.4 still counts, once
    assert len(card.unscored) == ROWS - 2
    n = CRITERIA - 1  # only I.1 is done
    assert f"Còn {n} tiêu chí chưa chấm" in readiness_problems(ws, agency_id)[0]
    assert minutes_doc(ws, agency_id).provisional_note == f"còn {n} tiêu chí chưa chấm"  # no band proposed
    result = next(r for r in ws.results() if r.agency.id == agency_id)
    assert report_line(result).status == f"Điểm của {CRITERIA - n}/{CRITERIA} tiêu chí đã chấm"
    view = band_view(card, result.status)
    assert view.working_label().endswith("(tạm tính)") and view.scored_criteria == CRITERIA - n


def test_the_list_names_the_criteria_it_counts(started: tuple[Workspace, str]) -> None:
    """ "Còn 1 tiêu chí chưa chấm (I.4.b, I.4.c)" counted one thing and listed another."""
    ws, agency_id = started
    card = ws.detail(agency_id).scorecard
    for code in card.unscored:
        if code not in ("I.4.b", "I.4.c"):
            set_appraisal(ws, agency_id, code, Appraisal(override=Decimal(0)))
    card = ws.detail(agency_id).scorecard
    assert card.unscored == ("I.4.b", "I.4.c") and card.unscored_criteria == ("I.4",)
    assert readiness_problems(ws, agency_id)[0] == "Còn 1 tiêu chí chưa chấm (I.4)."
    assert unscored_labels(card) == ["I.4 (còn I.4.b, I.4.c)"]  # the preview: which rows remain


def test_a_wholly_unscored_criterion_is_listed_by_its_code(started: tuple[Workspace, str]) -> None:
    ws, agency_id = started
    labels = unscored_labels(ws.detail(agency_id).scorecard)
    assert len(labels) == CRITERIA - 1 and labels[:2] == ["I.2", "I.3"]
    assert "I.4 (còn I.4.b, I.4.c)" in labels  # I.4.a is scored
    assert not any(label.startswith("I.4.") for label in labels)
