"""The manifest of an exchange package (docs/exchange-format.md): its shape, reading and checks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ictappraise.io.edit_lines import EDITS, strict_json, valid_edit_id

FORMAT_NAME = "ictappraise-exchange"
#: 2: ``package_id`` and, for «chỉ phần mới» packages, ``continues`` (the package before it).
#: 3: edits may carry ``key`` and ``signature`` (docs/rules.md §9).
FORMAT_VERSION = 3
MAX_CHAIN_IDS = 2_000_000


class PackageError(ValueError):
    """A package that cannot be merged; the message is Vietnamese and says why."""


@dataclass(frozen=True)
class Continues:
    """The package a «chỉ phần mới» package continues: its id, when it was made, its edits.

    A receiver that holds none of the packages' edits of ``edit_ids`` has not merged that
    package (it may have been lost): merging this one alone would silently miss its work.
    ``package_id`` is empty when the previous export was made by a version without it.
    """

    package_id: str
    created_at: str
    edit_ids: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"package_id": self.package_id, "created_at": self.created_at, "edits": list(self.edit_ids)}


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
    package_id: str = ""  # empty in format 1
    continues: Continues | None = None

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form written into the package."""
        chain = {}
        if self.format_version >= 2:
            chain = {
                "package_id": self.package_id,
                "continues": self.continues.to_json() if self.continues is not None else None,
            }
        return {
            **chain,
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


def read_manifest(data: bytes, label: str) -> Manifest:
    foreign = f"Tệp {label} không phải gói dữ liệu của ictappraise."
    try:
        raw = strict_json(data)
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
        if manifest.format_version >= 2:
            manifest = replace(
                manifest,
                package_id=_text(raw["package_id"]),
                continues=_continues(raw["continues"], manifest.since_last),
            )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise PackageError(
            f"Gói {label} có manifest.json không hợp lệ (thiếu hoặc sai mục {error})."
        ) from error
    if EDITS not in manifest.files:
        raise PackageError(f"Gói {label} có manifest.json không hợp lệ (không liệt kê {EDITS}).")
    return manifest


def _continues(value: Any, since_last: bool) -> Continues | None:
    """The ``continues`` entry: null, or (only in a «chỉ phần mới» package) the previous package."""
    if value is None:
        return None
    if not since_last or not isinstance(value, dict) or set(value) != {"package_id", "created_at", "edits"}:
        raise ValueError("continues")
    ids = value["edits"]
    if not isinstance(ids, list) or len(ids) > MAX_CHAIN_IDS:
        raise ValueError("continues.edits")
    if not all(isinstance(i, str) and valid_edit_id(i) for i in ids):
        raise ValueError("continues.edits")
    for key in ("package_id", "created_at"):
        if not isinstance(value[key], str) or len(value[key]) > 500:
            raise ValueError(f"continues.{key}")
    return Continues(value["package_id"], value["created_at"], tuple(ids))


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(repr(value))
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise ValueError(repr(value)[:40])
    return value


def check_origin(manifest: Manifest, label: str, round_key: str, schema_version: int) -> None:
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
