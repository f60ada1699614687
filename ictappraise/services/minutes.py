"""Minutes of a visit: what is printed, its content fingerprint and revision, signing, batches.

The fingerprint is a short SHA-256 of the canonical appraisal data of the agency (scores,
notes, penalty facts, visit details) — exactly what signing locks. It is printed in the
footer and stored in the signing edit, so a paper copy can be matched to the data later.
The revision counts signings: the first signed minutes are revision 1, and after the lead
reopens them the next signing makes revision 2.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.dates import format_day
from ictappraise.domain.fields import parse_field
from ictappraise.domain.numbers import format_points
from ictappraise.domain.roles import ROLE_LABELS, ROLE_LEAD, ROLE_SECRETARY
from ictappraise.domain.scorecard import Scorecard
from ictappraise.io.pdf_minutes import MinutesDoc, Person, SignatureBlock, minutes_bytes, render_minutes
from ictappraise.io.pdf_minutes_table import ROW_CRITERION, ROW_GROUP, ROW_SUB, ROW_TOTAL, TableRow
from ictappraise.services import appraisal, followup, remarks, round_admin
from ictappraise.services.fingerprint import (  # noqa: F401  # re-exported: the minutes' public names
    FINGERPRINT_LENGTH,
    MISMATCH_MARK,
    canonical_data,
    fingerprint,
    fingerprint_mismatch,
    mismatch_text,
)
from ictappraise.services.model import Agency, AgencyDetail, Member
from ictappraise.services.workspace import ServiceError, Workspace

logger = logging.getLogger(__name__)


def revision_of(detail: AgencyDetail) -> int:
    """The revision signed minutes carry, or the one the next signing will give."""
    stored = int(detail.status_value.get("revision", 0) or 0)
    return max(stored, 1) if detail.signed else stored + 1


def stamp_of(detail: AgencyDetail) -> tuple[int, str]:
    """(revision, fingerprint) printed in the footer: the stored ones once signed, unless the data
    no longer matches them; then the data's own (the page says loudly that it is not the signed one)."""
    current = fingerprint(detail)
    if detail.signed:
        stored = str(detail.status_value.get("fingerprint") or "")
        if stored and stored != current:
            logger.warning(
                "Minutes of %s: stored fingerprint %s, data now %s", detail.agency.code, stored, current
            )
            return revision_of(detail), current
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
            {parse_field(fs.field).within for fs in detail.conflicts} | set(detail.scorecard.conflicts)
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
    band, no_band = remarks.band_sentence(card)
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
        fact_lines=remarks.rule_sentences(detail, ws.rules()[detail.agency.category]),
        reasons=(),
        total_text=f"{format_points(card.total)}/{format_points(card.maximum)}",
        band=band,
        strengths=visit.strengths,
        weaknesses=remarks.weaknesses_text(detail),
        recommendations=visit.recommendations,
        opinion=visit.opinion,
        opinion_text=visit.opinion_text,
        copies=info.minutes_copies,
        agency_sign=_agency_block(detail),
        lead_sign=_lead_block(ws, team),
        secretary_sign=_member_block(ws, team, ROLE_SECRETARY),
        revision=revision,
        fingerprint=print_,
        signed=detail.signed,
        watermark=MISMATCH_MARK if fingerprint_mismatch(detail) else "",
        draft_reason=_draft_reason(problems),
        provisional_note=no_band,
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
    """ "ĐẠI DIỆN HUYỆN ỦY TUY PHONG" / "PHÓ BÍ THƯ THƯỜNG TRỰC", styled as the team's block."""
    name = detail.agency.name
    reps = detail.visit.representatives
    first = reps[0] if reps else None
    # A short name never breaks across lines ("HÀM / THUẬN BẮC"); a long one has to.
    shown = name.upper().replace(" ", "\u00a0") if len(name) <= 24 else name.upper()
    headings = [f"ĐẠI DIỆN {shown}"]
    if first and first.title:
        headings.append(short_title(first.title, name).upper())
    return SignatureBlock(tuple(headings), first.name if first else "")


def short_title(title: str, agency: str) -> str:
    """The title without the agency's name the heading already gives ("Phó Bí thư Thường trực");
    kept whole when that would leave a single word ("Chánh Văn phòng Tỉnh ủy")."""
    title = " ".join(title.split())
    if title.casefold().endswith(" " + agency.casefold()):
        rest = title[: -len(agency)].strip(" ,")
        if len(rest.split()) >= 2:
            return rest
    return title


def _lead_block(ws: Workspace, team: list[Member]) -> SignatureBlock:
    """The lead's block, printed even before anyone holds the role (the name left blank)."""
    return _block(ws, ("T/M TỔ THẨM ĐỊNH", ROLE_LABELS[ROLE_LEAD].upper()), _holder(ws, team, ROLE_LEAD))


def _member_block(ws: Workspace, team: list[Member], role: str) -> SignatureBlock | None:
    """Another role's block, or None when nobody holds it."""
    member = _holder(ws, team, role)
    return None if member is None else _block(ws, (ROLE_LABELS.get(role, role).upper(),), member)


def _holder(ws: Workspace, team: list[Member], role: str) -> Member | None:
    """Who holds a role: in the visiting team first, else in the whole roster."""
    return next((m for m in team if m.role == role), None) or next(
        (m for m in ws.members() if m.role == role), None
    )


def _block(ws: Workspace, headings: tuple[str, ...], member: Member | None) -> SignatureBlock:
    image = round_admin.member_signature(ws, member.id) if member is not None else None
    return SignatureBlock(headings, member.name if member else "", image=image)


def _short_number(code: str, prefix: str) -> str:
    return code[len(prefix) + 1 :] if code.startswith(prefix + ".") and len(code) > len(prefix) + 1 else code


def table_points(value: Decimal | None) -> str:
    """Points in the table: whole numbers bare, others always with two decimals ("29,50" beside
    "14,81", never "29,5")."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return format_points(value)
    return f"{value.quantize(Decimal('0.01')):f}".replace(".", ",")


def table_rows(detail: AgencyDetail) -> tuple[TableRow, ...]:
    """Group rows with subtotals, criteria, sub-items and the total, formatted as printed."""
    card: Scorecard = detail.scorecard
    rows: list[TableRow] = []
    fmt = table_points
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
        table_points(criterion.maximum),
        table_points(score.self_points),
        table_points(score.points),
        detail.entries[criterion.code].note.strip(),
    )


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
        raise ServiceError(f"Không có đơn vị nào được thẩm định ngày {format_day(day)}.")
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
