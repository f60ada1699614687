"""Official catalogs from Excel: plan, check who blocks a replacement, replace."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ictappraise.domain.catalog import Catalog
from ictappraise.domain.fields import catalog_field, parse_field
from ictappraise.domain.numbers import format_points
from ictappraise.domain.text_safety import forbidden_problem
from ictappraise.io import excel_catalog
from ictappraise.io.excel_errors import ExcelError
from ictappraise.services.appraisal import require_lead
from ictappraise.services.model import Agency
from ictappraise.services.workspace import Change, ServiceError, Workspace


@dataclass
class CatalogPlan:
    """An official catalog read from a sheet, and whether it may replace the current one."""

    category: int
    path: Path
    catalog: Catalog | None = None
    current: Catalog | None = None
    blockers: list[Agency] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Vietnamese lines for the CLI or a confirmation dialog."""
        out = [f"Tệp «{self.path.name}» → bộ tiêu chí Phụ lục {self.category}:"]
        out.extend(f"  Lỗi: {error}" for error in self.errors)
        if self.current is not None:
            out.append(f"  Hiện hành: {_describe(self.current)}")
        if self.catalog is not None:
            out.append(f"  Thay bằng: {_describe(self.catalog)}")
        return out


def _describe(catalog: Catalog) -> str:
    criteria = list(catalog.criteria())
    subs = sum(len(c.sub_items) for c in criteria)
    return (
        f"«{catalog.title}», phiên bản {catalog.version}: {len(catalog.groups)} nhóm, {len(criteria)} tiêu chí, "
        f"{subs} tiểu mục, tổng {format_points(catalog.maximum)} điểm."
    )


def catalog_blockers(ws: Workspace, category: int) -> list[Agency]:
    """Agencies of a category that already have a self or appraised score."""
    found = []
    for agency in ws.agencies():
        if agency.category != category:
            continue
        for name, state in ws.state(agency.id).fields.items():
            if parse_field(name).part in ("self", "appraised"):
                if state.conflict or state.value is not None:
                    found.append(agency)
                    break
    return found


def plan_catalog_import(ws: Workspace, category: int, path: Path) -> CatalogPlan:
    """Read and validate an official catalog sheet; nothing is written."""
    plan = CatalogPlan(category, Path(path), current=ws.catalogs().get(category))
    rules = ws.rules().get(category)
    if rules is None:
        plan.errors.append(f"Không có nhóm đối tượng Phụ lục {category}.")
        return plan
    try:
        plan.catalog = excel_catalog.read_catalog(Path(path), category, rules.maximum)
    except (ExcelError, ValueError) as error:
        plan.errors.append(str(error))
    problem = forbidden_problem(plan.catalog.to_dict()) if plan.catalog else None
    if problem:
        plan.errors.append(f"Bộ tiêu chí trong {Path(path).name}: {problem}.")
    plan.blockers = catalog_blockers(ws, category)
    if plan.blockers:
        plan.errors.append(_blocked_message(category, plan.blockers))
    return plan


def _blocked_message(category: int, blockers: list[Agency]) -> str:
    names = ", ".join(a.name for a in blockers[:8]) + (" …" if len(blockers) > 8 else "")
    return (
        f"Không thay được bộ tiêu chí Phụ lục {category} vì {len(blockers)} đơn vị của nhóm này đã có điểm "
        f"tự đánh giá hoặc điểm thẩm định ({names}). Bộ tiêu chí chỉ được thay trước khi chấm điểm."
    )


def replace_catalog(ws: Workspace, catalog: Catalog) -> int:
    """Replace the catalog of its category: the lead only, while none of its agencies has a score."""
    require_lead(ws, "thay bộ tiêu chí của đợt đánh giá")
    blockers = catalog_blockers(ws, catalog.category)
    if blockers:
        raise ServiceError(_blocked_message(catalog.category, blockers))
    return len(ws.write([Change(catalog_field(catalog.category), catalog.to_dict())]))


def apply_catalog(ws: Workspace, plan: CatalogPlan) -> int:
    """Write a planned catalog (refused if the plan has errors); return the edits written."""
    if plan.errors or plan.catalog is None:
        raise ServiceError(" ".join(plan.errors) or "Chưa đọc được bộ tiêu chí.")
    return replace_catalog(ws, plan.catalog)
