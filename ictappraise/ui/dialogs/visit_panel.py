"""The visit details the minutes need, entered during the visit; every field saves itself.

No Save button: a field is saved when it is finished (Enter, leaving the field, a click on a
check box or a radio button), through services.visit_details.update_visit. Signed minutes lock
the panel, with a label that says why.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services.field_text import member_names
from ictappraise.services.model import Member, Visit
from ictappraise.services.visit_details import current_visit, update_visit
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import box_date, call_service, date_box, left_row, set_box_date
from ictappraise.ui.dialogs.followup_panel import FollowUpBox, IndividualsBox
from ictappraise.ui.dialogs.visit_models import (
    CommitPlainTextEdit,
    RepresentativeTableModel,
    TeamPresenceModel,
)


class VisitPanel(QWidget):
    """Date, times, place, who attended, remarks and the agency's opinion of one visit."""

    changed = Signal(str)  # agency id, after a field was saved

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws: Workspace | None = None
        self.agency_id = ""
        self._visit = Visit()
        self._loading = False
        self._build()
        self._show_empty()

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: bold;")
        self.locked_label = QLabel(
            self.tr(
                "Biên bản thẩm định đã ký: thông tin buổi thẩm định đã khóa, chỉ xem. "
                "Muốn sửa, Tổ trưởng mở lại biên bản (ghi rõ lý do)."
            )
        )
        self.locked_label.setWordWrap(True)
        self.locked_label.setStyleSheet(
            "color: #8e1616; background: #f7e1e1; padding: 6px; border-radius: 4px;"
        )

        self.date_edit = date_box(self.tr("chưa xác định"))
        self.start_edit = self._time_edit()
        self.end_edit = self._time_edit()
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(self.tr("Ví dụ: Hội trường Huyện ủy Tuy Phong"))
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText(self.tr("ví dụ 05"))
        self.number_edit.setMaximumWidth(120)
        self.suffix_label = QLabel()
        times = left_row(self.start_edit, QLabel(self.tr("đến")), self.end_edit)
        number = left_row(self.number_edit, self.suffix_label)
        when = QGroupBox(self.tr("Thời gian, địa điểm"))
        form = QFormLayout(when)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("Ngày:"), self.date_edit)
        form.addRow(self.tr("Thời gian:"), times)
        form.addRow(self.tr("Địa điểm:"), self.place_edit)
        form.addRow(self.tr("Số biên bản:"), number)

        self.team_model = TeamPresenceModel(self)
        self.team_view = self._table(self.team_model)
        # The panel is narrow (a side column of the main window): the title is in the tooltip.
        self.team_view.setColumnHidden(1, True)
        self.team_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.team_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        team_box = QGroupBox(self.tr("Thành viên Tổ thẩm định tham dự"))
        QVBoxLayout(team_box).addWidget(self.team_view)

        self.rep_model = RepresentativeTableModel(self)
        self.rep_view = self._table(self.rep_model)
        self.rep_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.rep_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_rep_button = QPushButton(self.tr("Thêm"))
        self.remove_rep_button = QPushButton(self.tr("Xóa"))
        self.add_rep_button.setToolTip(self.tr("Thêm một người đại diện đơn vị"))
        self.remove_rep_button.setToolTip(self.tr("Xóa người đang chọn"))
        self.add_rep_button.clicked.connect(self.add_representative)
        self.remove_rep_button.clicked.connect(self.remove_representative)
        rep_buttons = left_row(self.add_rep_button, self.remove_rep_button)
        rep_box = QGroupBox(self.tr("Đại diện đơn vị"))
        rep_layout = QVBoxLayout(rep_box)
        rep_layout.addWidget(self.rep_view)
        rep_layout.addLayout(rep_buttons)

        self.strengths_edit = self._text(self.tr("Những việc đơn vị làm tốt"))
        self.weaknesses_edit = self._text(self.tr("Những tồn tại, hạn chế"))
        self.recommendations_edit = self._text(self.tr("Kiến nghị, đề xuất của Tổ thẩm định"))
        remarks = QGroupBox(self.tr("Nhận xét, kiến nghị"))
        remarks_form = QFormLayout(remarks)
        remarks_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        remarks_form.addRow(self.tr("Ưu điểm:"), self.strengths_edit)
        remarks_form.addRow(self.tr("Hạn chế:"), self.weaknesses_edit)
        remarks_form.addRow(self.tr("Kiến nghị:"), self.recommendations_edit)

        self.agree_radio = QRadioButton(self.tr("Thống nhất với kết quả thẩm định"))
        self.reserve_radio = QRadioButton(self.tr("Bảo lưu ý kiến"))
        self.opinion_group = QButtonGroup(self)
        self.opinion_group.addButton(self.agree_radio)
        self.opinion_group.addButton(self.reserve_radio)
        self.opinion_edit = self._text(self.tr("Ý kiến của đơn vị (nội dung bảo lưu, nếu có)"))
        opinion = QGroupBox(self.tr("Ý kiến của đơn vị"))
        opinion_layout = QVBoxLayout(opinion)
        opinion_layout.addWidget(self.agree_radio)
        opinion_layout.addWidget(self.reserve_radio)
        opinion_layout.addWidget(self.opinion_edit)

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        self.followup_box = FollowUpBox()
        self.followup_box.changed.connect(self.changed)
        self.individuals_box = IndividualsBox()
        self.individuals_box.changed.connect(self.changed)
        for box in (when, team_box, rep_box, remarks, self.followup_box, self.individuals_box, opinion):
            # Boxes never grow taller than their contents: spare height goes below the last one.
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            content_layout.addWidget(box)
        content_layout.addStretch(1)
        self.empty_label = QLabel(self.tr("Chọn một đơn vị để nhập thông tin buổi thẩm định."))
        self.empty_label.setStyleSheet("color: #777;")
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.title_label)
        inner_layout.addWidget(self.locked_label)
        inner_layout.addWidget(self.empty_label)
        inner_layout.addWidget(self.content, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setMinimumWidth(260)

        self.date_edit.editingFinished.connect(self._save_date)
        self.date_edit.calendarWidget().clicked.connect(lambda _day: self._save_date())
        self.start_edit.editingFinished.connect(lambda: self._save_line("start", self.start_edit))
        self.end_edit.editingFinished.connect(lambda: self._save_line("end", self.end_edit))
        self.place_edit.editingFinished.connect(lambda: self._save_line("place", self.place_edit))
        self.number_edit.editingFinished.connect(lambda: self._save_line("minutes_number", self.number_edit))
        self.team_model.presence_changed.connect(lambda: self._save("team", self.team_model.present_ids()))
        self.rep_model.edited.connect(lambda: self._save("representatives", self.rep_model.representatives()))
        for key, edit in self._texts().items():
            edit.editing_finished.connect(lambda key=key, edit=edit: self._save(key, edit.toPlainText()))
        self.opinion_group.buttonClicked.connect(lambda _button: self._save_opinion())

    def _time_edit(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(self.tr("hh:mm"))
        edit.setMaximumWidth(80)
        return edit

    def _text(self, placeholder: str) -> CommitPlainTextEdit:
        edit = CommitPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        return edit

    def _table(self, model: QAbstractTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return view

    def _texts(self) -> dict[str, CommitPlainTextEdit]:
        return {
            "strengths": self.strengths_edit,
            "weaknesses": self.weaknesses_edit,
            "recommendations": self.recommendations_edit,
            "opinion_text": self.opinion_edit,
        }

    # -- showing -----------------------------------------------------------------------------
    def set_agency(self, ws: Workspace, agency_id: str | None) -> None:
        """Show the visit of an agency (None: nothing selected)."""
        self.ws, self.agency_id = ws, agency_id or ""
        if not agency_id:
            self._show_empty()
            return
        self.reload()

    def _show_empty(self) -> None:
        self.title_label.clear()
        self.locked_label.hide()
        self.content.hide()
        self.empty_label.show()

    @property
    def locked(self) -> bool:
        return bool(self.ws and self.agency_id and self.ws.is_signed(self.agency_id))

    def reload(self) -> None:
        """Read the visit again (after a merge, an undo, a signing or reopening)."""
        if self.ws is None or not self.agency_id:
            self._show_empty()
            return
        ok, self._visit = call_service(self, current_visit, self.ws, self.agency_id)
        if not ok:
            self._visit = Visit()
        agency = self.ws.agency(self.agency_id)
        locked = self.locked
        self._loading = True
        try:
            self.title_label.setText(self.tr("Buổi thẩm định tại {agency}").format(agency=agency.name))
            set_box_date(self.date_edit, self._visit.date)
            self.start_edit.setText(self._visit.start)
            self.end_edit.setText(self._visit.end)
            self.place_edit.setText(self._visit.place)
            self.number_edit.setText(self._visit.minutes_number)
            for edit in (self.start_edit, self.end_edit, self.place_edit, self.number_edit):
                edit.setCursorPosition(0)  # show the start of a long place, not its end
            suffix = self.ws.round_info().minutes_number_suffix
            self.suffix_label.setText(f"-{suffix}" if suffix else "")
            self.team_model.set_team(self._team(), self._visit.team, editable=not locked)
            self.rep_model.set_representatives(self._visit.representatives, editable=not locked)
            for key, box in self._texts().items():
                box.setPlainText(getattr(self._visit, key))
                box.document().setModified(False)
            self.agree_radio.setChecked(self._visit.opinion != "reserve")
            self.reserve_radio.setChecked(self._visit.opinion == "reserve")
        finally:
            self._loading = False
        self.empty_label.hide()
        self.content.show()
        self.locked_label.setVisible(locked)
        self._set_editable(not locked)
        self.followup_box.set_agency(self.ws, self.agency_id, editable=not locked)
        self.individuals_box.set_agency(self.ws, self.agency_id, editable=not locked)
        self._fit_height(self.team_view)
        self._fit_height(self.rep_view, spare=1)

    def _set_editable(self, editable: bool) -> None:
        """Signed minutes: every field read-only (still readable), buttons and choices off."""
        for edit in (self.start_edit, self.end_edit, self.place_edit, self.number_edit):
            edit.setReadOnly(not editable)
        # A read-only empty field shows nothing, not an example that looks like data.
        self.number_edit.setPlaceholderText(self.tr("ví dụ 05") if editable else "")
        self.place_edit.setPlaceholderText(
            self.tr("Ví dụ: Hội trường Huyện ủy Tuy Phong") if editable else ""
        )
        for text in self._texts().values():
            text.setReadOnly(not editable)
        self.date_edit.setReadOnly(not editable)
        for widget in (self.add_rep_button, self.remove_rep_button, self.agree_radio, self.reserve_radio):
            widget.setEnabled(editable)

    @property
    def editable(self) -> bool:
        """Whether the fields can be changed now (not while the minutes are signed)."""
        return not self.place_edit.isReadOnly()

    def _fit_height(self, view: QTableView, spare: int = 0) -> None:
        """As tall as its rows (plus spare empty rows), so no empty band under a short list."""
        rows = view.model().rowCount() + spare
        height = view.horizontalHeader().height() + view.verticalHeader().defaultSectionSize() * max(rows, 1)
        view.setFixedHeight(height + 2 * view.frameWidth() + 2)

    def _team(self) -> list[Member]:
        """The round's team, plus anyone recorded as present who has since left the team."""
        assert self.ws is not None
        team = self.ws.members()
        known = {m.id for m in team}
        gone = [i for i in self._visit.team if i not in known]
        names = member_names(self.ws, gone)
        return team + [
            Member(i, n, self.tr("(không còn trong Tổ)"), "") for i, n in zip(gone, names, strict=True)
        ]

    # -- saving ------------------------------------------------------------------------------
    def _save(self, key: str, value: Any) -> None:
        if self._loading or self.ws is None or not self.agency_id:
            return
        ok, visit = call_service(self, update_visit, self.ws, self.agency_id, **{key: value})
        if ok:
            self._visit = visit
            self.changed.emit(self.agency_id)
        else:
            self.reload()  # show what is really recorded

    def _save_line(self, key: str, edit: QLineEdit) -> None:
        if getattr(self._visit, key) != edit.text().strip():
            self._save(key, edit.text())
            if key in ("start", "end") and not self._loading:
                edit.setText(getattr(self._visit, key))  # the normalised time, e.g. 7h30 → 07:30

    def _save_date(self) -> None:
        value = box_date(self.date_edit)
        if value != self._visit.date:
            self._save("date", value)

    def _save_opinion(self) -> None:
        self._save("opinion", "reserve" if self.reserve_radio.isChecked() else "agree")

    def add_representative(self) -> None:
        """A new empty row, its name cell open for typing (saved once a name is typed)."""
        row = self.rep_model.add_row()
        self._fit_height(self.rep_view, spare=1)
        index = self.rep_model.index(row, 0)
        self.rep_view.setCurrentIndex(index)
        self.rep_view.edit(index)

    def remove_representative(self) -> None:
        """Remove the selected representative (saved at once)."""
        rows = [i.row() for i in self.rep_view.selectionModel().selectedRows()]
        if not rows and self.rep_view.currentIndex().isValid():
            rows = [self.rep_view.currentIndex().row()]
        self.rep_model.remove_rows(rows)
