"""Evidence of a criterion: add through the file dialog, open, remove; read-only when signed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ictappraise.services import evidence
from ictappraise.ui.dialogs.evidence import AttachmentTableModel, EvidenceDialog


def _files(tmp_path: Path) -> list[str]:
    one = tmp_path / "Báo cáo ký số 2022.pdf"
    one.write_bytes(b"%PDF-1.4 " + b"x" * 3000)
    two = tmp_path / "ảnh phòng máy.jpg"
    two.write_bytes(b"\xff\xd8\xff" + b"y" * 500)
    return [str(one), str(two)]


def test_add_open_and_remove(lead_ws, qtbot, qtmodeltester, tmp_path, monkeypatch):
    vptu = lead_ws.find_agency("VPTU")
    paths = _files(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (paths, ""))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog = EvidenceDialog(lead_ws, vptu.id, "I.1")
    qtbot.addWidget(dialog)
    assert dialog.empty_label.isVisibleTo(dialog) and not dialog.locked_label.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.changed) as signal:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert signal.args == [vptu.id]
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)
    names = [a.name for a in evidence.list_attachments(lead_ws, vptu.id, "I.1")]
    assert sorted(names) == sorted(Path(p).name for p in paths)
    size = dialog.model.index(0, AttachmentTableModel.COL_SIZE).data()
    assert size in ("2,9 KB", "503 B")

    dialog.table.selectRow(0)
    chosen = dialog.proxy.index(0, 0).data()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert Path(opened[-1]).name == chosen and Path(opened[-1]).exists()

    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    left = [a.name for a in evidence.list_attachments(lead_ws, vptu.id, "I.1")]
    assert chosen not in left and len(left) == 1
    assert dialog.model.rowCount() == 1


def test_refusal_is_shown(lead_ws, qtbot, tmp_path, monkeypatch):
    vptu = lead_ws.find_agency("VPTU")
    monkeypatch.setattr(evidence, "MAX_BYTES", 100)
    paths = _files(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (paths, ""))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    dialog = EvidenceDialog(lead_ws, vptu.id, "I.1")
    qtbot.addWidget(dialog)
    dialog.add_files()
    assert "quá giới hạn 50 MB" in warnings[-1]
    assert dialog.model.rowCount() == 0


def test_signed_minutes_are_read_only(lead_ws, qtbot):
    hutp = lead_ws.find_agency("HUTP")
    dialog = EvidenceDialog(lead_ws, hutp.id, "I.1")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.locked_label.isVisible()
    assert not dialog.add_button.isEnabled() and not dialog.remove_button.isEnabled()


def test_a_file_that_runs_a_program_is_opened_only_on_request(lead_ws, qtbot, tmp_path, monkeypatch):
    vptu = lead_ws.find_agency("VPTU")
    runnable = tmp_path / "bao_cao.exe"
    runnable.write_bytes(b"MZ" + b"\0" * 200)
    evidence.attach_file(lead_ws, vptu.id, "I.1", runnable)
    opened, warned = [], []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)

    def warning(_parent, _title, text, *args):
        warned.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", warning)
    dialog = EvidenceDialog(lead_ws, vptu.id, "I.1")
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    dialog.open_selected()
    assert warned and "chạy chương trình" in warned[0]
    assert opened == []  # "Không" keeps it closed
