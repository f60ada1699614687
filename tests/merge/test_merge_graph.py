"""Graph sanity at merge (docs/rules.md §9): parents exist and never loop.

Two edits that name each other as parent used to merge without a word and leave the
lead's database unreadable. Every such package is now refused whole, with a Vietnamese
message, and the database is unchanged.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from merge_helpers import LEAD, MEMBER_A, fingerprint
from test_merge_values import edit, hupq, package

from ictappraise.domain.fields import crit_field
from ictappraise.services import merge


def _refused(lead, path: Path, *words: str) -> str:
    before = fingerprint(lead.db.path)
    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_packages(lead, [path], accept_unknown=True)
    message = str(refused.value)
    assert "Chưa tổng hợp" in message, message
    for word in words:
        assert word in message, message
    assert fingerprint(lead.db.path) == before
    assert len(lead.results()) == 25  # still readable
    return message


@pytest.mark.parametrize("size", [2, 3, 5, 17, 50])
def test_a_cycle_of_edits_is_refused_whole(laptops, tmp_path: Path, size: int) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    field = crit_field(hupq(a), "IV.5", "note")
    good = edit(a, crit_field(hupq(a), "IV.3", "note"), "Đã kiểm tra")
    chain = [edit(a, field, f"ghi chú {i}") for i in range(size)]
    ring = [replace(e, parents=(chain[(i + 1) % size].id,)) for i, e in enumerate(chain)]
    path = package(a, tmp_path / "ring.ictx", [good, *ring])
    _refused(lead, path, "vòng lặp", field, path.name)


def test_a_cycle_hanging_off_a_stored_edit_is_refused(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    field = crit_field(hupq(a), "IV.5", "note")
    first = edit(a, field, "một")
    merge.merge_packages(lead, [package(a, tmp_path / "one.ictx", [first])])
    second = replace(edit(a, field, "hai"), parents=(first.id,))
    third = replace(edit(a, field, "ba"), id=second.id + "x", parents=(second.id,))
    looped = replace(second, parents=(first.id, third.id))
    _refused(lead, package(a, tmp_path / "two.ictx", [looped, third]), "vòng lặp")


def test_a_missing_parent_is_refused(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    orphan = replace(edit(a, crit_field(hupq(a), "IV.5", "note"), "mồ côi"), parents=("no-such-edit",))
    _refused(lead, package(a, tmp_path / "orphan.ictx", [orphan]), "thiếu 1 sửa đổi")


def test_a_parent_that_arrives_only_in_a_later_package_is_refused_then_both_merge(
    laptops, tmp_path: Path
) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    field = crit_field(hupq(a), "IV.5", "note")
    parent = edit(a, field, "trước")
    child = replace(edit(a, field, "sau"), parents=(parent.id,))
    later = package(a, tmp_path / "later.ictx", [parent])
    _refused(lead, package(a, tmp_path / "early.ictx", [child]), "thiếu 1 sửa đổi")
    merge.merge_packages(lead, [tmp_path / "early.ictx", later])  # together they are whole
    assert lead.state(hupq(lead)).value(field) == "sau"


def test_a_parent_of_another_field_is_refused(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    other = edit(a, crit_field(hupq(a), "IV.3", "note"), "khác")
    wrong = replace(edit(a, crit_field(hupq(a), "IV.5", "note"), "x"), parents=(other.id,))
    _refused(lead, package(a, tmp_path / "cross.ictx", [other, wrong]), "thuộc trường khác")


def test_a_basis_that_is_not_a_status_of_the_agency_is_refused(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    other = edit(a, crit_field(hupq(a), "IV.3", "note"), "khác")
    wrong = replace(edit(a, crit_field(hupq(a), "IV.5", "note"), "x"), basis=(other.id,))
    _refused(lead, package(a, tmp_path / "basis.ictx", [other, wrong]), "trạng thái biên bản")


def test_a_status_edit_with_a_basis_is_refused(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    note = edit(a, crit_field(hupq(a), "IV.3", "note"), "khác")
    status = replace(edit(a, f"agency/{hupq(a)}/status", {"state": "ready"}), basis=(note.id,))
    _refused(lead, package(a, tmp_path / "status.ictx", [note, status]), "không bị khóa")


def test_sound_edits_with_parents_and_basis_still_merge(laptops, tmp_path: Path) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    agency = hupq(a)
    a.set(crit_field(agency, "IV.5", "note"), "một")
    a.set(crit_field(agency, "IV.5", "note"), "hai")
    path = tmp_path / "a.ictx"
    merge.export_package(a, path)
    summary = merge.merge_packages(lead, [path])
    assert summary.new_edits == 2
    assert lead.state(agency).value(crit_field(agency, "IV.5", "note")) == "hai"
    assert lead.state(agency).broken == ()


def test_a_hand_written_cycle_with_recomputed_checksums_is_refused(laptops, tmp_path: Path) -> None:
    """The attack an adversarial tester made: two lines added to a real package's edits.jsonl, manifest fixed."""
    import json

    from merge_helpers import rewrite

    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    real = merge.export_package(a, tmp_path / "real.ictx").path
    with zipfile.ZipFile(real) as archive:
        lines = archive.read("edits.jsonl").decode("utf-8").splitlines()
    field = f"agency/{hupq(a)}/crit/IV.5/appraised"
    for me, other, points in (("evil-1", "evil-2", "0"), ("evil-2", "evil-1", "0")):
        lines.append(
            json.dumps(
                {
                    "id": me,
                    "field": field,
                    "value": {"override": points},
                    "author": a.actor.member_id,
                    "device": "a",
                    "created_at": "2022-12-20T08:00:00+07:00",
                    "parents": [other],
                    "reason": None,
                    "basis": [],
                },
                ensure_ascii=False,
            )
        )
    forged = rewrite(
        real,
        tmp_path / "forged.ictx",
        members={"edits.jsonl": ("\n".join(lines) + "\n").encode()},
        fix_checksums=True,
        manifest=lambda meta: meta["counts"].update(edits=len(lines)),
    )
    _refused(lead, forged, "vòng lặp", "evil-")
