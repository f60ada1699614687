"""CLI level: three laptops score overlapping criteria; the lead merges in two orders.

The packages are exported and merged by the real command line (subprocess), the scores are
entered through the services (as the checklist does). Both merge orders give identical
``results --json``; the conflicts are the expected ones; resolving them with ``resolve``
gives the final band; the members get the merged state back by merging the lead's package.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from merge_helpers import LEAD, MEMBER_A, MEMBER_B, SECRETARY, fingerprint, open_as, rewrite

from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc


def cli(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "ictappraise", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )
    assert "Traceback" not in done.stderr, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done


def results(db: Path) -> list[dict[str, Any]]:
    return json.loads(cli("results", "--db", db, "--json").stdout)


def by_code(rows: list[dict[str, Any]], code: str) -> dict[str, Any]:
    return next(r for r in rows if r["code"] == code)


def prepare(demo_db: Path, folder: Path) -> dict[str, Path]:
    """Three member laptops with overlapping work on Huyện ủy Phú Quý (HUPQ)."""
    paths = {name: folder / f"{name}.db" for name in ("a", "b", "c", "lead1", "lead2")}
    for path in paths.values():
        shutil.copyfile(demo_db, path)
    a, b, c = (open_as(paths[k], n, k) for k, n in (("a", MEMBER_A), ("b", MEMBER_B), ("c", SECRETARY)))
    try:
        agency = a.find_agency("HUPQ")
        leaves = list(a.catalog(agency.category).leaves())
        for leaf in leaves:  # A scores everything: the maximum
            svc.set_appraisal(a, agency.id, leaf.code, Appraisal(override=leaf.maximum))
        for leaf in leaves[:3]:  # B disagrees on three criteria …
            svc.set_appraisal(b, agency.id, leaf.code, Appraisal(override=Decimal(0)))
        for leaf in leaves[3:5]:  # … and agrees on two (equal values are no conflict)
            svc.set_appraisal(b, agency.id, leaf.code, Appraisal(override=leaf.maximum))
        svc.set_text(b, agency.id, leaves[5].code, "note", "Ghi chú của B")
        svc.set_text(c, agency.id, leaves[5].code, "note", "Ghi chú của C")
        svc.set_visit(c, agency.id, place="Hội trường Huyện ủy Phú Quý")
    finally:
        for ws in (a, b, c):
            ws.db.close()
    return paths


def test_two_merge_orders_same_results_then_resolve_and_round_trip(demo_db: Path, tmp_path: Path) -> None:
    dbs = prepare(demo_db, tmp_path)
    packages = {}
    for key, name in (("a", MEMBER_A), ("b", MEMBER_B), ("c", SECRETARY)):
        packages[key] = tmp_path / f"{key}.ictx"
        cli("export-package", "--db", dbs[key], "--out", packages[key], "--as", name)
    merged = cli("merge", "--db", dbs["lead1"], packages["a"], packages["b"], packages["c"]).stdout
    assert "Xung đột mới cần Tổ trưởng giải quyết: 4." in merged
    cli("merge", "--db", dbs["lead2"], packages["c"])
    cli("merge", "--db", dbs["lead2"], packages["b"], packages["a"], packages["b"], packages["c"])
    first, second = results(dbs["lead1"]), results(dbs["lead2"])
    assert first == second
    hupq = by_code(first, "HUPQ")
    assert hupq["band"] is None and hupq["rank"] is None and len(hupq["conflicts"]) == 4
    assert sum(len(r["conflicts"]) for r in first) == 4
    listed = json.loads(cli("conflicts", "--db", dbs["lead1"], "--json").stdout)["conflicts"]
    assert len(listed) == 4
    assert sorted(c["what"] for c in listed) == ["Ghi chú"] + ["Điểm thẩm định"] * 3
    refused = cli("resolve", "--db", dbs["lead1"], "--field", listed[0]["field"], "--pick", "x", "--reason", "r",
                  "--as", MEMBER_A, check=False)  # fmt: skip
    assert refused.returncode == 1 and refused.stderr.startswith("Lỗi: Chỉ Tổ trưởng")
    for conflict in listed:
        field = conflict["field"].replace(conflict["agency_id"], "HUPQ")  # the short form works too
        if conflict["what"] == "Ghi chú":
            choice = ["--value", json.dumps("Ghi chú thống nhất của Tổ")]
        else:
            head = next(h for h in conflict["heads"] if h["author"] == MEMBER_A)
            choice = ["--pick", head["edit_id"][:8]]
        cli(
            "resolve",
            "--db",
            dbs["lead1"],
            "--field",
            field,
            *choice,
            "--reason",
            "Đối chiếu minh chứng",
            "--as",
            LEAD,
        )
    final = results(dbs["lead1"])
    member_view = by_code(results(dbs["a"]), "HUPQ")  # A scored everything the lead kept
    hupq = by_code(final, "HUPQ")
    assert hupq["conflicts"] == [] and hupq["band"] is not None
    assert (hupq["band"], hupq["total"]) == (member_view["band"], member_view["total"])
    assert "Không có xung đột nào." in cli("conflicts", "--db", dbs["lead1"]).stdout
    # Members take the merged state back.
    back = tmp_path / "lead.ictx"
    cli("export-package", "--db", dbs["lead1"], "--out", back, "--as", LEAD)
    for key in ("a", "b"):
        cli("merge", "--db", dbs[key], back)
        assert results(dbs[key]) == final


def test_unknown_sender_is_shown_and_needs_yes(demo_db: Path, tmp_path: Path) -> None:
    lead_db, a_db = tmp_path / "lead.db", tmp_path / "a.db"
    shutil.copyfile(demo_db, lead_db)
    shutil.copyfile(demo_db, a_db)
    a = open_as(a_db, MEMBER_A, "a")
    agency = a.find_agency("HUPQ")
    svc.set_visit(a, agency.id, place="Hội trường")
    a.db.close()
    cli("export-package", "--db", a_db, "--out", tmp_path / "a.ictx", "--as", MEMBER_A)
    stranger = rewrite(
        tmp_path / "a.ictx",
        tmp_path / "stranger.ictx",
        manifest=lambda m: m.update(
            sender={"member_id": "ffffffff-0000-4000-8000-000000000000", "name": "Ai đó"}
        ),
    )
    before = fingerprint(lead_db)
    refused = cli("merge", "--db", lead_db, stranger, check=False)
    assert refused.returncode == 1
    assert "Ai đó (KHÔNG thuộc Tổ thẩm định)" in refused.stdout
    assert refused.stderr.startswith("Lỗi: chưa tổng hợp gì") and "--yes" in refused.stderr
    assert fingerprint(lead_db) == before
    accepted = cli("merge", "--db", lead_db, stranger, "--yes")
    assert (
        "1 sửa đổi mới" in accepted.stdout and "Người gửi không thuộc Tổ thẩm định: Ai đó." in accepted.stdout
    )
