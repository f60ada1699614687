"""The results report (annex to the Standing Committee): ranked agencies, counts, chart."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from ictappraise.domain.catalog import Catalog
from ictappraise.domain.fields import agency_field
from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import Band, CategoryRules
from ictappraise.domain.roles import ROLE_LEAD
from ictappraise.io.pdf_layout import body_dates
from ictappraise.io.pdf_report import ReportCategory, ReportDoc, ReportLine, render_report
from ictappraise.services import chain_report
from ictappraise.services.band_text import (
    CONFLICT,
    PARTIAL,
    SCORED,
    UNVISITED,
    UNVISITED_TEXT,
    BandView,
    band_view,
    plain_penalty,
)
from ictappraise.services.fingerprint import MISMATCH_MARK, fingerprint_mismatch
from ictappraise.services.model import (
    STATUS_READY,
    STATUS_SIGNED,
    AgencyResult,
)
from ictappraise.services.remarks import day_text
from ictappraise.services.workspace import ServiceError, Workspace

PENDING = "Chưa xếp loại"
TOTAL = "Cộng"
UNSIGNED = "Trong đó: chưa ký biên bản"
#: A criterion is a common weakness when a third of the agencies lost points on it and on
#: average they reached less than this share of its maximum.
WEAK_SHARE = Decimal("0.9")


def _rules_text(rules: CategoryRules) -> str:
    f = format_points
    return (
        f"Điểm tối đa {f(rules.maximum)}; Tốt: từ {f(rules.tot)} điểm; Khá: từ {f(rules.kha)} đến dưới "
        f"{f(rules.tot)}; Trung bình: từ {f(rules.trung_binh)} đến dưới {f(rules.kha)}; Yếu: dưới "
        f"{f(rules.trung_binh)} điểm."
    )


def _category_title(category: int, catalog: Catalog | None) -> str:
    """ "Phụ lục 2: Văn phòng Tỉnh ủy, …" from the catalog's title (no "Bộ tiêu chí mẫu —")."""
    title = catalog.title if catalog else ""
    start = title.find("Phụ lục")
    return title[start:].strip() if start >= 0 else f"Phụ lục {category}"


def _status(result: AgencyResult, view: BandView) -> str:
    """The line under the agency's name: what its band rests on."""
    if view.state == CONFLICT:
        return "Còn xung đột dữ liệu, chưa xếp hạng"
    if view.state == PARTIAL:
        return f"Điểm của {view.coverage}"
    if view.state != SCORED:
        return ""
    if result.status == STATUS_SIGNED:
        return "Đã ký biên bản"
    if result.status == STATUS_READY:
        return "Chờ ký biên bản; kết quả chưa chính thức"
    return "Chưa ký biên bản; kết quả chưa chính thức"


def report_line(result: AgencyResult) -> ReportLine:
    """One printed line of the ranked table: the band only when every criterion is scored."""
    card, rating = result.scorecard, result.scorecard.rating
    view = band_view(card, result.status, result.conflicts)
    status = _status(result, view)
    maximum = format_points(card.maximum)
    if not view.final or rating is None:
        total = format_points(card.total) if view.state == PARTIAL else "—"
        return ReportLine("—", result.agency.name, status, total, maximum, "—", (), view.label, False)
    return ReportLine(
        str(result.rank) if result.rank is not None else "—",
        result.agency.name,
        status,
        format_points(card.total),
        maximum,
        rating.base_band.value,
        tuple(plain_penalty(line) for line in rating.applied),
        view.label,
        True,
        signed=view.signed,
    )


def _flagged(ws: Workspace, result: AgencyResult) -> ReportLine:
    """The line, its status saying loudly when signed minutes no longer match the data."""
    line = report_line(result)
    if fingerprint_mismatch(ws.detail(result.agency.id)) is None:
        return line
    return replace(line, status=f"{line.status} — {MISMATCH_MARK}")


def report_doc(ws: Workspace, day: date | None = None) -> ReportDoc:
    """Everything the results report prints, from the current state of the round."""
    info = ws.round_info()
    results = ws.results()
    if not results:
        raise ServiceError("Đợt đánh giá chưa có đơn vị nào để lập báo cáo kết quả.")
    rules, catalogs = ws.rules(), ws.catalogs()
    categories = sorted({r.agency.category for r in results})
    blocks = tuple(
        ReportCategory(
            _category_title(c, catalogs.get(c)),
            _rules_text(rules[c]),
            tuple(_flagged(ws, r) for r in results if r.agency.category == c),
        )
        for c in categories
    )
    bands = tuple(b.value for b in Band)
    counts = []
    for label in (*bands, PENDING):
        row = [sum(1 for line in block.lines if _bucket(line) == label) for block in blocks]
        counts.append((label, (*row, sum(row))))
    per_category = [len(block.lines) for block in blocks]
    counts.append((TOTAL, (*per_category, sum(per_category))))
    unsigned = [sum(1 for line in block.lines if line.final and not line.signed) for block in blocks]
    if any(unsigned):
        counts.append((UNSIGNED, (*unsigned, sum(unsigned))))
    lead = next((m.name for m in ws.members() if m.role == ROLE_LEAD), "")
    signed = sum(1 for r in results if r.status == STATUS_SIGNED)
    doc = ReportDoc(
        issuer=info.issuer,
        issuing_unit=info.issuing_unit,
        place=info.place,
        day=day or last_signing_date(ws) or date.today(),
        year=info.year,
        categories=blocks,
        bands=bands,
        count_columns=(*(f"Phụ lục {c}" for c in categories), "Tổng số"),
        counts=tuple(counts),
        lead_name=lead,
        signed=signed,
        total_agencies=len(results),
        fingerprint="",
        number_suffix="BC/" + info.minutes_number_suffix.split("/", 1)[-1],
        attached_to=f"Kèm theo Tờ trình số ……-TTr/{info.minutes_number_suffix.split('/', 1)[-1]}",
        introduction=introduction(ws, results),
        assessment=assessment(blocks, categories),
        weaknesses=common_weaknesses(ws, results),
        proposals=proposals(ws, results),
        recipients=RECIPIENTS,
        extra_tables=chain_report.tables(ws, results),
    )
    return _with_fingerprint(doc)


#: Nơi nhận of the report (HD 36-HD/VPTW: bottom left, "Lưu" last).
RECIPIENTS = (
    "Thường trực Tỉnh ủy (b/c)",
    "Ban Tổ chức Tỉnh ủy",
    "Các đơn vị được thẩm định",
    "Lưu Văn phòng Tỉnh ủy",
)


def last_signing_date(ws: Workspace) -> date | None:
    """The day the last minutes of the round were signed (the report's default date)."""
    days = []
    for agency in ws.agencies():
        if not ws.is_signed(agency.id):
            continue
        state = ws.state(agency.id).fields.get(agency_field(agency.id, "status"))
        for head in state.heads if state else ():
            try:
                days.append(date.fromisoformat(head.created_at[:10]))
            except ValueError:
                continue  # a timestamp an older build wrote oddly: not a date to print
    return max(days) if days else None


def introduction(ws: Workspace, results: list[AgencyResult]) -> tuple[str, ...]:
    """What was done, by whom and when; how many minutes are signed."""
    info = ws.round_info()
    basis = (
        info.legal_basis[0].split(" về ", 1)[0] if info.legal_basis else "kế hoạch của Ban Thường vụ Tỉnh ủy"
    )
    visited = [r for r in results if band_view(r.scorecard, r.status, r.conflicts).state != UNVISITED]
    span = ""
    if info.visit_start and info.visit_end:
        span = f" từ ngày {day_text(info.visit_start)} đến ngày {day_text(info.visit_end)}"
    signed = sum(1 for r in results if r.status == STATUS_SIGNED)
    return (
        f"Thực hiện {body_dates(basis)}, Tổ thẩm định đã thẩm định kết quả tự đánh giá, xếp hạng ứng dụng "
        f"công nghệ thông tin năm {info.year}{span} tại {len(visited)}/{len(results)} đơn vị.",
        f"Đến ngày lập báo cáo, {signed}/{len(results)} đơn vị đã ký biên bản thẩm định; kết quả của đơn vị "
        "chưa ký biên bản là kết quả chưa chính thức, đơn vị chưa chấm đủ tiêu chí chưa được xếp loại.",
    )


def assessment(blocks: tuple[ReportCategory, ...], categories: list[int]) -> tuple[str, ...]:
    """How many agencies in each band, per category (final bands only)."""
    lines = []
    for category, block in zip(categories, blocks, strict=True):
        final = [line for line in block.lines if line.final]
        parts = [f"{band.value} {n}" for band in Band if (n := sum(1 for x in final if x.band == band.value))]
        unvisited = sum(1 for x in block.lines if x.band == UNVISITED_TEXT)
        partial = len(block.lines) - len(final) - unvisited
        text = f"Phụ lục {category} ({len(block.lines)} đơn vị): "
        text += ", ".join(parts) if parts else "chưa có đơn vị được xếp loại"
        if partial:
            text += f"; {partial} đơn vị chưa đủ điểm, chưa xếp loại"
        if unvisited:
            text += f"; {unvisited} đơn vị chưa thẩm định"
        unsigned = sum(1 for x in final if not x.signed)
        if unsigned:
            text += f"; trong đó {unsigned} đơn vị chưa ký biên bản"
        lines.append(text + ".")
    return tuple(lines)


def common_weaknesses(ws: Workspace, results: list[AgencyResult], per_group: int = 2) -> tuple[str, ...]:
    """Per criteria group, the criteria most agencies lost points on (scored agencies only)."""
    catalogs = ws.catalogs()
    lines = []
    for category in sorted({r.agency.category for r in results}):
        scored = [r.scorecard for r in results if r.agency.category == category and not r.scorecard.unscored]
        catalog = catalogs.get(category)
        if len(scored) < 2 or catalog is None:
            continue
        for group in catalog.groups:
            found = []
            for criterion in group.criteria:
                rows = [card.rows[criterion.code] for card in scored if criterion.code in card.rows]
                short = [row for row in rows if row.points is not None and row.points < row.maximum]
                if len(short) * 3 < len(rows) or not criterion.maximum:
                    continue
                share = sum((row.points or 0) for row in rows) / (criterion.maximum * len(rows))
                if share < WEAK_SHARE:  # a point or two lost here and there is not a weakness
                    found.append((len(short), share, criterion, share))
            found.sort(key=lambda item: (item[1], -item[0]))
            for count, _key, criterion, share in found[:per_group]:
                lines.append(
                    f"Phụ lục {category}, nhóm {group.code} ({group.name}): tiêu chí {criterion.code} "
                    f"“{criterion.name}” — {count}/{len(scored)} đơn vị chưa đạt điểm tối đa, bình quân đạt "
                    f"{round(share * 100)}% số điểm."
                )
    return tuple(lines) or ("Chưa đủ số đơn vị đã chấm đủ điểm để tổng hợp hạn chế chung.",)


def proposals(ws: Workspace, results: list[AgencyResult]) -> tuple[str, ...]:
    """The closing section (KIẾN NGHỊ, after the chain of rounds' sections): paragraphs as printed."""
    info = ws.round_info()
    return (
        f"Tổ thẩm định đề xuất Ban Thường vụ Tỉnh ủy xem xét, công nhận kết quả xếp loại ứng dụng công nghệ "
        f"thông tin năm {info.year} của các đơn vị đã ký biên bản thẩm định (phụ lục kèm theo).",
        "Giao Ban Tổ chức Tỉnh ủy căn cứ kết quả xếp loại để xem xét trong đánh giá, xếp loại và khen thưởng "
        "tổ chức đảng cuối năm.",
    )


def _bucket(line: ReportLine) -> str:
    return line.band if line.final else PENDING


def _with_fingerprint(doc: ReportDoc) -> ReportDoc:
    """A short SHA-256 of what the report prints (its lines), to match a paper copy to the data."""
    text = json.dumps([asdict(c) for c in doc.categories], ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return ReportDoc(**{**doc.__dict__, "fingerprint": digest})


def write_report(ws: Workspace, out: Path, day: date | None = None) -> ReportDoc:
    """Write the results report PDF; return what was printed."""
    out = Path(out)
    if not out.parent.exists():
        raise ServiceError(f"Không có thư mục {out.parent}.")
    doc = report_doc(ws, day)
    temporary = out.with_name(out.name + ".tmp")
    try:
        render_report(doc, temporary)
        temporary.replace(out)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ServiceError(f"Không ghi được tệp {out}: {error.strerror or error}.") from error
    return doc
