"""Excel in: plan importing self-assessment or appraisal forms, then apply the plan in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ictappraise.domain import dates
from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.dates import format_day
from ictappraise.domain.numbers import format_points, quantize_points
from ictappraise.domain.scorecard import Appraisal
from ictappraise.io import excel_form
from ictappraise.io.excel_cells import is_code
from ictappraise.io.excel_errors import ExcelError
from ictappraise.io.excel_read import FormData, FormRow, read_form
from ictappraise.io.excel_table import Table
from ictappraise.io.excel_workbook import open_workbook
from ictappraise.services.appraisal import appraisal_change, report_changes, self_score_change, text_change
from ictappraise.services.model import Agency, AgencyDetail
from ictappraise.services.workspace import Change, ServiceError, Workspace
from ictappraise.store import backup

NOT_SET = "—"


@dataclass(frozen=True)
class PlanLine:
    """One value an import changes: current → new."""

    code: str
    what: str
    current: str
    new: str
    note: str = ""


@dataclass
class FilePlan:
    """What one file would change, or why it cannot be imported."""

    path: Path
    agency_id: str | None = None
    agency_name: str = ""
    sheet: str = ""
    lines: list[PlanLine] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    """The plan of importing one or more forms; apply it with apply_import."""

    files: list[FilePlan]
    appraised: bool = False

    @property
    def errors(self) -> list[str]:
        return [e for f in self.files for e in f.errors]

    @property
    def warnings(self) -> list[str]:
        return [w for f in self.files for w in f.warnings]

    @property
    def changes(self) -> list[Change]:
        return [c for f in self.files for c in f.changes]

    def summary(self) -> list[str]:
        """Vietnamese lines for the CLI or a confirmation dialog."""
        out: list[str] = []
        kind = "điểm thẩm định" if self.appraised else "tự đánh giá"
        for item in self.files:
            who = f" — {item.agency_name}" if item.agency_name else ""
            out.append(f"Tệp «{item.path.name}»{who} ({kind}):")
            out.extend(f"  Lỗi: {error}" for error in item.errors)
            out.extend(f"  Lưu ý: {warning}" for warning in item.warnings)
            if not item.errors:
                if not item.lines:
                    out.append("  Không có gì thay đổi.")
                for line in item.lines:
                    code = f"{line.code} " if line.code else ""
                    note = f" ({line.note})" if line.note else ""
                    out.append(f"  {code}{line.what}: {line.current} → {line.new}{note}")
        return out


def parse_day(text: str) -> date:
    """A date typed as 05/12/2022, 5-12-2022, 05122022 or 2022-12-05 (day first)."""
    try:
        return dates.parse_day(text)
    except dates.DayError as error:
        raise ServiceError(str(error)) from error


def plan_form_import(
    ws: Workspace,
    paths: list[Path],
    *,
    agency: str | None = None,
    sent: date | None = None,
    appraised: bool = False,
) -> ImportPlan:
    """Read every file and say what would change; nothing is written."""
    if appraised and sent is not None:
        raise ServiceError(
            "Ngày gửi báo cáo (--sent) chỉ dùng khi nhập phiếu tự đánh giá, không dùng với --appraised."
        )
    plan = ImportPlan([], appraised)
    seen: dict[str, str] = {}
    for path in paths:
        item = _plan_file(ws, Path(path), agency, sent, appraised)
        if item.agency_id and not item.errors:
            if item.agency_id in seen:
                item.errors.append(
                    f"Tệp «{item.path.name}» và tệp «{seen[item.agency_id]}» cùng là phiếu của "
                    f"{item.agency_name}; mỗi lần chỉ nhập một phiếu cho một đơn vị."
                )
            seen.setdefault(item.agency_id, item.path.name)
        plan.files.append(item)
    return plan


def apply_import(ws: Workspace, plan: ImportPlan) -> int:
    """Write the plan in one transaction; return the number of edits written."""
    if plan.errors:
        raise ServiceError("Không nhập được vì tệp có lỗi (chưa ghi gì): " + " ".join(plan.errors[:5]))
    if plan.changes:
        # An import of the wrong file can be undone by restoring this backup.
        backup.backup_before(ws.db, backup.REASON_IMPORT, "nhập", ServiceError)
    return len(ws.write(plan.changes))


def _plan_file(ws: Workspace, path: Path, agency: str | None, sent: date | None, appraised: bool) -> FilePlan:
    item = FilePlan(path)
    try:
        workbook = open_workbook(path)
        meta = excel_form.read_meta(workbook)
        found = _resolve_agency(ws, path, meta, agency)
        item.agency_id, item.agency_name = found.id, found.name
        catalog = ws.catalog(found.category)
        _check_checksum(path, meta, catalog)
        leaves = {leaf.code.casefold() for leaf in catalog.leaves()}
        data = read_form(workbook, path, appraised=appraised, leaf_codes=leaves)
    except (ExcelError, ServiceError) as error:
        item.errors.append(str(error))
        return item
    item.sheet = data.table.sheet.title
    item.errors.extend(data.errors)
    item.warnings.extend(data.warnings)
    _plan_rows(ws, item, data, ws.detail(found.id), appraised)
    _check_complete(item, data, catalog)
    if sent is not None and not appraised:
        _plan_sent(ws, item, found.id, sent)
    if item.changes and ws.is_signed(found.id):
        item.errors.append(
            f"Biên bản thẩm định của {found.name} đã ký nên điểm và dữ kiện đã khóa; không nhập được tệp "
            f"«{path.name}». Muốn sửa, Tổ trưởng phải mở lại biên bản và ghi rõ lý do."
        )
    if item.errors:
        item.changes, item.lines = [], []
    return item


def _resolve_agency(
    ws: Workspace, path: Path, meta: excel_form.FormMeta | None, wanted_text: str | None
) -> Agency:
    wanted = ws.find_agency(wanted_text) if wanted_text else None
    if meta is None:
        if wanted is None:
            raise ServiceError(
                f"Tệp «{path.name}» không có thông tin nhận dạng của chương trình (không phải phiếu do "
                "chương trình tạo, hoặc bảng đã được chép sang tệp khác). Hãy chỉ rõ đơn vị bằng "
                "--agency MÃ_HOẶC_TÊN."
            )
        return wanted
    key = ws.round_info().key
    if meta.round_key != key:
        raise ServiceError(
            f"Tệp «{path.name}» là phiếu của đợt đánh giá «{meta.round_key}», không phải đợt đang mở «{key}»."
        )
    try:
        found = ws.agency(meta.agency_id)
    except ServiceError as error:
        raise ServiceError(
            f"Tệp «{path.name}» là phiếu của đơn vị «{meta.agency_name}» ({meta.agency_code}), "
            "đơn vị này không có trong dữ liệu của đợt."
        ) from error
    if wanted is not None and wanted.id != found.id:
        raise ServiceError(
            f"Tệp «{path.name}» là phiếu của {found.name} ({found.code}), không phải của {wanted.name} "
            f"({wanted.code}) như đã chỉ định bằng --agency."
        )
    if meta.category != found.category:
        raise ServiceError(
            f"Tệp «{path.name}» lập theo Phụ lục {meta.category} nhưng {found.name} nay thuộc Phụ lục "
            f"{found.category}. Hãy tạo lại phiếu."
        )
    return found


def _check_checksum(path: Path, meta: excel_form.FormMeta | None, catalog: Catalog) -> None:
    if meta is not None and meta.catalog_checksum != catalog.checksum():
        raise ServiceError(
            f"Tệp «{path.name}» lập theo bộ tiêu chí phiên bản «{meta.catalog_version}» (mã kiểm tra "
            f"{meta.catalog_checksum}), khác bộ tiêu chí hiện hành của Phụ lục {catalog.category} (phiên bản "
            f"«{catalog.version}», mã kiểm tra {catalog.checksum()}). Hãy tạo lại phiếu bằng lệnh "
            "«ictappraise template» rồi nhập lại."
        )


def _index(catalog: Catalog) -> dict[str, Criterion | None]:
    """Codes (case-folded) of groups (None), criteria and sub-items."""
    index: dict[str, Criterion | None] = {group.code.casefold(): None for group in catalog.groups}
    for criterion in catalog.criteria():
        index[criterion.code.casefold()] = criterion
        for sub in criterion.sub_items:
            index[sub.code.casefold()] = sub
    return index


def _plan_rows(ws: Workspace, item: FilePlan, data: FormData, detail: AgencyDetail, appraised: bool) -> None:
    index = _index(detail.catalog)
    seen: dict[str, int] = {}
    parents: dict[str, FormRow] = {}
    scored: set[str] = set()
    table = data.table
    for row in data.rows:
        key = row.code.casefold()
        where = table.where(row.row, "code")
        points = row.appraised if appraised else row.self_points
        if key not in index:
            if is_code(row.code) or points is not None:
                item.errors.append(
                    f"{where}: mã tiêu chí «{row.code}» không có trong bộ tiêu chí Phụ lục "
                    f"{detail.catalog.category} (phiên bản «{detail.catalog.version}»)."
                )
            continue
        if key in seen:
            item.errors.append(f"{where}: mã tiêu chí «{row.code}» bị trùng (đã có ở dòng {seen[key]}).")
            continue
        seen[key] = row.row
        criterion = index[key]
        if criterion is None:
            continue
        if row.maximum is not None and row.maximum != criterion.maximum:
            item.errors.append(
                f"{table.where(row.row, 'maximum')}: điểm tối đa của tiêu chí {criterion.code} trong tệp là "
                f"{format_points(row.maximum)}, khác bộ tiêu chí hiện hành ({format_points(criterion.maximum)}) "
                "— tệp lập theo bộ tiêu chí khác."
            )
            continue
        if criterion.sub_items:
            parents[criterion.code] = row
            continue
        if points is not None:
            scored.add(criterion.code)
        _plan_leaf(ws, item, table, row, criterion, detail, appraised)
    _check_parents(item, table, detail.catalog, parents, scored, appraised)


def _check_complete(item: FilePlan, data: FormData, catalog: Catalog) -> None:
    """Every criterion must keep its row, in the program's form and in a sheet the agency typed
    alike: a missing row would silently keep that criterion's old score."""
    present = {row.code.casefold() for row in data.rows}
    missing = [leaf.code for leaf in catalog.leaves() if leaf.code.casefold() not in present]
    if not missing:
        return
    more = f" và {len(missing) - 12} tiêu chí khác" if len(missing) > 12 else ""
    listed = ", ".join(missing[:12]) + more
    item.errors.append(
        f"Tệp «{data.file}», trang «{data.table.sheet.title}»: thiếu dòng của {len(missing)} tiêu chí "
        f"({listed}) — có thể dòng đã bị xóa. Hãy dùng phiếu đầy đủ (mỗi tiêu chí một dòng) rồi nhập lại."
    )


def _plan_leaf(
    ws: Workspace,
    item: FilePlan,
    table: Table,
    row: FormRow,
    criterion: Criterion,
    detail: AgencyDetail,
    appraised: bool,
) -> None:
    key = "appraised" if appraised else "self"
    points = row.appraised if appraised else row.self_points
    where = table.where(row.row, key)
    entry = detail.entries[criterion.code]
    reason = f"Nhập từ tệp Excel «{item.path.name}»"
    if points is not None:
        points = _as_stored(points)  # the preview shows what will be stored: 0.01, half up
        if points is None:
            item.errors.append(f"{where}: điểm của tiêu chí {criterion.code} quá lớn (vượt điểm tối đa).")
            return
        if points < 0 or points > criterion.maximum:
            item.errors.append(
                f"{where}: điểm {format_points(points)} của tiêu chí {criterion.code} nằm ngoài khoảng 0–"
                f"{format_points(criterion.maximum)}"
                + (" (điểm không được âm)." if points < 0 else " (vượt điểm tối đa).")
            )
            return
        try:
            if appraised:
                _plan_appraised(ws, item, criterion, points, detail, reason)
            elif entry.self_points != points:
                item.changes.append(self_score_change(ws, detail.agency.id, criterion.code, points, reason))
                item.lines.append(
                    PlanLine(
                        criterion.code, "Điểm tự đánh giá", _points(entry.self_points), format_points(points)
                    )
                )
        except ServiceError as error:
            item.errors.append(f"{where}: {error}")
            return
    text_key = "note" if appraised else "self_evidence"
    text = row.note if appraised else row.evidence
    current = entry.note if appraised else entry.self_evidence
    if text and text != current:
        what = "Ghi chú" if appraised else "Tài liệu kiểm chứng"
        try:  # the setter the screen uses: the preview shows what will be stored
            change = text_change(ws, detail.agency.id, criterion.code, text_key, text, reason)
        except ServiceError as error:
            item.errors.append(f"{where}: {error}")
            return
        if change.value != current:
            item.changes.append(change)
            item.lines.append(PlanLine(criterion.code, what, _short(current), _short(change.value)))


def _as_stored(points: Decimal) -> Decimal | None:
    """Points as the setters store them (domain.numbers.quantize_points), None when far too large."""
    try:
        return quantize_points(points)
    except InvalidOperation:  # 1e300: more digits than any score has
        return None


def _plan_appraised(
    ws: Workspace, item: FilePlan, criterion: Criterion, points: Decimal, detail: AgencyDetail, reason: str
) -> None:
    entry = detail.entries[criterion.code]
    row = detail.scorecard.rows.get(criterion.code)
    current = row.points if row is not None else None
    if entry.appraisal is not None and current == points and not entry.conflict:
        return
    manual = criterion.rule.kind == "manual"
    if manual:
        appraisal = Appraisal(input=format_points(points, comma=False))
        note = ""
    else:
        appraisal = Appraisal(override=points)
        note = f"ghi đè cách tính «{criterion.rule.label}»"
        reason = f"{reason}: điểm thẩm định ghi đè cách tính «{criterion.rule.label}»"
    item.changes.append(appraisal_change(ws, detail.agency.id, criterion.code, appraisal, reason))
    shown = "xung đột" if entry.conflict else _points(current) if entry.appraisal is not None else "chưa chấm"
    item.lines.append(PlanLine(criterion.code, "Điểm thẩm định", shown, format_points(points), note))


def _check_parents(
    item: FilePlan,
    table: Table,
    catalog: Catalog,
    parents: dict[str, FormRow],
    scored: set[str],
    appraised: bool,
) -> None:
    for criterion in catalog.criteria():
        row = parents.get(criterion.code)
        if row is None:
            continue
        points = row.appraised if appraised else row.self_points
        # A zero here is the cached sum of blank sub-items (a re-saved form), not a score.
        if points and not any(sub.code in scored for sub in criterion.sub_items):
            subs = ", ".join(sub.code for sub in criterion.sub_items)
            item.errors.append(
                f"{table.where(row.row, 'appraised' if appraised else 'self')}: tiêu chí {criterion.code} "
                f"tính bằng tổng các tiểu mục; hãy nhập điểm từng tiểu mục ({subs})."
            )


def _plan_sent(ws: Workspace, item: FilePlan, agency_id: str, sent: date) -> None:
    current = ws.detail(agency_id).facts.report_sent
    if current != sent:
        item.changes.extend(report_changes(ws, agency_id, sent=sent))
        item.lines.append(PlanLine("", "Ngày gửi báo cáo", _day(current), _day(sent)))


def _points(value: Decimal | None) -> str:
    return NOT_SET if value is None else format_points(value)


def _day(value: date | None) -> str:
    return NOT_SET if value is None else format_day(value)


def _short(text: str, limit: int = 60) -> str:
    if not text:
        return NOT_SET
    flat = " ".join(text.split())
    return f"«{flat}»" if len(flat) <= limit else f"«{flat[: limit - 1]}…»"
