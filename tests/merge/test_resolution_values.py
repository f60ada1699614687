"""Resolving a conflict checks the value like a merge does, reads Vietnamese input, speaks Vietnamese.

A typed (or picked, or `resolve --value`) value goes through the same field checks as a
merged edit, after Vietnamese forms are read ("30/11/2022", "7,5"); conflict titles name
every field in words, never by its raw key.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from merge_helpers import LEAD, MEMBER_A, MEMBER_B, open_as
from test_merge_cli import cli

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import crit_field, member_field
from ictappraise.services import appraisal as svc
from ictappraise.services import merge, round_admin
from ictappraise.services.conflicts import field_label
from ictappraise.services.field_text import ROUND_LABELS
from ictappraise.services.resolution_values import parse_typed
from ictappraise.services.seed import ROUND_KEYS, seed_round
from ictappraise.services.workspace import ServiceError, Workspace
from ictappraise.store.database import open_database


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped 2022 round before any visit (no signed minutes freeze the round settings)."""
    path = tmp_path_factory.mktemp("seeded") / "round.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ICTAPPRAISE_DATA_DIR", str(path.parent / "data"))
        db = open_database(path, create=True)
        try:
            seed_round(Workspace(db))
        finally:
            db.close()
    return path


@pytest.fixture
def fresh(seeded: Path, tmp_path: Path):
    """make(member, device) → a Workspace on a fresh copy of the seeded round."""
    opened: list[Workspace] = []

    def make(name: str, device: str) -> Workspace:
        target = tmp_path / f"{device}.db"
        shutil.copyfile(seeded, target)
        opened.append(open_as(target, name, device))
        return opened[-1]

    yield make
    for ws in opened:
        ws.db.close()


def round_conflict(fresh, tmp_path: Path) -> Workspace:
    """The lead on two laptops sets different round settings; the second's package is merged."""
    lead, other = fresh(LEAD, "lead"), fresh(LEAD, "lead-2")
    round_admin.set_round_settings(lead, report_deadline=date(2022, 11, 29), portal_quota=3, name="Đợt A")
    round_admin.set_round_settings(other, report_deadline=date(2022, 12, 2), portal_quota=6, name="Đợt B")
    merge.merge_packages(lead, [merge.export_package(other, tmp_path / "other.ictx").path], confirmed=True)
    assert {c.field for c in merge.list_conflicts(lead)} >= {"round/report_deadline", "round/portal_quota"}
    return lead


def test_typed_round_values_are_read_and_checked(fresh, tmp_path: Path) -> None:
    lead = round_conflict(fresh, tmp_path)
    assert parse_typed(lead, "round/report_deadline", "30/11/2022") == "2022-11-30"
    assert parse_typed(lead, "round/report_deadline", "") is None
    assert parse_typed(lead, "round/portal_quota", "5") == 5
    with pytest.raises(ServiceError, match="Số tin, bài"):
        parse_typed(lead, "round/portal_quota", "4 bài")
    with pytest.raises(ServiceError, match="Hạn gửi báo cáo"):
        parse_typed(lead, "round/report_deadline", "31/11/2022")
    assert parse_typed(lead, "round/name", "  Đợt   C ") == "Đợt C"


def test_resolving_with_a_vietnamese_or_bad_value(fresh, tmp_path: Path) -> None:
    lead = round_conflict(fresh, tmp_path)
    with pytest.raises(ServiceError, match="Số tin, bài"):
        merge.resolve_conflict(lead, "round/portal_quota", "4 bài", "Theo công văn")
    with pytest.raises(ServiceError, match="Số tin, bài"):
        merge.resolve_conflict(lead, "round/portal_quota", -1, "Theo công văn")
    edit = merge.resolve_conflict(lead, "round/report_deadline", "30/11/2022", "Theo công văn")
    assert edit.value == "2022-11-30"
    assert lead.round_info().report_deadline == date(2022, 11, 30)
    merge.resolve_conflict(lead, "round/portal_quota", "5", "Theo công văn")
    assert lead.round_info().portal_quota == 5
    assert len(lead.results()) == 25 and lead.results()[0].scorecard.errors == ()


def test_a_picked_value_is_checked_too(laptops, tmp_path: Path) -> None:
    lead, a, b = laptops(LEAD, "lead"), laptops(MEMBER_A, "a"), laptops(MEMBER_B, "b")
    agency = a.find_agency("HUPQ")
    field = crit_field(agency.id, "IV.3", "self")
    svc.set_self_score(a, agency.id, "IV.3", "10")
    with pytest.raises(ServiceError, match="tự đánh giá"):
        b.set(field, "abc")  # this build refuses it when typed, as a merge does
    _written_by_older_build(b, field, "abc")
    lead.append([*_edits(a, field), *_edits(b, field)])  # as an older build merged them
    heads = {h.edit.value: h.id for h in merge.list_conflicts(lead, agency.id)[0].heads}
    with pytest.raises(ServiceError, match="tự đánh giá"):
        merge.resolve_pick(lead, field, heads["abc"], "Chọn bản của B")
    assert merge.resolve_pick(lead, field, heads["10"], "Chọn bản của A").value == "10"
    assert parse_typed(lead, field, "7,5") == "7.5"


def _written_by_older_build(ws: Workspace, field: str, value: object) -> None:
    """An edit as a build without the value check wrote it: signed by its author, unchecked."""
    actor = ws.require_actor()
    edit = Edit(ws.new_id(), field, value, actor.member_id, actor.device_id, ws.clock())
    ws.append(actor.signer.sign_batch([edit]) if actor.signer is not None else [edit])


def _edits(ws: Workspace, field: str) -> list:
    return [line.edit for line in ws.history(field)]


def test_cli_resolve_value_is_checked(seeded: Path, tmp_path: Path) -> None:
    paths = {n: tmp_path / f"{n}.db" for n in ("lead", "other")}
    for path in paths.values():
        shutil.copyfile(seeded, path)
    for name, when in (("lead", date(2022, 11, 29)), ("other", date(2022, 12, 2))):
        ws = open_as(paths[name], LEAD, name)
        try:
            round_admin.set_round_settings(ws, report_deadline=when, portal_quota=3 if name == "lead" else 6)
        finally:
            ws.db.close()
    package = tmp_path / "other.ictx"
    cli("export-package", "--db", paths["other"], "--out", package, "--as", LEAD)
    cli("merge", "--db", paths["lead"], package, "--as", LEAD, "--yes")
    common = ("resolve", "--db", paths["lead"], "--as", LEAD, "--reason", "Theo công văn")
    refused = cli(*common, "--field", "round/portal_quota", "--value", '"4 bài"', check=False)
    assert refused.returncode == 1 and "Số tin, bài" in refused.stderr
    refused = cli(*common, "--field", "round/portal_quota", "--value", "4 bài", check=False)
    assert refused.returncode == 1 and "Số tin, bài" in refused.stderr
    cli(*common, "--field", "round/report_deadline", "--value", "30/11/2022")  # as typed in the dialog
    cli(*common, "--field", "round/portal_quota", "--value", "5")
    ws = open_as(paths["lead"], LEAD, "lead")
    try:
        assert ws.round_info().report_deadline == date(2022, 11, 30)
        assert ws.round_info().portal_quota == 5
    finally:
        ws.db.close()


def test_every_round_and_member_field_has_a_vietnamese_label(lead_ws) -> None:
    keys = set(ROUND_KEYS) | set(round_admin.SETTINGS_KEYS)
    assert keys <= set(ROUND_LABELS)
    for key in keys:
        where, code, what = field_label(lead_ws, f"round/{key}")
        assert (where, code) == ("Thông tin đợt", None)
        assert what == ROUND_LABELS[key] and key not in what
    assert field_label(lead_ws, "round/report_deadline")[2] == "Hạn gửi báo cáo"
    assert field_label(lead_ws, "round/rules/3")[2] == "Ngưỡng xếp loại Phụ lục 3"
    assert field_label(lead_ws, "catalog/4")[2] == "Bộ tiêu chí Phụ lục 4"
    member = lead_ws.find_member(MEMBER_A)
    for key in ("name", "title", "role", "signature", "active"):
        where, _code, what = field_label(lead_ws, member_field(member.id, key))
        assert where == "Tổ thẩm định" and what.startswith(f"{MEMBER_A}: ") and key not in what


def test_round_conflict_titles_and_values_in_words(fresh, tmp_path: Path) -> None:
    lead = round_conflict(fresh, tmp_path)
    conflicts = {c.field: c for c in merge.list_conflicts(lead)}
    deadline = conflicts["round/report_deadline"]
    assert deadline.title == "Thông tin đợt — Hạn gửi báo cáo"
    assert sorted(h.text for h in deadline.heads) == ["02/12/2022", "29/11/2022"]
    assert (
        "report_deadline" not in deadline.title
        and "portal_quota" not in conflicts["round/portal_quota"].title
    )
    assert conflicts["round/name"].title == "Thông tin đợt — Tên đợt đánh giá"
