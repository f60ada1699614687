"""Starting the GUI: the main window's frame paints first, then the database opens in it.

This module imports only PySide6 and light modules of ours. The store (SQLAlchemy), the rules
and the panels are imported after the first frame is on screen, so the window appears about as
fast as an empty Qt window does; opening, and every dialog it may need, is ui/app.py.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QMessageLogContext,
    QObject,
    QSettings,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ictappraise import __version__
from ictappraise.settings import DATABASE_FILE, DEMO_DATABASE_FILE, default_database, resource_path

#: Set by smoke tests and the start-up benchmark: quit once the opened window has painted.
QUIT_AFTER_PAINT = "ICTAPPRAISE_QUIT_AFTER_PAINT"
#: Set by the start-up benchmark: print a line at the first frame and when the data is shown.
STARTUP_TRACE = "ICTAPPRAISE_STARTUP_TRACE"


def application(*, translated: bool = True) -> QApplication:
    """The QApplication, created once with the names QSettings needs; Qt's own texts in
    Vietnamese unless `translated` is False (start-up installs them after the first frame)."""
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
    if translated:
        install_qt_translation(app)
    return app


#: The object name of Qt's own Vietnamese translator once installed (installed once per application).
QT_TRANSLATOR_NAME = "ictappraise_qt_vi"


def install_qt_translation(app: QApplication) -> None:
    """Vietnamese for Qt's own buttons, dialogs and calendars (Hủy, Đóng, In…); Qt ships none."""
    if app.findChild(QTranslator, QT_TRANSLATOR_NAME) is not None:
        return
    # Month and day names of Qt's calendars, and its date formats, from the Vietnamese locale.
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    translator = QTranslator(app)  # the application owns it: it lives as long as the application
    if translator.load(str(resource_path("translations", "qt_vi.qm"))):
        app.installTranslator(translator)
        translator.setObjectName(QT_TRANSLATOR_NAME)


def route_qt_messages() -> None:
    """Qt's own warnings (fonts, platform plugins…) go to the log, never to the terminal."""
    import logging

    logger = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        logger.log(levels.get(kind, logging.WARNING), message)

    qInstallMessageHandler(handler)


def install_error_dialog() -> None:
    """An error nobody caught (a bug) is logged and shown, never silently swallowed by Qt."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        import traceback

        from ictappraise.app_log import log_path

        log = log_path()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write("".join(traceback.format_exception(kind, error, trace)))
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


class AfterPaint(QObject):
    """Calls back once, on the next turn of the event loop after a widget's next paint, or
    after a short wait if no paint comes (a window started minimised is never painted)."""

    FALLBACK_MS = 500

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(self.FALLBACK_MS, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # Let the frame reach the screen before the slow part starts.
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        callback, self.callback = self.callback, None
        if callback is None:
            return
        self.widget.removeEventFilter(self)
        self.deleteLater()
        callback()


def _trace(stage: str) -> None:
    if os.environ.get(STARTUP_TRACE) and sys.stdout is not None:  # no stdout in a windowed .exe
        print(f"ictappraise-startup {stage}", flush=True)


def run_gui(db: Path | None = None, demo: bool = False) -> int:
    """Entry point of `ictappraise` without a command: show the frame, then open the file."""
    from ictappraise.app_log import setup_logging

    setup_logging()
    route_qt_messages()
    app = application(translated=False)
    install_error_dialog()
    from ictappraise.ui.main_window import MainWindow

    window = MainWindow(DEMO_DATABASE_FILE if demo else (db.name if db else DATABASE_FILE))
    opened = False

    def on_ready() -> None:
        _trace("ready")
        if os.environ.get(QUIT_AFTER_PAINT):
            window.close()  # as a user quits: the window's state is saved, its file closed

    def on_frame() -> None:
        nonlocal opened
        if not window.isVisible():  # closed before the file was opened: nothing to open
            return
        _trace("first-paint")
        install_qt_translation(app)  # before the first dialog opening may need
        try:
            from ictappraise.ui.app import open_in_window

            path = None if demo else (db or default_database())
            opened = open_in_window(window, path, demo=demo)
        except Exception:  # a bug: shown and logged, and the frame does not stay forever
            sys.excepthook(*sys.exc_info())
        if opened:
            AfterPaint(window, on_ready)
        else:
            window.close()

    AfterPaint(window, on_frame)
    window.show()
    code = app.exec()
    return code if opened else 1
