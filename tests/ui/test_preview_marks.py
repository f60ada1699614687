"""The preview marks each penalty line by its kind, whatever its words (docs/rules.md §4)."""

from __future__ import annotations

from ictappraise.domain.rating import Reason, ReasonKind, rate
from ictappraise.ui.preview_panel import FINDING_MARKS, penalty_html


def _mark(html: str, text: str) -> str:
    """The mark shown in front of the line that ends with text."""
    for line in html.split("</div>"):
        if line.endswith(" " + text):
            return line.split("</b>")[0].rsplit(">", 1)[1]
    raise AssertionError(f"{text!r} not shown in {html!r}")


def test_each_kind_has_its_own_mark() -> None:
    marks = {
        kind: FINDING_MARKS[kind][0]
        for kind in (ReasonKind.APPLIED, ReasonKind.CHECKED, ReasonKind.UNCHECKED)
    }
    assert len(set(marks.values())) == 3 and all(marks.values())


def test_reworded_lines_keep_their_marks() -> None:
    lines = (
        Reason(ReasonKind.APPLIED, "Đã kiểm tra", "chữ của dòng đã xét, nhưng đã hạ bậc."),
        Reason(ReasonKind.CHECKED, "Chưa kiểm tra được", "chữ của dòng chưa xét, nhưng đã xét."),
        Reason(ReasonKind.UNCHECKED, "Hạ một bậc", "chữ của dòng hạ bậc, nhưng chưa xét được."),
    )
    html = penalty_html(lines)
    for line in lines:
        assert _mark(html, line.text) == FINDING_MARKS[line.kind][0]


def test_a_rating_shows_one_marked_line_per_rule() -> None:
    result = rate(2, 760, failed_criteria=("I.1",), days_late=None, portal_missing_months=1)
    html = penalty_html(result.findings[1:])
    assert [_mark(html, line.text) for line in result.findings[1:]] == ["▼", "?", "✓"]
