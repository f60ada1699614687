"""Minutes of a visit: what is printed, its content fingerprint and revision, signing, batches.

The fingerprint is a short SHA-256 of the canonical appraisal data of the agency (scores,
notes, penalty facts, visit details) — exactly what signing locks. It is printed in the
footer and stored in the signing edit, so a paper copy can be matched to the data later.
The revision counts signings: the first signed minutes are revision 1, and after the lead
reopens them the next signing makes revision 2.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.numbers import format_points
from ictappraise.domain.scorecard import Scorecard
from ictappraise.io.pdf_minutes import (
    ROW_CRITERION,
    ROW_GROUP,
    ROW_SUB,
    ROW_TOTAL,
    MinutesDoc,
    Person,
    SignatureBlock,
    TableRow,
    minutes_bytes,
    render_minutes,
)
from ictappraise.services import appraisal, followup, round_admin
from ictappraise.services.model import Agency, AgencyDetail, Member
from ictappraise.services.workspace import ServiceError, Workspace
from ictappraise.settings import ROLE_LABELS, ROLE_LEAD, ROLE_SECRETARY

logger = logging.getLogger(__name__)

FINGERPRINT_LENGTH = 12


def _plain(value: Any) -> Any:
    """JSON-ready canonical value: NFC strings, decimals as text, sorted keys by json."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def canonical_data(detail: AgencyDetail) -> dict[str, Any]:
    """The appraisal data the fingerprint covers (what signing locks), as plain JSON."""
    rows = {}
    for code, entry in sorted(detail.entries.items()):
        score = detail.scorecard.rows.get(code)
        rows[code] = {
            "appraised": entry.appraisal.to_json() if entry.appraisal else None,
            "points": format_points(score.points, comma=False)
            if score and score.points is not None
            else None,
            "self": format_points(entry.self_points, comma=False) if entry.self_points is not None else None,
            "note": entry.note.strip(),
        }
    facts = detail.facts
    visit = detail.visit
    return _plain(
        {
            "agency": detail.agency.id,
            "rows": rows,
            "facts": {
                "deadline": facts.deadline,
                "report_sent": facts.report_sent,
                "report_received": facts.report_received,
                "report_attached": facts.report_attached,
                "portal_counts": list(facts.portal_counts),
                "portal_quota": facts.portal_quota,
            },
            "visit": {
                **{key: getattr(visit, key) for key in appraisal.VISIT_KEYS if key != "representatives"},
                "representatives": [[r.name, r.title] for r in visit.representatives],
            },
        }
    )


def fingerprint(detail: AgencyDetail) -> str:
    """Short SHA-256 (12 hex digits) of the canonical appraisal data of an agency."""
    text = json.dumps(canonical_data(detail), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def revision_of(detail: AgencyDetail) -> int:
    """The revision signed minutes carry, or the one the next signing will give."""
    stored = int(detail.status_value.get("revision", 0) or 0)
    return max(stored, 1) if detail.signed else stored + 1


def stamp_of(detail: AgencyDetail) -> tuple[int, str]:
    """(revision, fingerprint) printed in the footer: the stored ones once signed."""
    current = fingerprint(detail)
    if detail.signed:
        stored = str(detail.status_value.get("fingerprint") or "")
        if stored and stored != current:
            logger.warning(
                "Minutes of %s: stored fingerprint %s, data now %s", detail.agency.code, stored, current
            )
        return revision_of(detail), stored or current
    return revision_of(detail), current


# -- signing -------------------------------------------------------------------------------
def sign(ws: Workspace, agency_id: str) -> tuple[int, str]:
    """Sign the minutes (locks the visit); return the (revision, fingerprint) stored."""
    detail = ws.detail(agency_id)
    if detail.signed:
        raise ServiceError(f"Biên bản thẩm định {detail.agency.name} đã được ký.")
    revision, print_ = revision_of(detail), fingerprint(detail)
    appraisal.sign(ws, agency_id, fingerprint=print_, revision=revision)
    return revision, print_


def reopen(ws: Workspace, agency_id: str, reason: str) -> None:
    """The lead reopens signed minutes with a reason (kept in the edit log)."""
    appraisal.reopen(ws, agency_id, reason)


# -- the document --------------------------------------------------------------------------
def minutes_doc(ws: Workspace, agency_id: str) -> MinutesDoc:
    """What the minutes of an agency print; refused while a conflict is open."""
    detail = ws.detail(agency_id)
    name = detail.agency.name
    if detail.conflicts or detail.scorecard.conflicts:
        fields = sorted(
            {fs.field.split("/", 2)[-1] for fs in detail.conflicts} | set(detail.scorecard.conflicts)
        )
        raise ServiceError(
            f"Không lập được biên bản của {name}: còn xung đột chưa giải quyết ({appraisal.listed(fields)}). "
            "Tổ trưởng cần chọn giá trị đúng trước khi in."
        )
    card = detail.scorecard
    info = ws.round_info()
    problems = [] if detail.signed else appraisal.readiness_problems(ws, agency_id)
    revision, print_ = stamp_of(detail)
    team = _team(ws, detail)
    visit = detail.visit
    return MinutesDoc(
        issuer=info.issuer,
        issuing_unit=info.issuing_unit,
        number=visit.minutes_number,
        number_suffix=info.minutes_number_suffix,
        place=info.place,
        day=visit.date or detail.agency.visit_date,
        year=info.year,
        agency_name=name,
        catalog_title=_catalog_label(detail.catalog),
        legal_basis=info.legal_basis,
        start=visit.start,
        end=visit.end,
        venue=visit.place,
        team=tuple(Person(m.name, m.title, m.role_label) for m in team),
        representatives=tuple(Person(r.name, r.title) for r in visit.representatives),
        rows=table_rows(detail),
        fact_lines=fact_lines(detail),
        reasons=card.rating.reasons if card.rating else (),
        total_text=f"{format_points(card.total)}/{format_points(card.maximum)}",
        band=card.rating.band.value if card.rating else "chưa xác định",
        strengths=visit.strengths,
        weaknesses=visit.weaknesses,
        recommendations=visit.recommendations,
        opinion=visit.opinion,
        opinion_text=visit.opinion_text,
        copies=info.minutes_copies,
        agency_sign=_agency_block(detail),
        lead_sign=_member_block(ws, team, ROLE_LEAD),
        secretary_sign=_member_block(ws, team, ROLE_SECRETARY),
        revision=revision,
        fingerprint=print_,
        signed=detail.signed,
        draft_reason=_draft_reason(problems),
        provisional_note=f"tạm tính: còn {len(card.unscored_criteria)} tiêu chí chưa chấm"
        if card.unscored
        else "",
        **followup.minutes_fields(ws, agency_id),
    )


def _draft_reason(problems: Sequence[str]) -> str:
    if not problems:
        return ""
    # Each problem is a sentence; inside this one line they are clauses, so lowercase first letters.
    clauses = (problem.strip().rstrip(".") for problem in problems)
    return "chưa ký được: " + "; ".join(clause[:1].lower() + clause[1:] for clause in clauses) + "."


def _catalog_label(catalog: Catalog) -> str:
    return catalog.title.strip()


def _team(ws: Workspace, detail: AgencyDetail) -> list[Member]:
    """Members present at the visit, lead first then members then the secretary."""
    found = [m for m in (ws.member(mid) for mid in detail.visit.team) if m is not None]
    order = {ROLE_LEAD: 0, ROLE_SECRETARY: 2}
    return sorted(found, key=lambda m: order.get(m.role, 1))


def _agency_block(detail: AgencyDetail) -> SignatureBlock:
    reps = detail.visit.representatives
    first = reps[0] if reps else None
    return SignatureBlock(("ĐẠI DIỆN ĐƠN VỊ",), first.name if first else "", first.title if first else "")


def _member_block(ws: Workspace, team: list[Member], role: str) -> SignatureBlock | None:
    member = next((m for m in team if m.role == role), None) or next(
        (m for m in ws.members() if m.role == role), None
    )
    if role == ROLE_LEAD:
        headings: tuple[str, ...] = ("T/M TỔ THẨM ĐỊNH", ROLE_LABELS[ROLE_LEAD].upper())
    else:
        headings = (ROLE_LABELS.get(role, role).upper(),)
        if member is None:
            return None
    image = round_admin.member_signature(ws, member.id) if member is not None else None
    return SignatureBlock(headings, member.name if member else "", image=image)


def _short_number(code: str, prefix: str) -> str:
    return code[len(prefix) + 1 :] if code.startswith(prefix + ".") and len(code) > len(prefix) + 1 else code


def table_rows(detail: AgencyDetail) -> tuple[TableRow, ...]:
    """Group rows with subtotals, criteria, sub-items and the total, formatted as printed."""
    card: Scorecard = detail.scorecard
    rows: list[TableRow] = []
    fmt = format_points
    for group, subtotal in zip(detail.catalog.groups, card.groups, strict=True):
        leaves = [leaf for c in group.criteria for leaf in (c.sub_items or (c,))]
        scored = any(card.rows[leaf.code].points is not None for leaf in leaves)
        points = fmt(subtotal.points) if scored else ""  # "chưa chấm", not a misleading 0
        rows.append(
            TableRow(ROW_GROUP, group.code, group.name, fmt(group.maximum), fmt(subtotal.self_points), points)
        )
        for criterion in group.criteria:
            rows.append(_criterion_row(detail, ROW_CRITERION, criterion, group.code))
            rows += [_criterion_row(detail, ROW_SUB, sub, criterion.code) for sub in criterion.sub_items]
    rows.append(
        TableRow(ROW_TOTAL, "", "Tổng cộng", fmt(card.maximum), fmt(card.self_total), fmt(card.total))
    )
    return tuple(rows)


def _criterion_row(detail: AgencyDetail, kind: str, criterion: Criterion, parent_code: str) -> TableRow:
    """A criterion's or sub-item's row: short number, name, maximum, points and note as printed."""
    score = detail.scorecard.rows[criterion.code]
    return TableRow(
        kind,
        _short_number(criterion.code, parent_code),
        criterion.name,
        format_points(criterion.maximum),
        format_points(score.self_points),
        format_points(score.points),
        detail.entries[criterion.code].note.strip(),
    )


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fact_lines(detail: AgencyDetail) -> tuple[str, ...]:
    """The penalty facts as checked: report dispatch, report attached, news on the portal."""
    facts = detail.facts
    lines = []
    when = facts.report_sent or facts.report_received
    verb = "gửi" if facts.report_sent else "nhận được"
    deadline = f"Hạn gửi báo cáo: {_day(facts.deadline)}; " if facts.deadline else ""
    if when is None:
        text = "chưa ghi nhận ngày đơn vị gửi báo cáo."
    else:
        if facts.days_late is None:
            timing = "chưa có hạn gửi báo cáo để xét muộn"
        else:
            timing = f"muộn {facts.days_late} ngày" if facts.days_late else "đúng hạn"
        text = f"đơn vị {verb} báo cáo ngày {_day(when)} ({timing})."
    lines.append(deadline + text if deadline else text[0].upper() + text[1:])
    lines.append(
        "Phiếu tự đánh giá có kèm báo cáo kết quả."
        if facts.report_attached
        else "Đơn vị gửi phiếu tự đánh giá không kèm báo cáo kết quả."
    )
    known = [c for c in facts.portal_counts if c is not None]
    short = facts.portal_short_months
    portal = (
        f"Tin, bài trên Cổng thông tin điện tử Đảng bộ tỉnh (định mức {facts.portal_quota} tin, bài/tháng): "
    )
    if short:
        portal += f"{len(short)} tháng không đủ định mức (tháng {', '.join(str(m) for m in short)})"
    else:
        portal += "các tháng có số liệu đều đạt định mức"
    missing = len(facts.portal_counts) - len(known)
    lines.append(portal + (f"; {missing} tháng chưa có số liệu." if missing else "."))
    return tuple(lines)


# -- files ---------------------------------------------------------------------------------
def minutes_pdf(ws: Workspace, agency_id: str) -> bytes:
    """The minutes PDF in memory (preview, save, print)."""
    return minutes_bytes(minutes_doc(ws, agency_id))


def write_minutes(ws: Workspace, agency_id: str, out: Path) -> MinutesDoc:
    """Write the minutes of one agency to a file; return what was printed."""
    doc = minutes_doc(ws, agency_id)
    _render_to(doc, Path(out))
    return doc


def _render_to(doc: MinutesDoc, out: Path) -> None:
    if not out.parent.exists():
        raise ServiceError(f"Không có thư mục {out.parent}.")
    temporary = out.with_name(out.name + ".tmp")
    try:
        render_minutes(doc, temporary)
        temporary.replace(out)  # a reader never sees a half-written file
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ServiceError(f"Không ghi được tệp {out}: {error.strerror or error}.") from error


def minutes_filename(agency: Agency) -> str:
    """ "2022-12-09_HUTP_bien-ban-tham-dinh.pdf" — sortable, safe on every file system."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", agency.code or agency.id[:8]).strip("-") or agency.id[:8]
    day = agency.visit_date.isoformat() if agency.visit_date else "chua-hen"
    return f"{day}_{code}_bien-ban-tham-dinh.pdf"


def agencies_on(ws: Workspace, day: date) -> list[Agency]:
    """Agencies visited on a day, by time."""
    found = [a for a in ws.agencies() if a.visit_date == day]
    if not found:
        raise ServiceError(f"Không có đơn vị nào được thẩm định ngày {day.strftime('%d/%m/%Y')}.")
    return found


@dataclass(frozen=True)
class BatchJob:
    """One set of minutes to write: plain data, safe to hand to a worker thread."""

    agency: Agency
    doc: MinutesDoc
    path: Path


@dataclass(frozen=True)
class Skipped:
    """An agency whose minutes could not be prepared, and why."""

    agency: Agency
    reason: str


def prepare_batch(
    ws: Workspace, agencies: Sequence[Agency], out_dir: Path
) -> tuple[list[BatchJob], list[Skipped]]:
    """Read everything the batch needs (fast, on the caller's thread); skip conflicts."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ServiceError(f"Không có thư mục {out_dir}.")
    jobs, skipped = [], []
    for agency in agencies:
        try:
            jobs.append(BatchJob(agency, minutes_doc(ws, agency.id), out_dir / minutes_filename(agency)))
        except ServiceError as error:
            skipped.append(Skipped(agency, str(error)))
    return jobs, skipped


Progress = Callable[[int, int, str], bool]


def render_batch(jobs: Sequence[BatchJob], progress: Progress | None = None) -> list[Path]:
    """Lay out and write each job; ``progress(done, total, name)`` returns False to cancel."""
    written: list[Path] = []
    for index, job in enumerate(jobs):
        if progress is not None and not progress(index, len(jobs), job.agency.name):
            break
        _render_to(job.doc, job.path)
        written.append(job.path)
    if progress is not None and len(written) == len(jobs):
        progress(len(jobs), len(jobs), "")
    return written
