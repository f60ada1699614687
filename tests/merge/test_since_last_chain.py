"""«Chỉ phần mới» packages are chained: one never merges while the package before it is missing.

A since-last package names the package it continues (its id, when it was made, the ids of
its edits). The lead's merge refuses it unless the database — or the packages of the same
merge — already hold those edits, so the work of a package lost on the way is never
silently missing. Packages of format 1 (no chain) still merge, with a warning.
"""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from merge_helpers import LEAD, MEMBER_A, fingerprint, rewrite

from ictappraise.domain.scorecard import Appraisal
from ictappraise.io import exchange
from ictappraise.services import appraisal as svc
from ictappraise.services import merge
from ictappraise.services.workspace import Workspace


def manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(exchange.MANIFEST))


def score(ws: Workspace, code: str, points: str) -> None:
    agency = ws.find_agency("HUPQ")
    svc.set_appraisal(ws, agency.id, code, Appraisal(override=Decimal(points)))


def test_a_lost_since_last_package_blocks_the_next_one(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    first = merge.export_package(a, tmp_path / "first.ictx", since_last=True).path  # everything
    score(a, "IV.3", "20")
    second = merge.export_package(a, tmp_path / "second.ictx", since_last=True).path  # lost on the way
    score(a, "IV.5", "15")  # another criterion: no parent in the lost package
    third = merge.export_package(a, tmp_path / "third.ictx", since_last=True)
    assert third.edits == 1
    meta = manifest(third.path)
    assert meta["format_version"] == exchange.FORMAT_VERSION >= 2
    assert meta["continues"]["package_id"] == manifest(second)["package_id"]
    assert len(meta["continues"]["edits"]) == 1
    assert manifest(first)["continues"] is None  # nothing exported before: a complete package
    before = fingerprint(lead.db.path)
    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_packages(lead, [third.path])
    message = str(refused.value)
    assert "gói trước" in message and "thiếu 1 sửa đổi" in message and "đầy đủ" in message, message
    assert fingerprint(lead.db.path) == before
    # With the missing package in the same merge it is complete, in either order.
    summary = merge.merge_packages(lead, [third.path, second])
    assert summary.new_edits == 2
    agency_id = lead.find_agency("HUPQ").id
    assert lead.detail(agency_id).entries["IV.3"].appraisal == Appraisal(override=Decimal(20))


def test_an_empty_since_last_package_does_not_break_the_chain(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    merge.merge_packages(lead, [merge.export_package(a, tmp_path / "0.ictx", since_last=True).path])
    score(a, "IV.3", "20")
    merge.export_package(a, tmp_path / "lost.ictx", since_last=True)
    empty = merge.export_package(a, tmp_path / "empty.ictx", since_last=True)
    assert empty.edits == 0
    score(a, "IV.5", "15")
    later = merge.export_package(a, tmp_path / "later.ictx", since_last=True).path
    for path in (empty.path, later):
        with pytest.raises(merge.MergeRefused, match="gói trước"):
            merge.merge_packages(lead, [path])
    assert merge.merge_packages(lead, [later, tmp_path / "lost.ictx"]).new_edits == 2


def test_a_full_package_always_merges_and_restarts_the_chain(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    score(a, "IV.3", "20")
    merge.export_package(a, tmp_path / "lost.ictx", since_last=True)
    score(a, "IV.5", "15")
    full = merge.export_package(a, tmp_path / "full.ictx").path
    assert manifest(full)["since_last"] is False and manifest(full)["continues"] is None
    assert merge.merge_packages(lead, [full]).new_edits == 2
    score(a, "IV.9", "10")
    after = merge.export_package(a, tmp_path / "after.ictx", since_last=True).path
    assert merge.merge_packages(lead, [after]).new_edits == 1  # continues the full package


def test_a_format_1_since_last_package_merges_with_a_warning(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    merge.export_package(a, tmp_path / "0.ictx", since_last=True)
    score(a, "IV.3", "20")
    new = merge.export_package(a, tmp_path / "new.ictx", since_last=True).path

    def as_version_1(meta: dict) -> None:
        meta["format_version"] = 1
        del meta["package_id"], meta["continues"]

    old = rewrite(new, tmp_path / "old.ictx", manifest=as_version_1)
    plan = merge.plan_merge(lead, [old])
    assert any("định dạng cũ" in w and "chỉ phần mới" in w for w in plan.warnings), plan.warnings
    assert not plan.needs_confirmation
    assert merge.apply_merge(lead, plan).new_edits == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.update(continues={"package_id": "x", "created_at": "2022-12-01T08:00:00", "edits": "id"}),
        lambda m: m.update(
            continues={"package_id": "x", "created_at": "2022-12-01T08:00:00", "edits": ["../x"]}
        ),
        lambda m: m.update(package_id=""),
        lambda m: m.update(since_last=False, continues={"package_id": "x", "created_at": "t", "edits": []}),
    ],
)
def test_a_malformed_chain_is_refused(laptops, tmp_path: Path, change) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    merge.export_package(a, tmp_path / "0.ictx", since_last=True)
    score(a, "IV.3", "20")
    new = merge.export_package(a, tmp_path / "new.ictx", since_last=True).path
    with pytest.raises(merge.MergeRefused, match="manifest.json không hợp lệ"):
        merge.plan_merge(lead, [rewrite(new, tmp_path / "bad.ictx", manifest=change)])
