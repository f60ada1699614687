"""Who acts on this laptop: from the saved identity to a team member of the round."""

from __future__ import annotations

import uuid

from ictappraise.domain.roles import ROLE_LEAD, ROLE_MEMBER
from ictappraise.services.errors import ServiceError
from ictappraise.services.workspace import Actor, Workspace
from ictappraise.settings import Identity


def actor_for(ws: Workspace, identity: Identity, device_id: str) -> Actor:
    """The member with this identity's name; in a founded round a newcomer announces a key for the
    lead to admit; in a round not founded yet a name not on the team is refused."""
    from ictappraise.services import trust

    member = ws.find_member(identity.name)
    if member is not None:
        return _member_actor(ws, member.id, member.name, member.role, device_id)
    member_id = str(uuid.uuid4())
    ws.state()
    if ws.roster.founded:  # a newcomer: announce a key, the lead admits it
        ws.actor = Actor(member_id, device_id, identity.name, ROLE_MEMBER, trust.ensure_key(identity.name))
        trust.announce(ws, ws.actor, identity.title)
        return ws.actor
    # A round not yet founded with keys: only the lead adds people to the team (docs/rules.md §9),
    # so a name typed on this laptop never joins it, let alone as the lead.
    raise ServiceError(
        f"«{identity.name}» chưa có trong Tổ thẩm định của đợt này. Tổ trưởng thêm thành viên mới "
        "(Đợt đánh giá → Thiết lập đợt → Tổ thẩm định); hoặc chọn đúng tên của bạn trong danh sách."
    )


def _member_actor(ws: Workspace, member_id: str, name: str, role: str, device_id: str) -> Actor:
    """A member with their key on this laptop; in a round founded with keys, the lead of a
    round not yet founded founds it now (the upgrade, docs/rules.md §9)."""
    from ictappraise.services import trust

    signer = trust.signer_for(ws, member_id)
    if signer is None and not ws.roster.founded and role == ROLE_LEAD:
        actor = Actor(member_id, device_id, name, role, trust.ensure_key(name, member_id))
        trust.found_round(ws, actor)
        return actor
    if signer is None and ws.roster.founded:  # joining: this laptop's key, announced to the lead
        signer = trust.ensure_key(name, member_id)
        actor = Actor(member_id, device_id, name, role, signer)
        if signer.public_key not in ws.roster.announced:
            ws.actor = actor
            trust.announce(ws, actor)
        return actor
    return Actor(member_id, device_id, name, role, signer)


def lead_actor(ws: Workspace, device_id: str) -> Actor | None:
    """The round's lead (used by the demo: the app acts as the demo team's lead, with its key)."""
    from ictappraise.services.trust import signer_for

    lead = next((m for m in ws.members() if m.role == "lead"), None)
    if lead is None:
        return None
    return Actor(lead.id, device_id, lead.name, lead.role, signer_for(ws, lead.id))
