"""What a cell holds, as the program wants it: clean text, a criterion code.

Cells are typed by people and written by many programs: text carries Excel's _xHHHH_
escapes, control and bidirectional characters, decomposed diacritics; codes come as "III.5."
or "iii.5.A". These functions turn one cell's value into what the readers compare and store.
A number is read by its table (excel_table.Table.number), which says where a cell is.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

CODE_PATTERN = re.compile(r"^([IVXLC]+|\d+)(\.\d+)*(\.[A-Za-z]|\.\d+)?$", re.IGNORECASE)

# Excel writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Bidirectional embeddings, overrides and isolates reorder what is shown (a file name or a
# number can be made to read backwards); right-to-left letters themselves are kept. U+FEFF too.
_INVISIBLE = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))


def nfc(value: Any) -> str:
    """Cell text as NFC with outer spaces removed ("" for empty).

    Excel's _xHHHH_ escapes are decoded; control characters (other than line breaks and tabs)
    and bidirectional formatting characters are removed.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)
        # Escaped surrogate pairs become one character; a lone half becomes U+FFFD.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    if not text.isprintable():
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text).strip()


def normalize_code(value: Any) -> str:
    """A criterion code as typed: "III.5." → "III.5", "iii.5.A" kept for case-insensitive lookup."""
    text = nfc(value).rstrip(".").strip()
    compact = text.replace(" ", "")
    return compact if CODE_PATTERN.match(compact) else text


def is_code(text: str) -> bool:
    """Whether a text looks like a criterion code (I, III.5, III.5.a, 2.1)."""
    return bool(CODE_PATTERN.match(text))
