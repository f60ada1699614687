"""The checks every local write passes (services.workspace): value, trust, authority, signed results.

Each refuses with a Vietnamese ServiceError what a merge of the same edit would refuse or hold
(docs/rules.md §9), so nothing is written that could not apply: a value that does not fit its
field as declared (domain.fields), an edit the roster would hold, a change the authority table
forbids, a round change that would alter a signed agency's band.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ictappraise.domain import authority
from ictappraise.domain.editlog import SIGNED_HELD, Edit, FieldState, held_edits
from ictappraise.domain.fields import (
    FOUNDING_FIELD,
    is_announcement,
    is_roster_field,
    parse_field,
    rating_category,
    rating_fields,
)
from ictappraise.domain.text_safety import forbidden_problem
from ictappraise.services import field_values, reading
from ictappraise.services.errors import ServiceError, VisitLocked

if TYPE_CHECKING:
    from ictappraise.services.workspace import Actor, Change, Workspace


def checked(change: Change) -> Change:
    """The change, when its value fits its field as declared (domain.fields): the check a
    merge applies too, so a package can do nothing the screen refuses; else ServiceError."""
    problem = forbidden_problem(change.value) or forbidden_problem(change.reason)
    if problem:
        raise ServiceError(f"{field_values.field_title(change.field)}: {problem}.")
    problem = field_values.value_problem(change.field, change.value)
    if problem:
        raise ServiceError(f"{problem}.")
    return change


def check_trusted(ws: Workspace, edit: Edit, actor: Actor) -> None:
    """Refuse a write the roster would hold (docs/rules.md §9): never accept what cannot apply."""
    if edit.key is None:
        raise ServiceError(
            f"Máy này không có khóa của {actor.name or 'người đang thao tác'} được Tổ trưởng công nhận, "
            "nên không ghi được thay đổi nào dưới tên này."
        )
    if edit.field == FOUNDING_FIELD or (
        is_roster_field(edit.field) and not ws.roster.is_lead_key(edit.key, edit.author)
    ):
        raise ServiceError(
            "Chỉ Tổ trưởng, ký bằng khóa của mình, mới thay đổi được Tổ thẩm định, vai trò và khóa."
        )
    reason = ws.roster.hold_reason(edit)
    if reason is not None:
        raise ServiceError(
            f"Không ghi được: sửa đổi này {reason}. Hãy gửi gói dữ liệu cho Tổ trưởng để Tổ trưởng "
            "đối chiếu vân tay và công nhận khóa của máy này."
        )


def check_authority(ws: Workspace, change: Change, current: FieldState | None, actor: Actor) -> None:
    """The one authority table (domain.authority), as a merge would judge the same edit."""
    if is_announcement(change.field) and parse_field(change.field).member_id == actor.member_id:
        return  # a newcomer announces their own key: judged by the roster (self-signed)
    role = ws.roster.role_of(actor.member_id)
    if role is None:
        raise ServiceError(
            f"{actor.name or actor.member_id} không có trong Tổ thẩm định của đợt này: "
            "không ghi được thay đổi."
        )
    replaced = [head.value for head in current.heads] if current else []
    problem = authority.authority_problem(
        change.field, change.value, role, replaced=replaced, author=actor.member_id
    )
    if problem is not None:
        raise ServiceError(problem[0].upper() + problem[1:] + ".")


def rating_heads(ws: Workspace, agency_id: str) -> tuple[str, ...]:
    """The heads of the round fields this agency is rated with (a signing's basis)."""
    category = reading.agency(agency_id, ws.state(agency_id))
    if category is None:
        return ()
    names = rating_fields(category.category)
    return tuple(sorted(h for name in names for h in ws.state().heads(name)))


def check_signed_results(ws: Workspace, field_name: str) -> None:
    """Signed minutes are final: refuse round changes that would change their band."""
    category = rating_category(field_name)
    if category is False:
        return
    signed = [a.name for a in ws.agencies() if category in (None, a.category) and ws.is_signed(a.id)]
    if signed:
        listed = ", ".join(signed[:5]) + ("…" if len(signed) > 5 else "")
        raise ServiceError(
            f"Không thể thay đổi: biên bản đã ký của {listed} sẽ đổi kết quả. "
            "Tổ trưởng mở lại các biên bản đó (có lý do) trước khi sửa."
        )


def check_unlocked(ws: Workspace, stored: Iterable[Edit], agency_id: str, edit: Edit) -> None:
    """Refuse an edit the signing rule would hold: never accept a write that cannot apply."""
    # Edits held for authority (a forged signing, say) lock nothing: judge the others only.
    reasons = ws.state(agency_id).held_reasons
    pool = [e for e in stored if reasons.get(e.id, SIGNED_HELD) == SIGNED_HELD]
    if edit.id not in held_edits({e.id: e for e in [*pool, edit]}):
        return
    found = reading.agency(agency_id, ws.state(agency_id))
    label = found.name if found else agency_id
    raise VisitLocked(
        f"Biên bản thẩm định của {label} đã ký nên điểm, dữ kiện và thông tin buổi thẩm định "
        "đã khóa. Muốn sửa, Tổ trưởng phải mở lại biên bản và ghi rõ lý do."
    )
