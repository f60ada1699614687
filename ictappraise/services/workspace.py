"""The use cases every screen and command goes through: read the round, write edits.

A Workspace wraps one open database and the acting team member. Reads derive state from
the edit log per scope (the round, or one agency) and cache it; a write appends edits in
one transaction and refreshes only the scopes it touched, so an edit updates the preview
without re-reading the whole round.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from ictappraise.domain import authority
from ictappraise.domain.authority import SignedAgency, derive
from ictappraise.domain.catalog import Catalog
from ictappraise.domain.editlog import (
    Edit,
    FieldState,
    LogState,
    canonical,
    is_signing,
)
from ictappraise.domain.fields import is_lockable, member_field, rating_fields, status_field
from ictappraise.domain.ranking import rank
from ictappraise.domain.rating import Band, CategoryRules
from ictappraise.domain.roster import SYSTEM_AUTHOR, Roster
from ictappraise.domain.scorecard import score_agency
from ictappraise.services import reading, write_checks
from ictappraise.services.errors import ServiceError as ServiceError  # re-exported
from ictappraise.services.errors import VisitLocked as VisitLocked  # re-exported
from ictappraise.services.model import (
    STATUS_SIGNED,
    Agency,
    AgencyDetail,
    AgencyResult,
    HistoryLine,
    Member,
    RoundInfo,
)
from ictappraise.store import repository
from ictappraise.store.database import Database

__all__ = ["SYSTEM_AUTHOR"]  # re-exported

_Derived = TypeVar("_Derived")  # what a cached round derivation (catalogs, rules…) builds
SYSTEM_AUTHOR_NAME = "Dữ liệu ban đầu của đợt"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a team member on a device."""

    member_id: str
    device_id: str
    name: str = ""
    role: str = "member"
    #: Signs this actor's edits (ictappraise.io.keys.Signer): its private key on this laptop.
    signer: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Change:
    """A requested change of one field."""

    field: str
    value: Any
    reason: str | None = None
    #: Only the lead's conflict resolution may write over a field in conflict (docs/rules.md §7).
    resolution: bool = False


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Workspace:
    """One round in one database, seen by one actor."""

    def __init__(
        self,
        db: Database,
        actor: Actor | None = None,
        *,
        clock: Callable[[], str] = now_iso,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.db = db
        self.actor = actor
        self.clock = clock
        self.new_id = new_id
        self._states: dict[str, LogState] | None = None
        self._edits: dict[str, list[Edit]] = {}
        self._details: dict[str, AgencyDetail] = {}
        self._round_cache: dict[str, Any] = {}
        self.roster = Roster()

    # -- state -----------------------------------------------------------------------------
    def _all_states(self) -> dict[str, LogState]:
        if self._states is None:
            with self.db.reading() as session:
                self._edits = repository.load_edits_by_scope(session)
            self._states = {}
            self._derive_all()
        return self._states

    def _derive_all(self) -> None:
        """Derive every scope: the roster first, then the agencies, then the round (docs/rules.md §9)."""
        assert self._states is not None
        self._states.clear()
        self._states.update(authority.derive_all(self._edits, repository.ROUND_SCOPE))
        round_state = self._states.get(repository.ROUND_SCOPE)
        self.roster = (round_state.roster if round_state else None) or Roster()
        self._details.clear()
        self._round_cache.clear()

    def edits_by_scope(self) -> dict[str, list[Edit]]:
        """Every edit held in memory, by scope (a copy: a merge plan adds to it)."""
        self._all_states()
        return {scope: list(edits) for scope, edits in self._edits.items()}

    def _signed(self) -> list[SignedAgency]:
        """Agencies whose status heads include a signing: round changes they did not see are held."""
        assert self._states is not None
        return authority.signed_agencies(self._states, repository.ROUND_SCOPE)

    def state(self, scope: str = repository.ROUND_SCOPE) -> LogState:
        """The derived state of a scope (the round, or an agency id)."""
        return self._all_states().get(scope) or LogState()

    def value(self, field_name: str) -> Any:
        """The current value of one field, read from its scope's derived state."""
        return self.state(repository.scope_of(field_name)).value(field_name)

    def scope_states(self) -> dict[str, LogState]:
        """Every scope's derived state (the round and each agency id)."""
        return dict(self._all_states())

    def refresh(self, scopes: Iterable[str] | None = None) -> None:
        """Re-read from the file (all of it, or some scopes) after writes from elsewhere."""
        if scopes is None or self._states is None:
            # Everything is read again on next use; what was derived from it goes now, or a
            # cached read (members, catalogs) would outlive the state it came from.
            self._states = None
            self._details.clear()
            self._round_cache.clear()
            return
        with self.db.reading() as session:
            for scope in set(scopes):
                self._edits[scope] = repository.load_edits(session, scope)
        self._rederive(set(scopes))

    def _rederive(self, scopes: set[str]) -> None:
        """Derive the given scopes again from the edits held in memory; drop what depends on them."""
        assert self._states is not None
        before = self.roster
        if repository.ROUND_SCOPE in scopes:
            round_edits = self._edits.get(repository.ROUND_SCOPE, [])
            if authority.team_roster(round_edits) != before:
                self._derive_all()  # a role changed: every edit is judged again
                return
        agencies = scopes - {repository.ROUND_SCOPE}
        signed_before = self._signed_keys(agencies)
        for scope in agencies:
            self._states[scope] = derive(self._edits.get(scope, []), before)
            self._details.pop(scope, None)
        if repository.ROUND_SCOPE in scopes or self._signed_keys(agencies) != signed_before:
            # A signing or a reopening decides which round changes are held (domain.authority).
            edits = self._edits.get(repository.ROUND_SCOPE, [])
            self._states[repository.ROUND_SCOPE] = derive(edits, before, self._signed())
            self._round_cache.clear()  # catalogs, rules and settings feed every agency
            self._details.clear()

    def _signed_keys(self, scopes: Iterable[str]) -> set[tuple[str, str]]:
        assert self._states is not None
        found: set[tuple[str, str]] = set()
        for scope in scopes:
            state = self._states.get(scope)
            status = state.fields.get(status_field(scope)) if state else None
            found.update((scope, h.id) for h in (status.heads if status else ()) if is_signing(h.value))
        return found

    # -- reads -----------------------------------------------------------------------------
    def _round_derived(self, key: str, build: Callable[[LogState], _Derived]) -> _Derived:
        # Catalogs, rules and settings change rarely; parsing them on every preview would not.
        if key not in self._round_cache:
            self._round_cache[key] = build(self.state())
        return cast(_Derived, self._round_cache[key])  # one key, one build: the same type back

    def round_info(self) -> RoundInfo:
        return self._round_derived("info", reading.round_info)

    def rules(self) -> dict[int, CategoryRules]:
        return self._round_derived("rules", reading.category_rules)

    def catalogs(self) -> dict[int, Catalog]:
        return self._round_derived("catalogs", reading.catalogs)

    def catalog(self, category: int) -> Catalog:
        found = self.catalogs().get(category)
        if found is None:
            raise ServiceError(f"Đợt đánh giá chưa có bộ tiêu chí cho Phụ lục {category}.")
        return found

    def members(self) -> list[Member]:
        return list(self._round_derived("members", reading.members))

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.members() if m.id == member_id), None)

    def member_name(self, member_id: str) -> str:
        if member_id == SYSTEM_AUTHOR:
            return SYSTEM_AUTHOR_NAME
        found = self.member(member_id)
        if found:
            return found.name
        recorded = self.state().value(member_field(member_id, "name"))  # a member who left the team
        return str(recorded) if recorded else f"(không rõ: {member_id[:8]})"

    def find_member(self, name: str) -> Member | None:
        """A member by name, ignoring case and spacing."""
        wanted = " ".join(name.split()).casefold()
        return next((m for m in self.members() if " ".join(m.name.split()).casefold() == wanted), None)

    def agencies(self) -> list[Agency]:
        """Agencies of the round, by visit date and time, then name."""
        found = []
        for scope, state in self._all_states().items():
            if scope != repository.ROUND_SCOPE:
                item = reading.agency(scope, state)
                if item is not None:
                    found.append(item)
        return sorted(found, key=lambda a: (a.visit_date or datetime.max.date(), a.visit_time, a.name))

    def agency(self, agency_id: str) -> Agency:
        item = reading.agency(agency_id, self.state(agency_id))
        if item is None:
            raise ServiceError(f"Không có đơn vị {agency_id}.")
        return item

    def find_agency(self, text: str) -> Agency:
        """An agency by short code or full name (case and spacing ignored)."""
        wanted = " ".join(text.split()).casefold()
        for item in self.agencies():
            if wanted in (item.code.casefold(), " ".join(item.name.split()).casefold(), item.id):
                return item
        matches = [a for a in self.agencies() if wanted and wanted in a.name.casefold()]
        if len(matches) == 1:
            return matches[0]
        hint = f" Có thể là: {', '.join(a.name for a in matches[:5])}." if matches else ""
        raise ServiceError(f"Không tìm thấy đơn vị «{text}» (nhập mã như HUTP hoặc tên đầy đủ).{hint}")

    def detail(self, agency_id: str) -> AgencyDetail:
        """Everything about one agency, scored (cached until its edits or the round change)."""
        self._all_states()
        if agency_id not in self._details:
            self._details[agency_id] = self._build_detail(agency_id)
        return self._details[agency_id]

    def _build_detail(self, agency_id: str) -> AgencyDetail:
        state = self.state(agency_id)
        item = self.agency(agency_id)
        catalog = self.catalog(item.category)
        info = self.round_info()
        entries = reading.entries(agency_id, catalog, state)
        facts = reading.facts(agency_id, state, info)
        round_conflicts = self._round_conflicts(item.category)
        conflicts = (
            {code for code, e in entries.items() if e.conflict}
            | reading.fact_conflicts(agency_id, state)
            | {fs.field for fs in round_conflicts}
        )
        scorecard = score_agency(
            catalog,
            {code: e.appraisal for code, e in entries.items()},
            {code: e.self_points for code, e in entries.items()},
            facts,
            rules=self.rules(),
            conflicts=conflicts,
        )
        return AgencyDetail(
            agency=item,
            catalog=catalog,
            entries=entries,
            facts=facts,
            visit=reading.visit(agency_id, state),
            status=reading.status(agency_id, state, entries),
            status_value=reading.status_value(agency_id, state),
            scorecard=scorecard,
            conflicts=reading.conflicts_of(agency_id, state) + round_conflicts,
            held=tuple(state.held),
            missing_reasons=reading.missing_reasons(catalog, entries, scorecard.rows),
        )

    def _round_conflicts(self, category: int) -> tuple[FieldState, ...]:
        """Conflicts on the round settings this agency's band depends on: no band is guessed."""
        names = rating_fields(category)
        found = (self.state().fields.get(name) for name in names)
        return tuple(fs for fs in found if fs is not None and fs.conflict)

    def results(self) -> list[AgencyResult]:
        """All agencies scored and ranked within their category (Phụ lục order)."""
        details = [self.detail(a.id) for a in self.agencies()]
        ranked: list[AgencyResult] = []
        for category in sorted({d.agency.category for d in details}):
            rows = [d for d in details if d.agency.category == category]
            entries = [(d, _final_band(d), d.scorecard.total, d.agency.name) for d in rows]
            for item in rank(entries):  # provisional or conflicting agencies are not ranked
                d = item.item
                ranked.append(
                    AgencyResult(
                        d.agency, d.scorecard, d.status, item.rank, tuple(fs.field for fs in d.conflicts)
                    )
                )
        return ranked

    def history(self, field_prefix: str) -> list[HistoryLine]:
        """Every change of the fields under a prefix, oldest first, with old → new values."""
        scope = repository.scope_of(field_prefix)
        with self.db.reading() as session:
            edits = [e for e in repository.load_edits(session, scope) if e.field.startswith(field_prefix)]
        by_id = {e.id: e for e in edits}
        reasons = self.state(scope).held_reasons
        lines = []
        for edit in sorted(edits, key=lambda e: (e.created_at, e.id)):
            old = tuple(by_id[p].value for p in edit.parents if p in by_id)
            why = reasons.get(edit.id, "")
            lines.append(
                HistoryLine(edit, self.member_name(edit.author), old, edit.value, edit.id in reasons, why)
            )
        return lines

    # -- writes ----------------------------------------------------------------------------
    def require_actor(self) -> Actor:
        if self.actor is None:
            raise ServiceError(
                "Chưa biết ai đang thao tác. Hãy khai báo bằng «ictappraise identity --set "
                '"Họ tên"» hoặc thêm «--as "Họ tên"» vào lệnh.'
            )
        return self.actor

    def write(self, changes: Sequence[Change]) -> list[Edit]:
        """Record changes as edits in one transaction; unchanged values write nothing."""
        actor = self.require_actor()
        edits = []
        for change in changes:
            edit = self._edit_for(change, actor)
            if edit is not None:
                edits.append(edit)
        if actor.signer is not None and edits:  # one signature covers the whole write (§9)
            edits = actor.signer.sign_batch(edits)
        if self.roster.founded:
            for edit in edits:
                write_checks.check_trusted(self, edit, actor)
        return self.append(edits)

    def set(self, field: str, value: Any, reason: str | None = None) -> list[Edit]:
        return self.write([Change(field, value, reason)])

    def append(self, edits: Sequence[Edit]) -> list[Edit]:
        """Append edits (local or merged) in one transaction and refresh their scopes."""
        if not edits:
            return []
        self.db.check_still_there()
        with self.db.transaction() as session:
            new = repository.append_edits(session, edits)
        if self._states is not None:
            # This program holds the file's lock, so memory plus what it just wrote is the file.
            for edit in new:
                self._edits.setdefault(repository.scope_of(edit.field), []).append(edit)
            self._rederive({repository.scope_of(e.field) for e in new})
        return new

    def _edit_for(self, change: Change, actor: Actor) -> Edit | None:
        write_checks.checked(change)  # every local write passes here: screens, commands, imports
        scope = repository.scope_of(change.field)
        state = self.state(scope)
        current = state.fields.get(change.field)
        if current is not None and current.conflict and not change.resolution:
            raise ServiceError(
                "Trường này đang có xung đột giữa các máy: chỉ Tổ trưởng giải quyết, có lý do, tại "
                "«Đợt đánh giá → Giải quyết xung đột»."
            )
        if (
            current is not None
            and not current.conflict
            and canonical(current.value) == canonical(change.value)
        ):
            return None
        if current is None and change.value is None:
            return None
        write_checks.check_authority(self, change, current, actor)
        write_checks.check_signed_results(self, change.field)
        basis = state.heads(status_field(scope)) if is_lockable(change.field) else ()
        if change.field == status_field(scope) and is_signing(change.value):
            basis = write_checks.rating_heads(self, scope)  # what it was rated with (domain.authority)
        replaced = [head.value for head in current.heads] if current else []
        if self.roster.team_heads and authority.judged_by_past(change.field, change.value, replaced):
            basis = (*basis, *self.roster.team_heads)  # the team it was made in (docs/rules.md §9)
        edit = Edit(
            id=self.new_id(),
            field=change.field,
            value=change.value,
            author=actor.member_id,
            device=actor.device_id,
            created_at=self.clock(),
            parents=current.head_ids if current else (),
            reason=change.reason or None,
            basis=basis,
        )
        if is_lockable(change.field):
            write_checks.check_unlocked(self, self._edits.get(scope, []), scope, edit)
        return edit

    def is_signed(self, agency_id: str) -> bool:
        return reading.status_value(agency_id, self.state(agency_id)).get("state") == STATUS_SIGNED


def _final_band(detail: AgencyDetail) -> Band | None:
    """The band used for ranking: none while provisional (unscored) or in conflict."""
    card = detail.scorecard
    if card.rating is None or not card.complete:
        return None
    return card.rating.band
