"""Exports write what they can (issue 12): control characters an older build stored become U+FFFD.

openpyxl raised IllegalCharacterError on a note or a name holding "\\x1b"; the PDFs drew boxes
or let a bidi override reorder a printed name. The bad values are written here with sqlite3,
as an older build left them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from ictappraise.services import minutes, results_report
from ictappraise.services.form_export import write_results
from tests.support import member_ws

LEAD = "Nguyễn Thị Thắng"


def store_unchecked(path: Path, code: str, field_tail: str, value: object) -> str:
    """Append an edit the way an older build merged it (no check); return the agency id."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT scope, value FROM edits WHERE field LIKE 'agency/%/code'"
        ).fetchall()
        agency = next(scope for scope, stored in rows if json.loads(stored) == code)
        field = f"agency/{agency}/{field_tail}"
        heads = [r[0] for r in connection.execute("SELECT id FROM edits WHERE field = ?", (field,))]
        connection.execute(
            "INSERT INTO edits (id, scope, field, value, author, device, created_at, parents, basis) "
            "VALUES (?, ?, ?, ?, 'x', 'd', '2022-12-20T08:00:00+07:00', ?, '[]')",
            (f"old-{field_tail}", agency, field, json.dumps(value), json.dumps(heads[-1:])),
        )
    return agency


def test_workbook_and_pdfs_export_stored_control_characters(demo_db: Path, tmp_path: Path) -> None:
    agency = store_unchecked(demo_db, "HUPQ", "name", "Huyện ủy\x1b Phú\u202e Quý\x00")
    store_unchecked(demo_db, "HUPQ", "crit/IV.5/note", "Ghi\x07 chú\x0b cũ")
    ws = member_ws(demo_db, LEAD)
    try:
        out = write_results(ws, tmp_path / "kq.xlsx")
        book = load_workbook(out)
        texts = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value]
        assert any("Huyện ủy\ufffd Phú\ufffd Quý\ufffd" in t for t in texts)
        assert not any(ch in t for t in texts for ch in "\x1b\u202e\x00")
        minutes.write_minutes(ws, agency, tmp_path / "bb.pdf")
        results_report.write_report(ws, tmp_path / "bc.pdf")
        for pdf in ("bb.pdf", "bc.pdf"):
            text = "".join(page.extract_text() for page in PdfReader(tmp_path / pdf).pages)
            assert "Phú" in text and "\x1b" not in text and "\u202e" not in text, pdf
    finally:
        ws.db.close()
