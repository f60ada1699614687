"""The round as a worker thread sees it: plain data in, its own Workspace opened from the file.

A window's Workspace (its caches, its SQLAlchemy sessions) belongs to the GUI thread. Work done
off that thread (ui/operations.py) gets a ``WorkspaceRef`` (the file, who acts) and opens its
own Workspace on its own connection; reading the round again costs tens of milliseconds. After
a worker wrote, the window calls ``adopt_worker_writes`` to read the file again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ictappraise.services.workspace import Actor, Workspace
from ictappraise.store.database import open_for_worker


@dataclass(frozen=True)
class WorkspaceRef:
    """What a worker needs to open the round itself; no session, cache or widget."""

    path: Path
    actor: Actor | None
    writable: bool
    #: The window's clock and id maker (tests and the demo fix them), so a worker's edits match.
    clock: Callable[[], str] = field(compare=False, repr=False)
    new_id: Callable[[], str] = field(compare=False, repr=False)


def ref_of(ws: Workspace) -> WorkspaceRef:
    """The plain description of a window's Workspace, to hand to a worker thread."""
    return WorkspaceRef(ws.db.path, ws.actor, not ws.db.read_only, ws.clock, ws.new_id)


@contextmanager
def opened(ref: WorkspaceRef) -> Iterator[Workspace]:
    """A Workspace of the worker's own, on its own connection to the file; closed after use."""
    db = open_for_worker(ref.path, writable=ref.writable)
    try:
        yield Workspace(db, ref.actor, clock=ref.clock, new_id=ref.new_id)
    finally:
        db.close()


def adopt_worker_writes(ws: Workspace, scopes: Iterable[str] | None = None) -> None:
    """After a worker of this program wrote to the file: trust its commit, read the file again."""
    ws.db.note_commit_elsewhere()
    ws.refresh(scopes)
