"""Authenticity (docs/rules.md §9): signed edits, the roster from the founder, keys held and admitted."""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid
from pathlib import Path

import pytest

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import crit_field
from ictappraise.domain.roster import REVOKED_KEY, UNKNOWN_KEY, UNSIGNED, WRONG_AUTHOR
from ictappraise.io import keys
from ictappraise.services import merge, trust
from ictappraise.services.errors import ServiceError
from ictappraise.services.identity import actor_for
from ictappraise.services.merge import MergeRefused
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.settings import Identity
from ictappraise.store.database import SCHEMA_VERSION, open_database
from tests.support import member_ws

LEAD = "Nguyễn Thị Thắng"
MEMBER_A = "Chuyên viên A"
MEMBER_B = "Chuyên viên B"


def _note(ws: Workspace, code: str = "I.1") -> str:
    return crit_field(ws.find_agency("HUPQ").id, code, "note")


def _edit(ws: Workspace, author: str, value: str, field: str | None = None) -> Edit:
    field = field or _note(ws)
    scope = field.split("/")[1]
    return Edit(
        str(uuid.uuid4()),
        field,
        value,
        author,
        "other-laptop",
        "2022-12-14T22:00:00+07:00",
        ws.state(scope).heads(field),
    )


def _package_with(tmp_path: Path, demo_db: Path, name: str, edits_of: object) -> Path:
    """A package of a copy of the demo into which the given edits were appended raw."""
    copy = tmp_path / f"copy-{uuid.uuid4().hex[:6]}.db"
    copy.write_bytes(demo_db.read_bytes())
    ws = member_ws(copy, name)
    ws.append(edits_of(ws))  # type: ignore[operator]
    result = merge.export_package(ws, tmp_path / f"{copy.stem}.ictx")
    ws.db.close()
    return result.path


def test_every_local_write_is_signed_by_the_actors_key(lead_ws: Workspace) -> None:
    written = lead_ws.set(_note(lead_ws), "Ghi chú có chữ ký")
    assert written[0].key == lead_ws.actor.signer.public_key
    assert keys.verify(written[0])
    assert not keys.verify(dataclasses.replace(written[0], value="Ghi chú đã bị sửa"))


def test_a_forged_signature_refuses_the_package_whole(
    lead_ws: Workspace, demo_db: Path, tmp_path: Path
) -> None:
    def forged(ws: Workspace) -> list[Edit]:
        good = ws.actor.signer.sign(_edit(ws, ws.actor.member_id, "Ghi chú thật"))
        return [dataclasses.replace(good, value="Ghi chú giả")]  # changed after signing

    package = _package_with(tmp_path, demo_db, MEMBER_A, forged)
    before = lead_ws.state(lead_ws.find_agency("HUPQ").id).value(_note(lead_ws))
    with pytest.raises(MergeRefused, match="chữ ký của sửa đổi .* không hợp lệ"):
        merge.merge_packages(lead_ws, [package])
    assert lead_ws.state(lead_ws.find_agency("HUPQ").id).value(_note(lead_ws)) == before


def test_a_replayed_signature_on_a_new_id_is_refused(
    lead_ws: Workspace, demo_db: Path, tmp_path: Path
) -> None:
    def replayed(ws: Workspace) -> list[Edit]:
        good = ws.actor.signer.sign(_edit(ws, ws.actor.member_id, "Ghi chú"))
        return [dataclasses.replace(good, id=str(uuid.uuid4()), field=_note(ws, "I.2"), parents=())]

    package = _package_with(tmp_path, demo_db, MEMBER_A, replayed)
    with pytest.raises(MergeRefused, match="chữ ký"):
        merge.merge_packages(lead_ws, [package])


def test_the_right_key_under_the_wrong_name_is_held(
    lead_ws: Workspace, demo_db: Path, tmp_path: Path
) -> None:
    member_b = lead_ws.find_member(MEMBER_B)
    assert member_b is not None

    def impostor(ws: Workspace) -> list[Edit]:  # A signs with A's own key, but names B as author
        return [ws.actor.signer.sign(_edit(ws, member_b.id, "B không viết điều này"))]

    package = _package_with(tmp_path, demo_db, MEMBER_A, impostor)
    plan = merge.plan_merge(lead_ws, [package])
    assert plan.needs_confirmation and [reason for _e, reason in plan.untrusted] == [WRONG_AUTHOR]
    with pytest.raises(MergeRefused, match="Sẽ bị giữ lại"):
        merge.merge_packages(lead_ws, [package])
    summary = merge.merge_packages(lead_ws, [package], accept_unknown=True)
    assert [h.reason for h in summary.held] == [WRONG_AUTHOR]
    assert summary.new_edits == 1
    state = lead_ws.state(lead_ws.find_agency("HUPQ").id)
    assert state.value(_note(lead_ws)) != "B không viết điều này"
    assert list(state.untrusted.values()) == [WRONG_AUTHOR]


def test_an_unknown_key_is_held_until_the_lead_admits_it(
    lead_ws: Workspace, demo_db: Path, tmp_path: Path
) -> None:
    newcomer = keys.create_key("Trần Văn Mới")
    newcomer_id = str(uuid.uuid4())

    def joining(ws: Workspace) -> list[Edit]:
        announcement = newcomer.sign(
            Edit(
                str(uuid.uuid4()),
                trust.announce_field(newcomer_id, newcomer.public_key),
                {"key": newcomer.public_key, "name": "Trần Văn Mới", "title": "Chuyên viên"},
                newcomer_id,
                "new-laptop",
                "2022-12-14T22:00:00+07:00",
            )
        )
        return [announcement, newcomer.sign(_edit(ws, newcomer_id, "Ghi chú của người mới"))]

    package = _package_with(tmp_path, demo_db, MEMBER_A, joining)
    plan = merge.plan_merge(lead_ws, [package])
    assert plan.announced == ((newcomer.fingerprint, "Trần Văn Mới"),)
    merge.merge_packages(lead_ws, [package], accept_unknown=True)
    agency = lead_ws.find_agency("HUPQ").id
    assert list(lead_ws.state(agency).untrusted.values()) == [UNKNOWN_KEY]
    assert trust.announced(lead_ws) == [(newcomer.fingerprint, "Trần Văn Mới", "Chuyên viên")]

    with pytest.raises(ServiceError, match="vân tay"):
        trust.admit_key(lead_ws, "AAAA BBBB CCCC DDDD")
    assert trust.admit_key(lead_ws, newcomer.fingerprint.lower()) == "Trần Văn Mới"
    assert lead_ws.state(agency).value(_note(lead_ws)) == "Ghi chú của người mới"
    assert lead_ws.member(newcomer_id).role == "member"  # type: ignore[union-attr]
    assert trust.announced(lead_ws) == []


def test_a_member_cannot_admit_keys_or_change_roles(demo_db: Path) -> None:
    ws = member_ws(demo_db, MEMBER_A)
    with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
        ws.set(f"member/{ws.actor.member_id}/role", "lead")
    ws.db.close()


def test_a_forged_lead_edit_in_a_package_is_held(lead_ws: Workspace, demo_db: Path, tmp_path: Path) -> None:
    def promote(ws: Workspace) -> list[Edit]:
        field = f"member/{ws.actor.member_id}/role"
        edit = Edit(str(uuid.uuid4()), field, "lead", ws.actor.member_id, "x", "2022-12-14T22:00:00+07:00")
        return [ws.actor.signer.sign(dataclasses.replace(edit, parents=ws.state().heads(field)))]

    package = _package_with(tmp_path, demo_db, MEMBER_A, promote)
    merge.merge_packages(lead_ws, [package], accept_unknown=True)
    assert lead_ws.find_member(MEMBER_A).role == "member"  # type: ignore[union-attr]
    assert lead_ws.roster.role_of(lead_ws.find_member(MEMBER_A).id) == "member"  # type: ignore[union-attr]


def test_a_stolen_key_of_a_removed_member_signs_nothing_new(lead_ws: Workspace) -> None:
    member_a = lead_ws.find_member(MEMBER_A)
    assert member_a is not None
    stolen = trust.demo_signer("a")
    kept = stolen.sign(_edit(lead_ws, member_a.id, "Trước khi rời Tổ"))
    lead_ws.append([kept])
    lead_ws.write(
        [
            Change(
                trust.key_field(member_a.id, stolen.public_key),
                {"key": stolen.public_key, "revoked": True, "keeps": [kept.id]},
            )
        ]
    )
    agency = lead_ws.find_agency("HUPQ").id
    assert lead_ws.state(agency).value(_note(lead_ws)) == "Trước khi rời Tổ"
    later = stolen.sign(
        dataclasses.replace(_edit(lead_ws, member_a.id, "Sau khi rời Tổ"), parents=(kept.id,))
    )
    lead_ws.append([later])
    state = lead_ws.state(agency)
    assert state.value(_note(lead_ws)) == "Trước khi rời Tổ"
    assert state.untrusted == {later.id: REVOKED_KEY}


def test_unsigned_edits_after_founding_are_held(lead_ws: Workspace) -> None:
    lead = lead_ws.actor
    unsigned = _edit(lead_ws, lead.member_id, "Không ký")
    lead_ws.append([unsigned])
    assert lead_ws.state(lead_ws.find_agency("HUPQ").id).untrusted == {unsigned.id: UNSIGNED}
    # Vouched for by the lead (an adoption), it applies on every laptop.
    trust.adopt(lead_ws)
    assert lead_ws.state(lead_ws.find_agency("HUPQ").id).value(_note(lead_ws)) == "Không ký"


def test_a_round_founded_twice_is_foreign(tmp_path: Path) -> None:
    paths = []
    for laptop in ("one", "two"):
        path = tmp_path / f"{laptop}.db"
        ws = Workspace(open_database(path, create=True, backup=False))
        seed_round(ws)
        ws.actor = actor_for(ws, Identity(LEAD), f"laptop-{laptop}")
        assert ws.roster.founded
        paths.append((ws, path))
    (first, _), (second, _) = paths
    package = merge.export_package(second, tmp_path / "two.ictx").path
    with pytest.raises(MergeRefused, match="đợt đánh giá khác"):
        merge.merge_packages(first, [package])
    for ws, _ in paths:
        ws.db.close()


def test_a_newcomer_never_becomes_lead_by_typing(tmp_path: Path) -> None:
    path = tmp_path / "round.db"
    ws = Workspace(open_database(path, create=True, backup=False))
    seed_round(ws)
    with pytest.raises(ServiceError, match="chưa có trong Tổ thẩm định"):  # only the lead adds people
        actor_for(ws, Identity("Người Mới", "", "lead"), "laptop")
    assert ws.find_member("Người Mới") is None
    assert all(m.role != "lead" or m.name == "Nguyễn Thị Thắng" for m in ws.members())
    ws.db.close()


def test_upgrade_of_a_version_1_file_is_adopted_by_the_lead(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    ws = Workspace(open_database(path, create=True, backup=False))
    seed_round(ws)
    member_a = ws.find_member(MEMBER_A)
    assert member_a is not None
    ws.actor = Actor(member_a.id, "old-laptop", member_a.name, member_a.role)
    old = ws.set(_note(ws), "Ghi chú từ trước khi có chữ ký")[0]
    ws.db.close()
    with sqlite3.connect(path) as connection:  # the file as version 1 wrote it
        connection.execute("ALTER TABLE edits DROP COLUMN key")
        connection.execute("ALTER TABLE edits DROP COLUMN signature")
        connection.execute("PRAGMA user_version=1")

    ws = Workspace(open_database(path))
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert not ws.roster.founded
    ws.actor = actor_for(ws, Identity(LEAD), "lead-laptop")  # the lead's laptop adopts, once
    assert ws.roster.founded and ws.actor.signer is not None
    assert old.id in ws.roster.vouched
    assert ws.state(ws.find_agency("HUPQ").id).value(_note(ws)) == "Ghi chú từ trước khi có chữ ký"
    assert ws.set(_note(ws), "Sau nâng cấp")[0].signature is not None
    ws.db.close()


def test_a_founding_reaching_an_unfounded_file_is_asked_first(tmp_path: Path) -> None:
    old = tmp_path / "member.db"
    ws = Workspace(open_database(old, create=True, backup=False))
    seed_round(ws)
    ws.db.close()
    lead_file = tmp_path / "lead.db"
    lead_file.write_bytes(old.read_bytes())
    lead = Workspace(open_database(lead_file, backup=False))
    lead.actor = actor_for(lead, Identity(LEAD), "lead-laptop")  # the upgrade on the lead's laptop
    package = merge.export_package(lead, tmp_path / "lead.ictx").path
    lead.db.close()
    member = Workspace(open_database(old, backup=False))
    plan = merge.plan_merge(member, [package])
    assert plan.founding == LEAD and plan.needs_confirmation
    with pytest.raises(MergeRefused, match="khóa gốc của đợt"):
        merge.merge_packages(member, [package])
    merge.merge_packages(member, [package], accept_unknown=True)
    assert member.roster.founded and member.roster.founder == lead.actor.member_id
    member.db.close()
