"""Plan a merge (docs/rules.md §7): read and check every package before anything is written.

The checks (closed under parents, no tampering, chains of «chỉ phần mới» packages, values that
fit their fields) are described in services.merge, which re-exports the public names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ictappraise.domain import authority
from ictappraise.domain.editlog import Edit, LogState, canonical
from ictappraise.domain.fields import FOUNDING_FIELD
from ictappraise.io import exchange
from ictappraise.io.exchange import Package, PackageError
from ictappraise.services import conflicts as conflict_text
from ictappraise.services import field_values
from ictappraise.services.merge_graph import check_graph
from ictappraise.services.package_export import stored_round_key
from ictappraise.services.workspace import SYSTEM_AUTHOR, ServiceError, Workspace
from ictappraise.store import repository
from ictappraise.store.database import SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the repository runs the queries

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
    #: New edits the roster will hold, with why; keys announced for the lead to admit (§9).
    untrusted: tuple[tuple[Edit, str], ...] = ()
    announced: tuple[tuple[str, str], ...] = ()
    #: Who would found this (not yet founded) round with the package's founding edit.
    founding: str | None = None
    #: Status, team and round-setting changes the packages bring, each with its author (words).
    authority_changes: tuple[str, ...] = ()
    #: What merging would hold, and why (words): kept, listed, not applied.
    to_hold: tuple[conflict_text.HeldEdit, ...] = ()

    @property
    def needs_confirmation(self) -> bool:
        """True when the lead must see the plan first (docs/rules.md §9): a sender outside the team,
        a status, team or round-setting change, anything that would be held (an untrusted key
        included), a key announced, or a round's founding arriving."""
        return bool(
            self.unknown_senders
            or self.authority_changes
            or self.to_hold
            or self.untrusted
            or self.announced
            or self.founding
        )

    @property
    def new_edits(self) -> int:
        return sum(r.new for r in self.reports)


def plan_merge(ws: Workspace, paths: Sequence[str | Path], progress: Progress | None = None) -> MergePlan:
    """Read and check every package; say what merging would do. Writes nothing."""
    if not paths:
        raise MergeRefused("Chưa chọn gói dữ liệu nào để tổng hợp.")
    with ws.db.reading() as session:
        round_key = stored_round_key(session)
    packages = []
    for index, path in enumerate(paths):
        if progress:
            progress(index, len(paths), f"Đang kiểm tra {Path(path).name}…")
        try:
            packages.append(exchange.read_package(path, round_key=round_key, schema_version=SCHEMA_VERSION))
        except PackageError as error:
            raise MergeRefused(str(error)) from error
    with ws.db.reading() as session:
        known = repository.edit_ids(session)
        _check_consistent(session, packages, known)
        arriving = {e.id: e for p in packages for e in p.edits if e.id not in known}
        context = field_values.merge_context(session, arriving.values())
    with ws.db.reading() as session:
        _check_signatures(session, packages, known)
    _check_founding(ws, packages)
    _check_closed(packages, known)
    with ws.db.reading() as session:
        check_graph(session, packages, known, MergeRefused)
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
    for row in repository.stored_rows(session, stored):
        edit, package = batch[row.id]
        if not _matches_row(edit, row):
            raise _tampered(package, edit)


def _same(a: Edit, b: Edit) -> bool:
    return a == b and canonical(a.value) == canonical(b.value)


def _matches_row(edit: Edit, row: Any) -> bool:
    """An edit equals its stored row (fast path: the store's own JSON text)."""
    plain = (row.field, row.author, row.device, row.created_at, row.reason, row.key, row.signature)
    if plain != (
        edit.field,
        edit.author,
        edit.device,
        edit.created_at,
        edit.reason,
        edit.key,
        edit.signature,
    ):
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


def _check_signatures(session: Session, packages: Sequence[Package], known: set[str]) -> None:
    """Every new signed edit's signature must verify (docs/rules.md §9); one bad refuses the merge.

    A write is signed once for all its edits, so new edits are grouped by key and signature
    and each group verified once (with the group's edits this file already holds, if any).
    Only edits this file does not hold are verified, here at the boundary: derive() never
    verifies. Unsigned edits pass here and are held by the roster unless vouched for.
    """
    from ictappraise.io.keys import verify_batch

    seen = set(known)
    groups: dict[tuple[str | None, str | None], list[tuple[Edit, Package]]] = {}
    for package in packages:
        for edit in package.edits:
            if edit.id not in seen:
                seen.add(edit.id)
                if edit.key is not None or edit.signature is not None:
                    groups.setdefault((edit.key, edit.signature), []).append((edit, package))
    for (_key, signature), members in groups.items():
        edits = [edit for edit, _package in members]
        if verify_batch(edits):
            continue
        if signature is not None:  # part of the write may have arrived before
            stored = repository_edits_signed(session, signature)
            if verify_batch([*edits, *(e for e in stored if e.id not in {x.id for x in edits})]):
                continue
        edit, package = members[0]
        raise MergeRefused(
            f"Gói {package.path.name} bị từ chối: chữ ký của sửa đổi {edit.id} (trường {edit.field}) "
            "không hợp lệ — sửa đổi đã bị thay đổi sau khi ký hoặc chữ ký bị giả. Chưa tổng hợp gói nào."
        )


def repository_edits_signed(session: Session, signature: str) -> list[Edit]:
    """Stored edits carrying one signature (a write of which some edits arrived earlier)."""
    from ictappraise.store import repository

    return repository.load_edits_signed(session, signature)


def _check_founding(ws: Workspace, packages: Sequence[Package]) -> None:
    """One founding (docs/rules.md §9): a package of a round founded elsewhere is foreign."""
    ws.state()
    ours = ws.roster.founding_id
    for package in packages:
        for edit in package.edits:
            if edit.field == FOUNDING_FIELD and ours is not None and edit.id != ours:
                raise MergeRefused(
                    f"Gói {package.path.name} thuộc một đợt đánh giá khác: đợt trong gói do "
                    f"«{_founder_name(edit)}» lập riêng trên máy khác, không phải đợt trong tệp này "
                    "(mỗi đợt chỉ lập một lần, các thành viên bắt đầu từ tệp hoặc gói của Tổ trưởng). "
                    "Chưa tổng hợp gói nào."
                )


def _founder_name(edit: Edit) -> str:
    value = edit.value if isinstance(edit.value, dict) else {}
    return str(value.get("name") or edit.author)[:80]


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
    arriving = {e.id: e for p in packages for e in p.edits if e.id not in known}
    after = _merged_states(ws, arriving)
    untrusted, announced = _trust_preview(ws, arriving, after)
    # What the roster holds is listed with everything else merging would hold (to_hold).
    for fingerprint, name in announced:
        warnings.append(
            f"Khóa mới của «{name}», vân tay {fingerprint}: chỉ công nhận sau khi đối chiếu vân tay với "
            "người đó (ictappraise admit-key)."
        )
    founding = _arriving_founding(ws, packages)
    if founding is not None:
        warnings.append(
            f"Gói mang khóa gốc của đợt do «{founding}» lập: sau khi tổng hợp, «{founding}» là Tổ trưởng gốc "
            "của đợt trên máy này và mọi sửa đổi chưa ký khác bị giữ lại. Chỉ đồng ý khi gói đến từ Tổ trưởng."
        )
    changes, held = _authority(ws, arriving, after)
    return MergePlan(
        tuple(packages),
        tuple(reports),
        tuple(warnings),
        tuple(unknown),
        untrusted=untrusted,
        announced=announced,
        founding=founding,
        authority_changes=changes,
        to_hold=held,
    )


def _arriving_founding(ws: Workspace, packages: Sequence[Package]) -> str | None:
    """The founder named by a package's founding edit when this file has none yet (the upgrade
    reaching a member): trusting a round's root is the person's decision, so it is asked."""
    ws.state()
    if ws.roster.founded:
        return None
    for package in packages:
        for edit in package.edits:
            if edit.field == FOUNDING_FIELD:
                return _founder_name(edit)
    return None


def _merged_states(ws: Workspace, arriving: dict[str, Edit]) -> dict[str, LogState]:
    """Every scope as it would be derived after the merge (empty when nothing new arrives)."""
    if not arriving:
        return {}
    by_scope = ws.edits_by_scope()
    for edit in arriving.values():
        by_scope.setdefault(repository.scope_of(edit.field), []).append(edit)
    return authority.derive_all(by_scope, repository.ROUND_SCOPE)


def _trust_preview(
    ws: Workspace, arriving: dict[str, Edit], after: dict[str, LogState]
) -> tuple[tuple[tuple[Edit, str], ...], tuple[tuple[str, str], ...]]:
    """What the roster (with the arriving round edits) will hold, and the keys announced."""
    from ictappraise.domain.signing import fingerprint

    ws.state()
    merged = after.get(repository.ROUND_SCOPE)
    roster = (merged.roster if merged else None) or ws.roster
    held = tuple((e, r) for e in arriving.values() if (r := roster.hold_reason(e)) is not None)
    announced = tuple(
        (fingerprint(key), name)
        for key, (_member, name, _title) in roster.announced.items()
        if key not in ws.roster.announced
    )
    return held, announced


#: Field kinds whose every change the lead sees before accepting (docs/rules.md §9).
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
    ws: Workspace, arriving: dict[str, Edit], after: dict[str, LogState]
) -> tuple[tuple[str, ...], tuple[conflict_text.HeldEdit, ...]]:
    """The changes of authority the packages bring, and what the merged set would hold (and why)."""
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
