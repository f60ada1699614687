"""A database whose edit graph loops (docs/rules.md §9): open it anyway, say what is wrong, offer a backup.

Older builds merged packages whose edits named each other as parents. Such a field may have
no head at all; ``derive()`` then reads it as absent instead of crashing. This module puts
the damage into Vietnamese words and finds the backup taken before the merge that brought
it: the newest backup that holds none of the looping edits, preferring those taken just
before a merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from ictappraise.domain.fields import agency_of
from ictappraise.services.errors import ServiceError
from ictappraise.services.workspace import Workspace
from ictappraise.store import backup


@dataclass(frozen=True)
class GraphDamage:
    """Fields whose edits loop, the edits on the loops, and the backup from before them."""

    fields: tuple[str, ...]
    edit_ids: tuple[str, ...]
    backup: backup.BackupInfo | None

    def message(self, ws: Workspace) -> str:
        """What is wrong and what to do, in Vietnamese."""
        where = [_where(ws, name) for name in self.fields[:5]]
        more = f" và {len(self.fields) - 5} trường khác" if len(self.fields) > 5 else ""
        text = (
            f"Tệp dữ liệu có {len(self.fields)} trường bị hỏng: các sửa đổi của trường tạo thành vòng lặp "
            f"({len(self.edit_ids)} sửa đổi), thường do đã tổng hợp một gói bị sửa tay bằng phiên bản cũ. "
            f"Giá trị của các trường này có thể sai hoặc bị coi là chưa nhập: {'; '.join(where)}{more}. "
        )
        if self.backup is None:
            return text + "Không tìm thấy bản sao lưu nào từ trước khi lỗi xuất hiện; hãy báo Tổ trưởng."
        return text + (
            f"Nên khôi phục bản sao lưu {self.backup.describe()} (tệp {self.backup.path.name}), bản có trước "
            "lần tổng hợp đã đưa lỗi vào: «Tệp → Sao lưu và khôi phục…» trong cửa sổ chương trình."
        )


def find_damage(ws: Workspace) -> GraphDamage | None:
    """The looping fields of the open database, or None when its graph is sound."""
    fields: list[str] = []
    ids: list[str] = []
    for state in ws.scope_states().values():
        fields += state.broken
        ids += state.looping
    if not ids:
        return None
    return GraphDamage(tuple(fields), tuple(ids), _backup_before(ws, ids))


def refuse_if_damaged(ws: Workspace, doing: str) -> None:
    """A package must not carry a loop onward: refuse (ServiceError) while the graph is damaged."""
    damage = find_damage(ws)
    if damage is not None:
        raise ServiceError(f"Không thể {doing}. {damage.message(ws)}")


def _backup_before(ws: Workspace, ids: list[str]) -> backup.BackupInfo | None:
    found = backup.list_backups(ws.db.path)  # newest first
    merges = [info for info in found if info.reason == backup.REASON_MERGE]
    return next((info for info in [*merges, *found] if info.holds_any(ids) is False), None)


def _where(ws: Workspace, field_name: str) -> str:
    # Only when a file is damaged: every file's opening checks, so this stays off its path.
    from ictappraise.services.field_text import field_title

    agency = agency_of(field_name)
    title = field_title(field_name)
    if agency is None:
        return title
    try:
        return f"{ws.agency(agency).name} — {title}"
    except ServiceError:
        return title
