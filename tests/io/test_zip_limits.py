"""The zip directory checks shared by workbooks and exchange packages."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from ictappraise.io import zip_limits
from ictappraise.io.excel_errors import ExcelError
from ictappraise.io.excel_workbook import DEFAULT_LIMITS, open_workbook


def _archive(path: Path, count: int, *, comment: bytes = b"") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for index in range(count):
            archive.writestr(f"{index:05x}", b"")
        archive.comment = comment
    return path


def test_end_record_gives_what_zipfile_would_read(tmp_path: Path) -> None:
    for name, count, comment in [("plain.zip", 3, b""), ("comment.zip", 7, "Ghi chú của tệp nén".encode())]:
        path = _archive(tmp_path / name, count, comment=comment)
        entries, directory = zip_limits.end_record(path)
        with zipfile.ZipFile(path) as archive:
            assert entries == len(archive.infolist()) == count
            assert directory == sum(46 + len(info.filename) + len(info.extra) for info in archive.infolist())
    assert zip_limits.end_record(_bytes(tmp_path / "no.zip", b"PK\x03\x04 not really")) is None


def test_end_record_of_a_zip64_archive(tmp_path: Path) -> None:
    path = _archive(tmp_path / "many.zip", 0x10000 + 5)  # more entries than the 16-bit field holds
    entries, _directory = zip_limits.end_record(path)
    assert entries == 0x10000 + 5


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_many_entries_are_refused_before_zipfile_reads_the_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _archive(tmp_path / "parts.xlsx", 300)

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("zipfile read the whole directory")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    with pytest.raises(
        ExcelError, match=r"Tệp «parts.xlsx» bị từ chối: có 300 tệp thành phần .*giới hạn 200"
    ):
        open_workbook(path)


def test_open_workbook_applies_the_limits_it_is_given(tmp_path: Path) -> None:
    path = _archive(tmp_path / "parts.xlsx", 300)
    with pytest.raises(ExcelError, match=r"quá giới hạn 200"):
        open_workbook(path)
    roomy = replace(DEFAULT_LIMITS, members=400)
    with pytest.raises(ExcelError, match=r"là tệp nén nhưng không phải sổ tính Excel"):
        open_workbook(path, limits=roomy)


def test_a_huge_directory_is_refused_even_when_the_count_lies(tmp_path: Path) -> None:
    path = _archive(tmp_path / "lying.xlsx", 300)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (5).to_bytes(2, "little") * 2  # "5 entries", the directory holds 300
    path.write_bytes(bytes(data))
    limits = zip_limits.Limits(members=5, total=10**6, ratio=100, ratio_floor=10**6)
    problem = zip_limits.end_record_problem(path, limits)
    assert problem is not None and "mục lục" in problem
