"""Reading and appending edits, attachments and per-file facts. Rows are never updated."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import REFERENCE_PATTERNS, agency_of
from ictappraise.store.errors import DatabaseCorrupt
from ictappraise.store.models import AttachmentRow, EditRow, LocalState, SchemaMeta

ROUND_SCOPE = "round"


def scope_of(field_name: str) -> str:
    """The scope of a field: its agency id, or "round" for round, catalog and member fields."""
    return agency_of(field_name) or ROUND_SCOPE


def _row(edit: Edit) -> dict[str, object]:
    return {
        "id": edit.id,
        "scope": scope_of(edit.field),
        "field": edit.field,
        "value": json.dumps(edit.value, ensure_ascii=False, sort_keys=True),
        "author": edit.author,
        "device": edit.device,
        "created_at": edit.created_at,
        "reason": edit.reason,
        "parents": json.dumps(list(edit.parents)),
        "basis": json.dumps(list(edit.basis)),
        "key": edit.key,
        "signature": edit.signature,
    }


# Rows are read as plain tuples (Core), not ORM objects: building ORM instances cost more
# than the rest of an edit's round trip together.
EDITS = EditRow.__table__


def _ids(text: str) -> tuple[str, ...]:
    # Almost every stored list of parents or basis is empty; skipping the JSON parser for
    # those is a fifth of loading a round's edits at start-up.
    return () if text == "[]" else tuple(json.loads(text))


def _edit(row: Any) -> Edit:
    try:
        value, parents, basis = json.loads(row.value), _ids(row.parents), _ids(row.basis)
    except (TypeError, ValueError) as error:  # healthy SQLite, damaged content
        raise DatabaseCorrupt(
            f"Tệp dữ liệu bị hỏng: không đọc được thay đổi số {row.seq} ({row.field}). "
            "Hãy khôi phục từ một bản sao lưu (Tệp → Sao lưu và khôi phục)."
        ) from error
    return Edit(
        id=row.id,
        field=row.field,
        value=value,
        author=row.author,
        device=row.device,
        created_at=row.created_at,
        parents=parents,
        reason=row.reason,
        basis=basis,
        key=row.key,
        signature=row.signature,
    )


def append_edits(session: Session, edits: Iterable[Edit]) -> list[Edit]:
    """Append the edits not already known (by UUID); return those that were new."""
    batch = list({edit.id: edit for edit in edits}.values())
    if not batch:
        return []
    known: set[str] = set()
    ids = [edit.id for edit in batch]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known.update(session.scalars(select(EditRow.id).where(EditRow.id.in_(chunk))))
    new = [edit for edit in batch if edit.id not in known]
    if new:
        session.execute(insert(EditRow), [_row(edit) for edit in new])
    return new


def load_edits(session: Session, scope: str | None = None) -> list[Edit]:
    """Every edit (of one scope), in local arrival order."""
    query = select(EDITS).order_by(EDITS.c.seq)
    if scope is not None:
        query = query.where(EDITS.c.scope == scope)
    return [_edit(row) for row in session.execute(query)]


def load_edits_by_scope(session: Session) -> dict[str, list[Edit]]:
    """Every edit, grouped by scope."""
    grouped: dict[str, list[Edit]] = defaultdict(list)
    for row in session.execute(select(EDITS).order_by(EDITS.c.seq)):
        grouped[row.scope].append(_edit(row))
    return dict(grouped)


def load_edits_since(session: Session, seq: int) -> list[Edit]:
    """Edits that arrived in this file after a local sequence number."""
    query = select(EDITS).where(EDITS.c.seq > seq).order_by(EDITS.c.seq)
    return [_edit(row) for row in session.execute(query)]


def load_edits_signed(session: Session, signature: str) -> list[Edit]:
    """The stored edits carrying one signature (one signed write)."""
    query = select(EDITS).where(EDITS.c.signature == signature).order_by(EDITS.c.seq)
    return [_edit(row) for row in session.execute(query)]


def last_seq(session: Session) -> int:
    return session.scalar(select(func.max(EditRow.seq))) or 0


def count_edits(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(EditRow)) or 0


def put_attachment(session: Session, data: bytes) -> str:
    """Store a file's bytes once; return its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    if session.get(AttachmentRow, digest) is None:
        session.add(AttachmentRow(sha256=digest, size=len(data), data=data, added_at=_now()))
    return digest


def get_attachment(session: Session, digest: str) -> bytes | None:
    row = session.get(AttachmentRow, digest)
    return None if row is None else row.data


#: Ids per query in the lookups below: SQLite limits the number of bound parameters.
CHUNK = 500


def edit_ids(session: Session) -> set[str]:
    """The id of every stored edit."""
    return set(session.scalars(select(EditRow.id)))


def edit_ids_in_seq(session: Session, low: int, high: int) -> tuple[str, ...]:
    """The ids of the edits stored after ``low`` up to ``high`` (their seq), in that order."""
    query = select(EditRow.id).where(EditRow.seq > low, EditRow.seq <= high).order_by(EditRow.seq)
    return tuple(session.scalars(query))


def stored_scopes(session: Session) -> set[str]:
    """Every scope that holds an edit."""
    return set(session.scalars(select(EditRow.scope).distinct()))


def stored_rows(session: Session, ids: Iterable[str]) -> Iterator[Any]:
    """The stored rows of some edits, as written (JSON text): to compare an edit with its row."""
    columns = (
        *(EditRow.id, EditRow.field, EditRow.value, EditRow.author, EditRow.device, EditRow.created_at),
        *(EditRow.reason, EditRow.parents, EditRow.basis, EditRow.key, EditRow.signature),
    )
    wanted = list(ids)
    for start in range(0, len(wanted), CHUNK):
        yield from session.execute(select(*columns).where(EditRow.id.in_(wanted[start : start + CHUNK])))


def stored_fields(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """The field of each of these edits that is stored."""
    wanted = sorted(ids)
    found: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(EditRow.id, EditRow.field).where(EditRow.id.in_(wanted[start : start + CHUNK]))
        found.update({row.id: row.field for row in session.execute(query)})
    return found


def stored_links(session: Session) -> dict[str, tuple[str, ...]]:
    """Parents and basis of every stored edit that has any (most have none)."""
    query = select(EditRow.id, EditRow.parents, EditRow.basis).where(
        (EditRow.parents != "[]") | (EditRow.basis != "[]")
    )
    return {row.id: (*json.loads(row.parents), *json.loads(row.basis)) for row in session.execute(query)}


def reference_values(session: Session) -> list[tuple[str, str]]:
    """(field, JSON text) of every stored catalog, threshold and agency category version."""
    query = select(EditRow.field, EditRow.value).where(
        or_(*(EditRow.field.like(p) for p in REFERENCE_PATTERNS))
    )
    return [(name, text) for name, text in session.execute(query)]


def attachment_digests(session: Session) -> set[str]:
    return set(session.scalars(select(AttachmentRow.sha256)))


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(SchemaMeta, key)
    return None if row is None else row.value


def set_meta(session: Session, key: str, value: str) -> None:
    session.merge(SchemaMeta(key=key, value=value))


def get_local(session: Session, key: str) -> str | None:
    row = session.get(LocalState, key)
    return None if row is None else row.value


def set_local(session: Session, key: str, value: str) -> None:
    session.merge(LocalState(key=key, value=value))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
