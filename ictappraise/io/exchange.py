"""Exchange packages (.ictx): the edits and attachments one laptop sends to another.

The format (docs/exchange-format.md) is a zip holding ``manifest.json``, ``edits.jsonl``
(one ``Edit.to_json()`` per line) and ``attachments/<sha256>``. Reading validates the whole
package — zip structure, size limits, names, format and schema versions, round, checksums,
every edit — before the caller writes anything, and refuses with a Vietnamese PackageError.
Attachment bytes are not kept in memory: they are hashed while validating and read again,
one at a time, when the caller stores them (``read_attachment`` checks the hash again).

The manifest (its classes, parsing and checks) lives in io.exchange_manifest; this module
re-exports its public names.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ictappraise.domain.editlog import Edit
from ictappraise.domain.limits import MAX_ATTACHMENT_BYTES as _EVIDENCE_LIMIT
from ictappraise.domain.limits import format_size
from ictappraise.io import zip_limits
from ictappraise.io.edit_lines import EDITS, EditLineError, parse_edits
from ictappraise.io.exchange_manifest import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_CHAIN_IDS,
    Continues,
    Manifest,
    PackageError,
    check_origin,
    read_manifest,
)

__all__ = [  # the manifest's public names are re-exported from io.exchange_manifest
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_CHAIN_IDS",
    "Continues",
    "Manifest",
    "Package",
    "PackageError",
    "Origin",
    "file_digest",
    "read_attachments",
    "read_package",
    "write_package",
]

SUFFIX = ".ictx"
MANIFEST = "manifest.json"
ATTACHMENT_DIR = "attachments/"

# Limits against zip bombs and absurd input, checked from the zip directory before any member
# is read (io/zip_limits.py); generous for a real round (scanned evidence).
MAX_MEMBERS = 50_000
#: All members together: a whole round's evidence (~40 agencies × 25 files × 2 MB) fits.
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_MANIFEST_BYTES = 32 * 1024**2
# The 500-agency scale round of the benchmarks is about 70 MB of edits; parsing costs
# several times the text in memory, so 200 MB bounds what a hostile package can cost.
MAX_EDITS_BYTES = 200 * 1024**2
#: One attachment: the limit of one evidence file when it is attached (services/evidence.py).
MAX_ATTACHMENT_BYTES = _EVIDENCE_LIMIT
MAX_RATIO = 200
RATIO_FLOOR = 1024**2
CHUNK = 1024**2

_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Package:
    """A validated package: its manifest, edits and attachment digests."""

    path: Path
    manifest: Manifest
    edits: tuple[Edit, ...]
    attachments: tuple[str, ...]
    digest: str


@dataclass(frozen=True)
class Origin:
    """Who made a package, where, for which round."""

    round_key: str
    schema_version: int
    sender_id: str
    sender_name: str
    device_id: str
    created_at: str
    app_version: str = ""
    since_last: bool = False
    package_id: str = ""
    continues: Continues | None = None


# -- writing -------------------------------------------------------------------------------------


def write_package(
    path: str | os.PathLike[str],
    origin: Origin,
    edits: Iterable[Edit],
    attachments: Iterable[tuple[str, bytes]],
) -> Manifest:
    """Write a package atomically (temporary file, then rename); return its manifest.

    A package the receiver would refuse (io/zip_limits.py) is refused here instead, with what
    to do, and nothing is left behind: the sender learns it at once, not the lead days later.
    """
    target = Path(path)
    lines = "".join(json.dumps(e.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for e in edits)
    payload = lines.encode("utf-8")
    if len(payload) > MAX_EDITS_BYTES:
        raise PackageError(_too_big(f"phần sửa đổi ({format_size(len(payload))})", MAX_EDITS_BYTES))
    files = {EDITS: hashlib.sha256(payload).hexdigest()}
    temporary = target.with_name(target.name + ".tmp")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(EDITS, payload)
            total = len(payload)
            for digest, data in attachments:
                if hashlib.sha256(data).hexdigest() != digest:
                    raise PackageError(f"Tệp minh chứng {digest[:12]}… trong tệp dữ liệu bị hỏng.")
                name = ATTACHMENT_DIR + digest
                if name not in files:
                    total += len(data)
                    if total > MAX_TOTAL_BYTES:  # stop before writing gigabytes for nothing
                        raise PackageError(_too_big("gói dữ liệu", MAX_TOTAL_BYTES))
                    # Stored, not deflated: scans and PDFs hardly shrink, and a blank scan that
                    # deflates 1000:1 would trip the receiver's zip-bomb check on every export.
                    archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
                    files[name] = digest
            manifest = _manifest_for(origin, payload, files)
            text = json.dumps(manifest.to_json(), ensure_ascii=False, indent=2, sort_keys=True)
            archive.writestr(MANIFEST, text.encode("utf-8"))
        _check_receivable(temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise PackageError(f"Không ghi được gói dữ liệu {target}: {error}.") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return manifest


def _manifest_for(origin: Origin, payload: bytes, files: dict[str, str]) -> Manifest:
    return Manifest(
        FORMAT_VERSION,
        origin.schema_version,
        origin.app_version,
        origin.round_key,
        origin.sender_id,
        origin.sender_name,
        origin.device_id,
        origin.created_at,
        origin.since_last,
        payload.count(b"\n"),
        len(files) - 1,
        files,
        origin.package_id or str(uuid.uuid4()),
        origin.continues if origin.since_last else None,
    )


def _too_big(what: str, limit: int) -> str:
    return (
        f"Không tạo gói: {what} vượt giới hạn {format_size(limit)} mà máy nhận chấp nhận. "
        "Hãy thay các tệp minh chứng lớn bằng bản nhỏ hơn rồi gửi lại, hoặc gửi thành nhiều gói nối "
        "tiếp nhau (lệnh ictappraise export-package --since-last)."
    )


def _check_receivable(written: Path) -> None:
    """Apply the receiver's own checks to the package just written."""
    with zipfile.ZipFile(written) as archive:
        problem = _receiver_problem(archive.infolist())
    if problem is not None:
        raise PackageError(
            f"Không tạo gói: máy nhận sẽ từ chối nó ({problem}). Hãy thay các tệp minh chứng lớn "
            "bằng bản nhỏ hơn rồi gửi lại."
        )


# -- reading -------------------------------------------------------------------------------------


def read_package(path: str | os.PathLike[str], *, round_key: str, schema_version: int) -> Package:
    """Open and validate a package for a database of this round and schema; PackageError otherwise."""
    source = Path(path)
    label = source.name
    digest = file_digest(source)
    try:
        problem = zip_limits.end_record_problem(source, _limits())
        if problem is not None:  # before zipfile builds an object for each of millions of entries
            raise PackageError(f"Gói {label} bị từ chối: {problem}.")
        with zipfile.ZipFile(source) as archive:
            return _read(archive, source, digest, round_key, schema_version)
    except PackageError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise PackageError(
            f"Gói {label} bị hỏng hoặc không đầy đủ (có thể chép chưa xong). "
            "Hãy đề nghị người gửi tạo và gửi lại gói."
        ) from error


def file_digest(path: Path) -> str:
    """SHA-256 of a whole file (to notice a package replaced between checking and merging)."""
    if not path.exists():
        raise PackageError(f"Không tìm thấy gói dữ liệu {path}.")
    if not path.is_file():
        raise PackageError(f"{path} không phải một tệp gói dữ liệu.")
    hasher = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(CHUNK):
                hasher.update(block)
    except OSError as error:
        raise PackageError(f"Không đọc được gói dữ liệu {path.name}: {error}.") from error
    return hasher.hexdigest()


def _read(
    archive: zipfile.ZipFile, source: Path, digest: str, round_key: str, schema_version: int
) -> Package:
    label = source.name
    infos = archive.infolist()
    _check_limits(infos, label)
    names = [info.filename for info in infos]
    if MANIFEST not in names:
        raise PackageError(f"Tệp {label} không phải gói dữ liệu của ictappraise (không có manifest.json).")
    _check_names(infos, label)
    manifest = read_manifest(
        _read_member(archive, archive.getinfo(MANIFEST), MAX_MANIFEST_BYTES, label), label
    )
    check_origin(manifest, label, round_key, schema_version)
    listed = set(manifest.files) | {MANIFEST}
    if set(names) != listed:
        extra = sorted(set(names) - listed) or sorted(listed - set(names))
        raise PackageError(
            f"Gói {label} đã bị sửa đổi: danh sách tệp không khớp manifest ({', '.join(extra[:3])})."
        )
    for name, expected in manifest.files.items():
        if name.startswith(ATTACHMENT_DIR) and expected != name[len(ATTACHMENT_DIR) :]:
            raise PackageError(f"Gói {label} đã bị sửa đổi: tệp minh chứng {name[:24]}… không khớp tên.")
    payload = _read_member(archive, archive.getinfo(EDITS), MAX_EDITS_BYTES, label)
    _check_digest(hashlib.sha256(payload).hexdigest(), manifest.files[EDITS], EDITS, label)
    attachments = []
    for name in sorted(manifest.files):
        if name.startswith(ATTACHMENT_DIR):
            actual = _hash_member(archive, archive.getinfo(name), label)
            _check_digest(actual, manifest.files[name], name, label)
            attachments.append(manifest.files[name])
    try:
        edits = parse_edits(payload)
    except EditLineError as error:
        raise PackageError(f"Gói {label}, {error}") from error
    if len(edits) != manifest.edit_count or len(attachments) != manifest.attachment_count:
        raise PackageError(f"Gói {label} đã bị sửa đổi: số sửa đổi hoặc số tệp không khớp manifest.")
    return Package(source, manifest, edits, tuple(attachments), digest)


def _limits() -> zip_limits.Limits:
    return zip_limits.Limits(MAX_MEMBERS, MAX_TOTAL_BYTES, MAX_RATIO, RATIO_FLOOR)


def _check_limits(infos: list[zipfile.ZipInfo], label: str) -> None:
    """Refuse from the declared sizes alone, before a single member is decompressed."""
    problem = _receiver_problem(infos)
    if problem is not None:
        raise PackageError(f"Gói {label} bị từ chối: {problem}.")


def _receiver_problem(infos: list[zipfile.ZipInfo]) -> str | None:
    problem = zip_limits.directory_problem(infos, _limits())
    for info in infos if problem is None else ():
        problem = _member_problem(info)
        if problem is not None:
            break
    return problem


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if name.startswith(ATTACHMENT_DIR):
        what = f"tệp minh chứng {name[len(ATTACHMENT_DIR) :][:12]}…"
        problem = zip_limits.member_problem(info, MAX_ATTACHMENT_BYTES, what)
        if problem is not None:
            problem += " của một tệp minh chứng (người gửi cần gỡ tệp này hoặc thay bằng bản nhỏ hơn)"
        return problem
    if name in (MANIFEST, EDITS):
        return zip_limits.member_problem(
            info, MAX_MANIFEST_BYTES if name == MANIFEST else MAX_EDITS_BYTES, name
        )
    return None


def _check_names(infos: list[zipfile.ZipInfo], label: str) -> None:
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        allowed = name in (MANIFEST, EDITS) or (
            name.startswith(ATTACHMENT_DIR) and _DIGEST.fullmatch(name[len(ATTACHMENT_DIR) :]) is not None
        )
        if not allowed:
            raise PackageError(f"Gói {label} bị từ chối: có tệp không hợp lệ «{name[:80]}» bên trong.")
        if name in seen:
            raise PackageError(f"Gói {label} bị từ chối: tệp «{name[:80]}» xuất hiện hai lần.")
        if info.flag_bits & 0x1:
            raise PackageError(f"Gói {label} bị từ chối: tệp bên trong được mã hóa.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(f"Gói {label} bị từ chối: kiểu nén không được hỗ trợ.")
        seen.add(name)
    if EDITS not in seen:
        raise PackageError(f"Gói {label} không đầy đủ: thiếu {EDITS}.")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, label: str) -> bytes:
    """A member's bytes, never more than a limit (the zip header may lie)."""
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise PackageError(f"Gói {label} bị từ chối: {info.filename} quá lớn.")
    return data


def _hash_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> str:
    hasher = hashlib.sha256()
    total = 0
    with archive.open(info) as handle:
        while block := handle.read(CHUNK):
            total += len(block)
            if total > MAX_ATTACHMENT_BYTES:
                raise PackageError(f"Gói {label} bị từ chối: {info.filename} quá lớn.")
            hasher.update(block)
    return hasher.hexdigest()


def _check_digest(actual: str, expected: str, name: str, label: str) -> None:
    name = name[: len(ATTACHMENT_DIR) + 12] + "…" if name.startswith(ATTACHMENT_DIR) else name
    if actual != expected:
        raise PackageError(
            f"Gói {label} đã bị sửa đổi hoặc hỏng: mã kiểm tra SHA-256 của {name} không khớp manifest. "
            "Không tổng hợp gói này; hãy đề nghị người gửi gửi lại."
        )


def read_attachments(package: Package, digests: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """The bytes of some attachments (one at a time), each checked again against its name."""
    wanted = list(digests)
    if not wanted:
        return
    name = package.path.name
    try:
        with zipfile.ZipFile(package.path) as archive:
            for digest in wanted:
                data = _read_member(
                    archive, archive.getinfo(ATTACHMENT_DIR + digest), MAX_ATTACHMENT_BYTES, name
                )
                if hashlib.sha256(data).hexdigest() != digest:
                    raise PackageError(
                        f"Gói {name} đã thay đổi khi đang tổng hợp (tệp minh chứng {digest[:12]}…)."
                    )
                yield digest, data
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as error:
        raise PackageError(f"Gói {name} đã thay đổi hoặc bị hỏng khi đang tổng hợp.") from error
