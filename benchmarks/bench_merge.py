"""Benchmark: merging four laptops' packages for the whole round, and merging them again.

Four laptops start from copies of the seeded 2022 round (25 agencies, every catalog). Each
scores every criterion and sub-item of every agency, then revises every score once more, so
every criterion is edited at least twice on every laptop (eight times in all, concurrently).
Each laptop exports a full package. Measured on a fresh copy of the round (workspace
already loaded, as in the GUI), each run:

* ``merge 4 packages``: plan + apply + summary (target 2 s);
* ``re-merge same 4``: the same packages again — must change nothing (target 1 s).

Run ``python benchmarks/bench_merge.py`` for a table (and benchmarks/results/bench_merge.json).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from ictappraise.domain.fields import crit_field
from ictappraise.domain.numbers import format_points
from ictappraise.io import keys
from ictappraise.services import merge, trust
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.store.database import open_database

RUNS = 5
MERGE_TARGET_S = 2.0
REMERGE_TARGET_S = 1.0
LAPTOPS = ("Nguyễn Thị Thắng", "Chuyên viên A", "Chuyên viên B", "Chuyên viên C")


@contextmanager
def isolated_folders() -> Iterator[Path]:
    """A temporary folder; per-user config and backups go there, never to the real ones."""
    keys = ("ICTAPPRAISE_CONFIG_DIR", "ICTAPPRAISE_DATA_DIR")
    saved = {key: os.environ.get(key) for key in keys}
    folder = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    os.environ.update({keys[0]: str(folder / "config"), keys[1]: str(folder / "data")})
    try:
        yield folder
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(folder, ignore_errors=True)


def open_as(path: Path, name: str | None = None, device: str = "bench") -> Workspace:
    ws = Workspace(open_database(path, backup=False))
    if name is not None:
        member = ws.find_member(name)
        assert member is not None, name
        ws.actor = Actor(member.id, device, member.name, member.role, trust.signer_for(ws, member.id))
    return ws


def build_packages(folder: Path) -> tuple[Path, list[Path], int]:
    """The seeded round and the four laptops' packages; also the number of edits written."""
    base = folder / "round.db"
    db = open_database(base, create=True, backup=False)
    ws = Workspace(db)
    seed_round(ws)
    # Signed edits (docs/rules.md §9): the lead founds the round and admits the members' keys, so
    # every edit in the packages carries a signature the merge verifies.
    members = [ws.find_member(name) for name in LAPTOPS]
    lead = members[0]
    assert lead is not None and all(members)
    signer = keys.create_key(lead.name, lead.id)
    others = [(m.id, keys.create_key(m.name, m.id).public_key) for m in members[1:] if m]
    trust.found_round(ws, Actor(lead.id, "bench", lead.name, lead.role, signer), others)
    db.close()
    packages, written = [], 0
    for index, name in enumerate(LAPTOPS):
        path = folder / f"laptop{index}.db"
        shutil.copyfile(base, path)
        ws = open_as(path, name, f"laptop-{index}")
        for agency in ws.agencies():
            leaves = list(ws.catalog(agency.category).leaves())
            for revision in range(2):
                changes = [
                    Change(
                        crit_field(agency.id, leaf.code, "appraised"),
                        {"override": _points(leaf.maximum, index, revision)},
                    )
                    for leaf in leaves
                ]
                written += len(ws.write(changes))
        packages.append(merge.export_package(ws, folder / f"laptop{index}.ictx").path)
        ws.db.close()
    return base, packages, written


def _points(maximum: Decimal, laptop: int, revision: int) -> str:
    """Different laptops mostly disagree; a revision changes the value."""
    share = Decimal((laptop + 2 * revision) % 5) / 4
    return format_points(min(maximum, (maximum * share).quantize(Decimal("0.25"))), comma=False)


def edit_rows(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM edits").fetchone()[0])


def measure(
    runs: int, prepare: Callable[[int], Workspace], action: Callable[[Workspace], None]
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of an action, each run on a freshly prepared workspace."""
    times, cpu = [], []
    for run in range(runs):
        ws = prepare(run)
        try:
            started, started_cpu = time.perf_counter(), time.process_time()
            action(ws)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        finally:
            ws.db.close()
    return times, cpu


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def row(name: str, measured: tuple[list[float], list[float]], target: float) -> dict[str, Any]:
    times, cpu = measured
    return {
        "name": name,
        "median_s": statistics.median(times),
        "p95_s": p95(times),
        "target_s": target,
        "runs": len(times),
        "times_s": times,
        "cpu_median_s": statistics.median(cpu),  # the figure to trust on a busy machine
    }


def bench_merge(runs: int = RUNS) -> list[dict[str, Any]]:
    """Merge 4 packages covering all 25 agencies (target 2 s); re-merge them (target 1 s)."""
    with isolated_folders() as folder:
        base, packages, written = build_packages(folder)
        merged = folder / "merged.db"

        def fresh(run: int) -> Workspace:
            target = folder / f"lead{run}.db"
            shutil.copyfile(base, target)
            ws = open_as(target)
            ws.agencies()  # the window has the round loaded already
            return ws

        def merge_all(ws: Workspace) -> None:
            summary = merge.merge_packages(ws, packages)
            assert summary.new_edits == written, (summary.new_edits, written)
            assert summary.new_conflicts, "laptops disagree: the merge must show conflicts"

        first = measure(runs, fresh, merge_all)
        shutil.copyfile(folder / "lead0.db", merged)
        count = edit_rows(merged)

        def loaded(_run: int) -> Workspace:
            ws = open_as(merged)
            ws.agencies()
            return ws

        def merge_again(ws: Workspace) -> None:
            summary = merge.merge_packages(ws, packages)
            assert summary.new_edits == 0 and summary.new_conflicts == ()

        again = measure(runs, loaded, merge_again)
        assert edit_rows(merged) == count, "re-merging changed the edit log"
    return [
        row(f"merge 4 packages ({written} new edits, 25 agencies)", first, MERGE_TARGET_S),
        row("re-merge the same 4 packages (no change)", again, REMERGE_TARGET_S),
    ]


def main() -> int:
    results = bench_merge()
    print(f"{'benchmark':<56} {'median':>8} {'p95':>8} {'CPU':>8} {'target':>8}")
    for item in results:
        flag = "" if item["p95_s"] <= item["target_s"] else "  over target"
        figures = (item["median_s"], item["p95_s"], item["cpu_median_s"])
        print(
            f"{item['name']:<56} "
            + " ".join(f"{x:>7.3f}s" for x in figures)
            + f" {item['target_s']:>7.1f}s{flag}"
        )
    out = Path(__file__).with_name("results") / "bench_merge.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(i["p95_s"] <= i["target_s"] for i in results) else 1


if __name__ == "__main__":
    sys.exit(main())
