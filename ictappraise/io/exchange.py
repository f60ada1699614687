"""Exchange packages (.ictx): the edits and attachments one laptop sends to another.

The format (docs/exchange-format.md) is a zip holding ``manifest.json``, ``edits.jsonl``
(one ``Edit.to_json()`` per line) and ``attachments/<sha256>``. Reading validates the whole
package — zip structure, size limits, names, format and schema versions, round, checksums,
every edit — before the caller writes anything, and refuses with a Vietnamese PackageError.
Attachment bytes are not kept in memory: they are hashed while validating and read again,
one at a time, when the caller stores them (``read_attachment`` checks the hash again).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ictappraise.domain.editlog import Edit

FORMAT_NAME = "ictappraise-exchange"
FORMAT_VERSION = 1
SUFFIX = ".ictx"
MANIFEST = "manifest.json"
EDITS = "edits.jsonl"
ATTACHMENT_DIR = "attachments/"

# Limits against zip bombs and absurd input; generous for a real round (scanned evidence).
MAX_MEMBERS = 50_000
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_MANIFEST_BYTES = 32 * 1024**2
MAX_EDITS_BYTES = 1024**3
MAX_RATIO = 200
RATIO_FLOOR = 1024**2
MAX_EDIT_LINE = 16 * 1024**2
CHUNK = 1024**2

EDIT_KEYS = frozenset(
    {"id", "field", "value", "author", "device", "created_at", "parents", "reason", "basis"}
)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_PART = r"/[^/\x00-\x1f\x7f]{1,200}"
_FIELD = re.compile(rf"(?:(?:round|catalog){_PART}|(?:member|agency){_PART}{_PART})(?:{_PART})*")


class PackageError(ValueError):
    """A package that cannot be merged; the message is Vietnamese and says why."""


@dataclass(frozen=True)
class Manifest:
    """What manifest.json says about a package."""

    format_version: int
    schema_version: int
    app_version: str
    round_key: str
    sender_id: str
    sender_name: str
    device_id: str
    created_at: str
    since_last: bool
    edit_count: int
    attachment_count: int
    files: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form written into the package."""
        return {
            "format": FORMAT_NAME,
            "format_version": self.format_version,
            "schema_version": self.schema_version,
            "app_version": self.app_version,
            "round_key": self.round_key,
            "sender": {"member_id": self.sender_id, "name": self.sender_name},
            "device_id": self.device_id,
            "created_at": self.created_at,
            "since_last": self.since_last,
            "counts": {"edits": self.edit_count, "attachments": self.attachment_count},
            "files": {name: {"sha256": digest} for name, digest in sorted(self.files.items())},
        }


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


# -- writing -------------------------------------------------------------------------------------


def write_package(
    path: str | os.PathLike[str],
    origin: Origin,
    edits: Iterable[Edit],
    attachments: Iterable[tuple[str, bytes]],
) -> Manifest:
    """Write a package atomically (temporary file, then rename); return its manifest."""
    target = Path(path)
    lines = "".join(json.dumps(e.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for e in edits)
    payload = lines.encode("utf-8")
    files = {EDITS: hashlib.sha256(payload).hexdigest()}
    temporary = target.with_name(target.name + ".tmp")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(EDITS, payload)
            for digest, data in attachments:
                if hashlib.sha256(data).hexdigest() != digest:
                    raise PackageError(f"Tệp minh chứng {digest[:12]}… trong tệp dữ liệu bị hỏng.")
                name = ATTACHMENT_DIR + digest
                if name not in files:
                    archive.writestr(name, data)
                    files[name] = digest
            manifest = Manifest(
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
            )
            text = json.dumps(manifest.to_json(), ensure_ascii=False, indent=2, sort_keys=True)
            archive.writestr(MANIFEST, text.encode("utf-8"))
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


# -- reading -------------------------------------------------------------------------------------


def read_package(path: str | os.PathLike[str], *, round_key: str, schema_version: int) -> Package:
    """Open and validate a package for a database of this round and schema; PackageError otherwise."""
    source = Path(path)
    label = source.name
    digest = file_digest(source)
    try:
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
    manifest = _manifest(_read_member(archive, archive.getinfo(MANIFEST), MAX_MANIFEST_BYTES, label), label)
    _check_origin(manifest, label, round_key, schema_version)
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
    edits = parse_edits(payload, label)
    if len(edits) != manifest.edit_count or len(attachments) != manifest.attachment_count:
        raise PackageError(f"Gói {label} đã bị sửa đổi: số sửa đổi hoặc số tệp không khớp manifest.")
    return Package(source, manifest, edits, tuple(attachments), digest)


def _check_limits(infos: list[zipfile.ZipInfo], label: str) -> None:
    bomb = f"Gói {label} bị từ chối: kích thước giải nén bất thường (nghi là «bom nén»)."
    if len(infos) > MAX_MEMBERS:
        raise PackageError(
            f"Gói {label} bị từ chối: có {len(infos)} tệp bên trong, quá giới hạn {MAX_MEMBERS}."
        )
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise PackageError(bomb)
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageError(bomb)


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
            if total > MAX_TOTAL_BYTES:
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


def read_attachment(package: Package, digest: str) -> bytes:
    """The bytes of one attachment, checked again against its name."""
    try:
        with zipfile.ZipFile(package.path) as archive:
            info = archive.getinfo(ATTACHMENT_DIR + digest)
            data = _read_member(archive, info, MAX_TOTAL_BYTES, package.path.name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as error:
        raise PackageError(f"Gói {package.path.name} đã thay đổi hoặc bị hỏng khi đang tổng hợp.") from error
    if hashlib.sha256(data).hexdigest() != digest:
        raise PackageError(
            f"Gói {package.path.name} đã thay đổi khi đang tổng hợp (tệp minh chứng {digest[:12]}…)."
        )
    return data


# -- manifest ------------------------------------------------------------------------------------


def _loads(data: bytes) -> Any:
    """Strict JSON: UTF-8, no NaN/Infinity."""

    def refuse(token: str) -> Any:
        raise ValueError(f"giá trị {token} không hợp lệ trong JSON")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


def _manifest(data: bytes, label: str) -> Manifest:
    foreign = f"Tệp {label} không phải gói dữ liệu của ictappraise."
    try:
        raw = _loads(data)
    except (ValueError, RecursionError) as error:
        raise PackageError(f"{foreign} (manifest.json không đọc được: {error})") from error
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise PackageError(foreign)
    try:
        sender = raw["sender"]
        counts = raw["counts"]
        files = {str(name): str(entry["sha256"]) for name, entry in raw["files"].items()}
        manifest = Manifest(
            format_version=_integer(raw["format_version"]),
            schema_version=_integer(raw["schema_version"]),
            app_version=str(raw.get("app_version") or ""),
            round_key=_text(raw["round_key"]),
            sender_id=_text(sender["member_id"]),
            sender_name=_text(sender["name"]),
            device_id=_text(raw["device_id"]),
            created_at=_text(raw["created_at"]),
            since_last=bool(raw.get("since_last", False)),
            edit_count=_integer(counts["edits"]),
            attachment_count=_integer(counts["attachments"]),
            files=files,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise PackageError(
            f"Gói {label} có manifest.json không hợp lệ (thiếu hoặc sai mục {error})."
        ) from error
    if EDITS not in manifest.files:
        raise PackageError(f"Gói {label} có manifest.json không hợp lệ (không liệt kê {EDITS}).")
    return manifest


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(repr(value))
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise ValueError(repr(value)[:40])
    return value


def _check_origin(manifest: Manifest, label: str, round_key: str, schema_version: int) -> None:
    if manifest.format_version > FORMAT_VERSION:
        raise PackageError(
            f"Gói {label} được tạo bởi phiên bản ictappraise mới hơn (định dạng gói {manifest.format_version}, "
            f"chương trình này đọc được tới {FORMAT_VERSION}). Hãy cập nhật chương trình rồi tổng hợp lại."
        )
    if manifest.schema_version > schema_version:
        raise PackageError(
            f"Gói {label} được tạo bởi phiên bản ictappraise mới hơn (lược đồ {manifest.schema_version}, "
            f"chương trình này đọc được tới {schema_version}). Hãy cập nhật chương trình rồi tổng hợp lại."
        )
    if manifest.round_key != round_key:
        raise PackageError(
            f"Gói {label} thuộc đợt đánh giá khác («{manifest.round_key}»), không phải đợt «{round_key}» "
            "của tệp dữ liệu đang mở. Không tổng hợp dữ liệu của hai đợt khác nhau."
        )


# -- edits ---------------------------------------------------------------------------------------


def parse_edits(payload: bytes, label: str = EDITS) -> tuple[Edit, ...]:
    """Every line of edits.jsonl as an Edit; PackageError naming the first bad line."""
    found: dict[str, Edit] = {}
    for number, line in _lines(payload, label):
        edit = parse_edit(line, number, label)
        previous = found.get(edit.id)
        if previous is not None and previous.to_json() != edit.to_json():
            raise PackageError(
                f"Gói {label}, dòng {number}: mã sửa đổi {edit.id} xuất hiện hai lần với nội dung khác nhau."
            )
        found[edit.id] = edit
    return tuple(found.values())


def _lines(payload: bytes, label: str) -> Iterator[tuple[int, bytes]]:
    if payload and not payload.endswith(b"\n"):
        raise PackageError(f"Gói {label} không đầy đủ: {EDITS} bị cắt ngang.")
    for number, line in enumerate(payload.split(b"\n")[:-1], start=1):
        if len(line) > MAX_EDIT_LINE:
            raise PackageError(f"Gói {label}, dòng {number}: sửa đổi quá lớn.")
        yield number, line


def parse_edit(line: bytes, number: int = 1, label: str = EDITS) -> Edit:
    """One edit from its JSON line, strictly checked."""
    where = f"Gói {label}, dòng {number} của {EDITS}"
    try:
        raw = _loads(line)
    except (ValueError, RecursionError) as error:
        raise PackageError(f"{where}: không phải JSON hợp lệ ({error}).") from error
    if not isinstance(raw, dict):
        raise PackageError(f"{where}: không phải một sửa đổi.")
    missing = sorted(EDIT_KEYS - set(raw))
    extra = sorted(set(raw) - EDIT_KEYS)
    if missing or extra:
        detail = f"thiếu khóa «{missing[0]}»" if missing else f"có khóa lạ «{str(extra[0])[:40]}»"
        raise PackageError(f"{where}: {detail}.")
    problem = _edit_problem(raw)
    if problem is None and b"\\u" in line and _has_lone_surrogate(raw):  # only escapes can make one
        problem = "có ký tự không hợp lệ (không mã hóa được UTF-8)"
    if problem:
        raise PackageError(f"{where}: {problem}.")
    return Edit.from_json(raw)


def _edit_problem(raw: dict[str, Any]) -> str | None:
    """What is wrong with a decoded edit, or None."""
    if not isinstance(raw["id"], str) or not _ID.fullmatch(raw["id"]):
        return "mã sửa đổi (id) không hợp lệ"
    if not isinstance(raw["field"], str) or not valid_field(raw["field"]):
        return f"tên trường «{str(raw['field'])[:80]}» không hợp lệ"
    for key in ("author", "device"):
        if not isinstance(raw[key], str) or not raw[key] or len(raw[key]) > 200:
            return f"«{key}» phải là chuỗi không rỗng"
    if not isinstance(raw["created_at"], str) or not _is_timestamp(raw["created_at"]):
        return "thời điểm (created_at) không hợp lệ"
    for key in ("parents", "basis"):
        items = raw[key]
        if not isinstance(items, list) or len(items) > 1000:
            return f"«{key}» phải là danh sách mã sửa đổi"
        if any(not isinstance(i, str) or not _ID.fullmatch(i) or i == raw["id"] for i in items):
            return f"«{key}» chứa mã sửa đổi không hợp lệ"
    if raw["reason"] is not None and (not isinstance(raw["reason"], str) or len(raw["reason"]) > 20_000):
        return "lý do (reason) phải là chuỗi hoặc null"
    return None


def _has_lone_surrogate(raw: dict[str, Any]) -> bool:
    """A "\\ud800"-style escape without its pair cannot be stored as UTF-8."""
    try:
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def valid_field(name: str) -> bool:
    """A field path of the documented layout (round/…, catalog/…, member/…, agency/…)."""
    return len(name) <= 400 and _FIELD.fullmatch(name) is not None


def _is_timestamp(text: str) -> bool:
    if len(text) > 64:
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True
