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
* authority (domain.md §9): members are refused locally what only the lead (or the
  secretary, for a signing) may do, and the edits they forge by hand into their own file
  (reopening, signing, making themselves lead, round settings, thresholds) travel to every
  laptop and are never applied there: always held, whatever the order of arrival.
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
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ictappraise.domain.authority import derive_all
from ictappraise.domain.editlog import Edit, LogState, canonical
from ictappraise.domain.fields import is_lockable, status_field
from ictappraise.io import exchange
from ictappraise.services import merge
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


# What a plain member forges by hand (domain.md §9: only the lead, or the secretary, may).
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
    """Every scope derived afresh from a set of edits (the roster first, as domain.md §9 says)."""
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

    # -- laptops -------------------------------------------------------------------------------
    def _open(self, path: Path, index: int, device: str) -> Workspace:
        member_id, name, role = MEMBERS[index % len(MEMBERS)]
        day = 10 + (index * 7) % 19  # clocks disagree on purpose: nothing may depend on them
        return Workspace(
            open_database(path, backup=False),
            Actor(member_id, device, name, role),
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
            assert self.role(ws) == "member"  # recording a signing: the lead or the secretary
            return
        self.created.update(e.id for e in new)

    @rule(index=st.integers(0, 4))
    def reopen(self, index: int) -> None:
        ws = self.laptop(index)
        if ws.is_signed("ag2") and not in_conflict(ws, status_field("ag2")):
            try:
                new = ws.set(status_field("ag2"), {"state": "reopened"}, "Mở lại")
            except ServiceError:
                assert self.role(ws) != "lead"
                return
            self.created.update(e.id for e in new)

    def role(self, ws: Workspace) -> str:
        assert ws.actor is not None
        return next(role for member_id, _, role in MEMBERS if member_id == ws.actor.member_id)

    @rule(index=st.integers(0, 4), what=st.sampled_from(FORGERIES), parent=st.booleans())
    def forge(self, index: int, what: str, parent: bool) -> None:
        """A plain member writes by hand, into their own file, what only the lead may do."""
        ws = self.laptop(index)
        if self.role(ws) != "member":
            return
        assert ws.actor is not None
        field, value = forgery(what, ws.actor.member_id)
        heads = ws.state(repository.scope_of(field)).heads(field) if parent else ()
        edit = Edit(
            f"forged-{next(self.counter)}", field, value, ws.actor.member_id, "forge", "2022-12-31", heads
        )
        ws.append([edit])
        self.created.add(edit.id)
        self.forged.add(edit.id)

    @rule()
    def lead_resolves(self) -> None:
        lead = self.laptops[0]
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
    @rule(index=st.integers(0, 4), since_last=st.booleans())
    def export(self, index: int, since_last: bool) -> None:
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
        carried = set().union(
            *(
                {
                    e.id
                    for e in exchange.read_package(
                        p, round_key=ROUND_KEY, schema_version=SCHEMA_VERSION
                    ).edits
                }
                for p in set(paths)
            )
        )
        assert self.ids(ws) == before | carried

    @rule(data=st.data())
    def everyone_syncs(self, data: st.DataObject) -> None:
        self.sync(data)

    def sync(self, data: st.DataObject | None) -> None:
        """Everyone sends a full package; everyone merges them all, in any order, with repeats."""
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
        reference = {scope: signature(state) for scope, state in fresh_states(edits).items()}
        # Forged edits are never applied, so they take no part in conflicts.
        expected_conflicts = oracle_conflicts([e for e in edits if e.id not in self.forged], FREE)
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
            assert is_lockable(held.field) or held.id in self.forged

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
        max_examples=int(os.environ.get("MERGE_EXAMPLES", "40")),
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    Laptops.TestCase().runTest()
