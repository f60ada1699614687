"""Exports write what they can: control characters an older build stored become U+FFFD.

openpyxl raised IllegalCharacterError on a note or a name holding "\\x1b"; the PDFs drew boxes
or let a bidi override reorder a printed name. The bad values are appended here unchecked,
as an older build left them.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from ictappraise.domain.editlog import Edit
from ictappraise.services import minutes, results_report
from ictappraise.services.form_export import write_results
from tests.support import member_ws, signed

LEAD = "Nguyễn Thị Thắng"


def store_unchecked(path: Path, code: str, field_tail: str, value: object) -> str:
    """Append an edit the way an older build merged it (no check, signed by the lead as the
    upgrade's founding vouches for it); return the agency id."""
    ws = member_ws(path, LEAD)
    try:
        agency = ws.find_agency(code).id
        field = f"agency/{agency}/{field_tail}"
        edit = Edit(
            f"old-{field_tail}",
            field,
            value,
            ws.actor.member_id,  # type: ignore[union-attr]
            "d",
            "2022-12-20T08:00:00+07:00",
            ws.state(agency).heads(field),
        )
        ws.append(signed(ws, [edit]))  # the store path, as a merge writes: no value check
    finally:
        ws.db.close()
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
