"""Ed25519 keys of the people using this laptop (docs/rules.md §9): create, load, sign, verify.

Private keys live in the per-user configuration folder (settings.config_dir()/keys), one PEM
file per key, encrypted when the user sets a passphrase; never in a database, a package or a
log. ``cryptography`` is imported where used: the start-up frame must not load it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ictappraise.domain.editlog import Edit
from ictappraise.domain.signing import fingerprint, fingerprint_id
from ictappraise.settings import config_dir

KEYS_FOLDER = "keys"
INDEX_FILE = "keys.json"


class KeyError_(ValueError):
    """A key that cannot be created, read or unlocked (Vietnamese message)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class Signer:
    """A private key in memory that signs edits."""

    def __init__(self, private_key: Any) -> None:
        from cryptography.hazmat.primitives import serialization

        self._private = private_key
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.public_key = _b64(raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, edit: Edit) -> Edit:
        """The edit with this key and its signature over the edit's canonical bytes."""
        return self.sign_batch([edit])[0]

    def sign_batch(self, edits: Sequence[Edit]) -> list[Edit]:
        """Edits written together, each carrying this key and one signature over all of them."""
        keyed = [replace(edit, key=self.public_key, signature=None) for edit in edits]
        signature = _b64(self._private.sign(batch_digest(keyed)))
        return [replace(edit, signature=signature) for edit in keyed]

    def __repr__(self) -> str:  # never the private key in a log
        return f"Signer({self.fingerprint})"


@lru_cache(maxsize=4096)
def _public(public_key: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode(public_key, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, binascii.Error):
        return None


def valid_public_key(public_key: str) -> bool:
    return isinstance(public_key, str) and len(public_key) < 100 and _public(public_key) is not None


def batch_digest(edits: Iterable[Edit]) -> bytes:
    """What one signature covers: the canonical bytes of every edit of a write, by edit id."""
    hashes = sorted((edit.id, hashlib.sha256(edit.signed_bytes()).digest()) for edit in edits)
    return hashlib.sha256(b"".join(digest for _id, digest in hashes)).digest()


def verify(edit: Edit) -> bool:
    """True when a lone edit carries a key and a valid signature of that key over its bytes."""
    return verify_batch([edit])


def verify_batch(edits: Sequence[Edit]) -> bool:
    """True when edits sharing one key and signature are exactly the set that signature covers.

    A write signs its edits together (one Ed25519 signature per write: verifying 8,440
    merged edits one by one would cost over a second); a missing, added or changed edit
    changes the digest, so the signature fails for all of them.
    """
    from cryptography.exceptions import InvalidSignature

    if not edits:
        return False
    key, signature = edits[0].key, edits[0].signature
    if not key or not signature or any(e.key != key or e.signature != signature for e in edits):
        return False
    public = _public(key) if len(key) < 100 else None
    if public is None:
        return False
    try:
        public.verify(base64.b64decode(signature, validate=True), batch_digest(edits))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


@dataclass(frozen=True)
class LocalKey:
    """A private key kept on this laptop: whose it is and its public half."""

    public_key: str
    name: str
    member_id: str | None
    encrypted: bool

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def _folder() -> Path:
    return config_dir() / KEYS_FOLDER


def _read_index() -> dict[str, dict[str, Any]]:
    path = _folder() / INDEX_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_index(index: dict[str, dict[str, Any]]) -> None:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / (INDEX_FILE + ".tmp")
    temporary.write_text(json.dumps(index, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, folder / INDEX_FILE)


def local_keys() -> list[LocalKey]:
    """The keys whose private halves are on this laptop."""
    found = []
    for public_key, entry in _read_index().items():
        if (_folder() / f"{fingerprint_id(public_key)}.pem").exists():
            found.append(
                LocalKey(
                    public_key,
                    str(entry.get("name") or ""),
                    entry.get("member"),
                    bool(entry.get("encrypted")),
                )
            )
    return found


def create_key(name: str, member_id: str | None = None, passphrase: str | None = None) -> Signer:
    """A new key pair for a person; the private half is saved (encrypted with a passphrase if given)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    encryption: Any = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    signer = Signer(private)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{fingerprint_id(signer.public_key)}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    index = _read_index()
    index[signer.public_key] = {"name": name, "member": member_id, "encrypted": bool(passphrase)}
    _write_index(index)
    return signer


def set_member(public_key: str, member_id: str, name: str | None = None) -> None:
    """Note which team member a local key belongs to (after joining or founding)."""
    index = _read_index()
    entry = index.setdefault(public_key, {})
    entry["member"] = member_id
    if name:
        entry["name"] = name
    _write_index(index)


def load_signer(public_key: str, passphrase: str | None = None) -> Signer:
    """The signer of a local key; KeyError_ when missing or the passphrase is wrong."""
    path = _folder() / f"{fingerprint_id(public_key)}.pem"
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise KeyError_(f"Không có khóa {fingerprint(public_key)} trên máy này.") from error
    return signer_from_pem(pem, passphrase)


def signer_from_pem(pem: bytes, passphrase: str | None = None) -> Signer:
    """A signer from PEM bytes (a local key file, or the demo's labelled key)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        private = serialization.load_pem_private_key(pem, passphrase.encode("utf-8") if passphrase else None)
    except TypeError as error:
        raise KeyError_("Khóa này có mật khẩu bảo vệ: hãy nhập mật khẩu của khóa.") from error
    except ValueError as error:
        raise KeyError_("Không mở được khóa: sai mật khẩu hoặc tệp khóa bị hỏng.") from error
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyError_("Tệp khóa không phải khóa Ed25519 của ictappraise.")
    return Signer(private)


def change_passphrase(public_key: str, old: str | None, new: str | None) -> Signer:
    """Protect a local key with a new passphrase (None or "": no passphrase). KeyError_ when the
    old passphrase is wrong; the key file is replaced whole, never left half-written."""
    from cryptography.hazmat.primitives import serialization

    signer = load_signer(public_key, old)
    encryption: Any = (
        serialization.BestAvailableEncryption(new.encode("utf-8")) if new else serialization.NoEncryption()
    )
    pem = signer._private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    path = _folder() / f"{fingerprint_id(public_key)}.pem"
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.replace(temporary, path)
    index = _read_index()
    index.setdefault(public_key, {})["encrypted"] = bool(new)
    _write_index(index)
    return signer
