"""Property-based: random edit histories on 2–4 laptops, packages merged in random orders.

A hypothesis state machine drives laptops on copies of a small seeded round: members write
random values to a few fields (clocks deliberately disagree), sign and reopen one agency,
the lead resolves conflicts, laptops export (all, or since the last export) and merge each
other's packages at random times, in random orders, with duplicates; a database file is
copied to a new laptop. Checked after every step and after everyone has everything:

* every database stays closed under parents, and the Workspace cache equals a fresh derive;
* a merge adds exactly the union of the packages' edits (or refuses, changing nothing);
* convergence: identical edit sets and derived states everywhere, no edit lost;
* conflicts are exactly the fields whose heads (edits no other edit of the field descends
  from, computed here independently) hold different values;
* authority (docs/rules.md §9): members are refused locally what only the lead (or the
  secretary, for a signing) may do, and the edits they forge by hand into their own file
  (reopening, signing, making themselves lead, round settings, thresholds) travel to every
  laptop and are never applied there: always held, whatever the order of arrival.
* keys (docs/rules.md §9): the round is founded by the lead's key and every laptop signs with
  its member's key. Leads hand the role over and remove members (revoking their keys) while
  others keep working offline; members forge edits signed with their own key, under another
  member's name, after being demoted (naming the team they saw) or with a bad signature (that
  package is refused whole, nothing written). Old packages are merged again (replays). Still
  the same state everywhere, and no applied edit is unauthorised: every head's key belongs
  to its author on the roster (or was kept when revoked), and no forged edit ever applies.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ictappraise.domain.authority import derive_all, judged_by_past
from ictappraise.domain.editlog import Edit, LogState, canonical
from ictappraise.domain.fields import is_lockable, status_field
from ictappraise.io import exchange, keys
from ictappraise.services import merge, round_admin, trust
from ictappraise.services.workspace import SYSTEM_AUTHOR, Actor, Change, ServiceError, Workspace
from ictappraise.store import repository
from ictappraise.store.database import SCHEMA_VERSION, open_database

ROUND_KEY = "vong-thu"
MEMBERS = (
    ("m-lead", "Tổ trưởng", "lead"),
    ("m-a", "A", "member"),
    ("m-b", "B", "member"),
    ("m-c", "C", "secretary"),
)
FREE = (
    "agency/ag1/crit/I.1/appraised",
    "agency/ag1/crit/I.2/appraised",
    "agency/ag1/crit/I.1/note",
    "round/name",
)
LOCKED = ("agency/ag2/crit/I.1/appraised", "agency/ag2/visit/place")
# Values each field can hold (a merge refuses a value its field cannot hold).
SCORES = ({"override": "1"}, {"override": "2"}, None)
TEXTS = ("x", "y", None)
VALUES = {name: SCORES if name.endswith("/appraised") else TEXTS for name in FREE + LOCKED}
VALUES["round/name"] = ("x", "y")
# Phụ lục 7 (maximum 400): two manually scored criteria.
CATALOG = {
    "category": 7,
    "title": "Bộ tiêu chí thử",
    "groups": [
        {
            "code": "I",
            "name": "Nhóm I",
            "max": "400",
            "criteria": [
                {"code": "I.1", "name": "Tiêu chí 1", "max": "200", "rule": {"kind": "manual"}},
                {"code": "I.2", "name": "Tiêu chí 2", "max": "200", "rule": {"kind": "manual"}},
            ],
        }
    ],
}


def build_template(path: Path) -> None:
    """A tiny round: four members, two agencies of Phụ lục 7 and its catalog."""
    values: dict[str, Any] = {"round/key": ROUND_KEY, "round/name": "Đợt thử", "catalog/7": CATALOG}
    for member_id, name, role in MEMBERS:
        values[f"member/{member_id}/name"] = name
        values[f"member/{member_id}/role"] = role
    for agency in ("ag1", "ag2"):
        values[f"agency/{agency}/name"] = f"Đơn vị {agency}"
        values[f"agency/{agency}/code"] = agency.upper()
        values[f"agency/{agency}/category"] = 7
    seed = [
        Edit(f"seed-{i}", field, value, SYSTEM_AUTHOR, "seed", "2022-12-01T07:00:00+07:00")
        for i, (field, value) in enumerate(values.items())
    ]
    db = open_database(path, create=True)
    try:
        with db.transaction() as session:
            repository.set_meta(session, "round_key", ROUND_KEY)
            repository.append_edits(session, seed)
    finally:
        db.close()
    # The lead founds the round with their key and admits the others' keys (docs/rules.md §9).
    lead_id, lead_name, _ = MEMBERS[0]
    db = open_database(path)
    try:
        ws = Workspace(db, Actor(lead_id, "seed", lead_name, "lead", SIGNERS[lead_id]))
        others = [(m, SIGNERS[m].public_key) for m, _, _ in MEMBERS[1:]]
        trust.found_round(ws, Actor(lead_id, "seed", lead_name, "lead", SIGNERS[lead_id]), others)
    finally:
        db.close()


def _signer(seed: int) -> keys.Signer:
    """A fixed Ed25519 key per member (the test needs no key files)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return keys.Signer(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


SIGNERS = {member_id: _signer(i + 1) for i, (member_id, _, _) in enumerate(MEMBERS)}


# What a plain member forges by hand (docs/rules.md §9: only the lead, or the secretary, may).
FORGERIES = ("reopen", "sign", "make_me_lead", "round_name", "rules", "rename_agency", "category")


def forgery(what: str, author: str) -> tuple[str, Any]:
    """The field and value of a forged edit."""
    return {
        "reopen": (status_field("ag2"), {"state": "reopened"}),
        "sign": (status_field("ag1"), {"state": "signed", "covers": []}),
        "make_me_lead": (f"member/{author}/role", "lead"),
        "round_name": ("round/name", "z"),
        "rules": ("round/rules/7", {"maximum": "400", "tot": "1", "kha": "1", "trung_binh": "1"}),
        "rename_agency": ("agency/ag1/name", "Đơn vị giả"),
        "category": ("agency/ag2/category", 6),
    }[what]


def fresh_states(edits: list[Edit]) -> dict[str, LogState]:
    """Every scope derived afresh from a set of edits (the roster first, as docs/rules.md §9 says)."""
    by_scope: dict[str, list[Edit]] = {"round": [], "ag1": [], "ag2": []}
    for edit in edits:
        by_scope.setdefault(repository.scope_of(edit.field), []).append(edit)
    return {scope: state for scope, state in derive_all(by_scope).items() if scope in ("round", "ag1", "ag2")}


def in_conflict(ws: Workspace, field: str) -> bool:
    found = ws.state(repository.scope_of(field)).fields.get(field)
    return found is not None and found.conflict


def stored_ids(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM edits")}


def signature(state: LogState) -> tuple[Any, ...]:
    fields = tuple(sorted((name, tuple(sorted(fs.head_ids))) for name, fs in state.fields.items()))
    return fields, tuple(sorted(e.id for e in state.held))


def oracle_conflicts(edits: list[Edit], fields: tuple[str, ...]) -> set[str]:
    """Fields whose heads — edits that no other edit of the field descends from — disagree."""
    by_field: dict[str, list[Edit]] = defaultdict(list)
    for edit in edits:
        by_field[edit.field].append(edit)
    found = set()
    for name in fields:
        group = {e.id: e for e in by_field[name]}
        ancestors: set[str] = set()
        for edit in group.values():
            stack = list(edit.parents)
            while stack:
                current = stack.pop()
                if current not in ancestors:
                    ancestors.add(current)
                    stack.extend(group[current].parents if current in group else ())
        heads = [e for e in group.values() if e.id not in ancestors]
        if len({canonical(e.value) for e in heads}) > 1:
            found.add(name)
    return found


class Laptops(RuleBasedStateMachine):
    """Several laptops of one team exchanging packages."""

    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="merge-prop-"))
        self.laptops: list[Workspace] = []
        self.packages: list[tuple[Path, bool]] = []
        self.created: set[str] = set()
        self.counter = itertools.count()
        self.seed_ids = stored_ids(self.template)
        self.copies = 0
        self.forged: set[str] = set()
        self.removals = 0

    # -- laptops -------------------------------------------------------------------------------
    def _open(self, path: Path, index: int, device: str) -> Workspace:
        member_id, name, role = MEMBERS[index % len(MEMBERS)]
        day = 10 + (index * 7) % 19  # clocks disagree on purpose: nothing may depend on them
        return Workspace(
            open_database(path, backup=False),
            Actor(member_id, device, name, role, SIGNERS[member_id]),
            clock=lambda day=day: f"2022-12-{day:02d}T08:00:00+07:00",
            new_id=lambda device=device: f"{device}-{next(self.counter)}",
        )

    @initialize(count=st.integers(2, 4))
    def start(self, count: int) -> None:
        for index in range(count):
            path = self.folder / f"laptop{index}.db"
            shutil.copyfile(self.template, path)
            self.laptops.append(self._open(path, index, f"dev{index}"))

    def laptop(self, index: int) -> Workspace:
        return self.laptops[index % len(self.laptops)]

    def ids(self, ws: Workspace) -> set[str]:
        with ws.db.reading() as session:
            return {e.id for e in repository.load_edits(session)}

    # -- work ----------------------------------------------------------------------------------
    @rule(index=st.integers(0, 4), field=st.sampled_from(FREE + LOCKED), pick=st.integers(0, 2))
    def write(self, index: int, field: str, pick: int) -> None:
        ws = self.laptop(index)
        value = VALUES[field][pick % len(VALUES[field])]
        try:
            new = ws.write([Change(field, value)])
        except ServiceError:
            # Locked by a signing, or in conflict: only the lead's resolution writes over that;
            # round settings are the lead's.
            assert (
                (field in LOCKED and ws.is_signed("ag2"))
                or in_conflict(ws, field)
                or (field == "round/name" and self.role(ws) != "lead")
                or self.removed(ws)
            )
            return
        self.created.update(e.id for e in new)

    @rule(index=st.integers(0, 4))
    def sign(self, index: int) -> None:
        ws = self.laptop(index)
        if ws.is_signed("ag2") or in_conflict(ws, status_field("ag2")):
            return
        held = {e.id for e in ws.state("ag2").held}
        with ws.db.reading() as session:
            covers = sorted(
                e.id
                for e in repository.load_edits(session, "ag2")
                if is_lockable(e.field) and e.id not in held
            )
        try:
            new = ws.set(status_field("ag2"), {"state": "signed", "covers": covers})
        except ServiceError:
            # Recording a signing: the lead or the secretary (or a locked field under it).
            assert self.role(ws) not in ("lead", "secretary") or self.removed(ws)
            return
        self.created.update(e.id for e in new)

    @rule(index=st.integers(0, 4))
    def reopen(self, index: int) -> None:
        ws = self.laptop(index)
        if ws.is_signed("ag2") and not in_conflict(ws, status_field("ag2")):
            try:
                new = ws.set(status_field("ag2"), {"state": "reopened"}, "Mở lại")
            except ServiceError:
                assert self.role(ws) != "lead" or self.removed(ws)
                return
            self.created.update(e.id for e in new)

    def role(self, ws: Workspace) -> str:
        """The actor's role as this laptop's roster has it now ('' when removed)."""
        assert ws.actor is not None
        return ws.roster.role_of(ws.actor.member_id) or ""

    def removed(self, ws: Workspace) -> bool:
        """The actor's key was revoked on this laptop: it signs nothing new."""
        assert ws.actor is not None
        return ws.actor.signer.public_key not in ws.roster.keys

    @rule(
        index=st.integers(0, 4), what=st.sampled_from(FORGERIES), parent=st.booleans(), signed=st.booleans()
    )
    def forge(self, index: int, what: str, parent: bool, signed: bool) -> None:
        """A plain member (perhaps a lead who was demoted) writes by hand, into their own file,
        what only the lead may do: signed with their own key and naming the team they saw, or
        unsigned."""
        ws = self.laptop(index)
        if self.role(ws) != "member":
            return
        assert ws.actor is not None
        field, value = forgery(what, ws.actor.member_id)
        heads = ws.state(repository.scope_of(field)).heads(field) if parent else ()
        replaced = [e.value for e in self._edits(ws) if e.id in heads]
        basis = ws.roster.team_heads if signed and judged_by_past(field, value, replaced) else ()
        edit = Edit(
            f"forged-{next(self.counter)}",
            field,
            value,
            ws.actor.member_id,
            "forge",
            "2022-12-31",
            heads,
            None,
            basis,
        )
        self._forged(ws, ws.actor.signer.sign(edit) if signed else edit)

    @rule(index=st.integers(0, 4), other=st.integers(0, 3))
    def forge_other_name(self, index: int, other: int) -> None:
        """Right key, wrong name: a laptop signs with its own key an edit in another member's name."""
        ws = self.laptop(index)
        assert ws.actor is not None
        author = MEMBERS[other][0]
        if author == ws.actor.member_id:
            return
        field = "agency/ag1/crit/I.2/note"
        edit = Edit(
            f"forged-{next(self.counter)}",
            field,
            "tên người khác",
            author,
            "forge",
            "2022-12-31",
            ws.state("ag1").heads(field),
        )
        self._forged(ws, ws.actor.signer.sign(edit))

    def _edits(self, ws: Workspace) -> list[Edit]:
        with ws.db.reading() as session:
            return repository.load_edits(session)

    def _forged(self, ws: Workspace, edit: Edit) -> None:
        event("forged: " + ("demoted lead" if ws.actor and ws.actor.member_id == MEMBERS[0][0] else "member"))
        ws.append([edit])
        self.created.add(edit.id)
        self.forged.add(edit.id)

    @rule(index=st.integers(0, 4))
    def bad_signature(self, index: int) -> None:
        """A package whose edit was changed after signing is refused whole; nothing is written."""
        ws = self.laptop(index)
        source = self.laptop(index + 1)
        assert source.actor is not None
        field = "agency/ag1/crit/I.1/note"
        edit = source.actor.signer.sign(
            Edit(f"bad-{next(self.counter)}", field, "đã ký", source.actor.member_id, "forge", "2022-12-31")
        )
        path = self.folder / f"bad{next(self.counter)}.ictx"
        origin = exchange.Origin(
            ROUND_KEY, SCHEMA_VERSION, source.actor.member_id, source.actor.name, "forge", "2022-12-31"
        )
        exchange.write_package(path, origin, [Edit(**{**edit.__dict__, "value": "sửa sau khi ký"})], [])
        before = self.ids(ws)
        with pytest.raises(merge.MergeRefused):
            merge.merge_packages(ws, [path], accept_unknown=True)
        assert self.ids(ws) == before

    @rule(index=st.integers(0, 4), to=st.integers(0, 3))
    def hand_over(self, index: int, to: int) -> None:
        """A lead makes another member the lead, then steps down (having seen it)."""
        ws = self.laptop(index)
        assert ws.actor is not None
        new = MEMBERS[to][0]
        member, me = ws.member(new), ws.member(ws.actor.member_id)
        if self.role(ws) != "lead" or self.removed(ws) or new == me.id or member is None:
            return
        if ws.roster.role_of(new) is None or SIGNERS[new].public_key not in ws.roster.keys:
            return
        try:
            round_admin.edit_member(ws, new, name=member.name, title=member.title, role="lead")
            round_admin.edit_member(ws, me.id, name=me.name, title=me.title, role="member")
        except ServiceError:
            return  # e.g. a role in conflict: only settled by a lead's resolution
        event("a lead handed over")
        self.created.update(self.ids(ws) - self.seed_ids - self.created)
        # Having seen their own step-down, the old lead still changes the thresholds and their
        # own role back by hand.
        for what in ("rules", "make_me_lead"):
            field, value = forgery(what, me.id)
            edit = Edit(
                f"forged-{next(self.counter)}",
                field,
                value,
                me.id,
                "forge",
                "2022-12-31",
                ws.state().heads(field),
                None,
                ws.roster.team_heads,
            )
            self._forged(ws, ws.actor.signer.sign(edit))

    @rule(index=st.integers(0, 4), who=st.integers(1, 3))
    def lead_removes(self, index: int, who: int) -> None:
        """A lead takes a member off the team: their key is revoked (their past edits stay)."""
        ws = self.laptop(index)
        gone = MEMBERS[who][0]
        if self.role(ws) != "lead" or self.removed(ws) or self.removals >= 1:
            return
        if ws.roster.role_of(gone) in (None, "lead") or SIGNERS[gone].public_key not in ws.roster.keys:
            return
        try:
            round_admin.deactivate_member(ws, gone, "Chuyển công tác")
        except ServiceError:
            return
        self.removals += 1
        event("a member removed")
        self.created.update(self.ids(ws) - self.seed_ids - self.created)

    @rule(index=st.integers(0, 4))
    def lead_resolves(self, index: int) -> None:
        lead = self.laptop(index)
        if self.role(lead) != "lead" or self.removed(lead):
            return
        conflicts = merge.list_conflicts(lead)
        if conflicts:
            conflict = conflicts[0]
            try:
                edit = merge.resolve_pick(lead, conflict.field, conflict.heads[-1].id, "Tổ trưởng chọn")
            except ServiceError:
                return  # e.g. a score of a signed visit: locked until reopened
            assert set(edit.parents) == {h.id for h in conflict.heads}
            self.created.add(edit.id)

    @precondition(lambda self: len(self.laptops) < 5)
    @rule(index=st.integers(0, 4))
    def copy_database_file(self, index: int) -> None:
        """Copy a laptop's file (program closed) to a new laptop with its own member and device."""
        source = self.laptop(index)
        source.db.close()
        self.copies += 1
        target = self.folder / f"copy{self.copies}.db"
        shutil.copyfile(source.db.path, target)
        source.db = open_database(source.db.path, backup=False)
        self.laptops.append(self._open(target, len(self.laptops), f"copy{self.copies}"))

    # -- exchange ------------------------------------------------------------------------------
    def retire_removed(self) -> None:
        """A laptop that has learnt its member was removed sends nothing more: what it alone
        holds never reaches the team (it would be held there anyway), so it leaves the test."""
        for ws in list(self.laptops):
            if len(self.laptops) > 1 and ws.actor and ws.member(ws.actor.member_id) is None:
                others = set().union(*(self.ids(o) for o in self.laptops if o is not ws))
                sent = set().union(*(self.carried(path) for path, _ in self.packages))
                lost = self.ids(ws) - others - sent
                self.created -= lost
                self.forged -= lost
                ws.db.close()
                self.laptops.remove(ws)

    @rule(index=st.integers(0, 4), since_last=st.booleans())
    def export(self, index: int, since_last: bool) -> None:
        self.retire_removed()
        path = self.folder / f"p{len(self.packages)}.ictx"
        merge.export_package(self.laptop(index), path, since_last=since_last)
        self.packages.append((path, since_last))

    @precondition(lambda self: self.packages)
    @rule(index=st.integers(0, 4), picks=st.lists(st.integers(0, 1000), min_size=1, max_size=4))
    def merge(self, index: int, picks: list[int]) -> None:
        ws = self.laptop(index)
        chosen = [self.packages[p % len(self.packages)] for p in picks]
        paths = [path for path, _ in chosen]
        before = self.ids(ws)
        try:
            merge.merge_packages(ws, paths, accept_unknown=True)
        except merge.MergeRefused as error:
            assert "thiếu" in str(error) and any(since for _, since in chosen), str(error)
            assert self.ids(ws) == before
            return
        carried = set().union(*(self.carried(p) for p in set(paths)))
        assert self.ids(ws) == before | carried

    def carried(self, path: Path) -> set[str]:
        """The ids of a package's edits."""
        package = exchange.read_package(path, round_key=ROUND_KEY, schema_version=SCHEMA_VERSION)
        return {e.id for e in package.edits}

    @rule(data=st.data())
    def everyone_syncs(self, data: st.DataObject) -> None:
        self.sync(data)

    def sync(self, data: st.DataObject | None) -> None:
        """Everyone sends a full package; everyone merges them all, in any order, with repeats."""
        self.retire_removed()
        paths = []
        for index, ws in enumerate(self.laptops):
            path = self.folder / f"full{len(self.packages)}-{index}.ictx"
            merge.export_package(ws, path)
            paths.append(path)
        self.packages.extend((p, False) for p in paths)
        for ws in self.laptops:
            order = list(paths)
            if data is not None:
                order = data.draw(st.permutations(paths)) + data.draw(
                    st.lists(st.sampled_from(paths), max_size=2)
                )
            merge.merge_packages(ws, order, accept_unknown=True)
        self.check_converged()

    def check_converged(self) -> None:
        everything = self.seed_ids | self.created
        with self.laptops[0].db.reading() as session:
            edits = repository.load_edits(session)
        fresh = fresh_states(edits)
        reference = {scope: signature(state) for scope, state in fresh.items()}
        # Forged edits are never applied, nor edits signed with a key revoked meanwhile (a member
        # removed while still working offline): they take no part in conflicts.
        revoked = fresh["round"].roster.revoked if fresh["round"].roster else {}
        untrusted = {e.id for e in edits if e.key in revoked and e.id not in revoked[e.key]}
        applicable = [e for e in edits if e.id not in self.forged | untrusted]
        expected_conflicts = oracle_conflicts(applicable, FREE)
        titles = None
        for ws in self.laptops:
            assert self.ids(ws) == everything  # no edit lost, none invented
            for scope, sig in reference.items():
                assert signature(ws.state(scope)) == sig
            found = {fs.field for scope in ("round", "ag1") for fs in ws.state(scope).conflicts()}
            assert found == expected_conflicts
            listed = [c.title for c in merge.list_conflicts(ws)]
            titles = listed if titles is None else titles
            assert listed == titles
        for held in self.laptops[0].state("ag2").held:
            assert is_lockable(held.field) or held.id in self.forged | untrusted

    # -- invariants ----------------------------------------------------------------------------
    @invariant()
    def closed_and_cached_correctly(self) -> None:
        for ws in self.laptops:
            with ws.db.reading() as session:
                edits = repository.load_edits(session)
            ids = {e.id for e in edits}
            assert all(ref in ids for e in edits for ref in (*e.parents, *e.basis))
            for scope, fresh in fresh_states(edits).items():
                assert signature(ws.state(scope)) == signature(fresh)
            held = {e.id for scope in ("round", "ag1", "ag2") for e in ws.state(scope).held}
            assert self.forged & ids <= held  # no unauthorised edit is ever applied
            self.heads_are_authorised(ws)

    def heads_are_authorised(self, ws: Workspace) -> None:
        """Every applied edit is signed by a key of its author on the roster (or one revoked that
        kept it), or vouched for by the founding; none of them is forged."""
        roster = ws.roster
        assert roster.founded
        for scope in ("round", "ag1", "ag2"):
            for state in ws.state(scope).fields.values():
                for head in state.heads:
                    assert head.id not in self.forged, head
                    if head.key is None:
                        assert head.id in roster.vouched, head
                    else:
                        owner = roster.keys.get(head.key)
                        assert owner == head.author or head.id in roster.revoked.get(head.key, ()), head

    def teardown(self) -> None:
        try:
            if self.laptops:
                self.sync(None)
        finally:
            for ws in self.laptops:
                ws.db.close()
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("round") / "template.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ICTAPPRAISE_DATA_DIR", str(path.parent / "data"))
        build_template(path)
    return path


def test_laptops_converge(template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Rotating backups before each merge are tested elsewhere; here they would only cost I/O.
    monkeypatch.setattr(merge.backup, "backup_database", lambda *_args, **_kw: None)
    Laptops.template = template
    Laptops.TestCase.settings = settings(
        max_examples=int(os.environ.get("MERGE_EXAMPLES", "25")),
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    Laptops.TestCase().runTest()
