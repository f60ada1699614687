"""Excel in and out: self-assessment forms, appraisal sheets, official catalogs, results.

Plain data in and out, no Qt, so the GUI and the CLI call the same functions::

    write_form(ws, agency_id, path)                       # one agency's self-assessment form
    write_all_forms(ws, folder) -> list[Path]             # one form per agency
    plan = plan_form_import(ws, paths, agency=None, sent=None, appraised=False)
    plan.errors / plan.warnings / plan.lines / plan.summary()   # show it, ask the user
    apply_import(ws, plan) -> int                         # one transaction; edits written
    write_results(ws, path)                               # the results workbook
    plan = plan_catalog_import(ws, category, path)        # read + validate an official catalog
    apply_catalog(ws, plan) -> int                        # replace catalog/<category>
    catalog_blockers(ws, category) -> list[Agency]        # why a catalog cannot be replaced

Planning never writes. Applying refuses a plan with any error, writes every change of every
file in one transaction, and unchanged values write nothing, so importing the same file twice
changes nothing the second time. A blank cell in the sheet means "not given" (never "clear").

The work is split by responsibility: services.form_export (forms and results out),
services.form_import (forms in) and services.catalog_import (official catalogs); this module
re-exports their public names so callers keep one import.
"""

from __future__ import annotations

from ictappraise.services.catalog_import import (
    CatalogPlan,
    apply_catalog,
    catalog_blockers,
    plan_catalog_import,
    replace_catalog,
)
from ictappraise.services.form_export import (
    form_file_name,
    form_info,
    write_all_forms,
    write_form,
    write_results,
)
from ictappraise.services.form_import import (
    NOT_SET,
    FilePlan,
    ImportPlan,
    PlanLine,
    apply_import,
    parse_day,
    plan_form_import,
)

__all__ = [
    "NOT_SET",
    "CatalogPlan",
    "FilePlan",
    "ImportPlan",
    "PlanLine",
    "apply_catalog",
    "apply_import",
    "catalog_blockers",
    "form_file_name",
    "form_info",
    "parse_day",
    "plan_catalog_import",
    "plan_form_import",
    "replace_catalog",
    "write_all_forms",
    "write_form",
    "write_results",
]
