"""A hostile package writer that does not import ictappraise (docs/rules.md §9).

What an attacker with a text editor can do: read a database with sqlite3, write edits by
hand (any author, any field, any value), recompute the manifest's checksums, zip it. Built
only from docs/exchange-format.md, so the tests that use it judge the program from outside.

A team member also holds their own private key: ``package(..., key_file=...)`` signs the
edits as one write with it ("Signatures (format 3)"), exactly as their laptop would, so the
program must refuse them for what they change, not for a missing signature.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import sqlite3
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_ids = itertools.count()

SIGNATURE_VERSION = "ictappraise-edit-v1"
DEMO_KEYS = Path(__file__).resolve().parents[2] / "resources" / "demo"
# The edit's keys signed_bytes covers, in order (docs/exchange-format.md, "Signatures").
_SIGNED = ("id", "field", "value", "author", "device", "created_at", "parents", "reason", "basis", "key")
_DEMO_KEY_FILES = {
    "Nguyễn Thị Thắng": "demo-lead-key.pem",
    "Chuyên viên A": "demo-a-key.pem",
    "Chuyên viên B": "demo-b-key.pem",
    "Chuyên viên C": "demo-c-key.pem",
}


def demo_key(name: str) -> Path:
    """The labelled demo private key (PEM) of a demo team member, by name."""
    return DEMO_KEYS / _DEMO_KEY_FILES[name]


def signed_bytes(edit: dict[str, Any]) -> bytes:
    """The canonical bytes of an edit: the compact UTF-8 JSON array of the format document."""
    document = [SIGNATURE_VERSION, *(edit[name] for name in _SIGNED)]
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def write_digest(edits: list[dict[str, Any]]) -> bytes:
    """What one signature covers: sha256 of the edits' sha256(signed_bytes), sorted by edit id."""
    hashes = sorted((e["id"], hashlib.sha256(signed_bytes(e)).digest()) for e in edits)
    return hashlib.sha256(b"".join(digest for _id, digest in hashes)).digest()


def sign_write(edits: list[dict[str, Any]], key_file: Path) -> list[dict[str, Any]]:
    """The edits as one write signed with the Ed25519 private key in key_file (PEM, no passphrase)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = serialization.load_pem_private_key(key_file.read_bytes(), None)
    assert isinstance(private, Ed25519PrivateKey), key_file
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    keyed = [{**e, "key": base64.b64encode(raw).decode("ascii")} for e in edits]
    signature = base64.b64encode(private.sign(write_digest(keyed))).decode("ascii")
    return [{**e, "signature": signature} for e in keyed]


@dataclass
class Forger:
    """Reads a victim's database copy and writes edits as a chosen author."""

    db: Path
    author: str
    device: str = "forged-laptop"
    edits: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, str, str]]:
        with sqlite3.connect(self.db) as connection:
            query = "SELECT id, field, value, parents FROM edits ORDER BY seq"
            return list(connection.execute(query))

    def round_key(self) -> str:
        with sqlite3.connect(self.db) as connection:
            return str(
                connection.execute("SELECT value FROM schema_meta WHERE key='round_key'").fetchone()[0]
            )

    def heads(self, field_name: str) -> list[str]:
        """The edits of a field no other edit of it replaced (this writer's own included)."""
        group = [(i, json.loads(p)) for i, f, _v, p in self.rows() if f == field_name]
        group += [(e["id"], e["parents"]) for e in self.edits if e["field"] == field_name]
        replaced = {p for _i, parents in group for p in parents}
        return [i for i, _parents in group if i not in replaced]

    def value(self, field_name: str) -> Any:
        heads = set(self.heads(field_name))
        for edit in reversed(self.edits):
            if edit["id"] in heads:
                return edit["value"]
        values = [json.loads(v) for i, f, v, _p in self.rows() if f == field_name and i in heads]
        return values[0] if values else None

    def find(self, prefix: str, suffix: str, value: Any) -> str:
        """The middle segment of the field prefix/<x>/suffix whose value is value (an id)."""
        for _i, name, raw, _p in self.rows():
            parts = name.split("/")
            if parts[0] == prefix and "/".join(parts[2:]) == suffix and json.loads(raw) == value:
                return parts[1]
        raise LookupError(f"{prefix}/*/{suffix} = {value!r}")

    def agency(self, code: str) -> str:
        return self.find("agency", "code", code)

    def member(self, name: str) -> str:
        return self.find("member", "name", name)

    def write(
        self, field_name: str, value: Any, reason: str | None = None, basis: list[str] | None = None
    ) -> str:
        """One edit replacing the field's current heads, as the chosen author."""
        edit = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"forged/{self.author}/{next(_ids)}/{uuid.uuid4()}")),
            "field": field_name,
            "value": value,
            "author": self.author,
            "device": self.device,
            "created_at": "2022-12-20T22:00:00+07:00",
            "parents": self.heads(field_name),
            "reason": reason,
            "basis": basis or [],
        }
        self.edits.append(edit)
        return str(edit["id"])

    def package(self, path: Path, sender_name: str, key_file: Path | None = None) -> Path:
        """The edits in a package with correct checksums: signed as one write with key_file
        (format 3), or unsigned (format 2) without one."""
        edits = sign_write(self.edits, key_file) if key_file is not None else self.edits
        lines = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in edits)
        data = lines.encode("utf-8")
        manifest = {
            "format": "ictappraise-exchange",
            "format_version": 3 if key_file is not None else 2,
            "package_id": str(uuid.uuid4()),
            "schema_version": 1,
            "app_version": "0.1.0",
            "round_key": self.round_key(),
            "sender": {"member_id": self.author, "name": sender_name},
            "device_id": self.device,
            "created_at": "2022-12-20T22:05:00+07:00",
            "since_last": False,
            "continues": None,
            "counts": {"edits": len(edits), "attachments": 0},
            "files": {"edits.jsonl": {"sha256": hashlib.sha256(data).hexdigest()}},
        }
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
            archive.writestr("edits.jsonl", data)
        return path
