"""The pieces every benchmark shares: a Figure (one line of the table), the Context, timing."""

from __future__ import annotations

import gc
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Figure:
    """One line of the table: samples in seconds (or MB), a target, a reference."""

    name: str
    unit: str = "s"
    times: list[float] = field(default_factory=list)
    target: float | None = None
    ref: float | None = None
    ref_label: str = ""
    group: str = "core"
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def p95(self) -> float | None:
        if not self.times:
            return None
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def spread(self) -> float | None:
        return max(self.times) - min(self.times) if self.times else None

    @property
    def ratio(self) -> float | None:
        return self.median / self.ref if self.median is not None and self.ref else None

    @property
    def passed(self) -> bool | None:
        """Median and p95 within the target; None when there is no target."""
        if self.error:
            return False
        if self.target is None or self.median is None or self.p95 is None:
            return None
        return self.median <= self.target and self.p95 <= self.target


@dataclass
class Context:
    """What every figure may use: the demo database, a work folder, how many runs."""

    work: Path
    demo: Path
    quick: bool

    def runs(self, full: int, quick: int) -> int:
        return quick if self.quick else full


def summary_row(
    name: str,
    times: list[float],
    target: float | None,
    *,
    runs: int | None = None,
    ref: float | None = None,
    ref_label: str = "",
) -> dict[str, object]:
    """One owner-module row for run.py: median, p95 and the samples, in seconds."""
    ordered = sorted(times)
    return {
        "name": name,
        "median_s": statistics.median(ordered),
        "p95_s": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "target_s": target,
        "runs": runs if runs is not None else len(times),
        "times_s": list(times),
        "ref_s": ref,
        "ref_label": ref_label,
    }


def timed(
    action: Callable[[], object], runs: int, *, setup: Callable[[], object] | None = None, warmup: int = 1
) -> list[float]:
    """Seconds per run of ``action`` (``setup`` runs before each, untimed); garbage collection off while timing."""
    samples = []
    for index in range(warmup + runs):
        if setup is not None:
            setup()
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            action()
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        if index >= warmup:
            samples.append(elapsed)
    return samples


def per_call(action: Callable[[], object], runs: int, calls: int) -> list[float]:
    """Seconds per call, each sample the mean over ``calls`` calls (for microsecond work)."""

    def batch() -> None:
        for _ in range(calls):
            action()

    return [sample / calls for sample in timed(batch, runs)]


PEAK_RSS_SNIPPET = """
import os, sys
def peak_rss_mb():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import psutil
        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) / 1048576
    except ImportError:
        pass
    import resource
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1048576
"""


def peak_rss(code: str, env: dict[str, str] | None = None, timeout: float = 300) -> float:
    """Peak resident memory (MB) of a fresh interpreter running ``code``, measured by itself."""
    script = PEAK_RSS_SNIPPET + code + "\nprint('PEAK_RSS_MB', peak_rss_mb())\n"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    found = re.search(r"PEAK_RSS_MB ([0-9.]+)", result.stdout)
    if result.returncode != 0 or not found:
        raise RuntimeError(result.stderr.strip()[-400:] or "no measurement")
    return float(found.group(1))
