"""A lead who handed the role over keeps what they did before, not the power after (docs/rules.md §9).

The old lead's laptop has seen the hand-over; with a text editor (tests/hostile/ictx_writer.py,
which does not import ictappraise) they write lead-only changes naming that past, signed with
their own key. The new lead merges: each change is held, told why, and nothing else moves.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_hostile_packages import LEAD, MEMBER_A, cli, edit_count, results

from ictappraise.services import round_admin
from tests.support import member_ws

sys.path.insert(0, str(Path(__file__).parent))
from ictx_writer import Forger, demo_key


def hand_over(db: Path) -> None:
    """The lead makes Chuyên viên A the lead, then steps down (the program, as the lead uses it)."""
    ws = member_ws(db, LEAD)
    new, old = ws.find_member(MEMBER_A), ws.find_member(LEAD)
    round_admin.edit_member(ws, new.id, name=new.name, title=new.title, role="lead")
    round_admin.edit_member(ws, old.id, name=old.name, title=old.title, role="member")
    ws.db.close()


def _seen(f: Forger) -> list[str]:
    """What the old lead's laptop names as the team it saw: its own step-down."""
    return f.heads(f"member/{f.author}/role")


FORGERIES: list[tuple[str, Callable[[Forger], None], str]] = [
    ("lead_again", lambda f: f.write(f"member/{f.author}/role", "lead", basis=_seen(f)), "Tổ thẩm định"),
    ("admit_a_key", lambda f: f.write(f"member/{f.author}/key/XYZ", {"key": "eA=="}, basis=_seen(f)), "khóa"),
    (
        "admit_claiming_no_past",
        lambda f: f.write(f"member/{f.author}/key/NOPAST", {"key": "eA=="}),
        "không ghi đã dựa trên Tổ thẩm định nào",
    ),
    (
        "rename",
        lambda f: f.write(f"agency/{f.agency('HUTP')}/name", "Đơn vị giả", basis=_seen(f)),
        "danh sách đơn vị",
    ),
    (
        "visit_date",
        lambda f: f.write(f"agency/{f.agency('HUPQ')}/visit/date", "2022-12-30", basis=_seen(f)),
        "lịch thẩm định",
    ),
]


@pytest.mark.parametrize(
    ("forge", "told"), [(f, t) for _n, f, t in FORGERIES], ids=[n for n, _f, _t in FORGERIES]
)
def test_a_demoted_lead_who_saw_the_demotion_is_held(
    demo_db: Path, tmp_path: Path, forge: Callable[[Forger], None], told: str
) -> None:
    hand_over(demo_db)
    before, count = results(demo_db), edit_count(demo_db)
    forger = Forger(demo_db, "")
    forger.author = forger.member(LEAD)
    forge(forger)
    package = forger.package(tmp_path / "old-lead.ictx", LEAD, demo_key(LEAD))
    asked = cli("merge", "--db", demo_db, package, check=False)
    assert asked.returncode != 0 and "Sẽ bị giữ lại" in asked.stdout and told in asked.stdout
    assert edit_count(demo_db) == count
    cli("merge", "--db", demo_db, package, "--yes")
    assert results(demo_db) == before
    held = json.loads(cli("conflicts", "--db", demo_db, "--json").stdout)["held"]
    assert [h["edit_id"] for h in held] == [forger.edits[0]["id"]] and told in held[0]["reason"]
    ws = member_ws(demo_db, MEMBER_A)
    assert {m.name: m.role for m in ws.members()}[LEAD] == "member"
    ws.db.close()


def test_what_the_lead_did_before_handing_over_stays(demo_db: Path) -> None:
    ws = member_ws(demo_db, LEAD)
    agency = ws.find_agency("HUTP")
    round_admin.rename_agency(ws, agency.id, "Huyện ủy Tuy Phong (tên mới)")
    ws.db.close()
    hand_over(demo_db)
    ws = member_ws(demo_db, MEMBER_A)
    assert ws.agency(agency.id).name == "Huyện ủy Tuy Phong (tên mới)"
    assert ws.state().held_reasons == {}
    ws.db.close()
