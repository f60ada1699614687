"""Limits on zip archives from outside (workbooks, exchange packages), checked before reading.

A zip's central directory declares every member's compressed and uncompressed size, and
``zipfile`` never returns more bytes than declared (a member holding more fails its CRC), so
those numbers bound what decompressing can cost. Everything here looks at them only:
``end_record_problem`` reads the end record (22 bytes near the end of the file) so that an
archive with millions of entries is refused before ``zipfile`` builds an object per entry;
``directory_problem`` checks the entries themselves. Both return what is wrong in Vietnamese
words (the caller says which file), or None.
"""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ictappraise.domain.limits import format_size

_END = b"PK\x05\x06"
_END_SIZE = 22
_END64_LOCATOR = b"PK\x06\x07"
_END64_LOCATOR_SIZE = 20
_END64 = b"PK\x06\x06"
_END64_SIZE = 56
_MAX_COMMENT = 0xFFFF
#: Room for one central directory entry: 46 bytes, the name and extra fields.
DIRECTORY_ENTRY_BYTES = 1024


@dataclass(frozen=True)
class Limits:
    """What an archive may hold: entries, declared uncompressed bytes, compression ratio.

    The ratio applies to members larger than ``ratio_floor`` (a small member cannot cost much
    however well it compresses; a big one packed 1000:1 is the signature of a zip bomb).
    ``member`` bounds each member on its own (what a parser holds while reading one part).
    """

    members: int
    total: int
    ratio: int
    ratio_floor: int
    #: Any one member, uncompressed (None: no limit of its own).
    member: int | None = None


def end_record(path: Path) -> tuple[int, int] | None:
    """(entries, central directory bytes) as the end record declares them; None if there is none.

    Found the way ``zipfile`` finds it (the last end signature, the zip64 record just before
    its locator), so the numbers are those ``zipfile`` would go by.
    """
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        start = max(0, size - _END_SIZE - _MAX_COMMENT)
        handle.seek(start)
        tail = handle.read()
        at = tail.rfind(_END)
        if at < 0 or len(tail) - at < _END_SIZE:
            return None
        entries, directory = struct.unpack_from("<HL", tail, at + 10)
        if entries != 0xFFFF and directory != 0xFFFFFFFF:
            return entries, directory
        locator = start + at - _END64_LOCATOR_SIZE
        if locator - _END64_SIZE < 0:
            return None
        handle.seek(locator - _END64_SIZE)
        record = handle.read(_END64_SIZE + _END64_LOCATOR_SIZE)
    if not (record.startswith(_END64) and record[_END64_SIZE:].startswith(_END64_LOCATOR)):
        return None
    entries, directory = struct.unpack_from("<QQ", record, 32)
    return entries, directory


def end_record_problem(path: Path, limits: Limits) -> str | None:
    """Too many entries, or a central directory too long for them; None when fine or not a zip."""
    found = end_record(path)
    if found is None:
        return None  # not a zip, or a damaged one: zipfile says so in its own words
    entries, directory = found
    if entries > limits.members:
        return _too_many(entries, limits.members)
    if directory > limits.members * DIRECTORY_ENTRY_BYTES:
        return (
            f"mục lục của tệp nén dài {format_size(directory)}, quá giới hạn "
            f"{format_size(limits.members * DIRECTORY_ENTRY_BYTES)} (tệp nén bất thường)"
        )
    return None


def directory_problem(infos: Sequence[zipfile.ZipInfo], limits: Limits) -> str | None:
    """The first limit the archive's entries break, in words; None when they keep them all."""
    if len(infos) > limits.members:
        return _too_many(len(infos), limits.members)
    for info in infos:
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            return (
                f"phần «{_short(info.filename)}» giải nén từ {format_size(info.compress_size)} ra "
                f"{format_size(info.file_size)} (gấp {ratio} lần, giới hạn {limits.ratio} lần) — "
                "dấu hiệu của «bom nén»"
            )
        if limits.member is not None:
            problem = member_problem(info, limits.member, f"phần «{_short(info.filename)}»")
            if problem is not None:
                return problem
    total = sum(info.file_size for info in infos)
    if total > limits.total:
        return f"giải nén ra {format_size(total)}, quá giới hạn {format_size(limits.total)}"
    return None


def member_problem(info: zipfile.ZipInfo, limit: int, what: str) -> str | None:
    """One member declared larger than its own limit ("tệp minh chứng …", "edits.jsonl")."""
    if info.file_size <= limit:
        return None
    return f"{what} giải nén ra {format_size(info.file_size)}, quá giới hạn {format_size(limit)}"


def _too_many(count: int, limit: int) -> str:
    return f"có {count} tệp thành phần bên trong, quá giới hạn {limit}"


def _short(name: str) -> str:
    return name if len(name) <= 80 else name[:79] + "…"
