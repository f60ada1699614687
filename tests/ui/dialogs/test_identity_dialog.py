"""First start: pick yourself from the team or type a new name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from ictappraise.services.model import Member
from ictappraise.settings import Identity
from ictappraise.ui.dialogs import identity as identity_module
from ictappraise.ui.dialogs.identity import IdentityDialog, ask_identity

TEAM = [
    Member("1", "Nguyễn Thị Thắng", "Phó Chánh Văn phòng Tỉnh ủy", "lead"),
    Member("2", "Chuyên viên A", "Chuyên viên", "member"),
    Member("3", "Chuyên viên C", "Chuyên viên", "secretary"),
]


def test_pick_an_existing_member(qtbot, qtmodeltester):
    dialog = IdentityDialog(TEAM)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)
    dialog.select_member("Chuyên viên C")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.identity() == Identity("Chuyên viên C", "Chuyên viên", "secretary")
    assert not dialog.is_new_member


def test_type_a_new_member(qtbot, monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: messages.append(text))
    dialog = IdentityDialog(TEAM)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "  L")  # QTest types ASCII only; the rest is pasted
    dialog.name_edit.insert("ê   Văn Mới ")
    assert dialog.new_radio.isChecked()
    dialog.title_edit.setText("Chuyên viên")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("lead"))
    dialog.accept()
    assert "đã có Tổ trưởng (Nguyễn Thị Thắng)" in messages[-1]
    assert dialog.identity() is None
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("member"))
    dialog.accept()
    assert dialog.identity() == Identity("Lê Văn Mới", "Chuyên viên", "member")
    assert dialog.is_new_member


def test_empty_name_is_refused_and_an_empty_team_starts_with_the_form(qtbot, monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: messages.append(text))
    dialog = IdentityDialog([])
    qtbot.addWidget(dialog)
    assert dialog.new_radio.isChecked() and not dialog.existing_radio.isEnabled()
    dialog.accept()
    assert messages == ["Hãy nhập họ và tên của bạn."]
    assert dialog.identity() is None


def test_ask_identity_returns_none_when_put_off(lead_ws, qtbot, monkeypatch):
    monkeypatch.setattr(identity_module.IdentityDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert ask_identity(None, lead_ws) is None


def test_at_first_start_nobody_is_preselected_and_enter_makes_no_one_lead(qtbot, monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: messages.append(text))
    dialog = IdentityDialog(TEAM, at_start=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.selectionModel().selectedRows() == []
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert messages == ["Hãy chọn tên của bạn trong danh sách."]
    assert dialog.identity() is None
    assert dialog.isVisible()


def test_the_dialog_shows_this_laptops_fingerprint(qtbot):
    from ictappraise.io.keys import create_key

    signer = create_key("Chuyên viên A")
    dialog = IdentityDialog(TEAM)
    qtbot.addWidget(dialog)
    assert signer.fingerprint in dialog.fingerprint_label.text()


def test_the_buttons_say_what_the_text_says_after_qt_retranslates(qtbot):
    """The Vietnamese Qt translation is installed at start, which posts a LanguageChange: Qt then
    gives standard buttons its own words; ours («Xác nhận», «Thoát» named in the text) stay."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from ictappraise.ui.launch import install_qt_translation

    install_qt_translation(QApplication.instance())  # type: ignore[arg-type]
    dialog = IdentityDialog(TEAM, at_start=True)
    qtbot.addWidget(dialog)
    box = dialog.cancel_button.parent()
    assert isinstance(box, QDialogButtonBox)
    QCoreApplication.sendEvent(box, QEvent(QEvent.Type.LanguageChange))
    assert dialog.cancel_button.text() == "Thoát" and "«Thoát»" in dialog.consequence_label.text()
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "Xác nhận"
