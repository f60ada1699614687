"""Evidence files (tài liệu kiểm chứng) attached to a criterion of an agency.

The bytes live once in the database's attachment store, addressed by their SHA-256, so they
travel with the database and with merges; an edit of the field
``agency/<id>/crit/<code>/attachment/<sha256>`` records the file's name, size and when it was
added (None removes it). The field is lockable: signed minutes refuse new evidence.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ictappraise.domain.fields import attachment_field
from ictappraise.domain.limits import MAX_ATTACHMENT_BYTES, format_size
from ictappraise.services import trust
from ictappraise.services.appraisal import criterion_of
from ictappraise.services.workspace import Change, ServiceError, VisitLocked, Workspace, now_iso
from ictappraise.store import repository

MAX_BYTES = MAX_ATTACHMENT_BYTES  # also what a package may carry (io/exchange.py)
EXPORT_FOLDER = "ictappraise-minh-chung"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass(frozen=True)
class AttachmentInfo:
    """One evidence file of a criterion."""

    sha256: str
    name: str
    size: int
    added: datetime | None


def _check_unlocked(ws: Workspace, agency_id: str) -> None:
    if ws.is_signed(agency_id):
        name = ws.agency(agency_id).name
        raise VisitLocked(
            f"Biên bản thẩm định của {name} đã ký nên không thêm, gỡ tệp minh chứng được nữa. "
            "Muốn sửa, Tổ trưởng phải mở lại biên bản và ghi rõ lý do."
        )


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ServiceError(f"Không mở được tệp {path.name}: {error.strerror or error}.") from error
    if not path.is_file():
        raise ServiceError(f"{path.name} không phải là một tệp.")
    if size > MAX_BYTES:
        raise ServiceError(
            f"Tệp {path.name} dung lượng {format_size(size)}, quá giới hạn 50 MB của một tệp minh chứng. "
            "Hãy nén hoặc chia nhỏ tệp (ví dụ chụp/quét các trang cần thiết) rồi đính kèm lại."
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise ServiceError(f"Không đọc được tệp {path.name}: {error.strerror or error}.") from error


def attach_files(ws: Workspace, agency_id: str, code: str, paths: Sequence[str | os.PathLike[str]]) -> int:
    """Attach files to a criterion (all or none); return how many were new to it."""
    criterion_of(ws, agency_id, code)
    _check_unlocked(ws, agency_id)
    files = [(Path(p).name, _read(Path(p))) for p in paths]
    return len(_attach(ws, agency_id, code, files))


def attach_file(ws: Workspace, agency_id: str, code: str, path: str | os.PathLike[str]) -> str:
    """Attach one file; return its SHA-256."""
    criterion_of(ws, agency_id, code)
    _check_unlocked(ws, agency_id)
    data = _read(Path(path))
    _attach(ws, agency_id, code, [(Path(path).name, data)])
    return hashlib.sha256(data).hexdigest()


def _attach(ws: Workspace, agency_id: str, code: str, files: list[tuple[str, bytes]]) -> list[str]:
    if not files:
        return []
    known = {a.sha256 for a in list_attachments(ws, agency_id, code)}
    ws.db.check_still_there()
    trust.unlock_to_sign(ws)  # a cancelled passphrase stores no bytes
    # The bytes are stored before the edits that name them, so no edit points at missing bytes.
    with ws.db.transaction() as session:
        digests = [repository.put_attachment(session, data) for _name, data in files]
    added = now_iso()
    changes, new = [], []
    for (name, data), digest in zip(files, digests, strict=True):
        if digest in known:
            continue  # the same content is already attached: nothing to add
        known.add(digest)
        new.append(digest)
        value = {"name": name, "size": len(data), "added": added}
        changes.append(Change(attachment_field(agency_id, code, digest), value))
    ws.write(changes)
    return new


def remove_attachment(
    ws: Workspace, agency_id: str, code: str, digest: str, reason: str | None = None
) -> None:
    """Detach a file from a criterion (the bytes stay in the store; the log keeps the history)."""
    remove_attachments(ws, agency_id, code, [digest], reason)


def remove_attachments(
    ws: Workspace, agency_id: str, code: str, digests: Sequence[str], reason: str | None = None
) -> int:
    """Detach several files in one transaction; return how many were removed."""
    criterion_of(ws, agency_id, code)
    _check_unlocked(ws, agency_id)
    attached = {a.sha256 for a in list_attachments(ws, agency_id, code)}
    for digest in digests:
        if digest not in attached:
            raise ServiceError(f"Tiêu chí {code} không có tệp minh chứng này.")
    changes = [Change(attachment_field(agency_id, code, digest), None, reason) for digest in set(digests)]
    return len(ws.write(changes))


def list_attachments(ws: Workspace, agency_id: str, code: str) -> list[AttachmentInfo]:
    """Evidence files of a criterion, oldest first."""
    entry = ws.detail(agency_id).entries.get(code)
    if entry is None:
        raise ServiceError(f"Không có tiêu chí {code} trong bộ tiêu chí của đơn vị này.")
    found = [
        AttachmentInfo(
            sha256=str(item["sha256"]),
            name=str(item.get("name") or item["sha256"][:12]),
            size=int(item.get("size") or 0),
            added=_parse_time(item.get("added")),
        )
        for item in entry.attachments
    ]
    return sorted(found, key=lambda a: (a.added or datetime.min.astimezone(), a.name))


def _parse_time(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.astimezone()


def export_attachment(
    ws: Workspace, digest: str, name: str, folder: str | os.PathLike[str] | None = None
) -> Path:
    """Write an attachment's bytes (checked against its SHA-256) to a file with its original name."""
    with ws.db.reading() as session:
        data = repository.get_attachment(session, digest)
    if data is None:
        raise ServiceError(
            f"Nội dung tệp «{name}» chưa có trong tệp dữ liệu này (có thể chưa tổng hợp từ máy "
            "đã đính kèm). Hãy tổng hợp lại dữ liệu từ máy đó."
        )
    if hashlib.sha256(data).hexdigest() != digest:
        raise ServiceError(f"Tệp «{name}» trong dữ liệu bị hỏng (mã kiểm tra không khớp).")
    base = Path(folder) if folder is not None else Path(tempfile.gettempdir()) / EXPORT_FOLDER
    # One sub-folder per content keeps the original name without clobbering a namesake.
    target_dir = base / digest[:16]
    target = target_dir / safe_file_name(name)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        if not (target.exists() and target.stat().st_size == len(data)):
            target.write_bytes(data)
    except OSError as error:
        raise ServiceError(f"Không ghi được tệp {target}: {error.strerror or error}.") from error
    return target


def safe_file_name(name: str) -> str:
    """A file name without folders or characters Windows refuses."""
    cleaned = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return cleaned or "tep-minh-chung"
