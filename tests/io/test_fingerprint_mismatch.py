"""Printed fingerprints never lie (docs/rules.md §9).

A forged package reopened signed minutes, changed a score and signed again with the ORIGINAL
fingerprint. The minutes were then reprinted as if signed, the mismatch only a log line. Now
the minutes carry "KHÔNG KHỚP VỚI BẢN ĐÃ KÝ" across every page and the data's own fingerprint,
and the agency is flagged in the list, the results (CLI and JSON), the workbook and the report.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pdf_testing import page_texts, squash

from ictappraise.services import appraisal, minutes, results_report
from ictappraise.services.fingerprint import MISMATCH_MARK, fingerprint_mismatch
from ictappraise.services.form_export import write_results
from ictappraise.services.workspace import Workspace
from tests.support import member_ws, run_cli

LEAD = "Nguyễn Thị Thắng"


def forge(ws: Workspace, code: str = "TUPT") -> tuple[str, str]:
    """Sign, then reopen, change a score and sign again keeping the first fingerprint."""
    agency_id = ws.find_agency(code).id
    _revision, signed = minutes.sign(ws, agency_id)
    appraisal.reopen(ws, agency_id, "Sửa theo gói dữ liệu")
    appraisal.set_text(ws, agency_id, "I.1", "note", "Sửa sau khi ký")
    appraisal.sign(ws, agency_id, fingerprint=signed, revision=1)
    return agency_id, signed


@pytest.fixture
def forged(demo_db: Path) -> tuple[Path, str, str]:
    ws = member_ws(demo_db, LEAD)
    try:
        agency_id, signed = forge(ws)
    finally:
        ws.db.close()
    return demo_db, agency_id, signed


def test_the_minutes_carry_the_warning_on_every_page_and_the_true_fingerprint(forged, tmp_path: Path) -> None:
    path, agency_id, signed = forged
    ws = member_ws(path, LEAD)
    try:
        detail = ws.detail(agency_id)
        found = fingerprint_mismatch(detail)
        assert found is not None and found[0] == signed and found[1] == minutes.fingerprint(detail)
        doc = minutes.write_minutes(ws, agency_id, tmp_path / "bb.pdf")
        assert doc.fingerprint == found[1] and doc.watermark == MISMATCH_MARK
        pages = page_texts(tmp_path / "bb.pdf")
        assert len(pages) >= 2
        assert all(MISMATCH_MARK in squash(page) for page in pages)
        assert signed not in squash(" ".join(pages))  # the signed code is not printed over other data
        other = ws.find_agency("HUTP").id  # signed in the demo, untouched
        assert fingerprint_mismatch(ws.detail(other)) is None
        assert minutes.minutes_doc(ws, other).watermark == ""
        assert not any(MISMATCH_MARK in page for page in page_texts(minutes.minutes_pdf(ws, other)))
    finally:
        ws.db.close()


def test_the_workbook_and_the_report_flag_it(forged, tmp_path: Path) -> None:
    path, agency_id, _signed = forged
    ws = member_ws(path, LEAD)
    try:
        name = ws.agency(agency_id).name
        book = load_workbook(write_results(ws, tmp_path / "kq.xlsx"))
        rows = [[str(c.value or "") for c in row] for row in book.worksheets[0].iter_rows()]
        flagged = [row for row in rows if any(MISMATCH_MARK in c for c in row)]
        assert len(flagged) == 1 and name in " ".join(flagged[0])
        results_report.write_report(ws, tmp_path / "bc.pdf")
        text = squash(" ".join(page_texts(tmp_path / "bc.pdf")))
        assert text.count(MISMATCH_MARK) == 1
    finally:
        ws.db.close()


def test_cli_results_flag_it_in_the_table_and_the_json(forged) -> None:
    path, agency_id, signed = forged
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")

    def run(*args: str) -> str:
        done = run_cli(env, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    table = [line for line in run("results", "--db", str(path)).splitlines() if MISMATCH_MARK in line]
    assert len(table) == 1 and "TUPT" in table[0]
    rows = json.loads(run("results", "--json", "--db", str(path)))
    by_code = {row["code"]: row for row in rows}
    assert by_code["TUPT"]["fingerprint_mismatch"]["signed"] == signed
    assert by_code["TUPT"]["fingerprint_mismatch"]["current"] != signed
    assert by_code["HUTP"]["fingerprint_mismatch"] is None


def test_cli_minutes_say_so(forged, tmp_path: Path) -> None:
    path, _agency_id, signed = forged
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = tmp_path / "bb.pdf"
    done = run_cli(env, "minutes", "--db", str(path), "--agency", "TUPT", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Lưu ý: " + MISMATCH_MARK in done.stderr and signed in done.stderr
    assert signed not in done.stdout  # the code printed is the data's own
    assert all(MISMATCH_MARK in squash(page) for page in page_texts(out))
