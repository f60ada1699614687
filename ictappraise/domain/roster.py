"""Who is on the team and with which role: the input of every authority check (domain.md §9).

The roster is derived from the edit set (services pass it around as this small value). Until
edits are signed, a roster maps member ids to roles; a key-verified roster will be built
through ``roster_from_roles`` the same way, so nothing that reads a roster has to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ictappraise.roles import ROLE_LEAD

#: The author of a round's founding edits (the shipped or planned round, written once).
SYSTEM_AUTHOR = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Roster:
    """Member id → role ("lead", "member", "secretary")."""

    roles: Mapping[str, str] = field(default_factory=dict)

    def role_of(self, member_id: str) -> str | None:
        """The member's role, or None when the member is not on the team."""
        return self.roles.get(member_id)

    @property
    def leads(self) -> frozenset[str]:
        return frozenset(m for m, role in self.roles.items() if role == ROLE_LEAD)


def roster_from_roles(roles: Mapping[str, str]) -> Roster:
    """A roster from member id → role (copied, read-only)."""
    return Roster(MappingProxyType(dict(roles)))
