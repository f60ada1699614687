"""A rule that cannot be checked yet is not an applied penalty in any output (results table,
results workbook, results report): only lines that lowered or capped the band are listed."""

from __future__ import annotations

import pytest

from ictappraise.cli import main
from ictappraise.domain.rating import UNCHECKED
from ictappraise.io.excel_results import ResultEntry, penalties_text
from ictappraise.services.appraisal import set_report
from ictappraise.services.results_report import report_line
from ictappraise.services.workspace import Workspace


def test_an_unchecked_rule_is_shown_but_never_listed_as_applied(
    lead_ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = lead_ws.find_agency("TUPT")  # fully scored, Tốt, not signed yet
    set_report(lead_ws, agency.id, sent=None, received=None)
    result = next(r for r in lead_ws.results() if r.agency.id == agency.id)
    rating = result.scorecard.rating
    assert rating is not None and result.rank == 1 and rating.band.value == "Tốt"
    assert any(line.startswith(UNCHECKED) for line in rating.reasons)  # the preview says it
    assert rating.applied == ()

    assert report_line(result).penalties == ()
    entry = ResultEntry(
        agency.code,
        agency.name,
        agency.category,
        result.rank,
        "",
        result.scorecard,
        lead_ws.catalog(agency.category),
        {},
    )
    assert penalties_text(entry) == "Không"
    lead_ws.db.close()
    assert main(["results", "--db", str(lead_ws.db.path)]) == 0
    assert UNCHECKED not in capsys.readouterr().out


def test_an_applied_penalty_is_still_listed(lead_ws: Workspace) -> None:
    late = next(r for r in lead_ws.results() if r.scorecard.rating and r.scorecard.rating.applied)
    assert late.scorecard.rating is not None
    applied = late.scorecard.rating.applied
    penalties = report_line(late).penalties
    # Each applied line, in the document's words: "(từ Tốt xuống Khá)", not "(Tốt → Khá)".
    assert len(penalties) == len(applied) and all("→" not in line for line in penalties)
    for line, reason in zip(penalties, applied, strict=True):
        assert line.startswith(reason.split(" (")[0]) and "xuống" in line
