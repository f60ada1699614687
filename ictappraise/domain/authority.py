"""Who may change what (docs/rules.md §9): the field kinds of domain.fields, one check for all.

The same ``authority_problem`` judges a change typed on this laptop (services.workspace), an
edit arriving in a package and a conflict resolution (``derive`` holds what it refuses), so a
package can do nothing the screen refuses.

Declared per field kind in domain.fields: the role needed, whether a signing locks it, its label.
A status edit is judged by the state it sets and the states it replaces:

* draft / ready: any member — unless it replaces a signed status (that is a reopening);
* signed: the lead or the secretary (recording that the minutes were signed);
* reopened, or leaving a signed status any other way: the lead.

An edit whose parents disagree (it settles a conflict) needs the lead, whatever its field.

A round not founded yet (written before keys) derives its roster from the ``member/*`` edits
**[decided]**: the founding edits (by ``SYSTEM_AUTHOR``, without parents) name the first
roles; an edit of ``member/*`` counts when its author is a lead in the founding roster or was
made a lead by a counted edit. A founded round's roster comes from its keys (domain.roster),
and a change that needs more than a member's role is judged by the roles as they stood in its
own past (``judged_by_past``, docs/rules.md §9): a demoted lead keeps the changes made before
and loses the power for those made after the demotion they had seen. Anyone on the team may
set their own signature image (``member/<own id>/signature``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ictappraise.domain.editlog import (
    STATE_DRAFT,
    STATE_READY,
    STATE_REOPENED,
    STATE_SIGNED,
    Edit,
    LogState,
    canonical,
    state_of,
)
from ictappraise.domain.fields import (
    AGENCY,
    ANY_MEMBER,
    CATALOG,
    CRIT,
    DROPPED_LINE,
    FACT,
    FOUNDING_FIELD,
    KINDS,
    LEAD_ONLY,
    LEAD_OR_SECRETARY,
    MEMBER,
    MEMBER_HEAD,
    RATING_INPUTS,
    ROUND_SETTING,
    RULES,
    STATUS,
    UNKNOWN,
    VISIT,
    VISIT_DATE,
    FieldKind,
    agency_field,
    family_prefix,
    is_announcement,
    is_roster_field,
    kind_of,
    member_field,
    parse_field,
    rating_category,
    rating_fields,
    status_field,
)
from ictappraise.domain.roles import ROLE_LABELS, ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY
from ictappraise.domain.roster import SYSTEM_AUTHOR, Roster, derive_roster, roster_from_roles

__all__ = [  # the declaration (domain.fields), re-exported for the callers that judge authority
    "AGENCY",
    "ANY_MEMBER",
    "CATALOG",
    "CRIT",
    "DROPPED_LINE",
    "FACT",
    "KINDS",
    "LEAD_ONLY",
    "LEAD_OR_SECRETARY",
    "MEMBER",
    "RATING_INPUTS",
    "ROUND_SETTING",
    "RULES",
    "STATUS",
    "UNKNOWN",
    "VISIT",
    "VISIT_DATE",
    "FieldKind",
    "kind_of",
    "rating_category",
    "rating_fields",
]

NOT_ON_TEAM = "người sửa không có trong Tổ thẩm định"

#: Status changes (docs/rules.md §9): the roles that may set each state.
STATE_ROLES = {
    STATE_DRAFT: ANY_MEMBER,
    STATE_READY: ANY_MEMBER,
    STATE_SIGNED: LEAD_OR_SECRETARY,
    STATE_REOPENED: LEAD_ONLY,
}
_STATE_WORDS = {
    STATE_DRAFT: "đặt lại trạng thái biên bản",
    STATE_READY: "chuyển biên bản sang chờ ký",
    STATE_SIGNED: "ghi nhận biên bản đã ký",
    STATE_REOPENED: "mở lại biên bản đã ký",
}
assert {STATE_DRAFT, STATE_READY, STATE_SIGNED, STATE_REOPENED} == set(STATE_ROLES)


def roles_text(roles: frozenset[str]) -> str:
    """Who may, in words: «Tổ trưởng», «Tổ trưởng hoặc Thư ký», «thành viên Tổ thẩm định»."""
    if roles == ANY_MEMBER:
        return "thành viên Tổ thẩm định"
    order = (ROLE_LEAD, ROLE_SECRETARY, ROLE_MEMBER)
    return " hoặc ".join(ROLE_LABELS[r] for r in order if r in roles)


def _state(value: Any) -> str | None:
    return value.get("state") if isinstance(value, Mapping) else None


def authority_problem(
    field_name: str,
    value: Any,
    role: str | None,
    *,
    replaced: Iterable[Any] = (),
    author: str | None = None,
) -> str | None:
    """Why a person with this role may not make this change (Vietnamese), or None.

    ``replaced`` are the values of the edits it replaces (its parents): leaving a signed
    status is a reopening, and replacing values that disagree settles a conflict. ``author``
    (the member id making the change): everyone sets their own signature image.
    """
    if role is None:
        return NOT_ON_TEAM
    replaced = list(replaced)
    if len(replaced) > 1 and role != ROLE_LEAD and len({canonical(v) for v in replaced}) > 1:
        return "chỉ Tổ trưởng được giải quyết xung đột"
    if author is not None and field_name == member_field(author, "signature"):
        return None
    needed, what = _needed(field_name, value, replaced)
    return None if role in needed else f"chỉ {roles_text(needed)} được {what}"


def _needed(field_name: str, value: Any, replaced: list[Any]) -> tuple[frozenset[str], str]:
    kind = kind_of(field_name)
    if kind is not STATUS:
        return kind.roles, f"thay đổi {kind.label}"
    state = _state(value)
    leaving_signed = any(_state(v) == STATE_SIGNED for v in replaced) and state != STATE_SIGNED
    if leaving_signed:
        return LEAD_ONLY, _STATE_WORDS[STATE_REOPENED]
    return STATE_ROLES.get(state or "", LEAD_ONLY), _STATE_WORDS.get(state or "", "đổi trạng thái biên bản")


def judged_by_past(field_name: str, value: Any, replaced: Iterable[Any] = ()) -> bool:
    """True when a change needs more than a member's role: the team changes its author had seen
    go into its basis, and it is judged by the roles as they stood there (docs/rules.md §9)."""
    replaced = list(replaced)
    if len(replaced) > 1 and len({canonical(v) for v in replaced}) > 1:
        return True  # settles a conflict: the lead's
    return _needed(field_name, value, replaced)[0] != ANY_MEMBER


def edit_problem(
    edit: Edit, roster: Roster, edits: Mapping[str, Edit], seen: dict[str, frozenset[str]] | None = None
) -> str | None:
    """Why an edit of this set is not authorised by the roster, or None (see the module docstring).

    An edit that needs more than a member's role is judged by the roles as they stood in its
    past, when its past names team changes (docs/rules.md §9); an unsigned one (written before
    keys, vouched for by the founding) by the founding team; else by the roster as it is.
    ``seen``: a memo of each edit's team changes, shared by the edits of one set."""
    if edit.author == SYSTEM_AUTHOR:
        # The founding data: written once, never replacing anything.
        return None if not edit.parents else "dữ liệu ban đầu của đợt không được sửa đè"
    role = roster.role_of(edit.author)
    kind = kind_of(edit.field)
    if len(edit.parents) < 2 and kind is not STATUS and kind.roles == ANY_MEMBER:
        return None if role is not None else NOT_ON_TEAM  # the common case, without building anything
    if roster.team:
        refs = team_seen(edit, edits, roster.team, {} if seen is None else seen)
        if not refs and edit.key is None and roster.founding_id:
            refs = frozenset({roster.founding_id})  # written before keys, vouched for: the founding team
        if refs:
            role = roster.roles_seen(refs).get(edit.author)
    replaced = [edits[p].value for p in edit.parents if p in edits]
    return authority_problem(edit.field, edit.value, role, replaced=replaced, author=edit.author)


def team_seen(
    edit: Edit, edits: Mapping[str, Edit], team: frozenset[str], memo: dict[str, frozenset[str]]
) -> frozenset[str]:
    """The team changes an edit names in its past, through parents and basis within ``edits``
    (the team changes' own pasts are the roster's). Iterative, memoised, loop-safe."""
    stack, entered = [edit.id], set()
    while stack:
        current = stack[-1]
        if current in memo:
            stack.pop()
            continue
        item = edits.get(current, edit if current == edit.id else None)
        refs = [r for r in (*item.parents, *item.basis) if r not in team and r in edits] if item else []
        pending = [r for r in refs if r not in memo and r not in entered]
        if pending and current not in entered:
            entered.add(current)
            stack.extend(pending)
            continue
        stack.pop()
        found = {r for r in (*item.parents, *item.basis) if r in team} if item else set()
        memo[current] = frozenset(found.union(*(memo.get(r, frozenset()) for r in refs)))
    return memo[edit.id]


def roles_from_members(edits: Mapping[str, Edit]) -> tuple[Roster, dict[str, str]]:
    """The roles of a round not founded yet, from its member edits, and the member edits it does
    not count (with why). A founded round's roster comes from its keys (domain.roster)."""
    member_edits = [e for e in edits.values() if e.field.startswith(family_prefix(MEMBER_HEAD))]
    leads: set[str] = set()
    while True:
        counted = [e for e in member_edits if _counts(e, leads)]
        roles = _roles(counted)
        grown = leads | {m for m, role in roles.items() if role == ROLE_LEAD}
        if grown == leads:
            break
        leads = grown
    roster = roster_from_roles(roles)
    ids = {e.id for e in counted}
    # Everyone on the team sets their own signature image (it changes no role).
    ids.update(
        e.id for e in member_edits if e.author in roles and e.field == member_field(e.author, "signature")
    )
    reasons = {
        e.id: (
            "dữ liệu ban đầu của đợt không được sửa đè"
            if e.author == SYSTEM_AUTHOR
            else _roster_reason(e, roster)
        )
        for e in member_edits
        if e.id not in ids
    }
    return roster, reasons


def _roster_reason(edit: Edit, roster: Roster) -> str:
    return (
        NOT_ON_TEAM if roster.role_of(edit.author) is None else f"chỉ Tổ trưởng được thay đổi {MEMBER.label}"
    )


def _counts(edit: Edit, leads: set[str]) -> bool:
    if edit.author == SYSTEM_AUTHOR:
        return not edit.parents
    return edit.author in leads


def _roles(counted: list[Edit]) -> dict[str, str]:
    """Member id → role from the heads of the counted member edits (conflict: a plain member)."""
    by_member: dict[str, list[Edit]] = {}
    for edit in counted:
        by_member.setdefault(parse_field(edit.field).owner or "", []).append(edit)
    roles = {}
    for member_id, group in by_member.items():
        role_edits = [e for e in group if parse_field(e.field).last == "role"]
        replaced = {p for e in role_edits for p in e.parents}
        heads = {canonical(e.value) for e in role_edits if e.id not in replaced}
        role = ROLE_MEMBER
        if len(heads) == 1:
            found = next(e.value for e in role_edits if e.id not in replaced)
            role = found if isinstance(found, str) and found in ROLE_LABELS else ROLE_MEMBER
        roles[member_id] = role
    return roles


def _judged_with_keys(field_name: str) -> bool:
    """People, roles, keys and key announcements: the roster's own edits. A member's signature
    image is not among them: it is judged here like any field (their own, or the lead's call)."""
    return is_roster_field(field_name) or is_announcement(field_name)


def unauthorised(edits: Mapping[str, Edit], roster: Roster) -> dict[str, str]:
    """Edit id → why, for every edit of a set its author may not make."""
    reasons: dict[str, str] = {}
    # A founded round's member edits were judged with the keys (Roster.hold_reason).
    if not roster.founded and any(e.field.startswith(family_prefix(MEMBER_HEAD)) for e in edits.values()):
        reasons.update(roles_from_members(edits)[1])
    seen: dict[str, frozenset[str]] = {}
    for edit in edits.values():
        if roster.founded and (_judged_with_keys(edit.field) or edit.field == FOUNDING_FIELD):
            continue  # judged with the keys (domain.roster.derive_roster)
        if not roster.founded and edit.field.startswith(family_prefix(MEMBER_HEAD)):
            continue  # judged by roles_from_members above
        problem = edit_problem(edit, roster, edits, seen)
        if problem is not None:
            reasons[edit.id] = problem
    return reasons


# -- round settings that decide bands (docs/rules.md §9: held while a signing has not seen them) --------


@dataclass(frozen=True)
class SignedAgency:
    """An agency whose current status is signed, with its signing edits (the status heads)."""

    agency_id: str
    name: str
    category: int
    signings: tuple[Edit, ...]


def signed_band_problems(edits: Mapping[str, Edit], signed: Iterable[SignedAgency]) -> dict[str, str]:
    """Rating-input edits a signing of a still-signed agency has not seen: held (id → why).

    **[decided]** A signing lists in its ``basis`` the heads of the round fields the agency
    was rated with (``rating_fields``). A later edit of one of those fields, not an ancestor
    of what the signing saw, would change signed results: it is held while the agency stays
    signed — every such change, as the local refusal does, without scoring inside the log.
    Once the lead reopens the minutes, the edit applies. Signings written before this rule
    (no basis) saw what was made at or before their own timestamp. The founding edits are
    always seen.
    """
    signed = list(signed)
    reasons: dict[str, str] = {}
    by_field: dict[str, dict[str, Edit]] = {}
    for edit in edits.values():
        if rating_category(edit.field) is not False:
            by_field.setdefault(edit.field, {})[edit.id] = edit
    for name, group in by_field.items():
        category = rating_category(name)
        affected = [s for s in signed if category is None or s.category == category]
        for edit in group.values():
            if edit.author == SYSTEM_AUTHOR:
                continue
            blocked = [s.name for s in affected if any(not _seen(edit, g, group) for g in s.signings)]
            if blocked:
                listed = ", ".join(blocked[:5]) + ("…" if len(blocked) > 5 else "")
                reasons[edit.id] = f"biên bản đã ký của {listed} sẽ đổi kết quả; Tổ trưởng phải mở lại trước"
    return reasons


def _seen(edit: Edit, signing: Edit, group: Mapping[str, Edit]) -> bool:
    if not signing.basis:
        return edit.created_at <= signing.created_at
    seen: set[str] = set()
    stack = [b for b in signing.basis if b in group]
    while stack:
        current = stack.pop()
        if current == edit.id:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(group[current].parents if current in group else ())
    return False


def signed_agencies(states: Mapping[str, LogState], round_scope: str = "round") -> list[SignedAgency]:
    """Agencies whose status heads include a signing (their name and category as derived)."""
    found = []
    for scope, state in states.items():
        if scope == round_scope:
            continue
        status = state.fields.get(status_field(scope))
        signings = tuple(h for h in status.heads if _state(h.value) == STATE_SIGNED) if status else ()
        category = state.value(agency_field(scope, "category"))
        if signings and isinstance(category, int) and not isinstance(category, bool):
            name = state.value(agency_field(scope, "name"))
            found.append(SignedAgency(scope, name if isinstance(name, str) else scope, category, signings))
    return found


def team_roster(round_edits: Iterable[Edit]) -> Roster:
    """The roster of a round: from the founder's key (domain.roster.derive_roster); a file not
    founded yet (written before signatures, not yet opened by its lead) takes its roles from
    its member edits."""
    edits = list(round_edits)
    roster = derive_roster(edits)
    if roster.founded:
        return roster
    return replace(roster, roles=roles_from_members({e.id: e for e in edits})[0].roles)


def derive(
    edits: Iterable[Edit], roster: Roster | None = None, signed: Sequence[SignedAgency] = ()
) -> LogState:
    """The state of a set of edits: heads per field, conflicts, held edits (with reasons).

    With a roster, edits it does not trust (no valid key of their author, docs/rules.md §9) are held
    first, so they cannot apply, sign or lock anything; no signature is verified here (that
    happens once, where edits enter: the merge and the local write). Then an edit its author
    may not make is held (``unauthorised``); ``signed`` holds round-setting edits a signing has
    not seen (``signed_band_problems``). Without a roster nothing is judged by authority (a
    pure graph, as before roles existed). The rest is the edit log's (domain.editlog.state_of).
    """
    unique = {edit.id: edit for edit in edits}
    untrusted: dict[str, str] = {}
    reasons: dict[str, str] = {}
    if roster is not None:
        for edit in unique.values():
            reason = roster.hold_reason(edit)
            if reason is not None:
                untrusted[edit.id] = reason
        reasons.update(untrusted)
        trusted = {i: e for i, e in unique.items() if i not in reasons} if reasons else unique
        reasons.update(unauthorised(trusted, roster))
        if signed:
            allowed = {i: e for i, e in unique.items() if i not in reasons}
            reasons.update(signed_band_problems(allowed, signed))
    return state_of(unique, reasons, untrusted, roster)


def derive_all(by_scope: Mapping[str, Iterable[Edit]], round_scope: str = "round") -> dict[str, LogState]:
    """Every scope's state: the roster from the round, then the agencies, then the round."""
    round_edits = list(by_scope.get(round_scope, ()))
    roster = team_roster(round_edits)
    states = {scope: derive(edits, roster) for scope, edits in by_scope.items() if scope != round_scope}
    states[round_scope] = derive(round_edits, roster, signed_agencies(states, round_scope))
    return states
