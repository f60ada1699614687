"""Plan a merge (domain.md §7): read and check every package before anything is written.

The checks (closed under parents, no tampering, chains of «chỉ phần mới» packages, values that
fit their fields) are described in services.merge, which re-exports the public names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ictappraise.domain import authority
from ictappraise.domain.editlog import Edit, canonical
from ictappraise.io import exchange
from ictappraise.io.exchange import Package, PackageError
from ictappraise.services import conflicts as conflict_text
from ictappraise.services import field_values
from ictappraise.services.package_export import _round_key
from ictappraise.services.workspace import SYSTEM_AUTHOR, ServiceError, Workspace
from ictappraise.store import repository
from ictappraise.store.database import SCHEMA_VERSION
from ictappraise.store.models import EditRow

Progress = Callable[[int, int, str], None]


class MergeRefused(ServiceError):
    """A package or a merge the rules refuse; nothing was written."""


@dataclass(frozen=True)
class PackagePlan:
    """One package of a merge, before or after it is applied."""

    path: Path
    sender_id: str
    sender_name: str
    sender_known: bool
    device_id: str
    created_at: str
    edits: int
    new: int
    duplicates: int
    attachments: int


@dataclass(frozen=True)
class MergePlan:
    """Checked packages and what merging them would do; nothing is written yet."""

    packages: tuple[Package, ...]
    reports: tuple[PackagePlan, ...]
    warnings: tuple[str, ...]
    unknown_senders: tuple[str, ...]
    #: Status, team and round-setting changes the packages bring, each with its author (words).
    authority_changes: tuple[str, ...] = ()
    #: What merging would hold, and why (words): kept, listed, not applied.
    to_hold: tuple[conflict_text.HeldEdit, ...] = ()

    @property
    def needs_confirmation(self) -> bool:
        """True when the lead must see the plan first (domain.md §9): a sender outside the team,
        a status, team or round-setting change, or anything that would be held."""
        return bool(self.unknown_senders or self.authority_changes or self.to_hold)

    @property
    def new_edits(self) -> int:
        return sum(r.new for r in self.reports)


def plan_merge(ws: Workspace, paths: Sequence[str | Path], progress: Progress | None = None) -> MergePlan:
    """Read and check every package; say what merging would do. Writes nothing."""
    if not paths:
        raise MergeRefused("Chưa chọn gói dữ liệu nào để tổng hợp.")
    with ws.db.reading() as session:
        round_key = _round_key(session)
    packages = []
    for index, path in enumerate(paths):
        if progress:
            progress(index, len(paths), f"Đang kiểm tra {Path(path).name}…")
        try:
            packages.append(exchange.read_package(path, round_key=round_key, schema_version=SCHEMA_VERSION))
        except PackageError as error:
            raise MergeRefused(str(error)) from error
    with ws.db.reading() as session:
        known = set(session.scalars(select(EditRow.id)))
        _check_consistent(session, packages, known)
        arriving = {e.id: e for p in packages for e in p.edits if e.id not in known}
        context = field_values.merge_context(session, arriving.values())
    _check_closed(packages, known)
    _check_chain(packages, known)
    _check_values(packages, known, context)
    return _plan(ws, packages, known)


def _check_consistent(session: Session, packages: Sequence[Package], known: set[str]) -> None:
    """The same edit id must mean the same edit everywhere (else: tampering or a forged id)."""
    batch: dict[str, tuple[Edit, Package]] = {}
    for package in packages:
        for edit in package.edits:
            previous = batch.setdefault(edit.id, (edit, package))[0]
            if not _same(previous, edit):
                raise _tampered(package, edit)
    stored = [eid for eid in batch if eid in known]
    columns = (EditRow.id, EditRow.field, EditRow.value, EditRow.author, EditRow.device, EditRow.created_at)
    columns += (EditRow.reason, EditRow.parents, EditRow.basis)
    for start in range(0, len(stored), 500):
        query = select(*columns).where(EditRow.id.in_(stored[start : start + 500]))
        for row in session.execute(query):
            edit, package = batch[row.id]
            if not _matches_row(edit, row):
                raise _tampered(package, edit)


def _same(a: Edit, b: Edit) -> bool:
    return a == b and canonical(a.value) == canonical(b.value)


def _matches_row(edit: Edit, row: Any) -> bool:
    """An edit equals its stored row (fast path: the store's own JSON text)."""
    plain = (row.field, row.author, row.device, row.created_at, row.reason)
    if plain != (edit.field, edit.author, edit.device, edit.created_at, edit.reason):
        return False
    if json.loads(row.parents) != list(edit.parents) or json.loads(row.basis) != list(edit.basis):
        return False
    if row.value == json.dumps(edit.value, ensure_ascii=False, sort_keys=True):
        return True
    return canonical(json.loads(row.value)) == canonical(edit.value)


def _tampered(package: Package, edit: Edit) -> MergeRefused:
    return MergeRefused(
        f"Gói {package.path.name} đã bị sửa đổi: sửa đổi {edit.id} khác với bản cùng mã đã có. "
        "Không tổng hợp gói này; hãy đề nghị người gửi gửi lại."
    )


def _check_closed(packages: Sequence[Package], known: set[str]) -> None:
    """Refuse edits whose parents or basis are nowhere to be found (see the module docstring)."""
    available = set(known).union(*({e.id for e in p.edits} for p in packages))
    for package in packages:
        missing = {ref for e in package.edits for ref in (*e.parents, *e.basis) if ref not in available}
        if missing:
            raise MergeRefused(
                f"Gói {package.path.name} thiếu {len(missing)} sửa đổi trước đó mà dữ liệu trong gói dựa vào "
                "(thường do gói «chỉ phần mới» được gửi khi gói trước chưa được tổng hợp). Hãy đề nghị "
                f"{package.manifest.sender_name} tạo lại gói đầy đủ (không chọn «chỉ phần mới»). "
                "Chưa tổng hợp gói nào."
            )


def _check_chain(packages: Sequence[Package], known: set[str]) -> None:
    """Refuse a «chỉ phần mới» package whose previous package has not been merged (see the docstring)."""
    available = set(known).union(*({e.id for e in p.edits} for p in packages))
    for package in packages:
        previous = package.manifest.continues
        if previous is None:
            continue
        missing = sum(1 for edit_id in previous.edit_ids if edit_id not in available)
        if missing:
            sender = package.manifest.sender_name
            made = f" (tạo lúc {conflict_text.time_text(previous.created_at)})" if previous.created_at else ""
            raise MergeRefused(
                f"Gói {package.path.name} là gói «chỉ phần mới» nối tiếp gói trước của {sender}{made}, "
                f"nhưng tệp dữ liệu này còn thiếu {missing} sửa đổi của gói trước đó: gói trước chưa được "
                "tổng hợp (có thể đã thất lạc). Hãy tổng hợp gói trước cùng lúc với gói này, hoặc đề nghị "
                f"{sender} tạo lại gói đầy đủ (không chọn «chỉ phần mới»). Chưa tổng hợp gói nào."
            )


def _check_values(packages: Sequence[Package], known: set[str], context: field_values.FieldContext) -> None:
    """Refuse the merge when a new edit carries a value its field cannot hold (nothing written)."""
    seen = set(known)
    for package in packages:
        new = [e for e in package.edits if e.id not in seen]
        seen.update(e.id for e in new)
        found = field_values.first_problem(context, new)
        if found is not None:
            edit, error = found
            raise MergeRefused(
                f"Gói {package.path.name} bị từ chối: sửa đổi {edit.id} (trường {edit.field}) có giá trị "
                f"không dùng được — {error}. Chưa tổng hợp gói nào; hãy đề nghị "
                f"{package.manifest.sender_name} cập nhật chương trình, kiểm tra lại dữ liệu rồi gửi gói mới."
            )


def _plan(ws: Workspace, packages: Sequence[Package], known: set[str]) -> MergePlan:
    members = {m.id for m in ws.members()}
    seen = set(known)
    reports, warnings, unknown = [], [], []
    for package in packages:
        manifest = package.manifest
        new = [e for e in package.edits if e.id not in seen]
        seen.update(e.id for e in new)
        known_sender = manifest.sender_id in members
        if manifest.since_last and manifest.format_version < 2:
            warnings.append(
                f"Gói {package.path.name}: gói «chỉ phần mới» theo định dạng cũ (phiên bản "
                f"{manifest.format_version}) không cho biết gói trước đó; nếu {manifest.sender_name} đã gửi gói "
                "nào trước mà chưa được tổng hợp, dữ liệu của gói đó sẽ thiếu. Khi nghi ngờ, hãy đề nghị gửi "
                "gói đầy đủ."
            )
        if not known_sender:
            unknown.append(manifest.sender_name)
            warnings.append(
                f"Gói {package.path.name}: người gửi «{manifest.sender_name}» (máy {manifest.device_id}) "
                "không phải thành viên Tổ thẩm định của đợt này. Chỉ tổng hợp khi chắc chắn nguồn gửi."
            )
        strangers = {e.author for e in new if e.author not in members and e.author != SYSTEM_AUTHOR}
        strangers.discard(manifest.sender_id)
        if strangers:
            warnings.append(
                f"Gói {package.path.name}: có sửa đổi của {len(strangers)} người không thuộc Tổ thẩm định."
            )
        reports.append(
            PackagePlan(
                package.path,
                manifest.sender_id,
                manifest.sender_name,
                known_sender,
                manifest.device_id,
                manifest.created_at,
                len(package.edits),
                len(new),
                len(package.edits) - len(new),
                len(package.attachments),
            )
        )
    changes, held = _authority(ws, packages, known)
    return MergePlan(tuple(packages), tuple(reports), tuple(warnings), tuple(unknown), changes, held)


#: Field kinds whose every change the lead sees before accepting (domain.md §9).
SHOWN_KINDS = frozenset(
    {
        authority.STATUS,
        authority.MEMBER,
        authority.ROUND_SETTING,
        authority.RULES,
        authority.CATALOG,
        authority.AGENCY,
        authority.VISIT_DATE,
        authority.UNKNOWN,
    }
)


def _authority(
    ws: Workspace, packages: Sequence[Package], known: set[str]
) -> tuple[tuple[str, ...], tuple[conflict_text.HeldEdit, ...]]:
    """The changes of authority the packages bring, and what the merged set would hold (and why)."""
    arriving = {e.id: e for p in packages for e in p.edits if e.id not in known}
    if not arriving:
        return (), ()
    by_scope = ws.edits_by_scope()
    for edit in arriving.values():
        by_scope.setdefault(repository.scope_of(edit.field), []).append(edit)
    after = authority.derive_all(by_scope, repository.ROUND_SCOPE)
    changes = []
    for edit in sorted(arriving.values(), key=lambda e: (e.field, e.created_at, e.id)):
        if authority.kind_of(edit.field) in SHOWN_KINDS:
            place, _code, what = conflict_text.field_label(ws, edit.field)
            text = conflict_text.value_text(ws, edit.field, edit.value)
            changes.append(f"{place} — {what}: {text} (do {ws.member_name(edit.author)})")
    held = []
    for scope, state in after.items():
        before = ws.state(scope).held_reasons
        for edit in state.held:
            if edit.id not in before:
                held.append(conflict_text.held_edit(ws, edit, state.held_reasons[edit.id]))
    return tuple(changes), tuple(held)
