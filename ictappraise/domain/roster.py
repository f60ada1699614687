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

from ictappraise.domain.editlog import Edit, canonical, in_loops
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
NO_PAST = (
    "thay đổi Tổ thẩm định không ghi đã dựa trên Tổ thẩm định nào (có thể là của người đã thôi làm Tổ trưởng)"
)

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
    #: Accepted team changes (with the founding), the ones nothing was built on, and each one's
    #: past (team changes only): what an edit's own past is judged with (``roles_seen``).
    team: frozenset[str] = frozenset()
    team_heads: tuple[str, ...] = ()
    pasts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    judge: _Judge | None = field(default=None, compare=False, repr=False)

    def role_of(self, member_id: str) -> str | None:
        """The member's role, or None when the member is not on the team."""
        return self.roles.get(member_id)

    def roles_seen(self, refs: Iterable[str]) -> Mapping[str, str]:
        """The roles as they stood in a past that names these team changes (docs/rules.md §9)."""
        if self.judge is None:
            return self.roles
        seen = {r for r in refs if r in self.team}
        closure = seen.union(*(self.pasts[r] for r in seen))
        return self.judge.state(closure & self.team).roles

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
    """The roster of a round's edits (the round scope suffices), deterministic from the set.

    A team change is judged by the roster as it stood in its past (``team_pasts``): the
    accepted team changes it was built on, through its parents and basis, plus the founding
    team (the founder and what the founding vouched for). So a lead who handed over the role,
    or was demoted, keeps the changes made before and loses the power for changes made after
    the demotion they had seen (docs/rules.md §9). A signed team change that names no team
    change at all (every laptop names at least the founding) is held: else a demoted founder
    could claim to have seen nothing.
    """
    unique = {edit.id: edit for edit in edits}
    founding, held = _founding(unique.values())
    if founding is None:
        return Roster(held=held)
    founder = str(_value(founding)["member"])
    founder_key = founding.key or ""
    roster_edits = {e.id: e for e in unique.values() if is_roster_field(e.field)}
    pasts = team_pasts(unique, {*roster_edits, founding.id})
    vouched = set(str(i) for i in _value(founding).get("edits") or ())
    base = {i for i, e in roster_edits.items() if e.key is None and i in vouched}
    judge = _Judge(founder, founder_key, roster_edits, base)
    accepted = set(base)
    # A strict past has fewer team changes than the edit's own, so this order is causal.
    for edit_id in sorted(set(roster_edits) - base, key=lambda i: (len(pasts[i]), i)):
        edit = roster_edits[edit_id]
        if edit.key is None:
            continue  # unsigned: only when an adoption vouches for it (below)
        if not pasts[edit_id]:
            held[edit_id] = NO_PAST  # every laptop names at least the founding: a hand-made edit
            continue
        if judge.state(accepted & pasts[edit_id]).is_lead_key(edit.key, edit.author):
            accepted.add(edit_id)
            if parse_field(edit.field).is_round("adoption"):
                vouched.update(str(i) for i in _value(edit).get("edits") or ())
    accepted.update(i for i, e in roster_edits.items() if e.key is None and i in vouched)
    state = judge.state(accepted)
    held.update((i, NOT_LEAD) for i in roster_edits if i not in accepted and i not in held)
    announced = {}
    for edit in unique.values():
        value = _value(edit)
        if is_announcement(edit.field) and value.get("key") == edit.key and edit.key:
            member = parse_field(edit.field).owner or ""
            announced[edit.key] = (member, str(value.get("name") or ""), str(value.get("title") or ""))
    team = frozenset(accepted | {founding.id})
    return Roster(
        roles=state.roles,
        keys=state.keys,
        held=held,
        founded=True,
        founding_id=founding.id,
        founder=founder,
        vouched=frozenset(vouched),
        revoked=state.revoked,
        announced={k: v for k, v in announced.items() if k not in state.keys},
        team=team,
        team_heads=_heads_of(team, pasts, founding.id),
        pasts=MappingProxyType({i: pasts[i] for i in team}),
        judge=judge,
    )


def team_pasts(edits: Mapping[str, Edit], team: set[str]) -> dict[str, frozenset[str]]:
    """For each edit, the team changes in its strict past: reachable through parents and basis.

    Iterative (no recursion limit) and memoised; edits on a loop of links (a broken file) are
    taken without links, so the result stays a function of the set."""
    links = {i: tuple(r for r in (*e.parents, *e.basis) if r in edits) for i, e in edits.items()}
    looping = in_loops({i: refs for i, refs in links.items() if refs})
    pasts: dict[str, frozenset[str]] = {}
    for root in edits:
        if root in pasts:
            continue
        stack = [root]
        while stack:
            current = stack[-1]
            refs = () if current in looping else [r for r in links[current] if r not in looping]
            pending = [r for r in refs if r not in pasts]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            if current in pasts:
                continue
            found: set[str] = set()
            for ref in refs:
                found |= pasts[ref]
                if ref in team:
                    found.add(ref)
            pasts[current] = frozenset(found)
    return pasts


def _heads_of(team: frozenset[str], pasts: Mapping[str, frozenset[str]], founding: str) -> tuple[str, ...]:
    """The team changes no other team change was built on (what a new edit names as seen); the
    founding, in every edit's past, only while nothing else is."""
    below = {p for i in team for p in pasts.get(i, ())}
    heads = team - below
    return tuple(sorted(heads - {founding} if len(heads) > 1 else heads))


class _Judge:
    """The roster as it stood after a set of accepted team changes (memoised per set)."""

    def __init__(self, founder: str, founder_key: str, edits: Mapping[str, Edit], base: set[str]) -> None:
        self.founder, self.founder_key, self.edits, self.base = founder, founder_key, edits, frozenset(base)
        self._memo: dict[frozenset[str], _Roster] = {}

    def state(self, accepted: Iterable[str]) -> _Roster:
        key = frozenset(accepted) | self.base
        found = self._memo.get(key)
        if found is None:
            chosen = [self.edits[i] for i in key if i in self.edits]
            found = self._memo[key] = _Roster.from_edits(self.founder, self.founder_key, chosen)
        return found


class _Roster:
    """Roles and keys from the heads of a set of accepted roster edits."""

    def __init__(self, founder: str, founder_key: str) -> None:
        self.roles: dict[str, str] = {founder: ROLE_LEAD}
        self.keys: dict[str, str] = {founder_key: founder}
        self.revoked: dict[str, frozenset[str]] = {}
        self.vouched: frozenset[str] = frozenset()

    def is_lead_key(self, key: str, author: str) -> bool:
        return self.keys.get(key) == author and self.roles.get(author) == ROLE_LEAD

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
