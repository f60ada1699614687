"""Control characters in a package are refused whole at merge (docs/rules.md §9).

Values (also texts deep inside JSON: representatives, catalogs) and reasons alike.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from merge_helpers import LEAD, MEMBER_A, fingerprint
from test_merge_values import edit, hupq, package

from ictappraise.services import merge


@pytest.mark.parametrize("case", ["note", "visit representatives", "catalog text", "reason", "member name"])
def test_merge_refuses_them_whole(laptops, tmp_path: Path, case: str) -> None:
    lead, a = laptops(LEAD, "lead"), laptops(MEMBER_A, "a")
    agency = hupq(a)
    if case == "note":
        bad = edit(a, f"agency/{agency}/crit/IV.5/note", "Đã\x1b[31m kiểm tra")
    elif case == "visit representatives":
        bad = edit(a, f"agency/{agency}/visit/representatives", [{"name": "Ông\u202eA", "title": ""}])
    elif case == "catalog text":
        catalog = a.catalog(a.agency(agency).category).to_dict()
        catalog["groups"][0]["name"] += "\x00"
        bad = edit(a, f"catalog/{a.agency(agency).category}", catalog)
    elif case == "reason":
        bad = replace(edit(a, f"agency/{agency}/crit/IV.5/note", "Ghi chú"), reason="lý do\x07")
    else:
        bad = edit(a, f"member/{a.actor.member_id}/name", "Chuyên viên\x7f A")
    path = package(a, tmp_path / "bad.ictx", [bad])
    before = fingerprint(lead.db.path)
    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_packages(lead, [path], accept_unknown=True)
    assert "ký tự điều khiển" in str(refused.value) and bad.id in str(refused.value)
    assert fingerprint(lead.db.path) == before
