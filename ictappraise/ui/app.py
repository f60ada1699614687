"""Opening a database in the GUI: which file, who acts, the window; clear dialogs on failure.

The start-up itself (QApplication, the frame painted first) is ui/launch.py; this module is
imported once the frame is on screen, since it loads the store and the services.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ictappraise import __version__
from ictappraise.services.database import delete_database, list_backups, open_database, restore_backup
from ictappraise.services.errors import USER_ERRORS, DatabaseCorrupt, NotOurDatabase, ServiceError, StoreError
from ictappraise.services.identity import actor_for, lead_actor
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Actor, Workspace
from ictappraise.settings import (
    DEMO_DATABASE_FILE,
    DEMO_EVENING,
    data_dir,
    load_config,
    save_config,
    take_config_notices,
)
from ictappraise.ui.controller import Controller
from ictappraise.ui.main_window import MainWindow
from ictappraise.ui.recent import remember_recent

# Windows must stay referenced or Qt deletes them; one app may hold several.
_windows: list[MainWindow] = []


def demo_template(data: Path | None = None) -> Path:
    """The built demo of this program version, in a hidden subfolder: not next to the user's copy."""
    return (data or data_dir()) / "demo" / ".template" / f"demo-template-{__version__}.db"


def demo_copy() -> Path:
    """A fresh copy of the demo database (built once per program version, then copied)."""
    folder = data_dir() / "demo"
    template = demo_template()
    template.parent.mkdir(parents=True, exist_ok=True)
    # Templates of older versions: the old place (next to the copy) and other versions here.
    for stale in [*folder.glob("demo-template*.db*"), *template.parent.glob("demo-template*.db*")]:
        if not (stale.parent == template.parent and stale.name.startswith(template.name)):
            stale.unlink(missing_ok=True)
    if not template.exists():
        from ictappraise.services.demo import build_demo  # once per program version

        partial = template.with_name("demo-template.building.db")
        db = open_database(partial, create=True)
        build_demo(db)
        db.close()
        os.replace(partial, template)
    target = folder / DEMO_DATABASE_FILE
    delete_database(target)
    shutil.copyfile(template, target)
    return target


def _demo_evening() -> date:
    """The demo's "today" (services.demo, with its builders, is loaded only to build it)."""
    return date.fromisoformat(DEMO_EVENING)


def build_window(ws: Workspace, *, today: date | None = None) -> MainWindow:
    """The main window on a workspace whose actor is already known (tests inject it)."""
    from ictappraise.ui.dialogs.passphrase import install_passphrase_prompt

    install_passphrase_prompt()  # an encrypted key asks for its passphrase when it must sign
    window = MainWindow(ws.db.path.name)
    window.attach(Controller(ws), today=today, open_window=open_window)
    _windows.append(window)
    return window


def open_window(
    path: Path, *, actor: Actor | None = None, demo: bool = False, parent_for_errors: QWidget | None = None
) -> MainWindow | None:
    """Open a database in a new main window; a Vietnamese dialog and None on failure."""
    ws = open_workspace(path, actor=actor, demo=demo, parent=parent_for_errors)
    if ws is None:
        return None
    window = build_window(ws, today=_demo_evening() if demo else None)
    window.show()
    _after_open(window, ws, demo)
    return window


def open_in_window(window: MainWindow, path: Path | None, *, demo: bool = False) -> bool:
    """Open a database (None with demo: a fresh demo copy) in the frame shown at start-up."""
    if demo:
        window.show_opening(window.tr("Đang chuẩn bị dữ liệu mẫu…"))
        try:
            path = demo_copy()
        except USER_ERRORS as error:
            title = QCoreApplication.translate("app", "Không tạo được dữ liệu mẫu")
            QMessageBox.critical(window, title, str(error))
            return False
    assert path is not None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _cannot_open(window, error)
        return False
    ws = open_workspace(path, demo=demo, parent=window, at_start=True)
    if ws is None:
        return False
    window.attach(Controller(ws), today=_demo_evening() if demo else None, open_window=open_window)
    _windows.append(window)
    _after_open(window, ws, demo)
    return True


_SEEDED: set[Path] = set()  # files seeded with the sample round in this run, not yet announced


def open_workspace(
    path: Path,
    *,
    actor: Actor | None = None,
    demo: bool = False,
    parent: QWidget | None = None,
    at_start: bool = False,
) -> Workspace | None:
    """The database opened, seeded if new, with who acts and every agency read once; None after
    a Vietnamese dialog when it cannot be used (a damaged file offers its backups).

    at_start: the first file of the program, so a put-off identity question ends the program."""
    from ictappraise.ui.dialogs.passphrase import install_passphrase_prompt

    # Before anything may sign: founding an upgraded round or announcing a key signs at opening.
    install_passphrase_prompt()

    def restored_then_opened(problem: str) -> Workspace | None:
        if not _offer_restore(path, problem, parent):
            return None
        return open_workspace(path, actor=actor, demo=demo, parent=parent, at_start=at_start)

    try:
        db = open_database(path, create=not path.exists())
    except (DatabaseCorrupt, NotOurDatabase) as error:
        return restored_then_opened(str(error))
    except StoreError as error:
        _cannot_open(parent, error)
        return None
    ws = Workspace(db)
    try:
        _prepare(ws, actor, demo, parent, at_start)
    except (ServiceError, StoreError) as error:
        # A loop in the edit graph can leave a catalog with no head: offer the backup first.
        if isinstance(error, ServiceError) and _restored_after_damage(ws, parent):
            return open_workspace(path, actor=actor, demo=demo, parent=parent, at_start=at_start)
        db.close()
        _cannot_open(parent, error)
        return None
    except ValueError as error:  # like a damaged file: offer the backups
        db.close()
        problem = QCoreApplication.translate("app", "Dữ liệu trong tệp không đọc được ({error}).")
        return restored_then_opened(problem.format(error=error))
    if ws.actor is None:  # nobody said who acts
        db.close()
        return None
    if _restored_after_damage(ws, parent):
        return open_workspace(path, actor=actor, demo=demo, parent=parent, at_start=at_start)
    return ws


def _restored_after_damage(ws: Workspace, parent: QWidget | None) -> bool:
    """A looping edit graph (merged by an older build): say so, offer the backup from before it.

    True when the backup was put in place (the workspace is closed then); else the file opens
    as it is, the damaged fields read as absent."""
    from ictappraise.services.graph_health import find_damage

    damage = find_damage(ws)
    if damage is None:
        return False
    title = QCoreApplication.translate("app", "Tệp dữ liệu có lỗi")
    text = damage.message(ws)
    if damage.backup is None:
        QMessageBox.warning(parent, title, text)
        return False
    question = (
        text
        + "\n\n"
        + QCoreApplication.translate("app", "Khôi phục bản sao lưu đó ngay (tệp hiện tại được giữ lại)?")
    )
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    if QMessageBox.warning(parent, title, question, buttons) != QMessageBox.StandardButton.Yes:
        return False
    ws.db.close()
    try:
        restore_backup(damage.backup, ws.db.path)
    except USER_ERRORS as error:
        QMessageBox.critical(parent, title, str(error))
    return True


def _prepare(ws: Workspace, actor: Actor | None, demo: bool, parent: QWidget | None, at_start: bool) -> None:
    """Seed a new file, know who acts, and read every agency once: a stored value nobody can
    show surfaces here (ValueError), not in a half-built window."""
    if not ws.agencies() and not ws.members():
        seed_round(ws)
        _SEEDED.add(ws.db.path)  # the window then says it is sample data and what comes first
    ws.actor = actor or _resolve_actor(ws, demo, parent, at_start=at_start)
    if ws.actor is not None:
        for agency in ws.agencies():
            ws.detail(agency.id)


def _cannot_open(parent: QWidget | None, error: Exception) -> None:
    QMessageBox.critical(parent, QCoreApplication.translate("app", "Không mở được tệp dữ liệu"), str(error))


def _after_open(window: MainWindow, ws: Workspace, demo: bool) -> None:
    if not demo:
        remember_recent(ws.db.path)
    for warning in ws.db.warnings:  # e.g. the automatic backup at open could not be written
        QMessageBox.warning(window, QCoreApplication.translate("app", "Lưu ý"), warning)
    if ws.db.path in _SEEDED:
        _SEEDED.discard(ws.db.path)
        window.show_notice(first_start_notice())


def first_start_notice() -> str:
    """What a new file holds and what the lead does first."""
    return QCoreApplication.translate(
        "app",
        "<b>Tệp dữ liệu mới, đang chứa dữ liệu mẫu của đợt 2022</b> (bộ tiêu chí Phụ lục 2–7, Tổ "
        "thẩm định với tên tạm «Chuyên viên A, B, C», lịch thẩm định tháng 12/2022). Việc đầu tiên "
        "của Tổ trưởng: <b>Đợt đánh giá → Cài đặt đợt, đơn vị, Tổ thẩm định…</b> — thay bộ tiêu chí "
        "của đợt, danh sách Tổ thẩm định và lịch thẩm định; các thành viên nhận tệp sau đó.",
    )


def _offer_restore(path: Path, problem: str, parent: QWidget | None) -> bool:
    """A damaged file: offer its newest backups; True when one was put in its place."""
    from PySide6.QtWidgets import QInputDialog

    backups = list_backups(path)
    title = QCoreApplication.translate("app", "Tệp dữ liệu bị hỏng")
    if not backups:  # maybe not ours at all: nothing says it was damaged
        title = QCoreApplication.translate("app", "Không mở được tệp dữ liệu")
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
    except USER_ERRORS as error:
        QMessageBox.critical(parent, title, str(error))
        return False
    return True


def _show_config_notices(parent: QWidget | None) -> None:
    """A damaged config.json was set aside: say so before asking who uses this laptop."""
    notices = take_config_notices()
    if notices:
        QMessageBox.warning(parent, QCoreApplication.translate("app", "Tệp cấu hình"), "\n\n".join(notices))


def _resolve_actor(
    ws: Workspace, demo: bool, parent: QWidget | None, *, at_start: bool = False
) -> Actor | None:
    config = load_config()
    _show_config_notices(parent)
    if demo:
        return lead_actor(ws, config.device_id)
    if config.identity is None:
        from ictappraise.ui.dialogs.identity import ask_identity

        identity = ask_identity(parent, ws, at_start=at_start)
        if identity is None:
            return None
        config.identity = identity
        save_config(config)
    return actor_for(ws, config.identity, config.device_id)
