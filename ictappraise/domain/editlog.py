"""The edit log (docs/rules.md §7): every change is an edit; the state is derived from the heads.

Pure functions over a set of edits, so merging is a set union and any arrival order,
repetition or device gives the same state. Timestamps are for display only: nothing here
orders edits by clock.

Field names are paths separated by "/" (criterion codes contain dots)::

    round/deadline                         round settings
    catalog/<category>                     the catalog of a category
    member/<member id>/<name|title|role|signature>
    agency/<agency id>/<name|code|category|active>
    agency/<agency id>/status              draft / ready / signed (with covers) / reopened
    agency/<agency id>/crit/<code>/<appraised|self|self_evidence|note>
    agency/<agency id>/crit/<code>/attachment/<sha256>
    agency/<agency id>/fact/<report_sent|report_received|report_attached|portal/<month>>
    agency/<agency id>/visit/<detail>

Signing (docs/rules.md §7): a "signed" status edit lists the edits it covers. An edit to a
lockable field of that agency (crit, fact, visit) that the signing does not cover and that
was not made after a reopen of that signing is *held*: kept, listed, not applied.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ictappraise.domain.fields import agency_of, agency_prefix, is_lockable, status_field
from ictappraise.domain.signing import signed_bytes

if TYPE_CHECKING:  # the roster reads this module: no import back at run time
    from ictappraise.domain.roster import Roster


STATE_DRAFT = "draft"
STATE_READY = "ready"
STATE_SIGNED = "signed"
STATE_REOPENED = "reopened"


@dataclass(frozen=True)
class Edit:
    """One change of one field. ``parents`` are the heads of that field it replaced;
    ``basis`` the agency's status heads its author saw (for the signing rule)."""

    id: str
    field: str
    value: Any
    author: str
    device: str
    created_at: str
    parents: tuple[str, ...] = ()
    reason: str | None = None
    basis: tuple[str, ...] = ()
    #: The signing public key (base64 of the raw Ed25519 key) and the signature over
    #: signed_bytes() (docs/rules.md §9); None on edits written before signatures existed.
    key: str | None = None
    signature: str | None = None

    def signed_bytes(self) -> bytes:
        """What the signature covers: every field of §7 and the key."""
        return signed_bytes(
            id=self.id,
            field=self.field,
            value=self.value,
            author=self.author,
            device=self.device,
            created_at=self.created_at,
            parents=self.parents,
            reason=self.reason,
            basis=self.basis,
            key=self.key,
        )

    def to_json(self) -> dict[str, Any]:
        """The exchange form (stable keys; key and signature only on signed edits)."""
        data: dict[str, Any] = {
            "id": self.id,
            "field": self.field,
            "value": self.value,
            "author": self.author,
            "device": self.device,
            "created_at": self.created_at,
            "parents": list(self.parents),
            "reason": self.reason,
            "basis": list(self.basis),
        }
        if self.key is not None or self.signature is not None:
            data["key"] = self.key
            data["signature"] = self.signature
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Edit:
        return cls(
            id=str(data["id"]),
            field=str(data["field"]),
            value=data.get("value"),
            author=str(data["author"]),
            device=str(data["device"]),
            created_at=str(data["created_at"]),
            parents=tuple(str(p) for p in data.get("parents") or ()),
            reason=data.get("reason"),
            basis=tuple(str(b) for b in data.get("basis") or ()),
            key=data.get("key"),
            signature=data.get("signature"),
        )


def canonical(value: Any) -> str:
    """Canonical JSON of a value: equal values, equal text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class FieldState:
    """The heads of one field; a conflict when they disagree."""

    field: str
    heads: tuple[Edit, ...]

    @cached_property
    def conflict(self) -> bool:
        if len(self.heads) < 2:  # the common case: no JSON encoding needed
            return False
        return len({canonical(head.value) for head in self.heads}) > 1

    @property
    def value(self) -> Any:
        """The value, or None while in conflict (callers check ``conflict``) or headless."""
        # A field whose parent links loop can have every edit replaced: no head, no value.
        return None if self.conflict or not self.heads else self.heads[0].value

    @property
    def head_ids(self) -> tuple[str, ...]:
        return tuple(head.id for head in self.heads)


@dataclass
class LogState:
    """Everything derived from a set of edits."""

    fields: dict[str, FieldState] = field(default_factory=dict)
    held: tuple[Edit, ...] = ()
    #: Fields whose parent links loop (a database broken by an older build's merge), sorted.
    broken: tuple[str, ...] = ()
    #: The edits on those loops, sorted.
    looping: tuple[str, ...] = ()
    #: Held because the roster does not trust them (docs/rules.md §9): edit id → why.
    untrusted: dict[str, str] = field(default_factory=dict)
    #: Why each held edit is held (edit id → Vietnamese reason), whatever the rule.
    held_reasons: dict[str, str] = field(default_factory=dict)
    #: The roster the edits were judged against (None: no authority check).
    roster: Roster | None = None

    def value(self, field_name: str, default: Any = None) -> Any:
        state = self.fields.get(field_name)
        if state is None or state.conflict or not state.heads:
            return default
        return state.value

    def conflicts(self) -> list[FieldState]:
        return [state for state in self.fields.values() if state.conflict]

    def heads(self, field_name: str) -> tuple[str, ...]:
        state = self.fields.get(field_name)
        return state.head_ids if state else ()


SIGNED_HELD = "đến sau khi biên bản đã ký (không thuộc bản đã ký, không sau lần mở lại)"


def state_of(
    edits: Mapping[str, Edit],
    reasons: Mapping[str, str] | None = None,
    untrusted: Mapping[str, str] | None = None,
    roster: Roster | None = None,
) -> LogState:
    """The state of a set of edits (by id), once those held for who made them are known.

    ``reasons`` holds an edit for its author (domain.authority.derive decides these, with the
    ``untrusted`` among them); this adds the edits a signing holds, then takes the heads of
    every field and finds the edits whose parents loop (read as absent, never a crash).
    """
    reasons = dict(reasons or {})
    allowed = {i: e for i, e in edits.items() if i not in reasons} if reasons else edits
    for edit_id in held_edits(allowed):
        reasons[edit_id] = SIGNED_HELD
    by_field: dict[str, list[Edit]] = defaultdict(list)
    for edit in edits.values():
        if edit.id not in reasons:
            by_field[edit.field].append(edit)
    fields = {name: FieldState(name, _heads(group)) for name, group in by_field.items()}
    looping = in_loops({i: e.parents for i, e in edits.items() if e.parents})
    broken = tuple(sorted({edits[i].field for i in looping}))
    return LogState(
        fields,
        tuple(sorted((edits[i] for i in reasons), key=_order)),
        broken,
        tuple(sorted(looping)),
        dict(untrusted or {}),
        reasons,
        roster,
    )


def in_loops(links: Mapping[str, Iterable[str]]) -> set[str]:
    """Ids on a cycle of links (id → the ids it points to), or on a path between cycles.

    Peels what cannot be on a cycle: ids that point nowhere, then ids nothing points to,
    until neither is left. Linear in the links, so it runs on every derive.
    """
    out = {node: [t for t in targets if t in links] for node, targets in links.items()}
    into: dict[str, list[str]] = defaultdict(list)
    for node, targets in out.items():
        for target in targets:
            into[target].append(node)
    outdeg = {node: len(targets) for node, targets in out.items()}
    indeg = {node: len(into.get(node, ())) for node in out}
    alive = set(out)
    stack = [n for n in out if outdeg[n] == 0 or indeg[n] == 0]
    while stack:
        node = stack.pop()
        if node not in alive:
            continue
        alive.discard(node)
        for target in out[node]:
            indeg[target] -= 1
            if target in alive and indeg[target] == 0:
                stack.append(target)
        for source in into.get(node, ()):
            outdeg[source] -= 1
            if source in alive and outdeg[source] == 0:
                stack.append(source)
    return alive


def _heads(edits: list[Edit]) -> tuple[Edit, ...]:
    replaced = {parent for edit in edits for parent in edit.parents}
    return tuple(sorted((e for e in edits if e.id not in replaced), key=_order))


def _order(edit: Edit) -> tuple[str, str]:
    return (edit.created_at, edit.id)


def held_edits(edits: Mapping[str, Edit]) -> set[str]:
    """Ids of lockable edits that a signing does not cover and that no reopen allows."""
    statuses: dict[str, dict[str, Edit]] = defaultdict(dict)
    for edit in edits.values():
        agency = agency_of(edit.field)
        if agency and edit.field == status_field(agency):
            statuses[agency][edit.id] = edit
    held: set[str] = set()
    for agency, status_edits in statuses.items():
        signings = [e for e in status_edits.values() if _state(e) == STATE_SIGNED]
        if not signings:
            continue
        reopens_after = {s.id: _reopens_after(s, status_edits) for s in signings}
        covers = {s.id: _covers(s) for s in signings}
        prefix = agency_prefix(agency)
        for edit in edits.values():
            if not (edit.field.startswith(prefix) and is_lockable(edit.field)):
                continue
            seen = _ancestors_or_self(edit.basis, status_edits)
            for signing in signings:
                covered = edit.id in covers[signing.id]
                if not covered and not (reopens_after[signing.id] & seen):
                    held.add(edit.id)
                    break
    return held


def _state(edit: Edit) -> str | None:
    return edit.value.get("state") if isinstance(edit.value, Mapping) else None


def is_signing(value: Any) -> bool:
    """A status value that records signed minutes."""
    return isinstance(value, Mapping) and value.get("state") == STATE_SIGNED


def _covers(edit: Edit) -> frozenset[str]:
    value = edit.value if isinstance(edit.value, Mapping) else {}
    return frozenset(value.get("covers") or ())


def _reopens_after(signing: Edit, status_edits: Mapping[str, Edit]) -> set[str]:
    """Reopen edits that descend from a signing in the status graph."""
    return {
        e.id
        for e in status_edits.values()
        if _state(e) == STATE_REOPENED and signing.id in _ancestors_or_self(e.parents, status_edits)
    }


def _ancestors_or_self(start: Iterable[str], graph: Mapping[str, Edit]) -> set[str]:
    seen: set[str] = set()
    stack = list(start)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in graph:
            stack.extend(graph[current].parents)
    return seen
