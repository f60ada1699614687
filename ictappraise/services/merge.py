"""Exchange and merge (docs/rules.md §7): export packages, merge them, list and resolve conflicts.

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

The export side lives in services.package_export, the planning side in services.merge_plan;
this module applies plans, lists conflicts and re-exports the public names of both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ictappraise.io import exchange
from ictappraise.services import conflicts as conflict_text
from ictappraise.services.conflicts import accept_held, current_conflict, resolve_conflict, resolve_pick
from ictappraise.services.merge_plan import MergePlan, MergeRefused, PackagePlan, Progress, plan_merge
from ictappraise.services.package_export import ExportResult, export_package
from ictappraise.services.workspace import Workspace, now_iso
from ictappraise.store import backup, repository

__all__ = [
    "ExportResult",
    "MergePlan",
    "MergeRefused",
    "MergeSummary",
    "PackagePlan",
    "accept_held",
    "apply_merge",
    "authority_lines",
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

MERGE_INFO_KEY = "exchange/last_merge"


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


def apply_merge(ws: Workspace, plan: MergePlan, progress: Progress | None = None) -> MergeSummary:
    """Apply a plan in one transaction (all packages or none) and report what changed."""
    for package in plan.packages:
        if exchange.file_digest(package.path) != package.digest:
            raise MergeRefused(f"Gói {package.path.name} đã thay đổi sau khi kiểm tra; hãy tổng hợp lại.")
    ws.state()  # the cache must hold the state before the merge: the summary compares with it
    ws.db.check_still_there()
    if plan.new_edits:
        backup.backup_before(ws.db, backup.REASON_MERGE, "tổng hợp", MergeRefused)
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
        record = {
            "at": now_iso(),
            "by": ws.actor.name if ws.actor else None,
            "packages": [str(p.path) for p in plan.packages],
        }
        repository.set_local(session, MERGE_INFO_KEY, json.dumps(record, ensure_ascii=False))
    scopes = {repository.scope_of(e.field) for e in new_edits}
    before = _snapshot(ws, scopes)  # still the cached state of before the merge
    if scopes:
        ws.refresh(scopes)
    return _summary(ws, plan, reports, stored, before, scopes)


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
    confirmed: bool = False,
) -> MergeSummary:
    """Plan and apply; a plan that needs the lead's confirmation (a sender outside the team, a
    status, team or round-setting change, something held) is refused unless the caller showed
    it and the lead confirmed (``confirmed``; ``accept_unknown`` is its older name)."""
    plan = plan_merge(ws, paths, progress)
    if plan.needs_confirmation and not (accept_unknown or confirmed):
        shown = [*plan.warnings, *authority_lines(plan)]
        raise MergeRefused(" ".join(shown) + " Chưa tổng hợp gì; hãy xem lại rồi xác nhận.")
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
    return lines + authority_lines(plan) + [f"Cảnh báo: {w}" for w in plan.warnings]


def authority_lines(plan: MergePlan) -> list[str]:
    """What the lead must see before accepting (docs/rules.md §9): authority changes, then what is held."""
    lines = []
    if plan.authority_changes:
        lines.append(f"Thay đổi trạng thái, Tổ thẩm định và thiết lập đợt ({len(plan.authority_changes)}):")
        lines += [f"  - {line}" for line in plan.authority_changes]
    if plan.to_hold:
        lines.append(f"Sẽ bị giữ lại, không áp dụng ({len(plan.to_hold)}):")
        lines += [f"  - {h.title} ({h.author_name}): {h.reason}" for h in plan.to_hold]
    return lines


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
        lines.append(f"Sửa đổi bị giữ lại, không áp dụng: {len(summary.held)}.")
        lines += [f"  - {h.title} ({h.author_name}): {h.reason}" for h in summary.held]
    if summary.unknown_senders:
        lines.append("Người gửi không thuộc Tổ thẩm định: " + ", ".join(summary.unknown_senders) + ".")
    return lines
