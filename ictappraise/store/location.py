"""Where a database file sits: on this computer's own disk, or on a network share.

SQLite's locking is unreliable over SMB/NFS, so ``open_database`` warns when the file is on
a share. Detection is best effort and never raises: when unsure, the file counts as local.

- Windows: a UNC path (``\\\\server\\share\\…``) or a drive letter whose GetDriveTypeW is
  DRIVE_REMOTE (a mapped network drive).
- Linux: the file system type of the longest mount point in /proc/mounts holding the file.
- macOS: the same, read from the output of ``mount``.
"""

from __future__ import annotations

import ntpath
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

#: GetDriveTypeW's answer for a network drive.
DRIVE_REMOTE = 4

#: File system types that live on another computer.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "afpfs",
        "9p",
        "ncpfs",
        "coda",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "webdav",
        "sshfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.glusterfs",
        "fuse.davfs2",
        "fuse.cephfs",
    }
)

PROC_MOUNTS = Path("/proc/mounts")
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")
_MAC_MOUNT_LINE = re.compile(r"^(?P<device>.+?) on (?P<point>.+) \((?P<fstype>[^,)]+)")


@dataclass(frozen=True)
class Mount:
    """One mounted file system: what is mounted, where, and its type."""

    device: str
    point: str
    fstype: str


def network_share(path: str | os.PathLike[str]) -> str | None:
    """The network share holding ``path`` in words ("\\\\nas\\chung", "//nas/chung (cifs)"),
    None when the file is local or the answer is unknown. Never raises."""
    try:
        text = os.fspath(path)
        if _on_windows():
            return windows_share(text, _drive_type)
        return mount_share(text, _mounts())
    except Exception:  # a warning helper must never stop a file from opening
        return None


def windows_share(path: str, drive_type: Callable[[str], int]) -> str | None:
    """The UNC share or the mapped network drive of a Windows path, else None."""
    path = _strip_extended_prefix(path)
    drive, _rest = ntpath.splitdrive(path)
    if drive.startswith(("\\\\", "//")):
        return drive.replace("/", "\\")
    if len(drive) == 2 and drive[1] == ":" and drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"ổ {drive.upper()}"
    return None


def _strip_extended_prefix(path: str) -> str:
    r"""``\\?\UNC\server\share`` → ``\\server\share``; ``\\?\C:\…`` → ``C:\…``."""
    for prefix in ("\\\\?\\UNC\\", "//?/UNC/"):
        if path.upper().startswith(prefix.upper()):
            return "\\\\" + path[len(prefix) :]
    if path.startswith(("\\\\?\\", "\\\\.\\", "//?/", "//./")):
        return path[4:]
    return path


def parse_proc_mounts(text: str) -> list[Mount]:
    """The mounts listed in /proc/mounts (octal escapes such as \\040 decoded), in order."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append(Mount(_unescape(fields[0]), _unescape(fields[1]), fields[2]))
    return mounts


def parse_mount_output(text: str) -> list[Mount]:
    """The mounts in the output of macOS ``mount``: "dev on /point (type, options)"."""
    mounts = []
    for line in text.splitlines():
        match = _MAC_MOUNT_LINE.match(line)
        if match:
            mounts.append(Mount(match["device"], match["point"], match["fstype"].strip()))
    return mounts


def mount_share(path: str, mounts: Iterable[Mount]) -> str | None:
    """The network mount holding ``path`` (an absolute, resolved path) in words, else None."""
    mount = mount_of(path, mounts)
    if mount is None or not is_network_fs(mount.fstype):
        return None
    return f"{mount.device} ({mount.fstype})"


def mount_of(path: str, mounts: Iterable[Mount]) -> Mount | None:
    """The mount holding ``path``: the longest matching mount point; the later one on a tie
    (a file system mounted over another hides it)."""
    best: Mount | None = None
    for mount in mounts:
        if _contains(mount.point, path) and (best is None or len(mount.point) >= len(best.point)):
            best = mount
    return best


def is_network_fs(fstype: str) -> bool:
    kind = fstype.lower()
    return kind in NETWORK_FS_TYPES or kind.startswith("nfs")


def _contains(point: str, path: str) -> bool:
    point = point.rstrip("/") or "/"
    return point == "/" or path == point or path.startswith(point + "/")


def _unescape(field: str) -> str:
    return _OCTAL_ESCAPE.sub(lambda match: chr(int(match.group(1), 8)), field)


def _on_windows() -> bool:
    return sys.platform == "win32"


def _drive_type(root: str) -> int:
    """GetDriveTypeW of a drive root such as "Z:\\" (Windows only)."""
    import ctypes

    # ctypes.windll exists on Windows only, and the stubs say so: this runs on Windows only.
    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


def _mounts() -> list[Mount]:
    """This computer's mounts: /proc/mounts on Linux, ``mount`` on macOS; empty when unknown."""
    if PROC_MOUNTS.exists():
        return parse_proc_mounts(PROC_MOUNTS.read_text(encoding="utf-8", errors="surrogateescape"))
    if sys.platform == "darwin":
        result = subprocess.run(
            ["/sbin/mount"], capture_output=True, text=True, timeout=3, check=False, errors="replace"
        )
        return parse_mount_output(result.stdout)
    return []
