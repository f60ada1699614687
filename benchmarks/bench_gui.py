"""GUI figures: cold start vs a bare window, edit → preview, opening a checklist, peak memory.

Everything runs offscreen (QT_QPA_PLATFORM=offscreen). Start-up and memory are measured in
fresh interpreters; the edit and open figures in one process on the real main window.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from measure import Context, peak_rss, summary_row, timed
from scenarios import build_big_catalog_file, copy_database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PAINTED = "PAINTED"

# Both scripts print PAINTED once the first frame of their window has been painted; the
# parent measures from its own clock before spawning, so interpreter start-up counts too.
_PAINT_WATCH = """
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("PAINTED", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watch = Watch()
window.installEventFilter(watch)
window.resize(1366, 768)
window.show()
app.exec()
"""

BARE_WINDOW = (
    """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
"""
    + _PAINT_WATCH
)

APP_WINDOW = (
    """
import os, sys
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, QEvent, QTimer
from ictappraise.services.identity import lead_actor
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.app import application, build_window
app = application()
db = open_database(Path(sys.argv[1]))
ws = Workspace(db)
ws.actor = lead_actor(ws, "bench")
window = build_window(ws)
"""
    + _PAINT_WATCH
)


def _start_once(script: str, *args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    elapsed = time.perf_counter() - start
    if PAINTED not in result.stdout:
        raise RuntimeError(result.stderr.strip()[-400:] or "the window never painted")
    return elapsed


def cold_start(ctx: Context) -> list[dict[str, object]]:
    """Cold start to a painted main window on the demo database, against a bare QMainWindow."""
    runs = ctx.runs(7, 3)
    bare, app = [], []
    for index in range(runs + 1):  # interleaved, the first pair warms the disk cache
        database = copy_database(ctx.demo, ctx.work / f"start-{index}.db")
        bare_time = _start_once(BARE_WINDOW)
        app_time = _start_once(APP_WINDOW, str(database))
        if index:
            bare.append(bare_time)
            app.append(app_time)
    reference = statistics.median(bare)
    return [
        summary_row("Khởi động: cửa sổ QMainWindow trống", bare, None),
        summary_row(
            "Khởi động tới cửa sổ chính (dữ liệu mẫu)",
            app,
            1.5 * reference,
            ref=reference,
            ref_label="cửa sổ trống",
        ),
    ]


def window_figures(ctx: Context) -> list[dict[str, object]]:
    """Edit → updated preview, and opening a checklist, in the real window."""
    from ictappraise.services.identity import lead_actor
    from ictappraise.services.workspace import Workspace
    from ictappraise.store.database import open_database
    from ictappraise.ui.app import application, build_window
    from ictappraise.ui.checklist_model import COL_INPUT

    application()
    rows: list[dict[str, object]] = []
    database = copy_database(ctx.demo, ctx.work / "gui-edit.db")
    big, big_agency = build_big_catalog_file(ctx.work / "gui-big.db")
    for label, path, pick in (
        ("Phụ lục 2, 34 tiêu chí", database, lambda ws: ws.find_agency("HUPQ").id),
        ("bộ tiêu chí 150 tiêu chí", big, lambda ws: big_agency),
    ):
        db = open_database(path, backup=False)
        ws = Workspace(db)
        ws.actor = lead_actor(ws, "bench")
        window = build_window(ws)
        window.resize(1366, 768)
        window.show()
        agency_id = pick(ws)
        other = next(a.id for a in ws.agencies() if a.id != agency_id)
        runs = ctx.runs(30, 8)

        def open_checklist(window=window, other=other, target: str = agency_id) -> None:  # noqa: ANN001
            window.agencies.select(other)
            window.show_agency(target)

        rows.append(summary_row(f"Mở danh mục chấm điểm ({label})", timed(open_checklist, runs), 0.100))
        window.show_agency(agency_id)
        leaf = next(
            leaf for leaf in window.checklist_model.detail.catalog.leaves() if leaf.rule.kind == "manual"
        )
        index = window.checklist_model.index_of_code(leaf.code, COL_INPUT)
        values = iter(["1", "2"] * (runs * 4))
        times = timed(lambda m=window.checklist_model, i=index, v=values: m.setData(i, next(v)), runs * 3)
        rows.append(summary_row(f"Sửa một điểm → cập nhật xem trước ({label})", times, 0.016))
        window.close()
        db.close()
    return rows


def gui_memory(ctx: Context) -> list[dict[str, object]]:
    """Peak RSS of the GUI with the demo database open, every agency shown once."""
    database = copy_database(ctx.demo, ctx.work / "gui-memory.db")
    code = APP_WINDOW.replace("app.exec()", "").replace("window.show()", "window.show()\napp.processEvents()")
    code += "\nfor agency in ws.agencies():\n    window.show_agency(agency.id)\n    app.processEvents()\n"
    values = [peak_rss(code.replace("sys.argv[1]", repr(str(database)))) for _ in range(ctx.runs(3, 1))]
    bare = peak_rss(BARE_WINDOW.replace("app.exec()", "app.processEvents()"))
    return [
        {
            "name": "Bộ nhớ đỉnh của giao diện (dữ liệu mẫu)",
            "peak_mb": max(values),
            "values_mb": values,
            "target_mb": 300.0,
            "ref_mb": bare,
            "ref_label": "cửa sổ trống",
            "runs": len(values),
        }
    ]


def bench_gui(ctx: Context) -> list[dict[str, object]]:
    """Every GUI figure."""
    return [*cold_start(ctx), *window_figures(ctx), *gui_memory(ctx)]


if __name__ == "__main__":  # a quick look without the whole suite
    import tempfile

    from scenarios import build_demo_file

    work = Path(tempfile.mkdtemp())
    context = Context(work=work, demo=build_demo_file(work / "demo.db"), quick=True)
    for row in bench_gui(context):
        shown = {k: v for k, v in row.items() if k not in ("times_s", "values_mb")}
        print(re.sub(r"\s+", " ", str(shown)))
