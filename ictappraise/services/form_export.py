"""Excel out: the self-assessment forms of the agencies and the results workbook."""

from __future__ import annotations

import re
from pathlib import Path

from ictappraise.domain.fields import crit_field
from ictappraise.io import excel_form, excel_results
from ictappraise.services import chain_report, remarks
from ictappraise.services.band_text import band_view, plain_penalty
from ictappraise.services.fingerprint import mismatch_text
from ictappraise.services.model import STATUS_LABELS, Agency, AgencyResult
from ictappraise.services.workspace import Workspace


def form_info(ws: Workspace, agency: Agency) -> excel_form.FormInfo:
    """What the form writer needs about the round and the agency."""
    info = ws.round_info()
    return excel_form.FormInfo(
        round_key=info.key,
        round_name=info.name,
        year=info.year,
        issuer=info.issuer,
        agency_id=agency.id,
        agency_code=agency.code,
        agency_name=agency.name,
        category=agency.category,
        deadline=info.report_deadline,
    )


def write_form(ws: Workspace, agency_id: str, path: Path) -> Path:
    """Write the self-assessment form of one agency."""
    agency = ws.agency(agency_id)
    return excel_form.write_form(Path(path), form_info(ws, agency), ws.catalog(agency.category))


def form_file_name(agency: Agency) -> str:
    """The file name of an agency's form in a folder of forms."""
    safe = re.sub(r"[^\w-]+", "_", agency.code or agency.id)
    return f"Phieu_tu_danh_gia_{safe}.xlsx"


def write_all_forms(ws: Workspace, folder: Path) -> list[Path]:
    """One form per agency of the round into a folder."""
    return [write_form(ws, a.id, Path(folder) / form_file_name(a)) for a in ws.agencies()]


def _status_label(ws: Workspace, result: AgencyResult) -> str:
    """The status in words; signed minutes whose data changed since say so loudly."""
    label = STATUS_LABELS.get(result.status, result.status)
    mismatch = mismatch_text(ws.detail(result.agency.id))
    return f"{label} — {mismatch}" if mismatch else label


def write_results(ws: Workspace, path: Path) -> Path:
    """The results workbook: summary sheet and one sheet per agency."""
    entries = []
    results = ws.results()
    rules = ws.rules()
    for result in results:
        agency = result.agency
        state = ws.state(agency.id)
        catalog = ws.catalog(agency.category)
        view = band_view(result.scorecard, result.status, result.conflicts)
        rating = result.scorecard.rating
        entries.append(
            excel_results.ResultEntry(
                code=agency.code,
                name=agency.name,
                category=agency.category,
                rank=result.rank,
                status_label=_status_label(ws, result),
                scorecard=result.scorecard,
                catalog=catalog,
                notes={
                    code: state.value(crit_field(agency.id, code, "note"), "") or ""
                    for code in result.scorecard.rows
                },
                conflicts=result.conflicts,
                shown=view.label,
                final=view.final,
                applied=tuple(plain_penalty(line) + "." for line in rating.applied) if rating else None,
                reasons=remarks.rule_sentences(ws.detail(agency.id), rules[agency.category]),
            )
        )
    info = ws.round_info()
    extra = chain_report.tables(ws, results)  # previous years, follow-ups, proposals
    return excel_results.write_results(Path(path), info.year, info.name, entries, extra)
