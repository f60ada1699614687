"""The agency list flags signed minutes whose data no longer matches them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ictappraise.services import appraisal, minutes
from ictappraise.services.fingerprint import MISMATCH_MARK
from ictappraise.services.workspace import Workspace
from ictappraise.ui.agency_model import COL_BAND, COL_STATUS
from ictappraise.ui.main_window import MainWindow


def forge(ws: Workspace, code: str = "TUPT") -> tuple[str, str]:
    """Sign, then reopen, change a note and sign again keeping the first fingerprint (as
    tests/io/test_fingerprint_mismatch.py does)."""
    agency_id = ws.find_agency(code).id
    _revision, signed = minutes.sign(ws, agency_id)
    appraisal.reopen(ws, agency_id, "Sửa theo gói dữ liệu")
    appraisal.set_text(ws, agency_id, "I.1", "note", "Sửa sau khi ký")
    appraisal.sign(ws, agency_id, fingerprint=signed, revision=1)
    return agency_id, signed


def test_the_forged_agency_is_flagged_and_the_others_are_not(window: MainWindow) -> None:
    agency_id, signed = forge(window.ws)
    window.controller.reload()  # as after a merge
    QApplication.processEvents()
    model = window.agency_model
    row = model.row_of(agency_id)
    band = model.index(row, COL_BAND)
    assert band.data() == "≠ bản ký"
    assert "KHÔNG KHỚP" in model.index(row, COL_STATUS).data()
    tip = band.data(Qt.ItemDataRole.ToolTipRole)
    assert MISMATCH_MARK in tip and signed in tip
    others = [r for r in range(model.rowCount()) if r != row]
    assert not any(model.index(r, COL_BAND).data() == "≠ bản ký" for r in others)
