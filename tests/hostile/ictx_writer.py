"""A hostile package writer that does not import ictappraise (issue 12).

What an attacker with a text editor can do: read a database with sqlite3, write edits by
hand (any author, any field, any value), recompute the manifest's checksums, zip it. Built
only from docs/exchange-format.md, so the tests that use it judge the program from outside.
"""

from __future__ import annotations

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

    def package(self, path: Path, sender_name: str) -> Path:
        """The edits in a version 2 package with correct checksums."""
        lines = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in self.edits)
        data = lines.encode("utf-8")
        manifest = {
            "format": "ictappraise-exchange",
            "format_version": 2,
            "package_id": str(uuid.uuid4()),
            "schema_version": 1,
            "app_version": "0.1.0",
            "round_key": self.round_key(),
            "sender": {"member_id": self.author, "name": sender_name},
            "device_id": self.device,
            "created_at": "2022-12-20T22:05:00+07:00",
            "since_last": False,
            "continues": None,
            "counts": {"edits": len(self.edits), "attachments": 0},
            "files": {"edits.jsonl": {"sha256": hashlib.sha256(data).hexdigest()}},
        }
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
            archive.writestr("edits.jsonl", data)
        return path
