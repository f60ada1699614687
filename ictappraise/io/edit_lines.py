"""Lines of edits.jsonl (docs/exchange-format.md): one edit per line, strictly checked.

Used by ictappraise.io.exchange; raises EditLineError ("dòng N của edits.jsonl: …"), which
the package reader prefixes with the package's name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ictappraise.domain.editlog import Edit

EDITS = "edits.jsonl"
MAX_EDIT_LINE = 16 * 1024**2
EDIT_KEYS = frozenset(
    {"id", "field", "value", "author", "device", "created_at", "parents", "reason", "basis"}
)
#: Signed edits (format 3) also carry the signing public key and the signature (base64).
SIGNATURE_KEYS = frozenset({"key", "signature"})
_BASE64 = re.compile(r"[A-Za-z0-9+/]{1,200}={0,2}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_PART = r"/[^/\x00-\x1f\x7f]{1,200}"
_FIELD = re.compile(rf"(?:(?:round|catalog){_PART}|(?:member|agency){_PART}{_PART})(?:{_PART})*")


class EditLineError(ValueError):
    """A line of edits.jsonl that is not a valid edit; the message names the line."""


def strict_json(data: bytes) -> Any:
    """Strict JSON: UTF-8, no NaN/Infinity."""

    def refuse(token: str) -> Any:
        raise ValueError(f"giá trị {token} không hợp lệ trong JSON")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


def parse_edits(payload: bytes) -> tuple[Edit, ...]:
    """Every line as an Edit; EditLineError naming the first bad line."""
    found: dict[str, Edit] = {}
    for number, line in _lines(payload):
        edit = parse_edit(line, number)
        previous = found.get(edit.id)
        if previous is not None and previous.to_json() != edit.to_json():
            raise EditLineError(
                f"dòng {number} của {EDITS}: mã sửa đổi {edit.id} xuất hiện hai lần với nội dung khác nhau."
            )
        found[edit.id] = edit
    return tuple(found.values())


def _lines(payload: bytes) -> Iterator[tuple[int, bytes]]:
    if payload and not payload.endswith(b"\n"):
        raise EditLineError(f"{EDITS} bị cắt ngang (gói không đầy đủ).")
    for number, line in enumerate(payload.split(b"\n")[:-1], start=1):
        if len(line) > MAX_EDIT_LINE:
            raise EditLineError(f"dòng {number} của {EDITS}: sửa đổi quá lớn.")
        yield number, line


def parse_edit(line: bytes, number: int = 1) -> Edit:
    """One edit from its JSON line, strictly checked."""
    where = f"dòng {number} của {EDITS}"
    try:
        raw = strict_json(line)
    except (ValueError, RecursionError) as error:
        raise EditLineError(f"{where}: không phải JSON hợp lệ ({error}).") from error
    if not isinstance(raw, dict):
        raise EditLineError(f"{where}: không phải một sửa đổi.")
    missing = sorted(EDIT_KEYS - set(raw))
    extra = sorted(set(raw) - EDIT_KEYS - SIGNATURE_KEYS)
    if not missing and (("key" in raw) != ("signature" in raw)):
        missing = ["signature" if "key" in raw else "key"]
    if missing or extra:
        detail = f"thiếu khóa «{missing[0]}»" if missing else f"có khóa lạ «{str(extra[0])[:40]}»"
        raise EditLineError(f"{where}: {detail}.")
    problem = _edit_problem(raw)
    if problem is None and b"\\u" in line and _has_lone_surrogate(raw):  # only escapes can make one
        problem = "có ký tự không hợp lệ (không mã hóa được UTF-8)"
    if problem:
        raise EditLineError(f"{where}: {problem}.")
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
    for key in SIGNATURE_KEYS & set(raw):
        if not isinstance(raw[key], str) or not _BASE64.fullmatch(raw[key]):
            return f"«{key}» (chữ ký) phải là chuỗi base64"
    return None


def _has_lone_surrogate(raw: dict[str, Any]) -> bool:
    """A "\\ud800"-style escape without its pair cannot be stored as UTF-8."""
    try:
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def valid_edit_id(text: str) -> bool:
    """An edit id of the documented form (letters, digits, . _ : -, at most 100 characters)."""
    return _ID.fullmatch(text) is not None


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
