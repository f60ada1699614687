"""What a signature covers (docs/rules.md §9): an edit's canonical bytes, and key fingerprints.

Pure Python: the Ed25519 arithmetic itself lives in ictappraise.io.keys.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

SIGNATURE_VERSION = "ictappraise-edit-v1"
# One encoder for every edit: json.dumps with these options builds a new encoder per call,
# which was most of the cost of verifying a merge.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def signed_bytes(
    *,
    id: str,  # the edit's own name for it
    field: str,
    value: Any,
    author: str,
    device: str,
    created_at: str,
    parents: tuple[str, ...],
    reason: str | None,
    basis: tuple[str, ...],
    key: str | None,
) -> bytes:
    """The canonical bytes of an edit: every field of §7 and the signing key, as compact JSON
    (an array in this order; objects inside the value with sorted keys)."""
    # A JSON array in a fixed order (the version first): unambiguous and cheaper than an object.
    document = [SIGNATURE_VERSION, id, field, value, author, device, created_at, list(parents), reason]
    document += [list(basis), key]
    return _CANONICAL.encode(document).encode("utf-8")


def fingerprint(public_key: str) -> str:
    """A short readable fingerprint of a public key: 4 groups of 4 base32 characters."""
    digest = hashlib.sha256(public_key.encode("ascii", "replace")).digest()
    text = base64.b32encode(digest).decode("ascii")[:16]
    return " ".join(text[i : i + 4] for i in range(0, 16, 4))


def fingerprint_id(public_key: str) -> str:
    """The fingerprint without spaces (usable inside a field name)."""
    return fingerprint(public_key).replace(" ", "")
