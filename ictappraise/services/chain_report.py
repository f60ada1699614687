"""The report's and the workbook's parts about previous years and commendation (plain tables).

Three tables: each agency's band this year beside its previous years ("So sánh với các năm
trước"), last year's recommendations followed up (counts per agency), and the proposals
("Đề xuất khen thưởng"). The PDF report (io/pdf_followup) and the workbook (io/excel_followup)
print the same tables.
"""

from __future__ import annotations

from decimal import Decimal

from ictappraise.domain.numbers import format_points
from ictappraise.domain.trends import PreviousResult
from ictappraise.io.tables import PlainTable
from ictappraise.services import chain, commendation, followup
from ictappraise.services.band_text import UNVISITED, band_view
from ictappraise.services.model import AgencyResult
from ictappraise.services.workspace import Workspace


def _points(total: Decimal, maximum: Decimal, as_share: bool) -> str:
    if as_share:
        share = (total * 100 / maximum).quantize(Decimal("0.1")) if maximum else Decimal(0)
        return f"{format_points(share)}%"
    return f"{format_points(total)}/{format_points(maximum)}"


def _band_now(result: AgencyResult, as_share: bool) -> str:
    """This year's cell as every document shows a band (services/band_text), with its points."""
    view = band_view(result.scorecard, result.status, result.conflicts)
    if view.state == UNVISITED:
        return view.label
    card = result.scorecard
    facts = [_points(card.total, card.maximum, as_share), *([view.caveat] if view.caveat else [])]
    return f"{view.label} ({'; '.join(facts)})"


def trend_table(ws: Workspace, results: list[AgencyResult], years: int = 2) -> PlainTable | None:
    """This year's band and points beside the previous years' (shares when a maximum changed)."""
    trends = chain.trends(ws)
    shown = trends.years[:years]
    if not shown:
        return None
    year = ws.round_info().year
    columns = ["Đơn vị", "Phụ lục", f"Năm {year}", *(f"Năm {y}" for y in shown)]
    rows = []
    any_share = False
    for result in results:
        card = result.scorecard
        previous: dict[int, PreviousResult] = {}
        for item in trends.of(result.agency.code):
            previous.setdefault(item.year, item)
        as_share = any(p.maximum != card.maximum for p in previous.values())
        any_share |= as_share
        cells = [result.agency.name, str(result.agency.category)]
        cells.append(_band_now(result, as_share))
        for y in shown:
            found = previous.get(y)
            cells.append(
                f"{found.band or 'Chưa xếp loại'} ({_points(found.total, found.maximum, as_share)})"
                if found
                else "—"
            )
        rows.append(tuple(cells))
    note = (
        "Điểm ghi theo tỷ lệ % so với điểm tối đa khi bộ tiêu chí thay đổi giữa các năm." if any_share else ""
    )
    return PlainTable(
        "So sánh kết quả với các năm trước",
        tuple(columns),
        tuple(rows),
        note,
        (70, 16, 45, 45, 45),
        "Các năm trước",
    )


def followup_table(ws: Workspace, results: list[AgencyResult]) -> PlainTable | None:
    """Per agency with last year's recommendations: how many were done, in progress, not done."""
    rows = []
    totals = [0, 0, 0, 0, 0]
    year = None
    for result in results:
        found = followup.items(ws, result.agency.id)
        if not found:
            continue
        year = found[0].year
        counts = [sum(1 for i in found if i.state == s) for s in followup.STATES]
        unknown = sum(1 for i in found if i.state is None)
        row = [len(found), *counts, unknown]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        rows.append((result.agency.name, *(str(n) for n in row)))
    if not rows:
        return None
    rows.append(("Cộng", *(str(n) for n in totals)))
    columns = ("Đơn vị", "Số kiến nghị", "Đã khắc phục", "Đang khắc phục", "Chưa khắc phục", "Chưa đánh giá")
    return PlainTable(
        f"Kết quả khắc phục kiến nghị năm {year}",
        columns,
        tuple(rows),
        "",
        (70, 22, 22, 22, 22, 22),
        "Khắc phục kiến nghị",
    )


def proposals_table(ws: Workspace, results: list[AgencyResult]) -> PlainTable:
    """The proposals for the Organisation Board, with reasons."""
    rows = []
    for item in commendation.proposals(ws, results):
        source = "Tổ trưởng xác nhận" if item.source == "lead" else "Chương trình đề xuất"
        if item.model_reason:
            rows.append((item.name, "Đơn vị điển hình", item.model_reason, source))
        for person in item.individuals:
            who = f"{person.name}, {person.title}" if person.title else person.name
            where = "" if item.name in person.title else f" ({item.name})"
            rows.append((f"{who}{where}", "Cá nhân tiêu biểu", person.reason, source))
    model, individual = commendation.rules_text(commendation.top_n(ws))
    note = f"Tiêu chí: {model} {individual}"
    if not rows:
        rows.append(("—", "Chưa có đơn vị, cá nhân đủ tiêu chí đề xuất", "", ""))
    return PlainTable(
        "Đề xuất khen thưởng",
        ("Đơn vị, cá nhân", "Hình thức", "Lý do", "Nguồn"),
        tuple(rows),
        note,
        (55, 30, 75, 23),
        "Đề xuất khen thưởng",
    )


def tables(ws: Workspace, results: list[AgencyResult]) -> tuple[PlainTable, ...]:
    """The three tables, those that have something to show."""
    found = (trend_table(ws, results), followup_table(ws, results), proposals_table(ws, results))
    return tuple(t for t in found if t is not None)
