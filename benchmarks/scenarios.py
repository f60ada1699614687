"""Databases the benchmarks run on: the demo, a 150-criterion catalog, a round 20× larger.

Everything is built in a temporary folder from the shipped data, deterministically, through
the same services the program uses (the 500-agency round clones the demo's agencies edit by
edit, with new ids, so every agency carries a realistic history).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from ictappraise.domain.catalog import Catalog, catalog_from_dict
from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import catalog_field, crit_field
from ictappraise.services.demo import build_demo
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.store import repository
from ictappraise.store.database import Database, open_database

CLONE_NAMESPACE = uuid.UUID("2f3a9b1e-5d7c-4e8a-9c1b-500a9e1c2022")
ACTING = "Chuyên viên A"


def build_demo_file(path: Path) -> Path:
    db = open_database(path, create=True, backup=False)
    try:
        build_demo(db)
    finally:
        db.close()
    return path


def copy_database(source: Path, target: Path) -> Path:
    target.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


@contextmanager
def acting_workspace(path: Path, *, backup: bool = False) -> Iterator[Workspace]:
    """A workspace acting as a team member; closed afterwards."""
    db = open_database(path, backup=backup)
    try:
        ws = Workspace(db)
        member = ws.find_member(ACTING)
        assert member is not None
        from ictappraise.services.trust import signer_for  # the demo's labelled key of the member

        ws.actor = Actor(member.id, "bench-device", member.name, member.role, signer_for(ws, member.id))
        yield ws
    finally:
        db.close()


def synthetic_catalog(template: Catalog, criteria: int = 150) -> Catalog:
    """Phụ lục 2 (800 points) with ``criteria`` criteria spread over its four groups.

    Each group's maximum is split into equal criteria (the last takes the remainder); the
    rules cycle through the sample catalog's own rules, rescaled where they carry points.
    """
    groups = list(template.to_dict()["groups"])
    rules = [
        c["rule"] for g in groups for c in g["criteria"] if c["rule"]["kind"] in ("yes_no", "ratio", "manual")
    ]
    per_group = [
        criteria // len(groups) + (1 if i < criteria % len(groups) else 0) for i in range(len(groups))
    ]
    made = []
    for group, count in zip(groups, per_group, strict=True):
        total = Decimal(group["max"])
        share = (total / count).quantize(Decimal("0.25"), rounding="ROUND_DOWN")
        items = []
        for n in range(count):
            maximum = share if n < count - 1 else total - share * (count - 1)
            items.append(
                {
                    "code": f"{group['code']}.{n + 1}",
                    "name": f"Tiêu chí tổng hợp {group['code']}.{n + 1}",
                    "max": str(maximum),
                    "rule": rules[n % len(rules)],
                    "evidence": "Văn bản, số liệu kèm theo.",
                }
            )
        made.append({**group, "criteria": items})
    data = {**template.to_dict(), "title": f"Bộ tiêu chí tổng hợp {criteria} tiêu chí", "groups": made}
    return catalog_from_dict(data, expected_maximum=template.maximum)


def build_big_catalog_file(path: Path, criteria: int = 150) -> tuple[Path, str]:
    """A round whose Phụ lục 2 catalog has ``criteria`` criteria; one agency fully scored.

    Returns the file and the id of the scored agency.
    """
    db = open_database(path, create=True, backup=False)
    try:
        ws = Workspace(db)
        seed_round(ws)
        lead = next(m for m in ws.members() if m.role == "lead")  # only the lead changes a catalog
        ws.actor = Actor(lead.id, "bench-device", lead.name, lead.role)
        catalog = synthetic_catalog(ws.catalog(2), criteria)
        ws.write([Change(catalog_field(2), catalog.to_dict())])
        member = ws.find_member(ACTING)
        assert member is not None
        ws.actor = Actor(member.id, "bench-device", member.name, member.role)
        agency = next(a for a in ws.agencies() if a.category == 2)
        changes = []
        for leaf in catalog.leaves():
            value = _top_input(leaf)
            changes.append(Change(crit_field(agency.id, leaf.code, "self"), str(leaf.maximum)))
            changes.append(Change(crit_field(agency.id, leaf.code, "appraised"), {"input": value}))
        ws.write(changes)
        return path, agency.id
    finally:
        db.close()


def _top_input(leaf: object) -> object:
    kind = leaf.rule.kind  # type: ignore[attr-defined]
    if kind == "yes_no":
        return True
    if kind == "ratio":
        return {"numerator": "9", "denominator": "10"}
    return str(leaf.maximum)  # type: ignore[attr-defined]


def build_scaled_file(demo: Path, path: Path, factor: int = 20) -> Path:
    """The demo round with every agency cloned so that there are ``factor`` × as many."""
    copy_database(demo, path)
    db = open_database(path, backup=False)
    try:
        with db.reading() as session:
            scopes = repository.load_edits_by_scope(session)
        clones: list[Edit] = []
        for copy in range(1, factor):
            for scope, edits in scopes.items():
                if scope != repository.ROUND_SCOPE:
                    clones.extend(_clone_scope(scope, edits, copy))
        _append(db, clones)
    finally:
        db.close()
    return path


def _clone_scope(agency_id: str, edits: list[Edit], copy: int) -> list[Edit]:
    new_agency = str(uuid.uuid5(CLONE_NAMESPACE, f"{copy}/{agency_id}"))
    ids = {e.id: str(uuid.uuid5(CLONE_NAMESPACE, f"{copy}/{e.id}")) for e in edits}
    cloned = []
    for edit in edits:
        value = edit.value
        if edit.field.endswith("/code") and isinstance(value, str):
            value = f"{value}-{copy}"
        elif edit.field == f"agency/{agency_id}/name" and isinstance(value, str):
            value = f"{value} (bản sao {copy})"
        elif isinstance(value, dict) and "covers" in value:
            value = {**value, "covers": [ids.get(i, i) for i in value["covers"]]}
        cloned.append(
            replace(
                edit,
                id=ids[edit.id],
                field=edit.field.replace(agency_id, new_agency, 1),
                value=value,
                parents=tuple(ids.get(p, p) for p in edit.parents),
                basis=tuple(ids.get(b, b) for b in edit.basis),
            )
        )
    return cloned


def _append(db: Database, edits: list[Edit]) -> None:
    with db.transaction() as session:
        repository.append_edits(session, edits)
