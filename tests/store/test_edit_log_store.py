"""The edit log on disk: dedup by UUID, parents and reasons, the audit trail, locks, copies."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import agency_field, crit_field, fact_field, visit_field
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services.seed import seed_round
from ictappraise.services.trust import signer_for
from ictappraise.services.workspace import Actor, ServiceError, VisitLocked, Workspace, now_iso
from ictappraise.store import repository
from ictappraise.store.database import open_database

OpenAs = Callable[..., Workspace]


@pytest.fixture
def open_as() -> Iterator[OpenAs]:
    """open_as(path, "Chuyên viên A", device=…, clock=…): a Workspace acting as that member."""
    opened: list[Workspace] = []

    def make(
        path: Path, name: str, *, device: str = "test-device", clock: Callable[[], str] = now_iso
    ) -> Workspace:
        ws = Workspace(open_database(path), clock=clock)
        opened.append(ws)
        member = ws.find_member(name)
        assert member is not None, name
        ws.actor = Actor(member.id, device, member.name, member.role, signer_for(ws, member.id))
        return ws

    yield make
    for ws in opened:
        ws.db.close()  # closing twice is harmless


def fixed_clock(moment: str) -> Callable[[], str]:
    """A clock that always says the same time (the audit trail's "when")."""
    return lambda: moment


def count(ws: Workspace) -> int:
    with ws.db.reading() as session:
        return repository.count_edits(session)


def stored(ws: Workspace, field: str) -> list[Edit]:
    with ws.db.reading() as session:
        return [e for e in repository.load_edits(session) if e.field == field]


def snapshot(ws: Workspace) -> dict[str, Any]:
    """Everything a user sees: every scope's derived state and the ranked results."""
    states = {a.id: ws.state(a.id) for a in ws.agencies()}
    states["round"] = ws.state()
    results = [
        (r.agency, r.rank, r.status, r.scorecard.total, r.scorecard.rating, r.scorecard.unscored)
        for r in ws.results()
    ]
    return {"states": states, "results": results}


# -- append_edits ---------------------------------------------------------------------------


def make_edit(number: int, field: str = "round/name") -> Edit:
    return Edit(f"00000000-0000-4000-8000-{number:012d}", field, f"v{number}", "m", "d", "2022-12-09T08:00")


def test_append_edits_deduplicates_by_uuid(tmp_path: Path) -> None:
    db = open_database(tmp_path / "round.db", create=True)
    try:
        edits = [make_edit(1), make_edit(2), make_edit(3, "agency/X/crit/I.1/self")]
        with db.transaction() as session:
            assert len(repository.append_edits(session, edits)) == 3
        with db.transaction() as session:
            assert repository.append_edits(session, edits) == []
            assert repository.append_edits(session, [edits[0], edits[0]]) == []
        with db.transaction() as session:
            new = repository.append_edits(session, [make_edit(4), make_edit(4), edits[1]])
            assert [e.id for e in new] == [make_edit(4).id]
        with db.reading() as session:
            assert repository.count_edits(session) == 4
            loaded = repository.load_edits(session)
            assert loaded[:3] == edits  # stored exactly, in arrival order
            assert repository.load_edits(session, "X") == [edits[2]]
            assert repository.last_seq(session) == 4
    finally:
        db.close()


def test_append_many_edits_in_chunks(tmp_path: Path) -> None:
    db = open_database(tmp_path / "round.db", create=True)
    try:
        edits = [make_edit(n) for n in range(1200)]  # more than one IN (...) chunk of 500
        with db.transaction() as session:
            assert len(repository.append_edits(session, edits)) == 1200
        with db.transaction() as session:
            assert repository.append_edits(session, reversed(edits)) == []
    finally:
        db.close()


# -- Workspace.write -------------------------------------------------------------------------


def test_write_records_author_device_parents_and_reason(demo_db: Path, open_as: OpenAs) -> None:
    ws = open_as(demo_db, "Chuyên viên A", device="laptop-of-a")
    try:
        vptu = ws.find_agency("VPTU")
        field = crit_field(vptu.id, "IV.9", "appraised")
        previous = ws.state(vptu.id).heads(field)
        svc.set_appraisal(ws, vptu.id, "IV.9", Appraisal(input="17,5"), reason="Đối chiếu nhật ký sự cố")
        [edit] = [e for e in stored(ws, field) if e.id not in previous]
        assert edit.value == {"input": "17.5"}
        assert edit.author == ws.require_actor().member_id
        assert edit.device == "laptop-of-a"
        assert edit.parents == previous
        assert edit.reason == "Đối chiếu nhật ký sự cố"
        assert edit.basis == ws.state(vptu.id).heads(f"agency/{vptu.id}/status")
        assert ws.detail(vptu.id).scorecard.rows["IV.9"].points == Decimal("17.5")
        # The next edit of the field names this one as its parent.
        svc.set_appraisal(ws, vptu.id, "IV.9", Appraisal(input="18"))
        latest = [e for e in stored(ws, field) if e.parents == (edit.id,)]
        assert len(latest) == 1 and latest[0].reason is None
    finally:
        ws.db.close()


def test_writing_an_unchanged_value_writes_nothing(demo_db: Path, open_as: OpenAs) -> None:
    ws = open_as(demo_db, "Chuyên viên A")
    try:
        vptu = ws.find_agency("VPTU")
        svc.set_appraisal(ws, vptu.id, "IV.9", Appraisal(input="12"))
        before = count(ws)
        svc.set_appraisal(ws, vptu.id, "IV.9", Appraisal(input="12"))
        svc.set_appraisal(ws, vptu.id, "IV.9", Appraisal(input="12,0"))  # the same number
        assert ws.set(agency_field(vptu.id, "name"), vptu.name) == []
        never_set = crit_field(vptu.id, "IV.1", "self_by_team")
        assert never_set not in ws.state(vptu.id).fields  # absent, so None changes nothing
        assert ws.set(never_set, None) == []
        assert count(ws) == before
    finally:
        ws.db.close()


def test_a_write_needs_an_actor(demo_db: Path) -> None:
    db = open_database(demo_db)
    try:
        ws = Workspace(db)
        with pytest.raises(ServiceError, match="Chưa biết ai đang thao tác"):
            ws.set("round/name", "Đợt khác")
    finally:
        db.close()


def test_a_refused_batch_writes_nothing(demo_db: Path, open_as: OpenAs) -> None:
    ws = open_as(demo_db, "Chuyên viên A")
    try:
        vptu = ws.find_agency("VPTU")
        before = count(ws)
        with pytest.raises(ServiceError):
            svc.set_portal_counts(ws, vptu.id, {1: 5, 2: 6, 13: 4})  # month 13 refuses all
        with pytest.raises(ServiceError, match="nằm ngoài khoảng"):
            svc.set_self_score(ws, vptu.id, "IV.9", "20.5")
        assert count(ws) == before
    finally:
        ws.db.close()


# -- the audit trail ---------------------------------------------------------------------------


def test_audit_trail_who_set_a_criterion_when_and_why(demo_db: Path, open_as: OpenAs) -> None:
    lead = open_as(demo_db, "Nguyễn Thị Thắng", clock=fixed_clock("2022-12-15T08:30:00+07:00"))
    hubb = lead.find_agency("Huyện ủy Bắc Bình")
    svc.reopen(lead, hubb.id, "Đơn vị bổ sung minh chứng sau buổi thẩm định")
    lead.db.close()

    member = open_as(demo_db, "Chuyên viên A", clock=fixed_clock("2022-12-15T09:05:00+07:00"))
    try:
        old = member.detail(hubb.id).scorecard.rows["III.11"].points
        svc.set_appraisal(
            member, hubb.id, "III.11", Appraisal(input="22,5"), reason="Kiểm tra lại phần mềm chuyên môn"
        )
        history = member.history(crit_field(hubb.id, "III.11", "appraised"))
        last = history[-1]
        assert last.author_name == "Chuyên viên A"
        assert last.edit.created_at == "2022-12-15T09:05:00+07:00"
        assert last.edit.reason == "Kiểm tra lại phần mềm chuyên môn"
        assert last.new_value == {"input": "22.5"}
        assert last.old_values and Appraisal.from_json(last.old_values[0]) is not None
        assert not last.held
        # The earlier lines tell who scored it during the visit.
        assert all(line.edit.created_at <= last.edit.created_at for line in history)
        assert history[0].author_name in ("Chuyên viên A", "Chuyên viên B")
        assert member.detail(hubb.id).scorecard.rows["III.11"].points == Decimal("22.5") != old
        # The reopen is in the trail too, with the lead's reason.
        status = member.history(f"agency/{hubb.id}/status")
        assert status[-1].author_name == "Nguyễn Thị Thắng"
        assert status[-1].edit.reason == "Đơn vị bổ sung minh chứng sau buổi thẩm định"
        assert status[-1].new_value["state"] == "reopened"
    finally:
        member.db.close()


def test_history_of_a_prefix_lists_every_field_under_it(lead_ws: Any) -> None:
    hubb = lead_ws.find_agency("HUBB")
    lines = lead_ws.history(f"agency/{hubb.id}/crit/III.11/")
    fields = {line.edit.field for line in lines}
    assert crit_field(hubb.id, "III.11", "appraised") in fields
    assert crit_field(hubb.id, "III.11", "self") in fields
    assert all(field.startswith(f"agency/{hubb.id}/crit/III.11/") for field in fields)


# -- the state survives closing and copying ----------------------------------------------


def test_closing_and_reopening_gives_the_same_state(demo_db: Path, open_as: OpenAs) -> None:
    ws = open_as(demo_db, "Chuyên viên B")
    duk = ws.find_agency("DUK")
    svc.set_appraisal(ws, duk.id, "IV.9", Appraisal(input="15"), reason="Không có sự cố")
    svc.set_visit(ws, duk.id, end="11:15")
    before = snapshot(ws)
    ws.db.close()
    again = Workspace(open_database(demo_db))
    try:
        assert snapshot(again) == before
    finally:
        again.db.close()


def test_copying_the_file_elsewhere_gives_the_same_state(
    demo_db: Path, tmp_path: Path, open_as: OpenAs
) -> None:
    ws = open_as(demo_db, "Chuyên viên A")
    svc.set_self_score(ws, ws.find_agency("BTC").id, "I.1", "10")
    before = snapshot(ws)
    ws.db.close()
    elsewhere = tmp_path / "usb-stick" / "copy of round.db"
    elsewhere.parent.mkdir()
    shutil.copyfile(demo_db, elsewhere)
    # Another laptop: another device id, another member; the file does not care.
    other = open_as(elsewhere, "Chuyên viên C", device="laptop-of-c")
    try:
        assert snapshot(other) == before
        edit = other.set(crit_field(other.find_agency("BTC").id, "I.1", "note"), "Đã kiểm tra")[0]
        assert edit.device == "laptop-of-c"
    finally:
        other.db.close()


# -- signing locks; only the lead reopens, with a reason ---------------------------------------


def test_signed_agency_refuses_lockable_writes(demo_db: Path, open_as: OpenAs) -> None:
    ws = open_as(demo_db, "Chuyên viên A")
    try:
        hubb = ws.find_agency("HUBB")
        assert ws.is_signed(hubb.id)
        before = count(ws)
        with pytest.raises(VisitLocked, match="đã ký"):
            svc.set_appraisal(ws, hubb.id, "III.11", Appraisal(input="20"))
        with pytest.raises(VisitLocked):
            svc.set_visit(ws, hubb.id, end="17:00")
        with pytest.raises(VisitLocked):
            svc.set_report(ws, hubb.id, attached=False)
        with pytest.raises(VisitLocked):
            ws.set(fact_field(hubb.id, "portal/5"), 0)
        with pytest.raises(VisitLocked):
            ws.set(visit_field(hubb.id, "strengths"), "Sửa sau khi ký")
        assert count(ws) == before
        # The agency's name is not part of the minutes' scores: it stays editable, by the lead.
        with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
            ws.set(agency_field(hubb.id, "name"), "Huyện ủy Bắc Bình (sửa tên)")
        assert count(ws) == before
    finally:
        ws.db.close()
    lead = open_as(demo_db, "Nguyễn Thị Thắng")
    try:
        assert len(lead.set(agency_field(hubb.id, "name"), "Huyện ủy Bắc Bình (sửa tên)")) == 1
    finally:
        lead.db.close()


def test_reopen_needs_the_lead_and_a_reason(demo_db: Path, open_as: OpenAs) -> None:
    member = open_as(demo_db, "Chuyên viên A")
    hubb = member.find_agency("HUBB")
    with pytest.raises(ServiceError, match="Chỉ Tổ trưởng"):
        svc.reopen(member, hubb.id, "Muốn sửa điểm")
    member.db.close()

    lead = open_as(demo_db, "Nguyễn Thị Thắng")
    try:
        for reason in ("", "   "):
            with pytest.raises(ServiceError, match="phải ghi rõ lý do"):
                svc.reopen(lead, hubb.id, reason)
        assert lead.is_signed(hubb.id)
        with pytest.raises(ServiceError, match="chưa ký"):
            svc.reopen(lead, lead.find_agency("VPTU").id, "Không cần")
        svc.reopen(lead, hubb.id, "  Sai số liệu tiêu chí III.11  ")
        assert not lead.is_signed(hubb.id)
        [edit] = [e for e in stored(lead, f"agency/{hubb.id}/status") if e.value.get("state") == "reopened"]
        assert edit.reason == "Sai số liệu tiêu chí III.11"
        # After the reopen, scores can be changed again, and they are applied, not held.
        svc.set_appraisal(lead, hubb.id, "III.11", Appraisal(input="20"), reason="Sửa theo minh chứng")
        assert lead.detail(hubb.id).scorecard.rows["III.11"].points == Decimal(20)
        assert lead.state(hubb.id).held == ()
    finally:
        lead.db.close()


def test_signing_again_after_reopen_covers_the_new_edits(demo_db: Path, open_as: OpenAs) -> None:
    lead = open_as(demo_db, "Nguyễn Thị Thắng")
    try:
        hubb = lead.find_agency("HUBB")
        svc.reopen(lead, hubb.id, "Bổ sung minh chứng")
        svc.set_appraisal(lead, hubb.id, "III.11", Appraisal(input="20"), reason="Theo minh chứng bổ sung")
        note = crit_field(hubb.id, "III.11", "note")
        lead.set(note, "Đơn vị bổ sung minh chứng ngày 15/12/2022")
        svc.sign(lead, hubb.id)
        assert lead.is_signed(hubb.id)
        status = lead.detail(hubb.id).status_value
        assert set(lead.state(hubb.id).heads(note)) <= set(status["covers"])
        assert status["revision"] == 2
        assert lead.state(hubb.id).held == ()
        assert lead.detail(hubb.id).scorecard.rows["III.11"].points == Decimal(20)
    finally:
        lead.db.close()


# -- seeding is deterministic ----------------------------------------------------------------


def test_seeding_twice_into_two_files_gives_identical_edits(tmp_path: Path) -> None:
    seeds = []
    for name in ("laptop-a.db", "laptop-b.db"):
        db = open_database(tmp_path / name, create=True)
        ws = Workspace(db, Actor("someone", f"device-{name}"))
        assert seed_round(ws) > 0
        with db.reading() as session:
            seeds.append(repository.load_edits(session))
        db.close()
    first, second = seeds
    assert [e.id for e in first] == [e.id for e in second]
    assert first == second
    assert len({e.id for e in first}) == len(first)


def test_seeding_the_same_file_again_adds_nothing(tmp_path: Path) -> None:
    db = open_database(tmp_path / "round.db", create=True)
    try:
        ws = Workspace(db)
        created = seed_round(ws)
        assert created > 0
        assert seed_round(ws) == 0
        assert count(ws) == created
        assert len(ws.agencies()) == 25
    finally:
        db.close()


# -- two laptops working on copies of one file ------------------------------------------------


def new_edits(ws: Workspace, known: set[str]) -> list[Edit]:
    with ws.db.reading() as session:
        return [e for e in repository.load_edits(session) if e.id not in known]


def all_ids(path: Path) -> set[str]:
    db = open_database(path)
    try:
        with db.reading() as session:
            return {e.id for e in repository.load_edits(session)}
    finally:
        db.close()


def test_copies_that_disagree_show_a_conflict_and_refuse_signing(
    demo_db: Path, tmp_path: Path, open_as: OpenAs
) -> None:
    copy = tmp_path / "laptop-b.db"
    shutil.copyfile(demo_db, copy)
    base = all_ids(demo_db)
    a = open_as(demo_db, "Chuyên viên A", device="laptop-a")
    b = open_as(copy, "Chuyên viên B", device="laptop-b")
    tupt = a.find_agency("TUPT")  # ready to sign in the demo: every criterion scored
    svc.set_appraisal(a, tupt.id, "IV.9", Appraisal(input="10"), reason="Có sự cố chưa khắc phục")
    svc.set_appraisal(b, tupt.id, "IV.9", Appraisal(input="12"), reason="Sự cố đã khắc phục")
    from_a, from_b = new_edits(a, base), new_edits(b, base)
    a.append(from_b)
    b.append(from_a)
    for ws in (a, b):
        detail = ws.detail(tupt.id)
        assert [fs.field for fs in detail.conflicts] == [crit_field(tupt.id, "IV.9", "appraised")]
        assert detail.scorecard.rating is None  # no band is guessed
        assert "IV.9" in detail.scorecard.conflicts
    assert a.state(tupt.id) == b.state(tupt.id)  # the same state on both laptops
    b.db.close()  # one program per file: the lead opens it next
    lead = open_as(copy, "Nguyễn Thị Thắng")
    with pytest.raises(ServiceError, match="xung đột"):
        svc.sign(lead, tupt.id)


def test_an_edit_the_signing_missed_is_held_on_both_laptops(
    demo_db: Path, tmp_path: Path, open_as: OpenAs
) -> None:
    copy = tmp_path / "laptop-b.db"
    shutil.copyfile(demo_db, copy)
    base = all_ids(demo_db)
    lead = open_as(demo_db, "Nguyễn Thị Thắng", device="laptop-lead")
    member = open_as(copy, "Chuyên viên B", device="laptop-b")
    tupt = lead.find_agency("TUPT")
    points = lead.detail(tupt.id).scorecard.rows["IV.9"].points
    svc.sign(lead, tupt.id)  # on the lead's laptop
    # Meanwhile, offline, B changes a score of TUPT: B has not seen the signing.
    svc.set_appraisal(member, tupt.id, "IV.9", Appraisal(input="5"), reason="Phát hiện sự cố")
    from_lead, from_member = new_edits(lead, base), new_edits(member, base)
    lead.append(from_member)
    member.append(from_lead)
    [late] = from_member
    for ws in (lead, member):
        assert [e.id for e in ws.state(tupt.id).held] == [late.id]
        assert ws.detail(tupt.id).scorecard.rows["IV.9"].points == points
        assert ws.is_signed(tupt.id)
        line = ws.history(crit_field(tupt.id, "IV.9", "appraised"))[-1]
        assert line.edit.id == late.id and line.held
    assert lead.state(tupt.id) == member.state(tupt.id)
