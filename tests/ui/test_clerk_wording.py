"""Wording a clerk reads: the minutes' check code said plainly, why Reopen is disabled, readiness."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ictappraise import __version__, settings
from ictappraise.services import minutes
from ictappraise.services.model import Member
from ictappraise.services.workspace import Workspace
from ictappraise.ui import app as gui
from ictappraise.ui.dialogs import identity as identity_module
from ictappraise.ui.dialogs.identity import IdentityDialog
from ictappraise.ui.launch import application
from ictappraise.ui.main_window import MainWindow
from ictappraise.ui.minutes_view import MinutesDialog

TEAM = [Member("1", "Nguyễn Thị Thắng", "Phó Chánh Văn phòng Tỉnh ủy", "lead")]


def _dialog(qtbot: QtBot, ws: Workspace, code: str) -> MinutesDialog:
    application()
    dialog = MinutesDialog(ws, ws.find_agency(code).id)
    qtbot.addWidget(dialog)
    return dialog


def test_signed_minutes_name_the_code_printed_in_the_footer(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _dialog(qtbot, lead_ws, "HUTP")
    _, print_ = minutes.stamp_of(lead_ws.detail(dialog.agency_id))
    text = dialog.status_label.text()
    assert text.startswith("Đã ký (lần lập 1): điểm của đơn vị đã khóa.")
    assert f"Mã đối chiếu in ở chân trang biên bản: {print_}." in text
    assert "chân mỗi trang" in dialog.status_label.toolTip()
    assert "Mở lại biên bản đã ký" in dialog.reopen_button.toolTip()


def test_ready_minutes_say_the_code_and_why_reopen_is_off(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _dialog(qtbot, lead_ws, "TUPT")
    assert "sẵn sàng ký (lần lập 1)." in dialog.status_label.text()
    assert "Mã đối chiếu in ở chân trang biên bản:" in dialog.status_label.text()
    assert not dialog.reopen_button.isEnabled()
    assert dialog.reopen_button.toolTip() == "Biên bản chưa ký nên không cần mở lại."
    dialog.ask_confirm_sign = lambda _name: True  # type: ignore[method-assign]
    shown: list[str] = []
    dialog.show_info = shown.append  # type: ignore[method-assign]
    assert dialog.sign_minutes()
    assert shown[-1].startswith("Đã ghi nhận biên bản đã ký (lần lập 1). Mã đối chiếu in ở chân trang")


def test_unready_minutes_show_no_code(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _dialog(qtbot, lead_ws, "VPTU")
    assert "Mã đối chiếu" not in dialog.status_label.text() and dialog.status_label.toolTip() == ""


def test_identity_at_start_says_cancelling_ends_the_program(qtbot: QtBot) -> None:
    application()
    dialog = IdentityDialog(TEAM, at_start=True)
    qtbot.addWidget(dialog)
    assert dialog.cancel_button.text() == "Thoát"
    assert dialog.consequence_label.text().startswith("Chưa chọn người dùng thì chương trình chưa mở được")
    later = IdentityDialog(TEAM)
    qtbot.addWidget(later)
    assert later.cancel_button.text() == "Không mở tệp"
    assert later.consequence_label.text() == "Chưa chọn người dùng thì chưa mở được tệp dữ liệu này."


def test_the_first_file_asks_with_the_start_wording(
    qtbot: QtBot, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    application()
    asked: list[bool] = []

    def ask(_parent: object, _ws: Workspace, *, at_start: bool = False) -> None:
        asked.append(at_start)
        return None  # the user cancels

    monkeypatch.setattr(identity_module, "ask_identity", ask)
    window = MainWindow(demo_db.name)
    qtbot.addWidget(window)
    assert gui.open_in_window(window, demo_db) is False
    assert gui.open_window(demo_db, parent_for_errors=window) is None
    assert asked == [True, False]


def test_the_demo_template_stays_out_of_the_folder_users_browse(demo_template: Path) -> None:
    data = settings.data_dir()
    folder = data / "demo"
    folder.mkdir(parents=True)
    for old in (f"demo-template-{__version__}.db", "demo-template-0.0.1.db", "demo-template-0.0.1.db-wal"):
        (folder / old).write_bytes(b"old")  # left by earlier versions next to the user's copy
    template = gui.demo_template()
    assert template == folder / ".template" / f"demo-template-{__version__}.db"
    template.parent.mkdir()
    shutil.copyfile(demo_template, template)  # already built
    (template.parent / "demo-template-0.0.1.db").write_bytes(b"old")
    copy = gui.demo_copy()
    assert sorted(p.name for p in folder.iterdir()) == [".template", copy.name]
    assert [p.name for p in template.parent.iterdir()] == [template.name]
