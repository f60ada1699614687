"""Sizes the whole program agrees on, and how a size is written for a Vietnamese reader."""

from __future__ import annotations

#: One evidence file (tài liệu kiểm chứng): attaching, receiving it in a package, storing it.
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


def format_size(size: int) -> str:
    """A size as a clerk reads it: "820 B", "12,4 KB", "3,1 MB" (decimal comma)."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB"):
        value /= 1024
        if value < 1024:
            return f"{value:.1f} {unit}".replace(".", ",")
    return f"{value / 1024:.1f} GB".replace(".", ",")
