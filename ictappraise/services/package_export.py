"""Export a package (docs/rules.md §7): every edit this file holds, or those since this device's last export."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import parse_field
from ictappraise.io import exchange
from ictappraise.io.exchange import Continues, Origin
from ictappraise.services.graph_health import refuse_if_damaged
from ictappraise.services.workspace import ServiceError, Workspace, now_iso
from ictappraise.store import repository
from ictappraise.store.database import SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the repository runs the queries

EXPORT_SEQ_KEY = "exchange/last_export_seq/"
# The last export of a device that held edits: {"package_id", "created_at", "from", "to"} (seq range).
EXPORT_CHAIN_KEY = "exchange/last_export_chain/"
EXPORT_INFO_KEY = "exchange/last_export"


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    edits: int
    attachments: int
    since_last: bool


def export_package(ws: Workspace, path: str | Path, *, since_last: bool = False) -> ExportResult:
    """Write every edit this file holds (or those since this device's last export) to a package."""
    actor = ws.require_actor()
    member = ws.member(actor.member_id)
    sender_name = member.name if member else _newcomer(ws, actor)
    if sender_name is None:
        raise ServiceError("Người gửi phải là thành viên Tổ thẩm định của đợt này.")
    target = Path(path).expanduser()
    if target.suffix.lower() != exchange.SUFFIX:
        target = target.with_name(target.name + exchange.SUFFIX)
    if not target.parent.is_dir():
        raise ServiceError(f"Không có thư mục {target.parent}.")
    refuse_if_damaged(ws, "tạo gói dữ liệu")  # a loop must not travel to every laptop
    seq_key = EXPORT_SEQ_KEY + actor.device_id
    chain_key = EXPORT_CHAIN_KEY + actor.device_id
    with ws.db.reading() as session:
        round_key = stored_round_key(session)
        seq = repository.last_seq(session)
        start = int(repository.get_local(session, seq_key) or 0) if since_last else 0
        edits = repository.load_edits_since(session, start)
        digests = sorted(_attachment_digests(edits) & repository.attachment_digests(session))
        continues = _previous_export(session, chain_key, start) if since_last and start else None
        origin = Origin(
            round_key,
            SCHEMA_VERSION,
            actor.member_id,
            sender_name,
            actor.device_id,
            now_iso(),
            _version(),
            since_last,
            str(uuid.uuid4()),
            continues,
        )
        blobs = ((d, repository.get_attachment(session, d) or b"") for d in digests)
        exchange.write_package(target, origin, edits, blobs)
    if ws.db.read_only:
        # Beside an open window nothing is recorded: the next «chỉ phần mới» package then
        # starts where the last recorded one ended and repeats these edits (merged once).
        return ExportResult(target, len(edits), len(digests), since_last)
    info = {"at": origin.created_at, "path": str(target), "edits": len(edits), "since_last": since_last}
    with ws.db.transaction() as session:
        repository.set_local(session, seq_key, str(seq))
        repository.set_local(session, EXPORT_INFO_KEY, json.dumps(info, ensure_ascii=False))
        if edits:  # an empty package leaves the chain where it was: the next one continues the last real one
            link = {
                "package_id": origin.package_id,
                "created_at": origin.created_at,
                "from": start,
                "to": seq,
            }
            repository.set_local(session, chain_key, json.dumps(link))
    return ExportResult(target, len(edits), len(digests), since_last)


def _previous_export(session: Session, chain_key: str, start: int) -> Continues:
    """What a «chỉ phần mới» package continues: the edits of this device's last export that held any.

    Rows only ever arrive (their ``seq`` grows), so that export's edits are those with
    ``seq`` in its recorded range. Without a record that ends where this package starts
    (the previous export was made by an older version), every edit before it counts.
    """
    try:
        link = json.loads(repository.get_local(session, chain_key) or "null")
        low, high = int(link["from"]), int(link["to"])
        package_id, created_at = str(link["package_id"]), str(link["created_at"])
    except (ValueError, TypeError, KeyError):
        link = None
    if link is None or high != start or not 0 <= low <= high:
        low, high, package_id, created_at = 0, start, "", ""
    return Continues(package_id, created_at, repository.edit_ids_in_seq(session, low, high))


def _attachment_digests(edits: Iterable[Edit]) -> set[str]:
    found = set()
    for edit in edits:
        digest = parse_field(edit.field).digest
        if digest is not None and edit.value:
            found.add(digest)
    return found


def stored_round_key(session: Any) -> str:
    key = repository.get_meta(session, "round_key")
    if not key:
        raise ServiceError("Tệp dữ liệu chưa có đợt đánh giá nên không gửi, nhận dữ liệu được.")
    return key


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ictappraise")
    except PackageNotFoundError:
        return ""


def _newcomer(ws: Workspace, actor: Any) -> str | None:
    """A newcomer's name when their key is announced (their first package carries it, §9)."""
    signer = getattr(actor, "signer", None)
    found = ws.roster.announced.get(signer.public_key) if signer is not None else None
    return found[1] if found is not None and found[0] == actor.member_id else None
