"""A database file on a network share is noticed (Windows UNC/mapped drive, Linux/macOS mounts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from ictappraise.cli import main
from ictappraise.store import database as database_module
from ictappraise.store import location
from ictappraise.store.database import open_database
from ictappraise.store.location import (
    DRIVE_REMOTE,
    mount_share,
    network_share,
    parse_mount_output,
    parse_proc_mounts,
    windows_share,
)

DRIVE_FIXED = 3

PROC_MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
//nas/chung /mnt/nas cifs rw,vers=3.0,username=to 0 0
/dev/sdb1 /mnt/nas/usb ext4 rw,relatime 0 0
nas:/export/tham\\040dinh /media/Tổ\\040thẩm\\040định nfs4 rw,relatime 0 0
/dev/sdc1 /srv/data ext4 rw 0 0
server:/data /srv/data nfs rw 0 0
user@host:/home/u /home/u/remote fuse.sshfs rw,nosuid 0 0
"""


def fake_drive_type(remote: set[str]) -> object:
    def drive_type(root: str) -> int:
        assert root.endswith("\\")  # GetDriveTypeW wants the root, "Z:\"
        return DRIVE_REMOTE if root[:2].upper() in remote else DRIVE_FIXED

    return drive_type


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (r"\\nas\chung\2022\dot.db", r"\\nas\chung"),
        ("//nas/chung/dot.db", r"\\nas\chung"),
        (r"\\?\UNC\nas\chung\dot.db", r"\\nas\chung"),
        (r"Z:\2022\dot.db", "ổ Z:"),
        (r"z:\dot.db", "ổ Z:"),
        (r"C:\Users\to\Documents\dot.db", None),
        (r"\\?\C:\Users\to\dot.db", None),
    ],
)
def test_windows_unc_paths_and_mapped_network_drives(path: str, expected: str | None) -> None:
    assert windows_share(path, fake_drive_type({"Z:"})) == expected  # type: ignore[arg-type]


def test_network_share_takes_the_windows_way_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(location, "_on_windows", lambda: True)
    monkeypatch.setattr(location, "_drive_type", fake_drive_type({"Z:"}))
    assert network_share(r"Z:\dot.db") == "ổ Z:"
    assert network_share(r"\\nas\chung\dot.db") == r"\\nas\chung"
    assert network_share(r"C:\dot.db") is None


def test_a_failing_detector_answers_local(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_root: str) -> int:
        raise OSError("no kernel32 here")

    monkeypatch.setattr(location, "_on_windows", lambda: True)
    monkeypatch.setattr(location, "_drive_type", broken)
    assert network_share(r"Z:\dot.db") is None


def test_proc_mounts_escapes_are_decoded() -> None:
    mounts = parse_proc_mounts(PROC_MOUNTS)
    assert mounts[4].point == "/media/Tổ thẩm định"
    assert mounts[4].device == "nas:/export/tham dinh"
    assert [m.fstype for m in mounts][:3] == ["ext4", "tmpfs", "cifs"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/nas/2022/dot.db", "//nas/chung (cifs)"),
        ("/mnt/nas/usb/dot.db", None),  # a local disk mounted inside the share
        ("/mnt/nasx/dot.db", None),  # a prefix of the name is not the mount point
        ("/media/Tổ thẩm định/dot.db", "nas:/export/tham dinh (nfs4)"),
        ("/srv/data/dot.db", "server:/data (nfs)"),  # mounted over the local disk: the later wins
        ("/home/u/remote/dot.db", "user@host:/home/u (fuse.sshfs)"),
        ("/home/u/dot.db", None),
        ("/tmp/dot.db", None),
    ],
)
def test_the_longest_mount_point_decides(path: str, expected: str | None) -> None:
    assert mount_share(path, parse_proc_mounts(PROC_MOUNTS)) == expected


def test_macos_mount_output() -> None:
    text = (
        "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
        "//to@nas/Tham dinh on /Volumes/Tham dinh (smbfs, nodev, nosuid, mounted by to)\n"
    )
    mounts = parse_mount_output(text)
    assert mount_share("/Volumes/Tham dinh/dot.db", mounts) == "//to@nas/Tham dinh (smbfs)"
    assert mount_share("/Users/to/dot.db", mounts) is None


def network_notes(warnings: list[str]) -> list[str]:
    return [w for w in warnings if "ổ mạng" in w]


def test_a_local_file_gets_no_network_warning(tmp_path: Path) -> None:
    db = open_database(tmp_path / "dot.db", create=True)
    try:
        assert network_notes(db.warnings) == []
    finally:
        db.close()


def test_a_file_on_a_share_gets_one_warning_and_still_opens(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "network_share", lambda _path: r"\\nas\chung")
    db = open_database(demo_db)
    try:
        assert network_notes(db.warnings) == [
            "Tệp dữ liệu đang nằm trên ổ mạng (\\\\nas\\chung). Nhiều máy cùng mở một tệp qua mạng có "
            "thể làm hỏng dữ liệu: hãy chép tệp về máy mình, làm việc, rồi gửi gói dữ liệu (.ictx) cho "
            "Tổ trưởng."
        ]
        with db.reading() as session:
            assert session.execute(text("SELECT count(*) FROM edits")).scalar_one() > 0
        assert not db.closed and db.lock is not None and db.lock.is_locked
    finally:
        db.close()


def test_the_cli_prints_the_warning_on_stderr(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(database_module, "network_share", lambda _path: "//nas/chung (cifs)")
    assert main(["results", "--db", str(demo_db)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("Lưu ý: Tệp dữ liệu đang nằm trên ổ mạng (//nas/chung (cifs)).")
    assert "ổ mạng" not in captured.out and "Phụ lục 2" in captured.out
