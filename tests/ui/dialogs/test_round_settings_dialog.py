"""Round settings: each tab writes through its service; non-leads see everything read-only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from ictappraise.services import round_admin
from ictappraise.services.seed import seed_round
from ictappraise.services.trust import signer_for
from ictappraise.services.workspace import Actor, Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.dialogs import round_agencies, round_team
from ictappraise.ui.dialogs.round_agencies import AgencyAdminModel
from ictappraise.ui.dialogs.round_rules import ThresholdTableModel
from ictappraise.ui.dialogs.round_settings import RoundSettingsDialog
from ictappraise.ui.dialogs.round_team import TeamTableModel
from tests.support import member_ws


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    found: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: found.append(text))
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: found.append(text) or QMessageBox.StandardButton.Yes
    )
    return found


def _dialog(qtbot, ws) -> RoundSettingsDialog:
    dialog = RoundSettingsDialog(ws)
    qtbot.addWidget(dialog)
    return dialog


def _select(tab, column_text: str) -> None:
    for row in range(tab.proxy.rowCount()):
        if column_text in [tab.proxy.index(row, c).data() for c in range(tab.proxy.columnCount())]:
            tab.view.selectRow(row)
            return
    raise AssertionError(column_text)


def test_models_pass_the_model_tester(lead_ws, qtbot, qtmodeltester):
    dialog = _dialog(qtbot, lead_ws)
    for model in (
        dialog.thresholds_tab.model,
        dialog.agencies_tab.model,
        dialog.agencies_tab.proxy,
        dialog.team_tab.model,
        dialog.team_tab.proxy,
        dialog.catalogs_tab.model,
    ):
        qtmodeltester.check(model)


def test_settings_tab_saves_the_round(fresh_lead_ws, qtbot, messages):
    lead_ws = fresh_lead_ws  # nothing signed yet: the deadline and quota may still change
    dialog = _dialog(qtbot, lead_ws)
    tab = dialog.settings_tab
    assert not tab.save_button.isEnabled()
    tab.quota_spin.setValue(6)
    tab.deadline_edit.setDate(QDate(2022, 11, 25))
    tab.basis_edit.setPlainText("Công văn A\n\nQuyết định B")
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    info = lead_ws.round_info()
    assert (info.portal_quota, info.report_deadline, info.legal_basis) == (
        6,
        date(2022, 11, 25),
        ("Công văn A", "Quyết định B"),
    )
    tab.start_edit.setDate(QDate(2022, 12, 25))
    assert not tab.save()
    assert "trước hoặc bằng" in messages[-1]


def test_settings_tab_refuses_rating_changes_while_minutes_are_signed(lead_ws, qtbot, messages):
    dialog = _dialog(qtbot, lead_ws)
    dialog.settings_tab.quota_spin.setValue(1)
    assert not dialog.settings_tab.save()
    assert "biên bản đã ký" in messages[-1]
    assert lead_ws.round_info().portal_quota == 4


def test_thresholds_edit_in_place(lead_ws, qtbot, messages):
    dialog = _dialog(qtbot, lead_ws)
    model = dialog.thresholds_tab.model
    row = 1  # Phụ lục 3
    assert model.index(row, ThresholdTableModel.COL_CATEGORY).data() == "3"
    assert model.flags(model.index(row, ThresholdTableModel.COL_TOT)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(row, ThresholdTableModel.COL_MAX)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(row, ThresholdTableModel.COL_TOT), "455")
    assert str(lead_ws.rules()[3].tot) == "455"
    assert model.index(row, ThresholdTableModel.COL_TOT).data() == "455"
    assert not model.setData(model.index(row, ThresholdTableModel.COL_KHA), "470")
    assert "Trung bình ≤ Khá ≤ Tốt" in messages[-1]


def test_agencies_tab(lead_ws, qtbot, messages, monkeypatch):
    dialog = _dialog(qtbot, lead_ws)
    tab = dialog.agencies_tab

    def fill(values):
        def run(self):
            self.code_edit.setText(values[0])
            self.name_edit.setText(values[1])
            if len(values) > 2:
                self.category_combo.setCurrentIndex(self.category_combo.findData(values[2]))
            return QDialog.DialogCode.Accepted

        return run

    monkeypatch.setattr(round_agencies.AgencyEditDialog, "exec", fill(("bqlda", "Ban Quản lý dự án", 3)))
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    added = lead_ws.find_agency("BQLDA")
    assert added.category == 3
    assert tab.proxy.index(tab.view.currentIndex().row(), AgencyAdminModel.COL_CODE).data() == "BQLDA"

    monkeypatch.setattr(round_agencies.AgencyEditDialog, "exec", fill(("BQL", "Ban Quản lý các dự án")))
    qtbot.mouseClick(tab.rename_button, Qt.MouseButton.LeftButton)
    assert lead_ws.agency(added.id).name == "Ban Quản lý các dự án"

    def schedule(self):
        self.date_edit.setDate(QDate(2022, 12, 20))
        self.time_edit.setText("16h30")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(round_agencies.ScheduleDialog, "exec", schedule)
    qtbot.mouseClick(tab.schedule_button, Qt.MouseButton.LeftButton)
    assert (lead_ws.agency(added.id).visit_date, lead_ws.agency(added.id).visit_time) == (
        date(2022, 12, 20),
        "16:30",
    )

    _select(tab, "HUTP")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Phụ lục 3", True))
    qtbot.mouseClick(tab.category_button, Qt.MouseButton.LeftButton)
    assert "đã có điểm" in messages[-1]
    assert lead_ws.find_agency("HUTP").category == 2

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Sáp nhập", True))
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert "HUTP" not in {a.code for a in lead_ws.agencies()}
    assert tab.count_label.text() == "25 đơn vị"


def _png(path: Path) -> Path:
    image = QImage(200, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QPen(QColor("#1a3a8a"), 4))
    painter.drawLine(10, 45, 60, 10)
    painter.drawLine(60, 10, 110, 50)
    painter.drawLine(110, 50, 190, 15)
    painter.end()
    image.save(str(path))
    return path


def test_team_tab(lead_ws, qtbot, messages, monkeypatch, tmp_path):
    dialog = _dialog(qtbot, lead_ws)
    tab = dialog.team_tab

    def fill(self):
        self.name_edit.setText("Trần Văn Mới")
        self.title_edit.setText("Chuyên viên")
        self.role_combo.setCurrentIndex(self.role_combo.findData("secretary"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(round_team.MemberEditDialog, "exec", fill)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    member = lead_ws.find_member("Trần Văn Mới")
    assert member.role == "secretary"

    _select(tab, "Trần Văn Mới")
    picture = _png(tmp_path / "chu-ky.png")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(picture), ""))
    qtbot.mouseClick(tab.signature_button, Qt.MouseButton.LeftButton)
    assert round_admin.member_signature(lead_ws, member.id) == picture.read_bytes()
    row = next(r for r in tab.model.rows() if r.id == member.id)
    index = tab.model.index(tab.model.rows().index(row), TeamTableModel.COL_SIGNATURE)
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()

    _select(tab, "Nguyễn Thị Thắng")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert "phải luôn có Tổ trưởng" in messages[-1]


def test_member_sees_read_only_but_sets_own_signature(demo_db, qtbot, tmp_path, monkeypatch):
    ws = member_ws(demo_db, "Chuyên viên A")
    try:
        dialog = _dialog(qtbot, ws)
        dialog.show()
        assert dialog.read_only_label.isVisible()
        assert "Chuyên viên A, Thành viên" in dialog.read_only_label.text()
        assert not dialog.settings_tab.name_edit.isEnabled() or dialog.settings_tab.name_edit.isReadOnly()
        assert not dialog.agencies_tab.add_button.isEnabled()
        model = dialog.thresholds_tab.model
        assert not model.flags(model.index(0, ThresholdTableModel.COL_TOT)) & Qt.ItemFlag.ItemIsEditable
        assert not dialog.catalogs_tab.replace_button.isEnabled()
        team = dialog.team_tab
        _select(team, "Chuyên viên B")
        assert not team.signature_button.isEnabled()
        _select(team, "Chuyên viên A")
        assert team.signature_button.isEnabled() and not team.edit_button.isEnabled()
        picture = _png(tmp_path / "a.png")
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(picture), ""))
        team.choose_signature()
        assert round_admin.member_signature(ws, ws.actor.member_id) == picture.read_bytes()
        dialog.resize(1000, 620)
        dialog.tabs.setCurrentWidget(team)
        qtbot.wait(10)
    finally:
        ws.db.close()


HEADER = ("Mã", "Tiêu chí", "Điểm tối đa", "Cách tính điểm", "Tài liệu kiểm chứng")
ROWS = [
    ("I", "Văn bản chỉ đạo, điều hành", 80, None, None),
    ("I.1", "Kế hoạch ứng dụng CNTT", 80, "Có: 80 điểm.", "Kế hoạch"),
    ("II", "Nguồn nhân lực", 80, None, None),
    ("II.1", "Cán bộ phụ trách CNTT", 80, "Chuyên trách 80; kiêm nhiệm 40.", "Quyết định"),
    ("III", "Ứng dụng công nghệ thông tin", 230, None, None),
    ("III.1", "Phần mềm quản lý văn bản", 230, "Tỷ lệ × 230.", None),
    ("IV", "Hạ tầng kỹ thuật", 110, None, None),
    ("IV.1", "Mạng, máy tính, phòng chống mã độc", 110, "Kiểm tra thực tế.", None),
]


@pytest.fixture
def fresh_ws(tmp_path: Path) -> Iterator[Workspace]:
    db = open_database(tmp_path / "round.db", create=True)
    ws = Workspace(db)
    seed_round(ws)
    lead = ws.find_member("Nguyễn Thị Thắng")
    ws.actor = Actor(lead.id, "test-device", lead.name, lead.role, signer_for(ws, lead.id))
    yield ws
    db.close()


def test_catalog_replaced_from_excel_before_scoring(fresh_ws, qtbot, messages, monkeypatch, tmp_path):
    sheet = tmp_path / "phu-luc-3.xlsx"
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in ROWS:
        workbook.active.append(row)
    workbook.save(sheet)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sheet), ""))
    dialog = _dialog(qtbot, fresh_ws)
    tab = dialog.catalogs_tab
    _select(tab, "3")
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(tab.replace_button, Qt.MouseButton.LeftButton)
    assert "Thay bằng" in messages[-1]
    catalog = fresh_ws.catalog(3)
    assert not catalog.sample and [c.code for c in catalog.criteria()] == ["I.1", "II.1", "III.1", "IV.1"]


def test_catalog_refused_once_scored(lead_ws, qtbot, messages, monkeypatch, tmp_path):
    sheet = tmp_path / "phu-luc-3.xlsx"
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in ROWS:
        workbook.active.append(row)
    workbook.save(sheet)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sheet), ""))
    dialog = _dialog(qtbot, lead_ws)
    tab = dialog.catalogs_tab
    _select(tab, "3")
    tab.replace_from_excel()
    assert "đã có điểm" in messages[-1]
    assert lead_ws.catalog(3).sample


def test_the_lead_admits_an_announced_key_after_reading_its_fingerprint(
    lead_ws, qtbot, messages, monkeypatch
):
    import uuid

    from ictappraise.domain.editlog import Edit
    from ictappraise.io.keys import create_key
    from ictappraise.services import trust

    newcomer, member_id = create_key("Lê Thị Mới"), str(uuid.uuid4())
    announcement = Edit(
        str(uuid.uuid4()),
        trust.announce_field(member_id, newcomer.public_key),
        {"key": newcomer.public_key, "name": "Lê Thị Mới", "title": "Chuyên viên"},
        member_id,
        "new-laptop",
        "2022-12-14T22:00:00+07:00",
    )
    lead_ws.append([newcomer.sign(announcement)])  # as merged from the newcomer's first package
    dialog = _dialog(qtbot, lead_ws)
    dialog.tabs.setCurrentWidget(dialog.team_tab)
    shown: list[tuple[str, list[str]]] = []

    def pick(_parent, _title, prompt, labels, *_a, **_k):
        shown.append((prompt, list(labels)))
        return labels[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.mouseClick(dialog.team_tab.admit_button, Qt.MouseButton.LeftButton)
    assert shown and "đối chiếu" in shown[0][0]
    assert shown[0][1] == [f"{newcomer.fingerprint} — Lê Thị Mới, Chuyên viên"]
    member = lead_ws.find_member("Lê Thị Mới")
    assert member is not None and member.role == "member"
    assert lead_ws.roster.keys[newcomer.public_key] == member_id
    assert any(r.id == member_id for r in dialog.team_tab.model.rows())
