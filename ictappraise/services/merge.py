"""Exchange and merge (domain.md §7): export packages, merge them, list and resolve conflicts.

Merging is the union of edit logs by UUID, so any order and any repetition give the same
state; the state itself is ``derive()``'s business. What this module adds:

* a package is read and checked completely (io.exchange) and planned before anything is
  written; a sender who is not a member of the team is shown in the plan, and
  ``merge_packages`` refuses it unless the caller says it was shown;
* all packages of one merge are applied in ONE transaction: killed midway, the database
  is as it was;
* **[decided]** a package whose edits name parents (or a status basis) that neither the
  database nor the packages of this merge hold is refused, whole: accepting it would show
  conflicts against ancestors that simply have not arrived yet. Every database therefore
  stays closed under parents, and a full package (not "since the last export") always
  merges. The sender is told to send a full package;
* an edit id already known with a different content is refused as tampering, because
  keeping either copy silently would let laptops diverge;
* a «chỉ phần mới» package names the package it continues (format 2): it is refused
  unless the database, or the packages of this merge, hold that package's edits. A lost
  package would otherwise go unnoticed whenever the next one does not build on its edits;
* every new edit's value must fit its field (services.field_values): a package with a
  value the program could not use is refused whole, naming the edit, the field and why.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ictappraise.domain.editlog import Edit, canonical
from ictappraise.io import exchange
from ictappraise.io.exchange import Continues, Origin, Package, PackageError
from ictappraise.services import conflicts as conflict_text
from ictappraise.services import field_values
from ictappraise.services.conflicts import current_conflict, resolve_conflict, resolve_pick
from ictappraise.services.workspace import SYSTEM_AUTHOR, ServiceError, Workspace, now_iso
from ictappraise.store import backup, repository
from ictappraise.store.database import SCHEMA_VERSION, StoreError
from ictappraise.store.models import EditRow

__all__ = [
    "ExportResult",
    "MergePlan",
    "MergeRefused",
    "MergeSummary",
    "PackagePlan",
    "apply_merge",
    "current_conflict",
    "describe_plan",
    "describe_summary",
    "export_package",
    "list_conflicts",
    "list_held",
    "merge_packages",
    "plan_merge",
    "resolve_conflict",
    "resolve_pick",
]

Progress = Callable[[int, int, str], None]
EXPORT_SEQ_KEY = "exchange/last_export_seq/"
# The last export of a device that held edits: {"package_id", "created_at", "from", "to"} (seq range).
EXPORT_CHAIN_KEY = "exchange/last_export_chain/"
EXPORT_INFO_KEY = "exchange/last_export"
MERGE_INFO_KEY = "exchange/last_merge"


class MergeRefused(ServiceError):
    """A package or a merge the rules refuse; nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    edits: int
    attachments: int
    since_last: bool


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

    @property
    def needs_confirmation(self) -> bool:
        """True when a sender is not a member of the team: show the plan first."""
        return bool(self.unknown_senders)

    @property
    def new_edits(self) -> int:
        return sum(r.new for r in self.reports)


@dataclass(frozen=True)
class MergeSummary:
    """What a merge did."""

    packages: tuple[PackagePlan, ...]
    new_edits: int
    duplicates: int
    attachments: int
    new_conflicts: tuple[conflict_text.Conflict, ...]
    held: tuple[conflict_text.HeldEdit, ...]
    unknown_senders: tuple[str, ...] = field(default=())


# -- export --------------------------------------------------------------------------------------


def export_package(ws: Workspace, path: str | Path, *, since_last: bool = False) -> ExportResult:
    """Write every edit this file holds (or those since this device's last export) to a package."""
    actor = ws.require_actor()
    member = ws.member(actor.member_id)
    if member is None:
        raise ServiceError("Người gửi phải là thành viên Tổ thẩm định của đợt này.")
    target = Path(path).expanduser()
    if target.suffix.lower() != exchange.SUFFIX:
        target = target.with_name(target.name + exchange.SUFFIX)
    if not target.parent.is_dir():
        raise ServiceError(f"Không có thư mục {target.parent}.")
    seq_key = EXPORT_SEQ_KEY + actor.device_id
    chain_key = EXPORT_CHAIN_KEY + actor.device_id
    with ws.db.reading() as session:
        round_key = _round_key(session)
        seq = repository.last_seq(session)
        start = int(repository.get_local(session, seq_key) or 0) if since_last else 0
        edits = repository.load_edits_since(session, start)
        digests = sorted(_attachment_digests(edits) & repository.attachment_digests(session))
        continues = _previous_export(session, chain_key, start) if since_last and start else None
        origin = Origin(
            round_key,
            SCHEMA_VERSION,
            member.id,
            member.name,
            actor.device_id,
            now_iso(),
            _version(),
            since_last,
            str(uuid.uuid4()),
            continues,
        )
        blobs = ((d, repository.get_attachment(session, d) or b"") for d in digests)
        exchange.write_package(target, origin, edits, blobs)
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
    query = select(EditRow.id).where(EditRow.seq > low, EditRow.seq <= high).order_by(EditRow.seq)
    return Continues(package_id, created_at, tuple(session.scalars(query)))


def _attachment_digests(edits: Iterable[Edit]) -> set[str]:
    found = set()
    for edit in edits:
        parts = edit.field.split("/")
        if len(parts) == 6 and parts[4] == "attachment" and edit.value:
            found.add(parts[5])
    return found


def _round_key(session: Any) -> str:
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


# -- merge ---------------------------------------------------------------------------------------


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
    return MergePlan(tuple(packages), tuple(reports), tuple(warnings), tuple(unknown))


def apply_merge(ws: Workspace, plan: MergePlan, progress: Progress | None = None) -> MergeSummary:
    """Apply a plan in one transaction (all packages or none) and report what changed."""
    for package in plan.packages:
        if exchange.file_digest(package.path) != package.digest:
            raise MergeRefused(f"Gói {package.path.name} đã thay đổi sau khi kiểm tra; hãy tổng hợp lại.")
    ws.state()  # the cache must hold the state before the merge: the summary compares with it
    ws.db.check_still_there()
    if plan.new_edits:
        _backup(ws)
    reports, stored, new_edits = [], 0, []
    with ws.db.transaction() as session:
        have = repository.attachment_digests(session)
        for index, (package, report) in enumerate(zip(plan.packages, plan.reports, strict=True)):
            if progress:
                progress(index, len(plan.packages), f"Đang tổng hợp {package.path.name}…")
            new = repository.append_edits(session, package.edits)
            new_edits.extend(new)
            wanted = [d for d in package.attachments if d not in have]
            for digest, data in exchange.read_attachments(package, wanted):
                repository.put_attachment(session, data)
                have.add(digest)
                stored += 1
            reports.append(replace(report, new=len(new), duplicates=report.edits - len(new)))
        if progress:
            progress(len(plan.packages), len(plan.packages), "Đang ghi vào tệp dữ liệu…")
        record = {"at": now_iso(), "by": ws.actor.name if ws.actor else None}
        record["packages"] = [str(p.path) for p in plan.packages]
        repository.set_local(session, MERGE_INFO_KEY, json.dumps(record, ensure_ascii=False))
    scopes = {repository.scope_of(e.field) for e in new_edits}
    before = _snapshot(ws, scopes)  # still the cached state of before the merge
    if scopes:
        ws.refresh(scopes)
    return _summary(ws, plan, reports, stored, before, scopes)


def _backup(ws: Workspace) -> None:
    """A rotating backup first: merged edits cannot be taken out again, a backup can be restored."""
    try:
        backup.backup_database(ws.db, backup.REASON_MERGE)
    except (StoreError, OSError) as error:
        raise MergeRefused(
            f"Không sao lưu được tệp dữ liệu trước khi tổng hợp ({error}). Chưa tổng hợp gì; "
            "hãy kiểm tra dung lượng ổ đĩa rồi thử lại."
        ) from error


def _snapshot(ws: Workspace, scopes: Iterable[str]) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """Conflicting fields (with their heads) and held edit ids of some scopes."""
    conflicts: dict[str, tuple[str, ...]] = {}
    held: set[str] = set()
    for scope in scopes:
        state = ws.state(scope)
        conflicts.update({fs.field: fs.head_ids for fs in state.conflicts()})
        held.update(e.id for e in state.held)
    return conflicts, held


def _summary(
    ws: Workspace,
    plan: MergePlan,
    reports: list[PackagePlan],
    stored: int,
    before: tuple[dict[str, tuple[str, ...]], set[str]],
    scopes: set[str],
) -> MergeSummary:
    if not scopes:  # nothing new: nothing to compare
        return MergeSummary(
            tuple(reports), 0, sum(r.duplicates for r in reports), stored, (), (), plan.unknown_senders
        )
    conflicts_after, held_after = _snapshot(ws, scopes)
    fresh = {f for f, heads in conflicts_after.items() if before[0].get(f) != heads}
    new_conflicts = [c for c in conflict_text.list_conflicts(ws, scopes=scopes) if c.field in fresh]
    held = [h for h in conflict_text.list_held(ws, scopes=scopes) if h.edit.id in held_after - before[1]]
    return MergeSummary(
        packages=tuple(reports),
        new_edits=sum(r.new for r in reports),
        duplicates=sum(r.duplicates for r in reports),
        attachments=stored,
        new_conflicts=tuple(new_conflicts),
        held=tuple(held),
        unknown_senders=plan.unknown_senders,
    )


def merge_packages(
    ws: Workspace,
    paths: Sequence[str | Path],
    progress: Progress | None = None,
    *,
    accept_unknown: bool = False,
) -> MergeSummary:
    """Plan and apply; a package from outside the team is refused unless accept_unknown."""
    plan = plan_merge(ws, paths, progress)
    if plan.needs_confirmation and not accept_unknown:
        raise MergeRefused(" ".join(plan.warnings) + " Chưa tổng hợp gì; hãy xem lại rồi xác nhận.")
    return apply_merge(ws, plan, progress)


# -- conflicts -----------------------------------------------------------------------------------


def list_conflicts(ws: Workspace, agency_id: str | None = None) -> list[conflict_text.Conflict]:
    """Open conflicts (of one agency, or all: round settings first, then agencies)."""
    scopes = None if agency_id is None else {agency_id}
    return conflict_text.list_conflicts(ws, scopes=scopes)


def list_held(ws: Workspace, agency_id: str | None = None) -> list[conflict_text.HeldEdit]:
    """Edits held because they reached a signed visit (kept, not applied), for the lead."""
    scopes = None if agency_id is None else {agency_id}
    return conflict_text.list_held(ws, scopes=scopes)


# -- words ---------------------------------------------------------------------------------------


def describe_plan(plan: MergePlan) -> list[str]:
    """The plan in Vietnamese lines (CLI and dialogs)."""
    lines = []
    for r in plan.reports:
        who = r.sender_name if r.sender_known else f"{r.sender_name} (KHÔNG thuộc Tổ thẩm định)"
        lines.append(
            f"{r.path.name}: từ {who}, tạo lúc {conflict_text.time_text(r.created_at)} — {r.edits} sửa đổi, {r.new} mới, "
            f"{r.duplicates} đã có, {r.attachments} tệp minh chứng."
        )
    return lines + [f"Cảnh báo: {w}" for w in plan.warnings]


def describe_summary(summary: MergeSummary) -> list[str]:
    """The result of a merge in Vietnamese lines."""
    lines = [
        f"{r.path.name} ({r.sender_name}): {r.new} sửa đổi mới, {r.duplicates} đã có (bỏ qua)."
        for r in summary.packages
    ]
    lines.append(
        f"Tổng cộng: {summary.new_edits} sửa đổi mới, {summary.duplicates} trùng, "
        f"{summary.attachments} tệp minh chứng mới."
    )
    if summary.new_conflicts:
        lines.append(f"Xung đột mới cần Tổ trưởng giải quyết: {len(summary.new_conflicts)}.")
        lines += [f"  - {c.title}" for c in summary.new_conflicts]
    else:
        lines.append("Không có xung đột mới.")
    if summary.held:
        lines.append(f"Sửa đổi bị giữ lại vì biên bản đã ký: {len(summary.held)}.")
        lines += [f"  - {h.title} ({h.author_name})" for h in summary.held]
    if summary.unknown_senders:
        lines.append("Người gửi không thuộc Tổ thẩm định: " + ", ".join(summary.unknown_senders) + ".")
    return lines
