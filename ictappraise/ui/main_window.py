"""The main window: agencies on the left, the checklist in the middle, the preview on the right.

Thin: it lays out the panels, routes the controller's "changed" signals to them and opens
dialogs. Menu actions that belong to a feature live in ui/actions.py.

It is built in two steps so the first frame paints at once: the frame (title, menus,
saved geometry, "opening…") needs only PySide6; attach() imports the panels, which pull in the
store and the rules, and fills the window once a workspace is open.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ictappraise.ui import window_state
from ictappraise.ui.actions import (
    add_undo_actions,
    install_menus,
    mark_ready,
    open_dropped,
    open_evidence,
    open_history,
    open_minutes,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from decimal import Decimal

    from ictappraise.ui.controller import Controller
    from ictappraise.ui.dialogs.visit_panel import VisitPanel

    WindowOpener = Callable[..., "MainWindow | None"]  # ui/app.open_window

NOTICE_STYLE = "color: #3e2c00; background: #fff4d6; border: 1px solid #e0b84c; padding: 6px;"
SELF_MODE_STYLE = "background: #fff4d6; color: #5d4000; font-weight: bold;"
# Aligned by the style sheet: the Qt namespace costs a noticeable part of the first frame.
OPENING_STYLE = "color: #555; font-size: 15px; qproperty-alignment: AlignCenter;"


class MainWindow(QMainWindow):
    """The appraisal workspace."""

    # The menus, made by ui.actions.install_menus (kept there: the frame's menus stay light).
    file_menu: QMenu
    edit_menu: QMenu
    round_menu: QMenu
    help_menu: QMenu
    recent_menu: QMenu

    def __init__(self, database_name: str) -> None:
        """The frame only: title, menus, saved geometry and an "opening…" line; see attach()."""
        super().__init__()
        self.agency_id: str | None = None
        self.attached = False
        self.setWindowTitle(self._title(database_name))
        self.setAcceptDrops(True)  # drop forms (.xlsx) to import, packages (.ictx) to merge
        opening = self.tr("Đang mở tệp dữ liệu {name}…").format(name=database_name)
        self._opening = QLabel(opening)  # replaced (and deleted) by the panels in attach()
        self._opening.setStyleSheet(OPENING_STYLE)
        self.setCentralWidget(self._opening)
        self.statusBar()  # created now, so the panels do not move when it fills in
        install_menus(self)
        self.menuBar().setEnabled(False)  # nothing to act on until a workspace is attached
        window_state.restore_geometry(self)

    def show_opening(self, text: str) -> None:
        """Say what opening is doing now (building the demo takes seconds), and show it."""
        if not self.attached:
            self._opening.setText(text)
            self._opening.repaint()

    def attach(self, controller: Controller, *, open_window: WindowOpener, today: date | None = None) -> None:
        """Fill the frame with the panels of an open workspace (once per window).

        ``open_window`` opens another file in a new window (ui/app.open_window): the menus and
        dialogs reach it through the window, so they need not import ui/app, which imports them.
        """
        from ictappraise.ui.agency_model import AgencyTableModel
        from ictappraise.ui.agency_panel import AgencyPanel
        from ictappraise.ui.checklist_model import ChecklistModel
        from ictappraise.ui.checklist_view import ChecklistView
        from ictappraise.ui.preview_panel import FactsPanel, PreviewPanel

        self.controller = controller
        self.ws = controller.ws
        self.open_window = open_window
        from datetime import date  # the frame before attach() must not pay for what it does not use

        self.today = today or date.today()
        self.setWindowTitle(self._title(self.ws.db.path.name))
        self.agency_model = AgencyTableModel(self.ws, self)
        self.agencies = AgencyPanel(self.agency_model, self.today, self)
        self.checklist_model = ChecklistModel(controller, self)
        self.checklist = ChecklistView(self)
        self.checklist.setModel(self.checklist_model)
        self.checklist.configure_columns()
        self.preview = PreviewPanel(self)
        self.facts = FactsPanel(controller, self)
        self.facts.today = self.today  # a sent day after it is asked about
        self._build_layout()
        self._connect()
        self.attached = True
        self.menuBar().setEnabled(True)
        window_state.restore_panels(self)
        window_state.select_remembered(self)
        self._settle_layout()

    def _settle_layout(self) -> None:
        """Lay the new panels out now: the frame is already on screen, and its next frames would
        otherwise show it empty, then with the side panel squeezed, before the layout settles."""
        if not self.isVisible():
            return
        QApplication.sendPostedEvents()  # show, polish and layout requests of the new panels
        self.side_scroll.fit()  # at the side panel's real width…
        QApplication.sendPostedEvents()  # …and its content laid out at the height that gives

    def _title(self, database_name: str) -> str:
        return self.tr("Thẩm định ứng dụng CNTT — {name}").format(name=database_name)

    # -- layout ----------------------------------------------------------------------------
    def _build_layout(self) -> None:
        from PySide6.QtCore import Qt  # not at module level: see OPENING_STYLE

        self.header = QLabel()
        self.header.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.header.setWordWrap(True)
        self.status_label = QLabel()
        self.ready_button = QPushButton(self.tr("Chuyển sang chờ ký"))
        self.ready_button.setToolTip(
            self.tr("Kiểm tra đã chấm đủ, hết xung đột, đã ghi lý do chênh lệch, rồi chuyển sang «Chờ ký»")
        )
        self.history_button = QPushButton(self.tr("Lịch sử…"))
        self.evidence_button = QPushButton(self.tr("Minh chứng…"))
        self.minutes_button = QPushButton(self.tr("Biên bản…"))
        self.minutes_button.setToolTip(self.tr("Xem, in, lưu và ký biên bản thẩm định của đơn vị"))
        self.self_toggle = QPushButton(self.tr("Nhập điểm tự đánh giá"))
        self.self_toggle.setCheckable(True)
        self.self_toggle.setToolTip(
            self.tr("Dành cho đơn vị gửi bản giấy: Tổ nhập điểm tự đánh giá thay đơn vị")
        )
        self.trend_label = QLabel()
        self.trend_label.setStyleSheet("color: #444;")
        self.trend_label.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(self.header)
        heading.addWidget(self.trend_label)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.status_label)
        buttons = QHBoxLayout()
        for button in (self.self_toggle, self.evidence_button, self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.ready_button)
        buttons.addWidget(self.minutes_button)
        from ictappraise.ui.hint_line import HintLine  # after the first frame, like the panels

        self.hint = HintLine()
        checklist_page = QWidget()
        column = QVBoxLayout(checklist_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.checklist, 1)
        column.addWidget(self.hint)
        self.tabs = QTabWidget()
        self.tabs.addTab(checklist_page, self.tr("Chấm điểm"))
        self.visit_panel = self._visit_panel()
        #: What the visit tab still has to show: ("agency", id) or ("reload", id), None when current.
        self._visit_stale: tuple[str, str] | None = None
        self._previous_shown: tuple[object, ...] | None = None  # (code, maximum, round state)
        if self.visit_panel is not None:
            self.tabs.addTab(self.visit_panel, self.tr("Buổi thẩm định"))
            self.tabs.currentChanged.connect(lambda _index: self._sync_visit())
        self.notice = QLabel()  # a note to read once (e.g. sample data at a first start)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.linkActivated.connect(lambda _link: self.notice.hide())
        self.notice.hide()
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(4, 4, 4, 4)
        center_layout.addWidget(self.notice)
        center_layout.addLayout(top)
        center_layout.addLayout(buttons)
        center_layout.addWidget(self.tabs, 1)
        from ictappraise.ui.side_panel import side_column

        scroll = self.side_scroll = side_column(self.preview, self.facts)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.agencies)
        self.splitter.addWidget(center)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 726, 280])
        self.setCentralWidget(self.splitter)
        who = self.ws.actor.name if self.ws.actor else self.tr("(chưa khai báo)")
        # A widget, not showMessage(): a menu's status tips would wipe a message for good.
        self.user_label = QLabel(
            self.tr("Người dùng: {who} — Tệp: {path}").format(who=who, path=self.ws.db.path)
        )
        self.statusBar().addWidget(self.user_label, 1)
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)

    def _visit_panel(self) -> VisitPanel | None:
        try:
            from ictappraise.ui.dialogs.visit_panel import VisitPanel
        except ImportError:
            return None
        return VisitPanel(self)

    def _connect(self) -> None:
        from ictappraise.domain.fields import agency_field  # after the first frame, like the panels
        from ictappraise.ui.checklist_view import ChecklistDelegate  # loaded by attach() already

        self.agencies.agency_selected.connect(self.show_agency)
        self.controller.agency_changed.connect(self.on_agency_changed)
        self.controller.round_changed.connect(self.on_round_changed)
        self.controller.saved.connect(self._saved)
        self.controller.failed.connect(
            lambda text: QMessageBox.warning(self, self.tr("Không thực hiện được"), text)
        )
        self.checklist_model.refused.connect(self.hint.refusal)
        self.checklist_model.asked.connect(self.hint.question)
        delegate = self.checklist.itemDelegate()
        assert isinstance(delegate, ChecklistDelegate)  # ChecklistView sets it
        delegate.typing.connect(self.show_typing)
        self.checklist.selectionModel().currentChanged.connect(self._current_changed)
        self.ready_button.clicked.connect(lambda: mark_ready(self))
        self.minutes_button.clicked.connect(lambda: open_minutes(self))
        if self.visit_panel is not None:
            self.visit_panel.changed.connect(
                lambda agency_id: self.controller.announce({agency_field(agency_id, "visit")})
            )
        self.self_toggle.toggled.connect(self._toggle_self)
        self.history_button.clicked.connect(lambda: open_history(self))
        self.evidence_button.clicked.connect(lambda: open_evidence(self))
        undo = self.controller.undo_stack.createUndoAction(self, self.tr("Hoàn tác"))
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.controller.undo_stack.createRedoAction(self, self.tr("Làm lại"))
        redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        self.undo_action, self.redo_action = undo, redo
        self.addActions([undo, redo])
        add_undo_actions(self, undo, redo)

    # -- reacting to changes ---------------------------------------------------------------
    def show_agency(self, agency_id: str) -> None:
        """Show one agency's checklist, preview, facts and visit ("": none, e.g. filtered out)."""
        self.agency_id = agency_id or None
        self.checklist_model.set_agency(agency_id or None)
        self.checklist.expandAll()
        self._refresh_side()
        self._visit_stale = ("agency", agency_id)
        self._sync_visit()

    def on_agency_changed(self, agency_id: str) -> None:
        self.agency_model.refresh_agency(agency_id)
        if agency_id == self.agency_id:
            self.checklist_model.refresh()
            self._refresh_side()
            focus = QApplication.focusWidget()
            if self.visit_panel is not None and not (focus and self.visit_panel.isAncestorOf(focus)):
                self._visit_stale = self._visit_stale or ("reload", agency_id)  # signing, undo, merge
                self._sync_visit()

    def _sync_visit(self) -> None:
        """Bring the visit tab up to date while it is in view, else when it is next shown: a
        score edit need not rebuild a form nobody sees."""
        if self.visit_panel is None or self._visit_stale is None:
            return
        if self.tabs.currentWidget() is not self.visit_panel:
            return
        what, agency_id = self._visit_stale
        self._visit_stale = None
        if what == "agency":
            self.visit_panel.set_agency(self.ws, agency_id)
        else:
            self.visit_panel.reload()

    def on_round_changed(self) -> None:
        current = self.agency_id
        self.agency_model.reload()
        self.agencies.fill_dates()
        if current:
            self.agencies.select(current)
            self.show_agency(current)

    def _refresh_side(self) -> None:
        detail = self.checklist_model.detail
        self.preview.show_detail(detail)
        self.facts.show_detail(detail)
        self.side_scroll.fit()
        for button in (self.evidence_button, self.history_button, self.minutes_button, self.self_toggle):
            button.setEnabled(detail is not None)  # nothing of another agency stays reachable
        if detail is None:
            self.header.setText(self.tr("Chưa chọn đơn vị: chọn trong danh sách bên trái"))
            self.status_label.clear()
            self.ready_button.setEnabled(False)
            self.hint.setText("")
            self._previous_shown = None
            self.trend_label.clear()
            self.trend_label.hide()
            self.preview.show_previous([])
            return
        agency = detail.agency
        from ictappraise.domain.dates import format_day  # after the first frame, like the panels

        when = format_day(agency.visit_date) or self.tr("chưa xếp lịch")
        self.header.setText(
            f"{agency.name} — {self.tr('Phụ lục')} {agency.category} — {when} {agency.visit_time}"
        )
        self._show_previous(agency.code, detail.scorecard.maximum)
        self.status_label.setText(detail.status_label)
        self.ready_button.setEnabled(detail.status in ("in_progress", "not_started"))
        locked = detail.signed
        self.self_toggle.setEnabled(not locked)
        if locked:
            self.hint.setText(
                self.tr("Biên bản đã ký: điểm đã khóa. Muốn sửa, Tổ trưởng mở lại biên bản (có lý do).")
            )
        else:
            self.hint.setText(
                self.tr("Chọn một tiêu chí để xem cách tính điểm và tài liệu kiểm chứng. F2: bắt đầu chấm.")
            )

    def _show_previous(self, code: str, maximum: Decimal) -> None:
        """Previous years' bands under the header and in the preview."""
        from ictappraise.domain.trends import trend_text  # not at start-up
        from ictappraise.services.chain import previous_of

        shown = (code, maximum, self.ws.state())  # previous rounds are round data
        before = self._previous_shown
        if before is not None and shown[:2] == before[:2] and shown[2] is before[2]:
            return  # a score edit: the same lines as shown
        self._previous_shown = shown
        found = previous_of(self.ws, code)
        self.trend_label.setText(
            self.tr("Năm trước — {t}").format(t=trend_text(found, maximum)) if found else ""
        )
        self.trend_label.setVisible(bool(found))
        self.preview.show_previous([trend_text([p], maximum) for p in found])

    def show_typing(self, code: str, result: str, doubt: str) -> None:
        """The rule and what the text typed so far gives, under the table while typing."""
        detail = self.checklist_model.detail
        criterion = detail.catalog.find(code) if detail and code else None
        if criterion is not None:
            self.hint.typing(criterion, result, doubt)

    def _saved(self, when: str) -> None:
        self.saved_label.setText(self.tr("Đã lưu lúc {t}").format(t=when[11:19]))
        self.hint.restyle()

    def _current_changed(self, current: object, _previous: object) -> None:
        code = self.checklist.current_code()
        detail = self.checklist_model.detail
        if detail is not None and code in self.checklist_model.errors:
            self.hint.refusal(code, self.checklist_model.errors[code])
            return
        self.hint.criterion(detail.catalog.find(code) if detail and code else None)

    def _toggle_self(self, checked: bool) -> None:
        self.checklist_model.self_editing = checked
        self.checklist_model.refresh()
        # The mode is said in words, not only by a darker button: the self column takes typing.
        self.self_toggle.setText(
            self.tr("Đang nhập điểm tự ĐG (bấm để thôi)") if checked else self.tr("Nhập điểm tự đánh giá")
        )
        self.self_toggle.setStyleSheet(SELF_MODE_STYLE if checked else "")
        if checked:
            self.hint.notice(
                self.tr(
                    "<b>Chế độ nhập điểm tự đánh giá:</b> cột «Tự ĐG» nhận điểm của đơn vị (bản giấy); "
                    "Tab đi qua cột này trước cột nhập liệu."
                )
            )

    # -- actions ---------------------------------------------------------------------------
    def current_code(self) -> str | None:
        return self.checklist.current_code()

    def show_notice(self, html: str) -> None:
        """A note above the checklist until the clerk hides it ("Đã hiểu, ẩn")."""
        self.notice.setText(html + " " + self.tr("<a href='hide'>Đã hiểu, ẩn</a>"))
        self.notice.show()

    def focus_facts(self) -> None:
        """The penalty facts from the keyboard (F6): "Đã gửi", then Tab to the date and months."""
        self.facts.sent_known.setFocus()

    def focus_first_input(self) -> None:
        """Start scoring (F2): the selected row's input, else the first input, in edit mode."""
        self.checklist.setFocus()
        target = self.checklist.input_of_current_row()
        self.checklist.move_to(target if target.isValid() else self.checklist.first_input())

    def save_state(self) -> None:
        """Remember the window for the next start (ui/window_state.py)."""
        window_state.save_state(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.attached and event.mimeData().hasUrls():  # nothing to import into while opening
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        open_dropped(self, paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        from ictappraise.ui import operations

        if operations.busy():  # a worker still writes this file: closing now would pull it away
            event.ignore()
            self.statusBar().showMessage(
                self.tr("Đang có một việc chạy; hãy đợi việc đó xong rồi đóng cửa sổ."), 8000
            )
            return
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            focus.clearFocus()  # an editor open in the window saves now, while the file is open
        self.save_state()
        super().closeEvent(event)
        if self.attached:
            # Release the file now (its lock, its WAL), not at exit: after File → Open or a
            # restore, the file this window held can be opened again at once.
            self.ws.db.close()
