"""The team roster derived from the edit set, starting from the founder (docs/rules.md §9).

Pure functions, so every laptop derives the same roster from the same edits in any order.

Fields that carry trust (besides ordinary ``member/<id>/<name|title|role|…>``)::

    round/founding                    {"member", "key", "name", "edits": [vouched ids]}
    round/adoption/<id>               {"edits": [ids]}  the lead vouches for unsigned edits
    member/<id>/key/<fingerprint>     {"key": public key} | {"revoked": true, "keeps": [ids]}
    member/<id>/announce/<fingerprint>  {"key", "name", "title"}  self-signed by that key

A round without a founding edit was written before signatures existed and has not been
adopted yet: nothing is held for want of a signature (``founded`` is False).

The roster is the input of every authority check (domain.authority). A round not founded
yet takes its roles from its member edits (``roster_from_roles``); see authority.team_roster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ictappraise.domain.editlog import Edit, canonical
from ictappraise.domain.fields import FOUNDING_FIELD, is_announcement, is_roster_field, parse_field
from ictappraise.domain.roles import ROLE_LEAD

# Why an edit is held (shown to the lead).
UNSIGNED = "chưa có chữ ký và chưa được Tổ trưởng xác nhận"
UNKNOWN_KEY = "ký bằng khóa chưa được Tổ trưởng công nhận"
WRONG_AUTHOR = "ký bằng khóa của người khác với người đứng tên"
REVOKED_KEY = "ký bằng khóa đã bị thu hồi"
NOT_LEAD = "thay đổi Tổ thẩm định, vai trò hoặc khóa không do Tổ trưởng ký"
SECOND_FOUNDING = "đợt đánh giá đã có người lập (chỉ lập một lần)"
BAD_ANNOUNCEMENT = "thông báo khóa không do chính khóa đó ký"

#: The author of a round's seed edits (the shipped or planned round, written once).
SYSTEM_AUTHOR = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Roster:
    """Who is on the team: roles by member id, admitted keys, and round edits held with why."""

    roles: Mapping[str, str] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)  # public key → member id
    held: Mapping[str, str] = field(default_factory=dict)  # edit id → reason
    founded: bool = False
    founding_id: str | None = None
    founder: str | None = None
    vouched: frozenset[str] = frozenset()
    revoked: Mapping[str, frozenset[str]] = field(default_factory=dict)  # key → edit ids kept
    announced: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)  # key → (member, name, title)

    def role_of(self, member_id: str) -> str | None:
        """The member's role, or None when the member is not on the team."""
        return self.roles.get(member_id)

    @property
    def leads(self) -> frozenset[str]:
        return frozenset(m for m, role in self.roles.items() if role == ROLE_LEAD)

    def is_lead_key(self, key: str | None, author: str) -> bool:
        """True when a key is admitted for this author and the author is a current lead."""
        return key is not None and self.keys.get(key) == author and self.roles.get(author) == ROLE_LEAD

    def hold_reason(self, edit: Edit) -> str | None:
        """Why the roster holds an edit of any scope, else None (cheap: dictionary lookups)."""
        if not self.founded:
            return None
        if edit.id in self.held:
            return self.held[edit.id]
        if is_roster_field(edit.field) or edit.field == FOUNDING_FIELD:
            return None  # decided by derive_roster: not in held means accepted
        if edit.key is None:
            return None if edit.id in self.vouched else UNSIGNED
        if is_announcement(edit.field):
            value = edit.value if isinstance(edit.value, Mapping) else {}
            ok = value.get("key") == edit.key and parse_field(edit.field).member_id == edit.author
            return None if ok else BAD_ANNOUNCEMENT
        owner = self.keys.get(edit.key)
        if owner is None:
            if edit.key in self.revoked:
                return None if edit.id in self.revoked[edit.key] else REVOKED_KEY
            return UNKNOWN_KEY
        return None if owner == edit.author else WRONG_AUTHOR


def _value(edit: Edit) -> Mapping[str, Any]:
    return edit.value if isinstance(edit.value, Mapping) else {}


def _founding(edits: Iterable[Edit]) -> tuple[Edit | None, dict[str, str]]:
    """The founding edit (the smallest valid id) and the other foundings, held."""
    candidates = sorted((e for e in edits if e.field == FOUNDING_FIELD), key=lambda e: e.id)
    held: dict[str, str] = {}
    chosen = None
    for edit in candidates:
        value = _value(edit)
        valid = edit.key is not None and value.get("key") == edit.key and value.get("member") == edit.author
        if chosen is None and valid:
            chosen = edit
        else:
            held[edit.id] = SECOND_FOUNDING
    return chosen, held


def derive_roster(edits: Iterable[Edit]) -> Roster:
    """The roster of a round's edits (the round scope suffices), deterministic from the set."""
    unique = {edit.id: edit for edit in edits}
    founding, held = _founding(unique.values())
    if founding is None:
        return Roster(held=held)
    founder = str(_value(founding)["member"])
    roster_edits = [e for e in unique.values() if is_roster_field(e.field)]
    accepted: set[str] = set()
    vouched = frozenset(str(i) for i in _value(founding).get("edits") or ())
    state = _Roster(founder, founding.key or "")
    while True:
        newly = [e for e in roster_edits if e.id not in accepted and state.accepts(e, vouched)]
        if not newly:
            break
        accepted.update(e.id for e in newly)
        state = _Roster.from_edits(founder, founding.key or "", [unique[i] for i in accepted])
        vouched = vouched | state.vouched
    for edit in roster_edits:
        if edit.id not in accepted:
            held[edit.id] = NOT_LEAD
    announced = {}
    for edit in unique.values():
        value = _value(edit)
        if is_announcement(edit.field) and value.get("key") == edit.key and edit.key:
            member = parse_field(edit.field).owner or ""
            announced[edit.key] = (member, str(value.get("name") or ""), str(value.get("title") or ""))
    return Roster(
        roles=state.roles,
        keys=state.keys,
        held=held,
        founded=True,
        founding_id=founding.id,
        founder=founder,
        vouched=vouched,
        revoked=state.revoked,
        announced={k: v for k, v in announced.items() if k not in state.keys},
    )


class _Roster:
    """Roles and keys from the heads of accepted roster edits (one step of the fixpoint)."""

    def __init__(self, founder: str, founder_key: str) -> None:
        self.roles: dict[str, str] = {founder: ROLE_LEAD}
        self.keys: dict[str, str] = {founder_key: founder}
        self.revoked: dict[str, frozenset[str]] = {}
        self.vouched: frozenset[str] = frozenset()

    def accepts(self, edit: Edit, vouched: frozenset[str]) -> bool:
        if edit.key is None:
            return edit.id in vouched
        signer = self.keys.get(edit.key)
        return signer == edit.author and self.roles.get(signer) == ROLE_LEAD

    @classmethod
    def from_edits(cls, founder: str, founder_key: str, accepted: list[Edit]) -> _Roster:
        state = cls(founder, founder_key)
        by_field: dict[str, list[Edit]] = defaultdict(list)
        for edit in accepted:
            by_field[edit.field].append(edit)
        vouched: set[str] = set()
        for name, group in by_field.items():
            value = _head_value(group)
            ref = parse_field(name)
            if ref.is_round("adoption") and len(ref.rest) > 1:
                vouched.update(str(i) for e in group for i in (_value(e).get("edits") or ()))
            elif ref.member_id is not None and ref.head == "role" and isinstance(value, str):
                state.roles[ref.member_id] = value
            elif ref.member_id is not None and ref.head == "key" and len(ref.rest) == 2:
                state._key(ref.member_id, value)
        state.vouched = frozenset(vouched)
        return state

    def _key(self, member: str, value: Any) -> None:
        value = value if isinstance(value, Mapping) else {}
        key = value.get("key")
        if not isinstance(key, str):
            return
        if value.get("revoked"):
            self.keys.pop(key, None)
            self.revoked[key] = frozenset(str(i) for i in value.get("keeps") or ())
        else:
            self.keys[key] = member


def _head_value(group: list[Edit]) -> Any:
    """The value of a field's heads; with disagreeing heads, the smallest canonical value (deterministic)."""
    replaced = {p for e in group for p in e.parents}
    heads = [e for e in group if e.id not in replaced] or group
    return min((e.value for e in heads), key=canonical)


def roster_from_roles(roles: Mapping[str, str]) -> Roster:
    """A roster of roles alone (a round not founded yet: nothing is judged by keys)."""
    return Roster(roles=MappingProxyType(dict(roles)))
