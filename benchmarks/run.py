"""The benchmark suite: one command, a table on stdout, a JSON file.

    python benchmarks/run.py [--quick] [--json OUT] [--only TEXT]

``--only`` keeps the core figures whose name contains TEXT and the owner modules whose name
contains it (``--only gui`` runs bench_gui.py alone, ``--only rate`` only rate()).

Each figure runs several times (fewer with --quick); the table shows the median, the 95th
percentile and the spread (max − min), the target, the ratio against a reference measured
in the same run (for the 500-agency figures: the same operation on the 25-agency demo, so
the ratio is how the cost grows for 20× the data) and pass/fail. JSON goes to
benchmarks/results/latest.json unless --json says otherwise (that folder is git-ignored).

Other owners' figures are picked up when their module exists next to this file:
bench_excel.py → bench_excel(), bench_pdf.py → bench_pdf(), bench_merge.py → bench_merge(),
bench_gui.py → bench_gui(). Each is called as ``f(ctx)`` when its first parameter is named
``ctx`` or ``context`` (a measure.Context: the demo file, a work folder, quick or not), as
``f(runs=N)`` when it has a ``runs`` parameter (5, or 2 with --quick), else as ``f()``; it
returns a list of dicts::

    {"name": str, "median_s": float, "p95_s": float, "target_s": float | None,
     "runs": int, "ref_s": float | None (optional), "times_s": [float] (optional)}

or, for memory, ``{"name", "peak_mb", "target_mb", "ref_mb" (optional), "runs"}``. A module
that fails is reported in the table as an error row; the other figures still run.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import core_figures  # noqa: E402 - needs the path above
from measure import Context, Figure  # noqa: E402

OWNER_MODULES = (
    ("bench_excel", "bench_excel"),
    ("bench_pdf", "bench_pdf"),
    ("bench_merge", "bench_merge"),
    ("bench_gui", "bench_gui"),
    ("bench_chain", "bench_chain"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ictappraise benchmarks")
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs (a smoke check, not figures to quote)"
    )
    parser.add_argument(
        "--json", type=Path, default=HERE / "results" / "latest.json", help="where to write JSON"
    )
    parser.add_argument(
        "--only",
        default="",
        help="only the core figures whose name contains this text, or one owner module (excel, pdf, merge, gui)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="ictappraise-bench-") as folder:
        work = Path(folder)
        core_figures.isolate(work)
        context = Context(work, core_figures.prepare_demo(work), args.quick)
        for name, run in core_figures.FIGURES:
            if args.only.lower() in name.lower() or not args.only:
                figures.extend(_guarded(name, lambda run=run: run(context)))
        for module_name, function in OWNER_MODULES:
            figures.extend(_owner(module_name, function, context, args.only))
    print(render(figures))
    load = f"; load average {_load()} (other work on the machine inflates the figures)" if _load() else ""
    print(f"\n{len(figures)} figures in {time.perf_counter() - started:.0f} s{load}; JSON: {args.json}")
    write_json(args.json, figures, args.quick)
    return 0 if all(f.passed is not False for f in figures) else 1


def _guarded(name: str, produce: Callable[[], list[Figure]]) -> list[Figure]:
    try:
        return produce()
    except Exception as error:  # a broken figure must not stop the others
        return [Figure(name, error=_short(error))]


def _owner(module_name: str, function: str, context: Context, only: str) -> list[Figure]:
    if not (HERE / f"{module_name}.py").exists() or only.lower() not in module_name:
        return []
    try:
        produce = getattr(importlib.import_module(module_name), function)
        rows = _call(produce, context)
        figures = [from_dict(row, group=module_name) for row in rows]
    except Exception as error:
        return [Figure(f"{module_name}.{function}()", group=module_name, error=_short(error))]
    return figures


def _call(produce: Callable[..., list[dict[str, Any]]], context: Context) -> list[dict[str, Any]]:
    """f(context), f(runs=…) or f(), by the function's first parameter."""
    parameters = list(inspect.signature(produce).parameters)
    if parameters and parameters[0] in ("ctx", "context"):
        return produce(context)
    if "runs" in parameters:
        return produce(runs=context.runs(5, 2))
    return produce()


def from_dict(row: dict[str, Any], group: str) -> Figure:
    """A figure from an owner module's dict (seconds or MB)."""
    if "peak_mb" in row:
        return Figure(
            row["name"],
            unit="MB",
            times=list(row.get("values_mb") or [row["peak_mb"]]),
            target=row.get("target_mb"),
            ref=row.get("ref_mb"),
            ref_label=row.get("ref_label", ""),
            group=group,
        )
    times = list(row.get("times_s") or [])
    if not times:  # only the summary numbers: keep median and p95 as two samples
        times = [row["median_s"]] * max(1, int(row.get("runs", 1)) - 1) + [row["p95_s"]]
    return Figure(
        row["name"],
        times=times,
        target=row.get("target_s"),
        ref=row.get("ref_s"),
        ref_label=row.get("ref_label", ""),
        group=group,
        error=row.get("error", ""),
    )


def _short(error: BaseException) -> str:
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    place = f" ({Path(where.filename).name}:{where.lineno})" if where else ""
    return f"{type(error).__name__}: {error}"[:160] + place


# -- output ---------------------------------------------------------------------------------------
def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value < 1e-3:
        return f"{value * 1e6:.1f} µs"
    if value < 1:
        return f"{value * 1e3:.2f} ms"
    return f"{value:.2f} s"


def render(figures: list[Figure]) -> str:
    """The table."""
    header = ("figure", "runs", "median", "p95", "spread", "target", "ratio", "result")
    rows = [header]
    for f in figures:
        if f.error:
            rows.append((f.name, "", "", "", "", "", "", f"ERROR {f.error}"))
            continue
        ratio = f"{f.ratio:.2f}×" + (f" {f.ref_label}" if f.ref_label else "") if f.ratio is not None else "—"
        verdict = {True: "pass", False: "FAIL", None: "—"}[f.passed]
        rows.append(
            (
                f.name,
                str(len(f.times)),
                _amount(f.median, f.unit),
                _amount(f.p95, f.unit),
                _amount(f.spread, f.unit),
                _amount(f.target, f.unit) if f.target is not None else "—",
                ratio,
                verdict,
            )
        )
    plain = [r for r in rows if not r[-1].startswith("ERROR")]
    widths = [max(len(r[i]) for r in plain) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        if row[-1].startswith("ERROR"):
            lines.append(f"{row[0]:<{widths[0]}}  {row[-1]}")
            continue
        cells = (
            [row[0].ljust(widths[0])]
            + [c.rjust(w) for c, w in zip(row[1:-1], widths[1:-1], strict=True)]
            + [row[-1]]
        )
        lines.append("  ".join(cells))
        if index == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def write_json(path: Path, figures: list[Figure], quick: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "quick": quick,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": _cpus(),
            "load_average": _load(),
        },
        "figures": [
            {
                **asdict(f),
                "median": f.median,
                "p95": f.p95,
                "spread": f.spread,
                "ratio": f.ratio,
                "passed": f.passed,
            }
            for f in figures
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _cpus() -> int | None:
    return os.cpu_count()


def _load() -> str:
    """The 1/5/15-minute load averages where the system has them (not on Windows)."""
    if not hasattr(os, "getloadavg"):
        return ""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
