"""The command line and keys (docs/rules.md §9): --as needs the member's key on this laptop; joining."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ictappraise.services.identity import actor_for
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Workspace
from ictappraise.settings import Identity
from ictappraise.store.database import open_database
from tests.support import run_cli as run

LEAD = "Nguyễn Thị Thắng"


def env_of(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ICTAPPRAISE_CONFIG_DIR"] = str(folder / "config")
    env["ICTAPPRAISE_DATA_DIR"] = str(folder / "data")
    env.pop("ICTAPPRAISE_DEVICE_ID", None)
    env["PYTHONWARNINGS"] = "ignore"
    return env


def founded_round(tmp_path: Path) -> Path:
    """A round the lead founded on this test's laptop (the lead's key in this process's config)."""
    path = tmp_path / "round.db"
    ws = Workspace(open_database(path, create=True, backup=False))
    seed_round(ws)
    ws.actor = actor_for(ws, Identity(LEAD), "lead-laptop")
    assert ws.roster.founded
    ws.db.close()
    return path


def test_typing_the_leads_name_on_a_members_laptop_is_refused(tmp_path: Path) -> None:
    db = founded_round(tmp_path)
    member_laptop = env_of(tmp_path / "member")
    result = run(
        member_laptop, "reopen", "--db", str(db), "--agency", "HUBB", "--reason", "Thử", "--as", LEAD
    )
    assert result.returncode == 1
    assert "Lỗi: Máy này không có khóa của «Nguyễn Thị Thắng» được Tổ trưởng công nhận" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_member_joins_announces_and_the_lead_admits_by_fingerprint(tmp_path: Path) -> None:
    db = founded_round(tmp_path)
    lead_laptop = env_of(Path(os.environ["ICTAPPRAISE_CONFIG_DIR"]).parent)
    member_laptop = env_of(tmp_path / "member")
    shown = run(member_laptop, "identity", "--set", "Trần Văn Mới", "--role", "lead")
    assert shown.returncode == 0, shown.stderr
    assert "Tổ trưởng" not in shown.stdout.split("Vân tay")[0] or "lead" not in shown.stdout
    fingerprint = re.search(r"Vân tay khóa của máy này: ([A-Z2-7]{4}( [A-Z2-7]{4}){3})", shown.stdout)
    assert fingerprint is not None, shown.stdout
    member_db = tmp_path / "member.db"
    member_db.write_bytes(db.read_bytes())
    announced = run(member_laptop, "announce-key", "--db", str(member_db))
    assert announced.returncode == 0, announced.stderr
    package = tmp_path / "moi.ictx"
    sent = run(member_laptop, "export-package", "--db", str(member_db), "--out", str(package))
    assert sent.returncode == 0, sent.stderr
    # Not admitted yet: the newcomer's writes are refused on their own laptop.
    refused = run(
        member_laptop, "set-note", "--db", str(member_db), "--agency", "HUBB", "--code", "I.1", "--text", "x"
    )
    assert refused.returncode != 0

    merged = run(lead_laptop, "merge", "--db", str(db), str(package), "--yes", "--as", LEAD)
    assert merged.returncode == 0, merged.stderr + merged.stdout
    listed = run(lead_laptop, "admit-key", "--db", str(db), "--as", LEAD)
    assert listed.returncode == 0, listed.stderr
    assert f"{fingerprint.group(1)}  Trần Văn Mới" in listed.stdout
    wrong = run(
        lead_laptop, "admit-key", "--db", str(db), "--as", LEAD, "--fingerprint", "AAAA BBBB CCCC DDDD"
    )
    assert wrong.returncode == 1 and "Không có khóa nào được thông báo" in wrong.stderr
    admitted = run(
        lead_laptop, "admit-key", "--db", str(db), "--as", LEAD, "--fingerprint", fingerprint.group(1)
    )
    assert admitted.returncode == 0, admitted.stderr
    ws = Workspace(open_database(db))
    member = ws.find_member("Trần Văn Mới")
    assert member is not None and member.role == "member"  # whatever role was typed
    assert ws.roster.keys  # the newcomer's key is on the roster now
    ws.db.close()


def test_the_lead_adopts_unsigned_edits_from_the_command_line(tmp_path: Path) -> None:
    from ictappraise.domain.editlog import Edit

    db = founded_round(tmp_path)
    ws = Workspace(open_database(db))
    agency = ws.find_agency("HUBB").id
    field = f"agency/{agency}/crit/I.1/note"
    member = ws.find_member("Chuyên viên A")
    assert member is not None
    ws.append(
        [Edit("old-unsigned-1", field, "Trước khi có khóa", member.id, "old", "2022-12-10T08:00:00+07:00")]
    )
    assert ws.state(agency).untrusted
    ws.db.close()
    lead_laptop = env_of(Path(os.environ["ICTAPPRAISE_CONFIG_DIR"]).parent)
    done = run(lead_laptop, "adopt", "--db", str(db), "--as", LEAD)
    assert done.returncode == 0, done.stderr
    assert "Đã xác nhận 1 sửa đổi chưa ký." in done.stdout
    ws = Workspace(open_database(db))
    assert ws.state(agency).value(field) == "Trước khi có khóa" and not ws.state(agency).untrusted
    ws.db.close()
