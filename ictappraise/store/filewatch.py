"""Noticing that the open database file was deleted, replaced or overwritten by someone else.

A running program keeps its SQLite connections open, and in WAL mode recent commits live in
``<file>-wal`` and ``<file>-shm`` next to the file. When another program changes the file
under us, three things can happen (docs/resilience.md):

* **deleted** or **replaced** (a new file renamed onto the path, as sync tools and ``mv``
  do): our connections still read the old file, whose recent commits sit in the -wal at the
  path. Left there, that -wal would be paired with whatever file is at the path next (SQLite
  warns: mispairing a database and its WAL corrupts it; it does not checkpoint a moved file
  on close). After the data was salvaged, ``detach`` removes our -wal and -shm from the path
  (our connections keep them open), so the new file is never mixed with them.
* **overwritten in place** (same inode, e.g. ``cp other.db file.db``): the new bytes are
  already paired with our -wal, and closing would checkpoint our frames into them. ``detach``
  keeps a copy of the new bytes and ``after_close`` puts it back.

Detection compares device and inode, size and the 100-byte SQLite header with what was
remembered after our last commit (a checkpoint of ours changes size and header; modification
times are not used, Windows may update them late). Windows refuses to delete or rename an
open SQLite file, so there the in-place case is the one that can happen.

The header is read through one descriptor per file and process, opened with the first watch
and closed after the last watch's connections are gone (``FileHandle``). Opening and closing
the file any other way while SQLite holds it would drop every POSIX lock this process holds
on it (fcntl locks belong to the process and the file, not to a descriptor): another program
closing its own connection (``ictappraise results`` beside the window) would then take our
shared lock for its own "last connection", fold the WAL into the file and delete it under us.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

DELETED = "deleted"
REPLACED = "replaced"
OVERWRITTEN = "overwritten"
UNREADABLE = "unreadable"
WAL_FILES = ("-wal", "-shm")


@dataclass(frozen=True)
class FileStamp:
    """What identifies the file on disk: device and inode, size, first 100 bytes (SQLite header)."""

    device: int
    inode: int
    size: int
    #: SHA-256 of the first 100 bytes; None when they could not be read through our descriptor
    #: (another file at the path, or the watch already closed): then only identity and size count.
    header: str | None

    @classmethod
    def of(cls, path: Path, handle: FileHandle | None) -> FileStamp:
        """The file now at the path; its header read through ``handle`` when that is this file
        (another file at the path is told apart by its inode; its header is not needed)."""
        info = os.stat(path)
        header = handle.header(info) if handle is not None else None
        digest = hashlib.sha256(header).hexdigest() if header is not None else None
        return cls(info.st_dev, info.st_ino, info.st_size, digest)

    def same_bytes(self, other: FileStamp) -> bool:
        """Same size, and the same header where both were read."""
        if self.size != other.size:
            return False
        return self.header is None or other.header is None or self.header == other.header

    def same_file(self, other: FileStamp) -> bool:
        """Same device and inode; a file system without inode numbers (0) cannot tell."""
        if not (self.inode and other.inode):
            return True
        return (self.device, self.inode) == (other.device, other.inode)


class FileHandle:
    """One read-only descriptor on a database file, shared by every watch of this process."""

    _open: dict[tuple[int, int], FileHandle] = {}
    _guard = threading.Lock()  # a window and its worker threads watch the same file

    def __init__(self, descriptor: int, identity: tuple[int, int]) -> None:
        self.descriptor = descriptor
        self.identity = identity
        self.users = 0
        self.reading = threading.Lock()

    @classmethod
    def acquire(cls, path: Path) -> FileHandle | None:
        """The descriptor of the file at the path (None when it cannot be opened)."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        identity = (info.st_dev, info.st_ino)
        with cls._guard:
            handle = cls._open.get(identity)
            if handle is None:
                try:
                    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
                except OSError:
                    return None
                handle = cls._open[identity] = FileHandle(descriptor, identity)
            handle.users += 1
            return handle

    def release(self) -> None:
        """After a watch's connections are closed; the last one closes the descriptor."""
        with FileHandle._guard:
            self.users -= 1
            if self.users > 0:
                return
            FileHandle._open.pop(self.identity, None)
        os.close(self.descriptor)

    def header(self, now: os.stat_result) -> bytes | None:
        """The first 100 bytes, when the file at the path is still the one this handle holds."""
        if self.identity[1] and (now.st_dev, now.st_ino) != self.identity:
            return None
        return self.read(0, 100)

    def read(self, offset: int, size: int) -> bytes:
        with self.reading:  # lseek + read: os.pread does not exist on Windows
            os.lseek(self.descriptor, offset, os.SEEK_SET)
            return os.read(self.descriptor, size)

    def copy_to(self, target: Path) -> None:
        """The file's bytes as they are now, written to ``target``."""
        with open(target, "wb") as out:
            offset = 0
            while chunk := self.read(offset, 1 << 20):
                out.write(chunk)
                offset += len(chunk)


class FileWatch:
    """Remembers the file after each commit of ours; says what happened to it since."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = FileHandle.acquire(path)
        self.stamp: FileStamp | None = None
        self.companions: dict[str, tuple[int, int]] = {}
        self.foreign_commit = False
        self.state: str | None = None
        self.kept: Path | None = None
        self.remember()

    def remember(self) -> None:
        """After a commit of ours (it may have checkpointed the WAL into the file).

        Only size and header are taken over: a file that is gone, or another file at the path,
        is remembered as DELETED or REPLACED for the next check, never adopted.
        """
        try:
            now = FileStamp.of(self.path, self.handle)
        except FileNotFoundError:
            if self.stamp is not None:
                self.state = self.state or DELETED
            return
        except OSError:
            return
        if self.stamp is not None and not self.stamp.same_file(now):
            self.state = self.state or REPLACED
            return
        self.stamp = now
        for suffix in WAL_FILES:
            try:
                info = os.stat(self.path.with_name(self.path.name + suffix))
                self.companions[suffix] = (info.st_dev, info.st_ino)
            except OSError:
                self.companions.pop(suffix, None)
        self.foreign_commit = False

    def check(self) -> str | None:
        """DELETED, REPLACED, OVERWRITTEN, UNREADABLE or None (still our file); sticky once set."""
        if self.state in (DELETED, REPLACED, OVERWRITTEN):
            return self.state
        try:
            now = FileStamp.of(self.path, self.handle)
        except FileNotFoundError:
            self.state = DELETED
            return self.state
        except OSError:
            return UNREADABLE
        before = self.stamp
        if before is None or (self.foreign_commit and before.same_file(now)):
            self.remember()  # a commit outside Database.transaction(): trust it, keep watching
            return None
        if not before.same_file(now):
            self.state = REPLACED
        elif not before.same_bytes(now):
            self.state = OVERWRITTEN
        return self.state

    def detach(self) -> None:
        """Keep whatever is now at the path from being mixed with our WAL (see the module doc)."""
        if self.state in (DELETED, REPLACED):
            for suffix, identity in self.companions.items():
                companion = self.path.with_name(self.path.name + suffix)
                try:
                    info = os.stat(companion)
                except OSError:
                    continue
                if (info.st_dev, info.st_ino) == identity:
                    companion.unlink(missing_ok=True)
            self.companions.clear()
        elif self.state == OVERWRITTEN and self.kept is None:
            kept = self.path.with_name(f"{self.path.name}.overwritten-{os.getpid()}")
            try:
                if self.handle is None:
                    raise OSError("no descriptor on the file")
                self.handle.copy_to(kept)  # never open() the file itself: see the module doc
                self.kept = kept
            except OSError:
                kept.unlink(missing_ok=True)

    def after_close(self) -> None:
        """Once this watch's connections are closed: give up the descriptor, and put back the
        bytes another program wrote in place (our close checkpointed into them)."""
        if self.handle is not None:
            self.handle.release()
            self.handle = None
        if self.kept is None:
            return
        for suffix in WAL_FILES:
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        os.replace(self.kept, self.path)
        self.kept = None
