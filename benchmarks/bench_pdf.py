"""PDF benchmarks: one set of minutes, the minutes of all 25 agencies, and the results report.

``bench_pdf()`` returns one dict per measurement: name, median_s, p95_s, target_s, runs.
Each run reads the data from the database file and writes real files. Run alone:
``python benchmarks/bench_pdf.py``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from measure import summary_row  # noqa: E402

from ictappraise.io.pdf_fonts import document_fonts  # noqa: E402
from ictappraise.services import minutes, results_report  # noqa: E402
from ictappraise.services.demo import build_demo  # noqa: E402
from ictappraise.services.workspace import Workspace  # noqa: E402
from ictappraise.store.database import open_database  # noqa: E402

ONE_TARGET_S = 0.5
ALL_TARGET_S = 8.0
REPORT_TARGET_S = 2.0


def _timed(runs: int, body: Callable[[int], None]) -> list[float]:
    times = []
    for run in range(runs):
        start = time.perf_counter()
        body(run)
        times.append(time.perf_counter() - start)
    return times


def bench_pdf(runs: int = 5) -> list[dict[str, object]]:
    """Measure the Tuy Phong minutes, all 25 minutes (read + lay out + write) and the report."""
    document_fonts()  # font discovery happens once per program run, not per document
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        template = work / "demo.db"
        db = open_database(template, create=True)
        build_demo(db)
        db.close()
        copy = work / "bench.db"
        shutil.copyfile(template, copy)
        ws = Workspace(open_database(copy))
        try:
            tuy_phong = ws.find_agency("HUTP").id

            def one(run: int) -> None:
                # The minutes as the dialog opens them: the workspace is already open in the app.
                minutes.write_minutes(ws, tuy_phong, work / f"one-{run}.pdf")

            def every(run: int) -> None:
                fresh = Workspace(ws.db)  # nothing cached: every agency is read from the file
                out_dir = work / f"all-{run}"
                out_dir.mkdir()
                jobs, skipped = minutes.prepare_batch(fresh, fresh.agencies(), out_dir)
                assert len(minutes.render_batch(jobs)) + len(skipped) == 25

            def report(run: int) -> None:
                results_report.write_report(Workspace(ws.db), work / f"report-{run}.pdf", date(2022, 12, 21))

            return [
                summary_row("pdf: minutes of Huyện ủy Tuy Phong", _timed(runs * 2, one), ONE_TARGET_S),
                summary_row("pdf: minutes of all 25 agencies", _timed(runs, every), ALL_TARGET_S),
                summary_row("pdf: results report", _timed(runs, report), REPORT_TARGET_S),
            ]
        finally:
            ws.db.close()


if __name__ == "__main__":
    for line in bench_pdf():
        print(
            f"{line['name']:<45} median {line['median_s']:.3f} s  p95 {line['p95_s']:.3f} s  "
            f"target {line['target_s']:.1f} s  ({line['runs']} runs)"
        )
