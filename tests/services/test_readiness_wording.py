"""The refusal to mark ready / sign: one capitalised sentence per problem, long lists end with "…"."""

from __future__ import annotations

import pytest

from ictappraise.services import appraisal
from ictappraise.services.minutes import minutes_doc
from ictappraise.services.workspace import ServiceError, Workspace


def test_listed_marks_what_is_left_out() -> None:
    assert appraisal.listed(["a", "b"]) == "a, b"
    assert appraisal.listed([str(i) for i in range(8)]) == "0, 1, 2, 3, 4, 5, 6, 7"
    assert appraisal.listed([str(i) for i in range(9)]) == "0, 1, 2, 3, 4, 5, 6, 7, …"


def test_mark_ready_lists_each_problem_as_a_sentence(fresh_lead_ws: Workspace) -> None:
    ws = fresh_lead_ws
    agency_id = ws.find_agency("VPTU").id
    problems = appraisal.readiness_problems(ws, agency_id)
    assert problems and all(p[:1].isupper() and p.endswith(".") for p in problems)
    assert problems[0].startswith("Còn 34 tiêu chí chưa chấm (") and problems[0].endswith(", …).")
    with pytest.raises(ServiceError) as raised:
        appraisal.mark_ready(ws, agency_id)
    lines = str(raised.value).split("\n")
    assert lines[0] == "Chưa thể chuyển sang chờ ký:"
    assert lines[1:] == [f"– {p}" for p in problems]
    assert ". các" not in str(raised.value)


def test_the_draft_line_of_the_pdf_keeps_clauses_lowercase(fresh_lead_ws: Workspace) -> None:
    ws = fresh_lead_ws
    reason = minutes_doc(ws, ws.find_agency("VPTU").id).draft_reason
    assert reason.startswith("chưa ký được: còn 34 tiêu chí chưa chấm (") and "…" in reason
