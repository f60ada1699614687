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
import tempfile
import threading
import time
from pathlib import Path

from measure import Context, peak_rss, summary_row, timed
from scenarios import build_big_catalog_file, copy_database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PAINTED = "PAINTED"

# The bare window (and the memory script) print PAINTED once the first frame of their window
# has been painted; the parent measures from its own clock before spawning, so interpreter
# start-up counts too. `ictappraise --demo` prints its own start-up trace (ui/launch.py).
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
from ictappraise.ui.app import build_window
from ictappraise.ui.launch import application
app = application()
db = open_database(Path(sys.argv[1]))
ws = Workspace(db)
ws.actor = lead_actor(ws, "bench")
window = build_window(ws)
"""
    + _PAINT_WATCH
)


def _marks(
    command: list[str], env: dict[str, str], expect: tuple[str, ...], timeout: float = 120
) -> dict[str, float]:
    """Seconds from spawning the process to each line it prints (PAINTED, or the start-up
    trace of ui/launch.py), and to its exit. A process that hangs (a dialog nobody answers)
    is killed after `timeout` and reported, never waited on for ever."""
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: it never fills and blocks
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=errors, text=True, env={**os.environ, **env}
    )
    marks: dict[str, float] = {}

    def read_lines() -> None:  # in a thread, so the timeout below holds
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(PAINTED):
                marks["paint"] = time.perf_counter() - start
            elif line.startswith("ictappraise-startup "):
                stage = line.split()[1]
                marks[stage] = time.perf_counter() - start
                cpu = _cpu_seconds(process.pid)
                if cpu is not None:
                    marks[f"{stage}-cpu"] = cpu

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise RuntimeError(f"no exit after {timeout:.0f} s (a dialog waiting for an answer?)") from None
    reader.join(5)
    marks["exit"] = time.perf_counter() - start
    if process.returncode or not set(expect) <= marks.keys():
        errors.seek(0)
        raise RuntimeError(errors.read().strip()[-400:] or "the window never painted")
    return marks


def _cpu_seconds(pid: int) -> float | None:
    """CPU time a running process has used so far (Linux /proc), else None. On a shared machine
    other people's work stretches the wall-clock figures; the CPU a start needs barely moves."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _user_folders(ctx: Context) -> dict[str, str]:
    """Per-user folders for `ictappraise --demo`, its demo template already built (as after the
    first start), so every run copies the demo and opens it as a user's start does."""
    from ictappraise.ui.app import demo_template

    data = ctx.work / "start-data"
    demo_template(data).parent.mkdir(parents=True, exist_ok=True)
    copy_database(ctx.demo, demo_template(data))
    return {
        "QT_QPA_PLATFORM": "offscreen",
        "ICTAPPRAISE_DATA_DIR": str(data),
        "ICTAPPRAISE_CONFIG_DIR": str(ctx.work / "start-config"),
        "ICTAPPRAISE_STARTUP_TRACE": "1",
        "ICTAPPRAISE_QUIT_AFTER_PAINT": "1",
    }


def cold_start(ctx: Context) -> list[dict[str, object]]:
    """`ictappraise --demo` as a user starts it, against a bare QMainWindow: the first frame of
    the main window, the demo's data on screen, and quitting."""
    runs = ctx.runs(7, 3)
    env = _user_folders(ctx)
    bare_runs: list[dict[str, float]] = []
    app_runs: list[dict[str, float]] = []
    for index in range(runs + 1):  # interleaved; the first pair warms the disk cache
        bare = _marks([sys.executable, "-c", BARE_WINDOW], {}, ("paint",))
        app = _marks([sys.executable, "-m", "ictappraise", "--demo"], env, ("first-paint", "ready"))
        if index:
            bare_runs.append(bare)
            app_runs.append(app)
    reference = statistics.median(run["paint"] for run in bare_runs)
    return [
        summary_row("Khởi động: cửa sổ QMainWindow trống", [run["paint"] for run in bare_runs], None),
        summary_row(
            "Khởi động: cửa sổ chính hiện ra (khung, thực đơn)",
            [run["first-paint"] for run in app_runs],
            1.5 * reference,
            ref=reference,
            ref_label="cửa sổ trống",
        ),
        summary_row(
            "Khởi động: dữ liệu mẫu hiện đầy đủ",
            [run["ready"] for run in app_runs],
            None,
            ref=reference,
            ref_label="cửa sổ trống",
        ),
        *(
            [
                summary_row(
                    "Khởi động: CPU dùng đến khi dữ liệu mẫu hiện đầy đủ",
                    [run["ready-cpu"] for run in app_runs],
                    None,
                )
            ]
            if all("ready-cpu" in run for run in app_runs)
            else []
        ),
        summary_row(
            "Thoát chương trình (sau khi mở dữ liệu mẫu)",
            [run["exit"] - run["ready"] for run in app_runs],
            None,
        ),
    ]


def window_figures(ctx: Context) -> list[dict[str, object]]:
    """Edit → updated preview, and opening a checklist, in the real window."""
    from ictappraise.services.identity import lead_actor
    from ictappraise.services.workspace import Workspace
    from ictappraise.store.database import open_database
    from ictappraise.ui.app import build_window
    from ictappraise.ui.checklist_model import COL_INPUT
    from ictappraise.ui.launch import application

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

        def open_checklist(window=window, other=other, target: str = agency_id) -> None:
            window.agencies.select(other)
            window.show_agency(target)

        rows.append(summary_row(f"Mở danh mục chấm điểm ({label})", timed(open_checklist, runs), 0.100))
        window.show_agency(agency_id)
        leaf = next(
            leaf for leaf in window.checklist_model.detail.catalog.leaves() if leaf.rule.kind == "manual"
        )
        index = window.checklist_model.index_of_code(leaf.code, COL_INPUT)
        values = iter(["1", "2"] * (runs * 4))
        signing = _time_signing(ws)
        times = timed(lambda m=window.checklist_model, i=index, v=values: m.setData(i, next(v)), runs * 3)
        rows.append(summary_row(f"Sửa một điểm → cập nhật xem trước ({label})", times, 0.016))
        if signing:  # the demo acts with its lead's key; the big catalog's file has none
            rows.append(
                summary_row(
                    f"  trong đó: ký Ed25519 lần ghi ({label})",
                    signing[-len(times) :],  # the timed writes, not the warm-up
                    None,
                    ref=statistics.median(times),
                    ref_label="phần của sửa → xem trước",
                )
            )
        window.close()
        db.close()
    return rows


def _time_signing(ws: object) -> list[float]:
    """Seconds each write of the edit loop spends signing (the actor's Ed25519 signature),
    filled in as the loop runs; empty when the actor signs nothing."""
    signer = getattr(getattr(ws, "actor", None), "signer", None)
    spent: list[float] = []
    if signer is None:
        return spent
    sign_batch = signer.sign_batch

    def timed_sign(edits: list[object]) -> object:
        start = time.perf_counter()
        signed = sign_batch(edits)
        spent.append(time.perf_counter() - start)
        return signed

    signer.sign_batch = timed_sign  # this signer only, for this window's loop
    return spent


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
