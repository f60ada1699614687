"""The results report (annex to the Standing Committee): ranked agencies, counts, chart."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

from ictappraise.domain.catalog import Catalog
from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import Band, CategoryRules
from ictappraise.io.pdf_report import ReportCategory, ReportDoc, ReportLine, render_report
from ictappraise.services import chain_report
from ictappraise.services.model import (
    STATUS_NOT_STARTED,
    STATUS_READY,
    STATUS_SIGNED,
    AgencyResult,
)
from ictappraise.services.workspace import ServiceError, Workspace
from ictappraise.settings import ROLE_LEAD

PENDING = "Chưa có kết quả"
TOTAL = "Cộng"


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


def _status(result: AgencyResult) -> str:
    card = result.scorecard
    if result.conflicts or card.conflicts:
        return "Còn xung đột dữ liệu, chưa xếp hạng"
    if result.status == STATUS_NOT_STARTED:
        return "Chưa thẩm định"
    if card.unscored:
        return f"Tạm tính: còn {len(card.unscored_criteria)} tiêu chí chưa chấm"
    if result.status == STATUS_SIGNED:
        return "Đã ký biên bản"
    if result.status == STATUS_READY:
        return "Chờ ký biên bản"
    return "Chưa ký biên bản"


def report_line(result: AgencyResult) -> ReportLine:
    """One printed line of the ranked table."""
    card, rating = result.scorecard, result.scorecard.rating
    final = result.rank is not None
    started = result.status != STATUS_NOT_STARTED and not card.conflicts
    if not started or rating is None:
        total = format_points(card.total) if started else "—"
        maximum = format_points(card.maximum)
        return ReportLine("—", result.agency.name, _status(result), total, maximum, "—", (), "—", False)
    band = rating.band.value if final else f"{rating.band.value} (tạm tính)"
    return ReportLine(
        str(result.rank) if final else "—",
        result.agency.name,
        _status(result),
        format_points(card.total),
        format_points(card.maximum),
        rating.base_band.value,
        tuple(line.rstrip(".") for line in rating.applied),
        band,
        final,
    )


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
            tuple(report_line(r) for r in results if r.agency.category == c),
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
    lead = next((m.name for m in ws.members() if m.role == ROLE_LEAD), "")
    signed = sum(1 for r in results if r.status == STATUS_SIGNED)
    doc = ReportDoc(
        issuer=info.issuer,
        issuing_unit=info.issuing_unit,
        place=info.place,
        day=day or date.today(),
        year=info.year,
        categories=blocks,
        bands=bands,
        count_columns=(*(f"Phụ lục {c}" for c in categories), "Tổng số"),
        counts=tuple(counts),
        lead_name=lead,
        signed=signed,
        total_agencies=len(results),
        fingerprint="",
        extra_tables=chain_report.tables(ws, results),
    )
    return _with_fingerprint(doc)


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
