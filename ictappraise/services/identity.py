"""Who acts on this laptop: from the saved identity to a team member of the round."""

from __future__ import annotations

import uuid

from ictappraise.domain.fields import member_field
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.settings import Identity


def actor_for(ws: Workspace, identity: Identity, device_id: str) -> Actor:
    """The member with this identity's name; a new member is added (as their own edit)."""
    member = ws.find_member(identity.name)
    if member is not None:
        return Actor(member.id, device_id, member.name, member.role)
    member_id = str(uuid.uuid4())
    ws.actor = Actor(member_id, device_id, identity.name, identity.role)
    ws.write(
        [
            Change(member_field(member_id, "name"), identity.name),
            Change(member_field(member_id, "title"), identity.title),
            Change(member_field(member_id, "role"), identity.role),
        ]
    )
    return ws.actor


def lead_actor(ws: Workspace, device_id: str) -> Actor | None:
    """The round's lead (used by the demo: the app acts as the demo team's lead)."""
    lead = next((m for m in ws.members() if m.role == "lead"), None)
    return None if lead is None else Actor(lead.id, device_id, lead.name, lead.role)
