"""The figures of the core (no Qt): rating, edit → preview, checklist, results, demo, memory, scale."""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from measure import Context, Figure, peak_rss, per_call, timed
from scenarios import (
    acting_workspace,
    build_big_catalog_file,
    build_demo_file,
    build_scaled_file,
    copy_database,
)

from ictappraise.domain.rating import rate
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services.workspace import Workspace
from ictappraise.store.backup import backup_database
from ictappraise.store.database import open_database

PREVIEW_TARGET = 0.016  # edit → updated preview, median and p95 (one frame at 60 Hz)
CHECKLIST_TARGET = 0.100  # opening an agency's checklist
SCALE = 20
LARGEST = "VPTU"  # Phụ lục 2, 34 criteria (the largest sample catalog, with Phụ lục 6), not signed


def isolate(work: Path) -> None:
    """Never touch the real per-user folders (backups, config) while measuring."""
    os.environ["ICTAPPRAISE_CONFIG_DIR"] = str(work / "config")
    os.environ["ICTAPPRAISE_DATA_DIR"] = str(work / "data")
    os.environ["ICTAPPRAISE_DEVICE_ID"] = "bench-device"


def prepare_demo(work: Path) -> Path:
    return build_demo_file(work / "demo.db")


# -- figures --------------------------------------------------------------------------------------
def fig_rate(ctx: Context) -> list[Figure]:
    """rate() itself, per call."""
    times = per_call(
        lambda: rate(2, Decimal("760"), failed_criteria=["III.2"], days_late=6), ctx.runs(15, 5), 2000
    )
    return [Figure("rate() — một lần xếp loại", times=times)]


def _preview_loop(ws: Workspace, agency_id: str) -> Callable[[], object]:
    """One appraisal change on a yes/no criterion (alternating), then the agency's detail."""
    catalog = ws.catalog(ws.agency(agency_id).category)
    code = next(leaf.code for leaf in catalog.leaves() if leaf.rule.kind == "yes_no")
    flag = [False]

    def edit_and_preview() -> object:
        flag[0] = not flag[0]
        svc.set_appraisal(ws, agency_id, code, Appraisal(input=flag[0]))
        return ws.detail(agency_id)

    return edit_and_preview


def _checklist(ws: Workspace, agency_id: str) -> Callable[[], object]:
    """Open an agency's checklist with nothing of it cached: read its edits, derive, score."""

    def open_checklist() -> object:
        ws.refresh([agency_id])
        return ws.detail(agency_id)

    return open_checklist


def fig_preview_and_checklist(ctx: Context) -> list[Figure]:
    demo = copy_database(ctx.demo, ctx.work / "preview.db")
    big, big_agency = build_big_catalog_file(ctx.work / "big-catalog.db", 150)
    figures = []
    with acting_workspace(demo) as ws:
        agency = ws.find_agency(LARGEST).id
        criteria = sum(1 for _ in ws.catalog(2).criteria())
        figures.append(
            Figure(
                f"sửa điểm → xem trước (Phụ lục 2, {criteria} tiêu chí)",
                times=timed(_preview_loop(ws, agency), ctx.runs(60, 15)),
                target=PREVIEW_TARGET,
            )
        )
        figures.append(
            Figure(
                f"mở bảng chấm một đơn vị (Phụ lục 2, {criteria} tiêu chí)",
                times=timed(_checklist(ws, agency), ctx.runs(30, 8)),
                target=CHECKLIST_TARGET,
            )
        )
    with acting_workspace(big) as ws:
        figures.append(
            Figure(
                "sửa điểm → xem trước (bộ tiêu chí 150 tiêu chí)",
                times=timed(_preview_loop(ws, big_agency), ctx.runs(40, 10)),
                target=PREVIEW_TARGET,
            )
        )
        figures.append(
            Figure(
                "mở bảng chấm một đơn vị (bộ tiêu chí 150 tiêu chí)",
                times=timed(_checklist(ws, big_agency), ctx.runs(30, 8)),
                target=CHECKLIST_TARGET,
            )
        )
    return figures


def _results_figures(path: Path, runs: int, label: str) -> list[Figure]:
    db = open_database(path, backup=False)
    try:
        cold = timed(lambda: Workspace(db).results(), runs)
        ws = Workspace(db)
        ws.results()
        warm = timed(ws.results, runs)
    finally:
        db.close()
    return [
        Figure(f"results() lần đầu: đọc, tính, xếp hạng ({label})", times=cold),
        Figure(f"results() khi đã nạp ({label})", times=warm),
    ]


def _open_figures(path: Path, runs: int, label: str) -> list[Figure]:
    opening = timed(lambda: open_database(path, backup=False).close(), runs)
    db = open_database(path, backup=False)
    try:
        backup = timed(lambda: backup_database(db, "manual", keep=3), runs)
    finally:
        db.close()
    return [
        Figure(f"open_database: kiểm tra + mở ({label})", times=opening),
        Figure(f"sao lưu tự động một lần ({label})", times=backup),
    ]


def fig_results(ctx: Context) -> list[Figure]:
    return _results_figures(ctx.demo, ctx.runs(10, 3), "25 đơn vị")


def fig_open(ctx: Context) -> list[Figure]:
    return _open_figures(ctx.demo, ctx.runs(10, 3), "dữ liệu mẫu")


def fig_demo_build(ctx: Context) -> list[Figure]:
    counter = iter(range(1000))

    def build() -> None:
        build_demo_file(ctx.work / f"demo-build-{next(counter)}.db")

    return [Figure("tạo dữ liệu mẫu (đợt 2022, 25 đơn vị)", times=timed(build, ctx.runs(3, 1), warmup=0))]


MEMORY_CODE = """
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
db = open_database(sys.argv[1] if len(sys.argv) > 1 else {path!r}, backup=False)
ws = Workspace(db)
ws.results()
for agency in ws.agencies():
    ws.detail(agency.id)
"""


def _memory(path: Path, label: str, runs: int) -> Figure:
    bare = peak_rss("pass")
    values = [peak_rss(MEMORY_CODE.format(path=str(path))) for _ in range(runs)]
    return Figure(
        f"bộ nhớ đỉnh (RSS), tiến trình mở {label}, không giao diện",
        unit="MB",
        times=values,
        ref=bare,
        ref_label="so với Python trống",
    )


def fig_memory(ctx: Context) -> list[Figure]:
    return [_memory(ctx.demo, "dữ liệu mẫu", ctx.runs(3, 1))]


def gui_memory_hook(ctx: Context) -> list[Figure]:
    """HOOK: the GUI's peak RSS (target < 300 MB) is measured by bench_gui.py (bench_gui())."""
    return []


def fig_scale(ctx: Context) -> list[Figure]:
    """The same operations on a round 20× larger; the ratio column is the growth against 25 agencies."""
    big = build_scaled_file(ctx.demo, ctx.work / "scale-500.db", SCALE)
    label = f"{25 * SCALE} đơn vị"
    runs = ctx.runs(5, 2)
    base = {
        f.name.split(" (")[0]: f
        for f in _results_figures(ctx.demo, runs, "25") + _open_figures(ctx.demo, runs, "25")
    }
    scaled = _results_figures(big, ctx.runs(3, 1), label) + _open_figures(big, ctx.runs(3, 1), label)
    demo_copy = copy_database(ctx.demo, ctx.work / "scale-base.db")
    with acting_workspace(demo_copy) as ws:
        agency = ws.find_agency(LARGEST).id
        base["preview"] = Figure("", times=timed(_preview_loop(ws, agency), ctx.runs(30, 8)))
        base["checklist"] = Figure("", times=timed(_checklist(ws, agency), ctx.runs(20, 5)))
    with acting_workspace(big) as ws:
        agency = ws.find_agency(LARGEST).id
        preview = Figure(
            f"sửa điểm → xem trước ({label})", times=timed(_preview_loop(ws, agency), ctx.runs(30, 8))
        )
        checklist = Figure(
            f"mở bảng chấm một đơn vị ({label})", times=timed(_checklist(ws, agency), ctx.runs(20, 5))
        )
    preview.target, checklist.target = PREVIEW_TARGET, CHECKLIST_TARGET
    _against(preview, base["preview"])
    _against(checklist, base["checklist"])
    for figure in scaled:
        _against(figure, base[figure.name.split(" (")[0]])
    memory = _memory(big, label, 1)
    memory.ref, memory.ref_label = _memory(ctx.demo, "25", 1).median, "so với 25 đơn vị"
    return [*scaled, preview, checklist, memory]


def _against(figure: Figure, base: Figure) -> None:
    figure.ref, figure.ref_label = base.median, "so với 25 đơn vị"


FIGURES: list[tuple[str, Callable[[Context], list[Figure]]]] = [
    ("rate()", fig_rate),
    ("sửa điểm → xem trước / mở bảng chấm", fig_preview_and_checklist),
    ("results()", fig_results),
    ("open_database / sao lưu", fig_open),
    ("tạo dữ liệu mẫu", fig_demo_build),
    ("bộ nhớ", fig_memory),
    ("bộ nhớ giao diện (bench_gui.py)", gui_memory_hook),
    ("quy mô ×20", fig_scale),
]
