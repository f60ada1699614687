"""Excel benchmarks: importing the 25 agencies' self-assessment forms, and the results workbook.

``bench_excel()`` returns one dict per measurement: name, median_s, p95_s, target_s, runs.
Run alone: ``python benchmarks/bench_excel.py``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from measure import summary_row  # noqa: E402

from ictappraise.io import excel_form  # noqa: E402
from ictappraise.services import excel_import as svc  # noqa: E402
from ictappraise.services.demo import build_demo  # noqa: E402
from ictappraise.services.seed import seed_round  # noqa: E402
from ictappraise.services.workspace import Actor, Workspace  # noqa: E402
from ictappraise.store.database import open_database  # noqa: E402

FORMS_TARGET_S = 5.0
RESULTS_TARGET_S = 2.0


def _fill(form: Path, catalog: object) -> None:
    """Fill every score cell like an agency: the maximum less a quarter point, with evidence."""
    workbook = load_workbook(form)
    sheet = workbook[excel_form.FORM_SHEET]
    leaves = {leaf.code: leaf.maximum for leaf in catalog.leaves()}  # type: ignore[attr-defined]
    for row in range(excel_form.FIRST_ROW, sheet.max_row + 1):
        maximum = leaves.get(sheet.cell(row, 1).value)
        if maximum is not None:
            sheet.cell(row, excel_form.COL["self"]).value = float(max(maximum - Decimal("0.25"), Decimal(0)))
            sheet.cell(row, excel_form.COL["evidence"]).value = "Văn bản kèm theo"
    workbook.save(form)


def _workspace(path: Path) -> Workspace:
    ws = Workspace(open_database(path))
    member = ws.find_member("Chuyên viên C")
    assert member is not None
    ws.actor = Actor(member.id, "bench", member.name, member.role)
    return ws


def _timed(runs: int, setup: Callable[[int], object], body: Callable[[object], None]) -> list[float]:
    times = []
    for run in range(runs):
        state = setup(run)
        start = time.perf_counter()
        body(state)
        times.append(time.perf_counter() - start)
    return times


def bench_excel(runs: int = 5) -> list[dict[str, object]]:
    """Measure the 25-form import (plan + apply, one transaction) and the results workbook."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # Self-assessments arrive before the visits: the round as seeded, nothing signed yet.
        fresh_round = work / "round.db"
        db = open_database(fresh_round, create=True)
        ws = Workspace(db)
        seed_round(ws)
        forms = []
        for agency in ws.agencies():
            form = svc.write_form(ws, agency.id, work / "forms" / svc.form_file_name(agency))
            _fill(form, ws.catalog(agency.category))
            forms.append(form)
        db.close()
        # The results workbook is measured on the demo round (visits scored, signed, penalised).
        demo = work / "demo.db"
        db = open_database(demo, create=True)
        build_demo(db)
        db.close()

        def copy_of(template: Path) -> Callable[[int], Workspace]:
            def fresh(run: int) -> Workspace:
                copy = work / f"run{run}-{template.name}"
                shutil.copyfile(template, copy)
                return _workspace(copy)

            return fresh

        def import_all(state: object) -> None:
            ws_run: Workspace = state  # type: ignore[assignment]
            plan = svc.plan_form_import(ws_run, forms)
            assert not plan.errors and len(plan.files) == 25, plan.errors[:3]
            svc.apply_import(ws_run, plan)
            ws_run.db.close()

        def export(state: object) -> None:
            ws_run: Workspace = state  # type: ignore[assignment]
            svc.write_results(ws_run, work / "results.xlsx")
            ws_run.db.close()

        return [
            summary_row(
                "excel: import 25 self-assessment forms",
                _timed(runs, copy_of(fresh_round), import_all),
                FORMS_TARGET_S,
            ),
            summary_row("excel: results workbook", _timed(runs, copy_of(demo), export), RESULTS_TARGET_S),
        ]


if __name__ == "__main__":
    for line in bench_excel():
        print(
            f"{line['name']:<45} median {line['median_s']:.3f} s  p95 {line['p95_s']:.3f} s  "
            f"target {line['target_s']:.1f} s  ({line['runs']} runs)"
        )
