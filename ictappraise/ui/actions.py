"""Menus of the main window and the actions behind them (thin: each calls one service)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from ictappraise.ui.recent import recent_paths

if TYPE_CHECKING:
    from ictappraise.ui import excel_actions
    from ictappraise.ui.main_window import MainWindow


class _Lazy:
    """ui.excel_actions on first use: openpyxl (and numpy behind it) costs a second at start-up."""

    def __getattr__(self, name: str) -> object:
        from ictappraise.ui import excel_actions as module

        return getattr(module, name)


# The type checker sees the module itself (imported above for it only); the program, the proxy.
if not TYPE_CHECKING:
    excel_actions = _Lazy()


def install_menus(window: MainWindow) -> None:
    """Build the menu bar."""
    bar = window.menuBar()
    file_menu = bar.addMenu(window.tr("&Tệp"))
    _action(
        file_menu,
        window.tr("&Mở tệp dữ liệu…"),
        lambda: open_database_dialog(window),
        QKeySequence.StandardKey.Open,
    )
    window.recent_menu = file_menu.addMenu(window.tr("Mở &gần đây"))
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent(window))
    file_menu.addSeparator()
    _action(
        file_menu, window.tr("&Nhập phiếu từ Excel…"), lambda: excel_actions.import_forms(window), "Ctrl+I"
    )
    _action(
        file_menu, window.tr("Xuất phiếu tự đánh giá của đơn vị…"), lambda: excel_actions.export_form(window)
    )
    _action(
        file_menu, window.tr("Xuất phiếu cho mọi đơn vị…"), lambda: excel_actions.export_all_forms(window)
    )
    _action(
        file_menu,
        window.tr("Xuất &kết quả ra Excel…"),
        lambda: excel_actions.export_results(window),
        "Ctrl+E",
    )
    file_menu.addSeparator()
    _action(
        file_menu,
        window.tr("&Biên bản thẩm định của đơn vị…"),
        lambda: open_minutes(window),
        QKeySequence.StandardKey.Print,
    )
    _action(
        file_menu,
        window.tr("Lập biên bản các đơn vị thẩm định &hôm nay…"),
        lambda: minutes_batch(window, today=True),
    )
    _action(file_menu, window.tr("Lập biên bản mọi đơn &vị…"), lambda: minutes_batch(window, today=False))
    _action(file_menu, window.tr("Báo cáo kết quả xếp loại (&PDF)…"), lambda: results_report(window))
    file_menu.addSeparator()
    _action(file_menu, window.tr("Gửi &dữ liệu cho Tổ trưởng…"), lambda: send_package(window))
    _action(file_menu, window.tr("Tổng hợp dữ &liệu…"), lambda: open_merge(window), "Ctrl+M")
    file_menu.addSeparator()
    _action(file_menu, window.tr("&Sao lưu và khôi phục…"), lambda: open_backups(window))
    file_menu.addSeparator()
    _action(file_menu, window.tr("&Thoát"), window.close, QKeySequence.StandardKey.Quit)

    edit_menu = bar.addMenu(window.tr("&Sửa"))  # undo and redo join it in add_undo_actions()
    _action(edit_menu, window.tr("Bắt đầu chấm (ô nhập đầu tiên)"), window.focus_first_input, "F2")
    _action(edit_menu, window.tr("Tìm đơn vị"), lambda: window.agencies.focus_search(), "Ctrl+F")
    _action(edit_menu, window.tr("Dữ kiện xét hạ bậc (ngày gửi, tin bài)"), window.focus_facts, "F6")

    round_menu = bar.addMenu(window.tr("Đợt đá&nh giá"))
    _action(round_menu, window.tr("&Cài đặt đợt, đơn vị, Tổ thẩm định…"), lambda: open_round_settings(window))
    _action(round_menu, window.tr("Giải quyết &xung đột…"), lambda: open_conflicts(window))
    _action(round_menu, window.tr("Đề xuất &khen thưởng…"), lambda: open_commendation(window))
    _action(round_menu, window.tr("Mật khẩu khó&a ký của tôi…"), lambda: open_key_passphrase(window))
    round_menu.addSeparator()
    _action(round_menu, window.tr("Bắt đầu đợt đánh giá &mới…"), lambda: open_new_round(window))

    help_menu = bar.addMenu(window.tr("Trợ &giúp"))
    _action(
        help_menu,
        window.tr("&Quy tắc xếp loại của đợt…"),
        lambda: open_rules_help(window),
        QKeySequence.StandardKey.HelpContents,
    )
    window.file_menu, window.edit_menu = file_menu, edit_menu
    window.round_menu, window.help_menu = round_menu, help_menu


def add_undo_actions(window: MainWindow, undo: QAction, redo: QAction) -> None:
    """Undo and redo at the top of the Edit menu, once the window has its undo stack."""
    first = window.edit_menu.actions()[0]
    window.edit_menu.insertActions(first, [undo, redo])
    window.edit_menu.insertSeparator(first)


def open_key_passphrase(window: MainWindow) -> None:
    """Set, change or remove the passphrase of the key this laptop signs with (docs/rules.md §9)."""
    from ictappraise.ui.dialogs.passphrase import open_key_passphrase as open_dialog

    open_dialog(window, window.ws)


def _action(
    menu: QMenu, text: str, slot: Callable[[], object], shortcut: str | QKeySequence.StandardKey | None = None
) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(slot)
    if shortcut is not None:
        # setShortcuts, not setShortcut: the latter's overloads load Qt's key enums, a seventh
        # of the first frame's time.
        action.setShortcuts([QKeySequence(shortcut)])
    return action


def _fill_recent(window: MainWindow) -> None:
    window.recent_menu.clear()
    recent = recent_paths()
    if not recent:
        window.recent_menu.addAction(window.tr("(chưa có)")).setEnabled(False)
    for path in recent:
        window.recent_menu.addAction(path).triggered.connect(
            lambda _=False, p=path: switch_database(window, Path(p))
        )


def open_database_dialog(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(
        window,
        window.tr("Mở tệp dữ liệu"),
        str(window.ws.db.path.parent),
        window.tr("Dữ liệu ictappraise (*.db);;Mọi tệp (*)"),
    )
    if path:
        switch_database(window, Path(path))


def switch_database(window: MainWindow, path: Path) -> MainWindow | None:
    """Open another database in a new window, closing this one; on failure keep this one usable."""
    if path.resolve() == window.ws.db.path:
        return window
    window.save_state()  # the new window reads the layout and remembered agencies from here
    new_window = window.open_window(path, parent_for_errors=window)
    if new_window is not None:
        window.close()
    return new_window


def mark_ready(window: MainWindow) -> None:
    """The selected agency's scores are complete: to "Chờ ký" (or say what is missing)."""
    if window.agency_id is None:
        return
    from ictappraise.domain.fields import status_field
    from ictappraise.services import appraisal as svc
    from ictappraise.services.errors import USER_ERRORS

    try:
        svc.mark_ready(window.ws, window.agency_id)
    except USER_ERRORS as error:
        QMessageBox.warning(window, window.tr("Chưa thể chuyển sang chờ ký"), str(error))
        return
    window.controller.announce({status_field(window.agency_id)})


def open_history(window: MainWindow) -> None:
    """The selected agency's (or criterion's) changes, oldest first."""
    if window.agency_id is None:
        return
    from ictappraise.ui.dialogs.history import HistoryDialog

    HistoryDialog(window.ws, window.agency_id, window.current_code(), window).exec()


def open_evidence(window: MainWindow) -> None:
    """The evidence files of the selected criterion."""
    code = window.current_code()
    if window.agency_id is None or not code or "." not in code:
        QMessageBox.information(window, window.tr("Minh chứng"), window.tr("Hãy chọn một tiêu chí trước."))
        return
    from ictappraise.domain.fields import agency_field
    from ictappraise.ui.dialogs.evidence import EvidenceDialog

    dialog = EvidenceDialog(window.ws, window.agency_id, code, window)
    dialog.changed.connect(
        lambda agency_id: window.controller.announce({agency_field(agency_id, "crit", code)})
    )
    dialog.exec()


def open_minutes(window: MainWindow) -> None:
    """Preview, print, save and sign the minutes of the selected agency."""
    if window.agency_id is None:
        return
    from ictappraise.domain.fields import status_field
    from ictappraise.ui.minutes_view import MinutesDialog

    dialog = MinutesDialog(window.ws, window.agency_id, window)
    fit_to_screen(dialog)

    def status_changed(agency_id: str) -> None:
        window.controller.undo_stack.clear()  # steps from before a signing or reopening no longer apply
        window.controller.announce({status_field(agency_id)})

    dialog.status_changed.connect(status_changed)
    dialog.exec()


def minutes_batch(window: MainWindow, *, today: bool) -> None:
    from ictappraise.ui.minutes_batch import run_minutes_batch

    run_minutes_batch(window, window.ws, day=window.today if today else None)


def results_report(window: MainWindow) -> None:
    from ictappraise.services import worker
    from ictappraise.services.errors import USER_ERRORS
    from ictappraise.services.results_report import write_report
    from ictappraise.ui.dialogs.common import ask_save_file
    from ictappraise.ui.operations import OperationCancelled, on_own_workspace, run_op

    chosen = ask_save_file(
        window, window.tr("Báo cáo kết quả xếp loại"), "bao_cao_ket_qua_xep_loai.pdf", "PDF (*.pdf)"
    )
    if chosen is None:
        return
    out = Path(chosen)
    work = on_own_workspace(worker.ref_of(window.ws), lambda ws, _progress: write_report(ws, out))
    try:
        run_op(window, window.tr("Đang lập báo cáo…"), work, cancellable=True)
    except OperationCancelled:
        return
    except USER_ERRORS as error:
        warn(window, window.tr("Không lập được báo cáo"), error)
        return
    window.statusBar().showMessage(window.tr("Đã lưu báo cáo: {p}").format(p=chosen), 10000)


def send_package(window: MainWindow) -> None:
    from ictappraise.ui.merge_dialog import send_package as send

    send(window, window.ws)


def open_merge(window: MainWindow, paths: list[Path] | None = None) -> None:
    from ictappraise.ui.merge_dialog import MergeDialog

    dialog = MergeDialog(window.ws, window, paths or ())
    dialog.merged.connect(window.controller.reload)
    dialog.conflicts_requested.connect(lambda: open_conflicts(window))
    dialog.exec()


def open_conflicts(window: MainWindow, agency_id: str | None = None) -> None:
    from ictappraise.ui.conflicts import ConflictDialog

    dialog = ConflictDialog(window.ws, agency_id, window)
    dialog.resolved.connect(lambda field: window.controller.announce({field}))
    dialog.exec()


def open_dropped(window: MainWindow, paths: list[Path]) -> None:
    """Files dropped on the window: forms are imported, packages merged."""
    forms = [p for p in paths if p.suffix.lower() in (".xlsx", ".xlsm", ".xls")]
    packages = [p for p in paths if p.suffix.lower() == ".ictx"]
    if forms:
        excel_actions.import_forms(window, forms)
    if packages:
        open_merge(window, packages)
    if not forms and not packages:
        QMessageBox.information(
            window,
            window.tr("Không nhận tệp này"),
            window.tr("Chỉ nhận phiếu Excel (.xlsx) hoặc gói dữ liệu (.ictx)."),
        )


def open_round_settings(window: MainWindow) -> None:
    from ictappraise.ui.dialogs.round_settings import RoundSettingsDialog

    RoundSettingsDialog(window.ws, window).exec()
    window.controller.reload()


def open_commendation(window: MainWindow) -> None:
    """Model agencies and exemplary individuals proposed for the year's awards."""
    from ictappraise.ui.dialogs.commendation import CommendationDialog

    dialog = CommendationDialog(window.ws, window)
    fit_to_screen(dialog)
    dialog.exec()


def open_new_round(window: MainWindow) -> None:
    """Create next year's round from this one, then offer to open it."""
    from ictappraise.ui.dialogs.new_round import NewRoundDialog

    dialog = NewRoundDialog(window.ws, window)
    created: list[str] = []
    dialog.created.connect(created.append)
    dialog.exec()
    if created:
        answer = QMessageBox.question(
            window, window.tr("Đợt đánh giá mới"), window.tr("Đã tạo {p}. Mở ngay?").format(p=created[0])
        )
        if answer == QMessageBox.StandardButton.Yes:
            switch_database(window, Path(created[0]))


def open_backups(window: MainWindow) -> None:
    from ictappraise.ui.backup_dialog import BackupDialog, restore_into

    dialog = BackupDialog(window)
    dialog.exec()
    if dialog.restore_choice is not None:
        restore_into(window, dialog.restore_choice)


def open_rules_help(window: MainWindow) -> None:
    from ictappraise.ui.dialogs.help import RulesHelpDialog

    RulesHelpDialog(window.ws, window).exec()


def fit_to_screen(dialog: QWidget) -> None:
    """Never taller or wider than the screen it opens on (1366×768 laptops)."""
    screen = dialog.screen().availableGeometry()
    dialog.resize(
        min(dialog.width(), int(screen.width() * 0.95)), min(dialog.height(), int(screen.height() * 0.92))
    )


def warn(window: MainWindow, title: str, error: Exception) -> None:
    QMessageBox.warning(window, title, str(error))
