"""Starting the GUI: which database, who acts, the main window; clear dialogs on failure."""

from __future__ import annotations

import os
import shutil
import sys
import traceback
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ictappraise import __version__
from ictappraise.services.demo import EVENING, build_demo
from ictappraise.services.identity import actor_for, lead_actor
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Actor, ServiceError, Workspace
from ictappraise.settings import data_dir, default_database, load_config, save_config
from ictappraise.store.database import DatabaseCorrupt, NotOurDatabase, StoreError, open_database
from ictappraise.ui.controller import Controller
from ictappraise.ui.main_window import MainWindow

# Windows must stay referenced or Qt deletes them; one app may hold several.
_windows: list[MainWindow] = []


def application() -> QApplication:
    """The QApplication, created once with the names QSettings needs."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("ictappraise")
    QCoreApplication.setApplicationName("ictappraise")
    QCoreApplication.setApplicationVersion(__version__)
    if os.environ.get("ICTAPPRAISE_CONFIG_DIR"):
        # Tests and scripts isolate every per-user file, window state included.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, os.environ["ICTAPPRAISE_CONFIG_DIR"]
        )
    assert isinstance(app, QApplication)
    _install_qt_translation(app)
    return app


def _install_qt_translation(app: QApplication) -> None:
    """Vietnamese for Qt's own buttons and dialogs (Hủy, Đóng…); Qt ships no Vietnamese."""
    if getattr(app, "_ictappraise_translator", None) is not None:
        return
    from ictappraise.services.seed import resource_path

    translator = QTranslator(app)
    if translator.load(str(resource_path("translations", "qt_vi.qm"))):
        app.installTranslator(translator)
        app._ictappraise_translator = translator  # type: ignore[attr-defined]  # keep it alive


def demo_copy() -> Path:
    """A fresh copy of the demo database (built once per program version, then copied)."""
    folder = data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / f"demo-template-{__version__}.db"
    if not template.exists():
        partial = folder / "demo-template.building.db"
        for stale in folder.glob("demo-template.building.db*"):
            stale.unlink()
        db = open_database(partial, create=True)
        build_demo(db)
        db.close()
        os.replace(partial, template)
    target = folder / "ictappraise-demo.db"
    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def build_window(ws: Workspace, *, today: date | None = None) -> MainWindow:
    """The main window on a workspace whose actor is already known (tests inject it)."""
    window = MainWindow(Controller(ws), today=today)
    _windows.append(window)
    return window


def open_window(
    path: Path, *, actor: Actor | None = None, demo: bool = False, parent_for_errors: QWidget | None = None
) -> MainWindow | None:
    """Open a database in a new main window; a Vietnamese dialog and None on failure."""
    try:
        db = open_database(path, create=not path.exists())
    except (DatabaseCorrupt, NotOurDatabase) as error:
        # A file we have backups of was ours: it is damaged, so offer them.
        if not _offer_restore(path, str(error), parent_for_errors):
            return None
        return open_window(path, actor=actor, demo=demo, parent_for_errors=parent_for_errors)
    except StoreError as error:
        QMessageBox.critical(
            parent_for_errors, QCoreApplication.translate("app", "Không mở được tệp dữ liệu"), str(error)
        )
        return None
    ws = Workspace(db)
    try:
        if not ws.agencies() and not ws.members():
            seed_round(ws)
        ws.actor = actor or _resolve_actor(ws, demo, parent_for_errors)
    except (ServiceError, StoreError) as error:
        db.close()
        QMessageBox.critical(
            parent_for_errors, QCoreApplication.translate("app", "Không mở được tệp dữ liệu"), str(error)
        )
        return None
    if ws.actor is None:
        db.close()
        return None
    try:
        window = build_window(ws, today=EVENING if demo else None)
    except ValueError as error:  # a stored value the window cannot show: like a damaged file
        db.close()
        problem = QCoreApplication.translate("app", "Dữ liệu trong tệp không đọc được ({error}).")
        if not _offer_restore(path, problem.format(error=error), parent_for_errors):
            return None
        return open_window(path, actor=actor, demo=demo, parent_for_errors=parent_for_errors)
    from ictappraise.ui.actions import remember_recent

    if not demo:
        remember_recent(db.path)
    window.show()
    for warning in db.warnings:  # e.g. the automatic backup at open could not be written
        QMessageBox.warning(window, QCoreApplication.translate("app", "Lưu ý"), warning)
    return window


def _offer_restore(path: Path, problem: str, parent: QWidget | None) -> bool:
    """A damaged file: offer its newest backups; True when one was put in its place."""
    from PySide6.QtWidgets import QInputDialog

    from ictappraise.store.backup import list_backups, restore_backup

    title = QCoreApplication.translate("app", "Tệp dữ liệu bị hỏng")
    backups = list_backups(path)
    if not backups:
        QMessageBox.critical(
            parent, title, problem + "\n" + QCoreApplication.translate("app", "Không có bản sao lưu nào.")
        )
        return False
    labels = [info.describe() for info in backups]
    prompt = (
        problem
        + "\n\n"
        + QCoreApplication.translate("app", "Khôi phục từ bản sao lưu (tệp hỏng được giữ lại):")
    )
    choice, accepted = QInputDialog.getItem(parent, title, prompt, labels, 0, False)
    if not accepted:
        return False
    try:
        restore_backup(backups[labels.index(choice)], path)
    except (StoreError, OSError) as error:
        QMessageBox.critical(parent, title, str(error))
        return False
    return True


def _resolve_actor(ws: Workspace, demo: bool, parent: QWidget | None) -> Actor | None:
    config = load_config()
    if demo:
        return lead_actor(ws, config.device_id)
    if config.identity is None:
        from ictappraise.ui.dialogs.identity import ask_identity

        identity = ask_identity(parent, ws)
        if identity is None:
            return None
        config.identity = identity
        save_config(config)
    return actor_for(ws, config.identity, config.device_id)


def install_error_dialog() -> None:
    """An error nobody caught (a bug) is logged and shown, never silently swallowed by Qt."""
    log = data_dir() / "ictappraise.log"

    def hook(kind: type[BaseException], error: BaseException, trace: object) -> None:
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write("".join(traceback.format_exception(kind, error, trace)))  # type: ignore[arg-type]
        except OSError:
            pass
        QMessageBox.critical(
            QApplication.activeWindow(),
            QCoreApplication.translate("app", "Lỗi không mong muốn"),
            QCoreApplication.translate(
                "app",
                "Thao tác vừa rồi không thực hiện được: {e}\nDữ liệu đã lưu không bị ảnh hưởng. Chi tiết ghi ở {log}.",
            ).format(e=error, log=log),
        )

    sys.excepthook = hook


def run_gui(db: Path | None = None, demo: bool = False) -> int:
    """Entry point of `ictappraise` without a command."""
    app = application()
    install_error_dialog()
    if demo:
        try:
            path = demo_copy()
        except (StoreError, ServiceError, OSError) as error:
            QMessageBox.critical(
                None, QCoreApplication.translate("app", "Không tạo được dữ liệu mẫu"), str(error)
            )
            return 1
    else:
        path = db or default_database()
        path.parent.mkdir(parents=True, exist_ok=True)
    window = open_window(path, demo=demo)
    if window is None:
        return 1
    if os.environ.get("ICTAPPRAISE_QUIT_AFTER_PAINT"):
        # Smoke tests and the start-up benchmark: quit once the first frame is painted.
        QTimer.singleShot(0, app.quit)
    return app.exec()
