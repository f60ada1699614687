"""Which column a header cell names, however it is typed: case, diacritics, spacing, suffixes.

People retype the form's headers ("DIEM TU DANH GIA", "Điểm tự  đánh giá (điểm)", "Mã số"),
so a header is compared folded (no diacritics, lower case, single spaces, no punctuation)
against the aliases of each canonical column; the longest alias that matches wins. The
canonical keys ("code", "self", …) are what the rest of the reading code uses, and
``COLUMN_LABELS`` gives each its Vietnamese name for messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

#: Canonical column keys and the header texts (normalised: no diacritics, lower case) they accept.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("ma", "ma tieu chi", "ma so", "ky hieu", "ma tc"),
    "name": ("tieu chi", "ten tieu chi", "noi dung", "noi dung tieu chi", "noi dung danh gia"),
    "maximum": ("diem toi da", "toi da", "diem chuan", "thang diem", "diem toi da cua tieu chi"),
    "method": ("cach tinh diem", "cach tinh", "cach cham diem", "huong dan cham diem", "phuong phap tinh"),
    "self": ("diem tu danh gia", "tu danh gia", "diem tu cham", "tu cham", "diem don vi tu danh gia"),
    "evidence": ("tai lieu kiem chung", "minh chung", "tai lieu minh chung", "ho so minh chung"),
    # What the catalog asks for (read-only in the form); the longer alias keeps it from "evidence".
    "required": ("tai lieu kiem chung can co", "minh chung can co"),
    "appraised": ("diem tham dinh", "tham dinh", "diem to tham dinh", "diem thuc te"),
    "note": ("ghi chu", "ly do", "ghi chu ly do", "nhan xet"),
}
COLUMN_LABELS = {
    "code": "Mã",
    "name": "Tiêu chí",
    "maximum": "Điểm tối đa",
    "method": "Cách tính điểm",
    "self": "Điểm tự đánh giá",
    "evidence": "Tài liệu kiểm chứng",
    "required": "Tài liệu kiểm chứng cần có",
    "appraised": "Điểm thẩm định",
    "note": "Ghi chú",
}


def fold(text: Any) -> str:
    """Text for comparing headers: no diacritics, lower case, single spaces, no punctuation."""
    value = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "d")
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn").casefold()
    value = re.sub(r"[^\w]+", " ", value.replace("_", " "))
    return " ".join(value.split())


def column_key(label: Any) -> str | None:
    """The canonical key of a header cell, or None."""
    folded = fold(label)
    if not folded:
        return None
    best: tuple[int, str] | None = None
    for key, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if folded == alias or folded.startswith(alias + " "):
                if best is None or len(alias) > best[0]:
                    best = (len(alias), key)
    return best[1] if best else None


def header_columns(cells: Iterable[Any]) -> dict[str, int]:
    """The columns (1-based) a row's text cells name, the first of each key."""
    columns: dict[str, int] = {}
    for index, value in enumerate(cells, start=1):
        if isinstance(value, str):
            key = column_key(value)
            if key is not None and key not in columns:
                columns[key] = index
    return columns
