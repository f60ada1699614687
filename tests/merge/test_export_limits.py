"""A package the lead's laptop would refuse is refused when it is made, and leaves no file."""

from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from merge_helpers import MEMBER_A, open_as

from ictappraise.domain.scorecard import Appraisal
from ictappraise.io import exchange
from ictappraise.services import appraisal as svc
from ictappraise.services import merge
from ictappraise.services.workspace import Workspace
from ictappraise.store import repository


@pytest.fixture
def member(demo_db: Path, tmp_path: Path) -> Workspace:
    """Member A with one appraisal and one attached evidence file of 300 KB of zeros."""
    shutil.copyfile(demo_db, tmp_path / "a.db")
    ws = open_as(tmp_path / "a.db", MEMBER_A, "a")
    agency = ws.find_agency("HUPQ")
    code = next(iter(ws.catalog(agency.category).leaves())).code
    svc.set_appraisal(ws, agency.id, code, Appraisal(override=Decimal(1)))
    with ws.db.transaction() as session:
        digest = repository.put_attachment(session, bytes(300 * 1024))  # compresses ~1000:1
    ws.set(f"agency/{agency.id}/crit/{code}/attachment/{digest}", {"name": "scan.bmp", "size": 300 * 1024})
    yield ws
    ws.db.close()


def _refused(ws: Workspace, target: Path, message: str) -> None:
    with pytest.raises(exchange.PackageError, match=message):
        merge.export_package(ws, target)
    assert not target.exists()
    assert list(target.parent.glob(target.name + "*")) == []  # no temporary file either


def test_a_package_over_the_total_limit_is_refused_at_export(
    member: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo's edits are about 1.2 MB; with the 300 KB scan the package would unzip to 1.5 MB.
    monkeypatch.setattr(exchange, "MAX_TOTAL_BYTES", 1400 * 1024)
    _refused(member, tmp_path / "a.ictx", r"gói dữ liệu vượt giới hạn 1,4 MB .*--since-last")


def test_edits_over_their_limit_are_refused_before_anything_is_written(
    member: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exchange, "MAX_EDITS_BYTES", 1024)
    _refused(member, tmp_path / "a.ictx", r"phần sửa đổi \(1,\d MB\) vượt giới hạn 1,0 KB")


def test_a_blank_scan_is_stored_so_the_package_is_never_taken_for_a_zip_bomb(
    member: Workspace, lead_ws: Workspace, tmp_path: Path
) -> None:
    """300 KB of zeros deflates about 1000:1, past the receiver's ratio check: evidence is
    stored as it is, so such a file can never block every later export."""
    exported = merge.export_package(member, tmp_path / "a.ictx")
    with zipfile.ZipFile(exported.path) as archive:
        evidence = [i for i in archive.infolist() if i.filename.startswith(exchange.ATTACHMENT_DIR)]
    assert [i.compress_type for i in evidence] == [zipfile.ZIP_STORED]
    assert merge.plan_merge(lead_ws, [exported.path]).new_edits


def test_a_package_the_receiver_would_refuse_is_refused_at_export(
    member: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the receiver's checks refuse (here a ratio limit tightened below what the
    deflated edits reach) is refused when the package is made, with the receiver's reason."""
    monkeypatch.setattr(exchange, "MAX_RATIO", 2)
    monkeypatch.setattr(exchange, "RATIO_FLOOR", 1024)
    _refused(member, tmp_path / "a.ictx", r"máy nhận sẽ từ chối nó \(.*bom nén.*\)\. Hãy thay")


def test_within_the_limits_the_package_is_written_and_merges(
    member: Workspace, lead_ws: Workspace, tmp_path: Path
) -> None:
    exported = merge.export_package(member, tmp_path / "a.ictx")
    plan = merge.plan_merge(lead_ws, [exported.path])
    assert plan.new_edits
