"""A reusable kill -9 harness: start a writer, kill it at a random moment, check the database.

Use it for any operation that writes (edits, Excel import, merge)::

    from kill_harness import kill_at_random, verify_database

    def check(db: Path, run: KillRun) -> None:
        ...  # e.g. every id in run.saved_lines("SAVED") is in the database

    report = kill_at_random([sys.executable, "my_writer.py", str(db)], db, check, kills=20)

The child must print "READY" (flushed) once it is about to write, and report each save on
its own line only after the call that saved it returned (see writer.py). For each of
``kills`` runs the harness starts the command, waits for READY (or, for about one run in
five, does not wait, so some kills land during start-up and opening), sleeps a random time
within ``window`` seconds and kills the process (SIGKILL; TerminateProcess on Windows).
After each kill it checks that the database opens (the instance lock was released by the
OS), passes ``PRAGMA integrity_check``, and then calls ``check``. Everything is bounded:
each run has a timeout and the random generator is seeded (ICTAPPRAISE_KILL_SEED) so a
failure can be replayed; ICTAPPRAISE_KILLS multiplies the number of kills for a soak run.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

WRITER = Path(__file__).with_name("writer.py")
REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass
class KillRun:
    """One start-and-kill: what the child reported before it died."""

    index: int
    lines: list[str]
    killed: bool
    waited_ready: bool
    delay: float
    history: list[list[str]] = field(default_factory=list)

    def saved(self, prefix: str = "SAVED", *, every_run: bool = False) -> list[str]:
        """The first word after ``prefix`` on each reported line (of this run, or of all runs)."""
        runs = [*self.history, self.lines] if every_run else [self.lines]
        return [line.split()[1] for lines in runs for line in lines if line.startswith(prefix + " ")]


@dataclass
class KillReport:
    """What a kill_at_random call did."""

    runs: list[KillRun]
    seed: int

    @property
    def kills(self) -> int:
        return sum(1 for run in self.runs if run.killed)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child: the tests' isolated folders, the repository importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra or {})
    return env


class Child:
    """A child process whose stdout lines are collected by a thread (complete lines only)."""

    def __init__(self, cmd: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            list(cmd),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env or child_env(),
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._errors = threading.Thread(target=self._drain_errors, daemon=True)
        self._errors.start()
        self.stderr = b""

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            if not raw.endswith(b"\n"):
                break  # a line cut by the kill was never fully reported
            line = raw.decode("utf-8").rstrip("\n")
            self.lines.append(line)
            if line == "READY":
                self.ready.set()
        self.ready.set()

    def _drain_errors(self) -> None:
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()

    def wait_ready(self, timeout: float) -> None:
        if not self.ready.wait(timeout) or self.process.poll() is not None and "READY" not in self.lines:
            self.kill()
            raise AssertionError(
                f"child never became ready: {self.stderr.decode('utf-8', 'replace')[-2000:]}"
            )

    def kill(self) -> bool:
        """Kill -9 (TerminateProcess on Windows); True if it was still running."""
        running = self.process.poll() is None
        if running:
            self.process.kill()
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        self._errors.join(timeout=30)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return running


def verify_database(db: Path) -> None:
    """The database opens with our checks (lock free) and passes SQLite's integrity check."""
    from ictappraise.store.database import open_database

    opened = open_database(db, backup=False)
    opened.close()
    with closing(sqlite3.connect(db)) as connection:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    assert rows == ["ok"], f"integrity_check of {db}: {rows}"


def kill_at_random(
    cmd: Sequence[str] | Callable[[int], Sequence[str]],
    db: Path | None,
    check: Callable[[Path | None, KillRun], None],
    *,
    kills: int = 20,
    window: tuple[float, float] = (0.0, 0.6),
    early_share: float = 0.2,
    timeout: float = 60.0,
    prepare: Callable[[int], None] | None = None,
    env: dict[str, str] | None = None,
) -> KillReport:
    """Start ``cmd`` and kill it at a random moment, ``kills`` times; check the database after each.

    ``cmd`` may be a function of the run index (e.g. to give each run its own tag). ``db``
    None skips the generic check (the child writes several files; ``check`` looks at them).
    ``prepare(index)`` runs before each start.
    """
    seed = int(os.environ.get("ICTAPPRAISE_KILL_SEED", "20221209"))
    rng = random.Random(seed)
    total = kills * max(1, int(os.environ.get("ICTAPPRAISE_KILLS", "1")))
    history: list[list[str]] = []
    runs: list[KillRun] = []
    for index in range(total):
        if prepare is not None:
            prepare(index)
        early = rng.random() < early_share
        delay = rng.uniform(*window)
        args = cmd(index) if callable(cmd) else cmd
        child = Child(args, env)
        started = time.monotonic()
        try:
            if early:
                time.sleep(delay)
            else:
                child.wait_ready(timeout)
                time.sleep(delay)
        finally:
            killed = child.kill()
        if not killed and child.process.returncode != 0:
            raise AssertionError(
                f"run {index} (seed {seed}) failed by itself: {child.stderr.decode('utf-8', 'replace')[-3000:]}"
            )
        assert time.monotonic() - started < timeout + 30, "a run took longer than its bound"
        run = KillRun(index, child.lines, killed, not early, delay, list(history))
        try:
            if db is not None:
                verify_database(db)
            check(db, run)
        except AssertionError as error:
            raise AssertionError(f"after kill {index} (seed {seed}, delay {delay:.3f} s): {error}") from error
        history.append(child.lines)
        runs.append(run)
    return KillReport(runs, seed)


def writer_command(*args: str) -> list[str]:
    """The command line of writer.py with the current interpreter."""
    return [sys.executable, str(WRITER), *args]
