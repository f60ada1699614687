"""Live preview of an agency's rating, and the penalty facts that feed it.

Large clear type, colour plus text: group subtotals, total, base band, each penalty checked
with whether it changed the band, the final band ("tạm tính" while criteria are unscored,
"có xung đột" while a conflict is open).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.dates import format_day
from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import Band, Reason, ReasonKind
from ictappraise.domain.scorecard import GroupScore, PenaltyFacts
from ictappraise.services import appraisal as svc
from ictappraise.services.appraisal import unscored_labels
from ictappraise.services.band_text import band_view
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.model import AgencyDetail
from ictappraise.services.workspace import Change, Workspace
from ictappraise.ui.commands import push_changes
from ictappraise.ui.controller import Controller
from ictappraise.ui.dialogs.common import date_box
from ictappraise.ui.elided_label import ElidedLabel
from ictappraise.ui.style import band_css

BAND_FONT_CSS = " font-size: 20px; font-weight: bold;"
SIDE_SPACING = 3  # between the lines of the side panels (the style's 6 made them scroll)


def band_font() -> QFont:
    """The font of the band line (BAND_FONT_CSS), to reserve its height."""
    font = QFont()
    font.setPixelSize(20)
    font.setBold(True)
    return font


#: How the preview marks each kind of penalty finding: a mark and its colour.
FINDING_MARKS = {
    ReasonKind.UNCHECKED: ("?", "#8a5300"),
    ReasonKind.CHECKED: ("✓", "#2e7d32"),
    ReasonKind.APPLIED: ("▼", "#b71c1c"),
    ReasonKind.BASE: ("", "#000000"),
}


def penalty_html(findings: tuple[Reason, ...]) -> str:
    """The penalty findings as rich text, each marked by its kind (never by its words)."""
    lines = []
    for finding in findings:
        mark, colour = FINDING_MARKS[finding.kind]
        lines.append(f"<div style='margin:2px 0'><b style='color:{colour}'>{mark}</b> {finding.text}</div>")
    return "".join(lines)


def _restyle(label: QLabel, css: str) -> None:
    """Set a style sheet only when it differs: each set re-polishes the widget."""
    if label.styleSheet() != css:
        label.setStyleSheet(css)


class PreviewPanel(QWidget):
    """Subtotals, total, penalties and final band of the selected agency."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(SIDE_SPACING)  # lines of one panel: all twelve months fit at 1366×768
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(self.title)
        self.groups = QGridLayout()
        self.groups.setHorizontalSpacing(10)
        self._group_labels: list[tuple[ElidedLabel, QLabel]] = []  # (name, points) per group row
        layout.addLayout(self.groups)
        self.total = QLabel()
        self.total.setStyleSheet("font-size: 22px; font-weight: bold;")
        layout.addWidget(self.total)
        self.base = QLabel()
        self.base.setStyleSheet("font-size: 14px;")
        layout.addWidget(self.base)
        self.penalties = QLabel()
        self.penalties.setWordWrap(True)
        self.penalties.setTextFormat(Qt.TextFormat.RichText)
        # Wrapped rich text under-reports its height in a box layout; let it grow to fit.
        self.penalties.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding)
        layout.addWidget(self.penalties)
        self.band = QLabel()
        self.band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.band.setWordWrap(True)
        # Room for two lines always, so the panel below does not jump when a band wraps.
        self.band.setMinimumHeight(2 * QFontMetrics(band_font()).lineSpacing() + 8)
        layout.addWidget(self.band)
        self.remaining = QLabel()
        self.remaining.setWordWrap(True)
        layout.addWidget(self.remaining)
        # One elided line (the whole text in the tooltip): the penalty panel below keeps its place
        # at 1366×768 whether or not the agency has previous results.
        self.previous = QLabel()
        self.previous.setStyleSheet("color: #444;")
        layout.addWidget(self.previous)
        layout.addStretch(1)

    def show_previous(self, lines: list[str]) -> None:
        """The agency's results of previous years on one line, newest first (hidden without any)."""
        text = self.tr("Năm trước — {years}").format(years="; ".join(lines)) if lines else ""
        metrics = QFontMetrics(self.previous.font())
        width = max(self.previous.width(), 200)
        self.previous.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
        self.previous.setToolTip(text)
        self.previous.setVisible(bool(lines))

    def show_detail(self, detail: AgencyDetail | None) -> None:
        """Render the scorecard of an agency (or nothing). Only what differs from what is shown
        changes: an edit usually changes a subtotal, the total and a line or two."""
        if detail is None:
            self._clear_groups()
            for label in (self.title, self.total, self.base, self.penalties, self.band, self.remaining):
                label.clear()
            _restyle(self.band, "")  # no band colour without a band
            return
        card = detail.scorecard
        self.title.setText(self.tr("Xếp loại dự kiến — Phụ lục {c}").format(c=detail.agency.category))
        self._show_groups(card.groups)
        self.total.setText(
            self.tr("Tổng: {t} / {m}").format(t=format_points(card.total), m=format_points(card.maximum))
        )
        rating = card.rating
        if card.conflicts:
            self.base.setText(
                self.tr("Chưa xếp loại: còn xung đột ({c}).").format(c=", ".join(card.conflicts[:6]))
            )
            self.penalties.clear()
            self._band_text(None, self.tr("CÓ XUNG ĐỘT — Tổ trưởng cần giải quyết"))
        elif rating is not None and all(row.points is None for row in card.rows.values()):
            # Nothing scored yet: no band to alarm anyone with (the list says "Chưa chấm" too).
            self.base.setText(self.tr("Chưa chấm tiêu chí nào."))
            self.penalties.setText(penalty_html(rating.findings[1:]))  # what is known already
            self._band_text(None, self.tr("CHƯA CHẤM"))
        elif rating is not None:
            self.base.setText(self.tr("Xếp loại theo điểm: {b}").format(b=rating.base_band.value))
            # A fact not recorded yet comes as an UNCHECKED finding from the domain.
            self.penalties.setText(penalty_html(rating.findings[1:]))
            view = band_view(card, detail.status, detail.conflicts)
            self._band_text(
                view.band or view.provisional,
                self.tr("XẾP LOẠI: {b}").format(b=view.label.upper() if view.final else view.working_label()),
            )
        if card.unscored:
            labels = unscored_labels(card)
            self.remaining.setText(
                self.tr("Chưa chấm đủ ({n} tiêu chí): {codes}").format(
                    n=len(card.unscored_criteria),  # the list names the criteria it counts
                    codes=", ".join(labels[:12]) + ("…" if len(labels) > 12 else ""),
                )
            )
            _restyle(self.remaining, "color: #8a5300; font-weight: bold;")
        elif detail.missing_reasons:
            self.remaining.setText(
                self.tr("Cần ghi lý do chênh lệch: {codes}").format(
                    codes=", ".join(detail.missing_reasons[:12])
                )
            )
            _restyle(self.remaining, "color: #8a5300; font-weight: bold;")
        else:
            self.remaining.setText(self.tr("Đã chấm đủ mọi tiêu chí."))
            _restyle(self.remaining, "color: #1b5e20;")

    def _band_text(self, band: Band | None, text: str) -> None:
        self.band.setText(text)
        _restyle(self.band, band_css(band) + BAND_FONT_CSS)

    def _show_groups(self, groups: tuple[GroupScore, ...]) -> None:
        """One line per group (the name cut to fit, whole in its tooltip and in the checklist):
        the labels are kept and retexted while the groups stay the same."""
        if len(self._group_labels) != len(groups):
            self._clear_groups()
            for row in range(len(groups)):
                name, value = ElidedLabel(), QLabel()
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.groups.addWidget(name, row, 0)
                self.groups.addWidget(value, row, 1)
                self._group_labels.append((name, value))
        for (name, value), group in zip(self._group_labels, groups, strict=True):
            name.setText(f"{group.code}. {group.name}")
            name.setToolTip(name.text())
            value.setText(f"{format_points(group.points)} / {format_points(group.maximum)}")

    def _clear_groups(self) -> None:
        self._group_labels.clear()
        while self.groups.count():
            item = self.groups.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # deleteLater runs later: hide now so old labels never overlap new ones
                widget.deleteLater()


class FactsPanel(QGroupBox):
    """Penalty facts: report dates, report attached, monthly portal news counts."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Dữ kiện xét hạ bậc"))
        self.controller = controller
        self.agency_id: str | None = None
        self._loading = False
        self._recorded_sent: str | None = None
        self._visit_day: date | None = None
        self.today = date.today()
        self._recorded_months: dict[int, int | None] = {}
        self._asked: set[date] = set()  # days the clerk already confirmed: asked once only
        self._asking = False
        self._shown: tuple[object, ...] | None = None  # what show_detail last showed (_facts_key)
        form = QFormLayout(self)
        form.setVerticalSpacing(SIDE_SPACING)
        self.sent = date_box()
        self.sent_known = QCheckBox(self.tr("Đã gửi, ngày:"))
        row = QHBoxLayout()
        row.addWidget(self.sent_known)
        row.addWidget(self.sent, 1)
        form.addRow(row)
        self.days_late = QLabel()
        self.days_late.setWordWrap(True)
        form.addRow(self.days_late)
        self.attached = QCheckBox(self.tr("Có kèm báo cáo kết quả"))
        form.addRow(self.attached)
        self.quota = QLabel()
        self.quota.setWordWrap(True)
        form.addRow(self.quota)
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(SIDE_SPACING)
        self.months: list[QSpinBox] = []
        for month in range(1, 13):
            box = QSpinBox()
            box.setRange(-1, 999)
            box.setSpecialValueText("—")
            box.setToolTip(self.tr("Số tin, bài tháng {m}").format(m=month))
            box.setAccessibleName(self.tr("Tháng {m}").format(m=month))
            box.editingFinished.connect(lambda m=month: self._month_changed(m))
            # Six months a row, no arrow buttons (↑/↓ still step): all twelve fit at 1366×768.
            box.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
            box.setAlignment(Qt.AlignmentFlag.AlignRight)
            label = QLabel(self.tr("T{m}").format(m=month))
            grid.addWidget(label, (month - 1) // 6 * 2, (month - 1) % 6)
            grid.addWidget(box, (month - 1) // 6 * 2 + 1, (month - 1) % 6)
            self.months.append(box)
        form.addRow(grid)
        self.short = QLabel()
        self.short.setWordWrap(True)
        self.short.setMinimumHeight(2 * self.short.fontMetrics().lineSpacing())  # no jump on wrap
        form.addRow(self.short)
        self.sent_known.toggled.connect(self._sent_toggled)
        # Written when the date is done (Enter, Tab, leaving the field, a click in the calendar),
        # not on every keystroke: "08/11" on the way to "08/12" is not a fact to record.
        self.sent.editingFinished.connect(self._sent_changed)
        self.sent.calendarWidget().clicked.connect(lambda _day: self._sent_changed())
        self.attached.toggled.connect(self._attached_changed)

    def show_detail(self, detail: AgencyDetail | None) -> None:
        """Show an agency's facts; the same facts already shown are left as they are (a score
        edit changes none of them, and a month being typed is not overwritten)."""
        shown = _facts_key(detail)
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        self._loading = True
        try:
            self.agency_id = detail.agency.id if detail else None
            self.setEnabled(detail is not None and not detail.signed)
            self.setVisible(detail is not None)  # no facts of an agency that is not selected
            if detail is None:
                return
            facts = detail.facts
            sent = facts.report_sent or facts.report_received
            self._recorded_sent = facts.report_sent.isoformat() if facts.report_sent else None
            self._visit_day = detail.visit.date
            # Only a recorded sent day fills the field: never the deadline, today or the day
            # it was received (the timing line below still says what the rating counts).
            self.sent_known.setChecked(facts.report_sent is not None)
            self.sent.setEnabled(facts.report_sent is not None)
            self.sent.set_day(facts.report_sent)
            deadline = format_day(facts.deadline) or "—"
            if sent is None:
                timing = self.tr("chưa ghi ngày gửi báo cáo, chưa xét được gửi muộn")
            elif facts.days_late is None:
                timing = self.tr("đợt chưa có hạn gửi, chưa xét được gửi muộn")
            elif facts.days_late:
                timing = self.tr("muộn {n} ngày").format(n=facts.days_late)
            else:
                timing = self.tr("gửi đúng hạn")
            self.days_late.setText(self.tr("Hạn gửi: {d} — {t}").format(d=deadline, t=timing))
            self.attached.setChecked(facts.report_attached)
            self.quota.setText(
                self.tr("Tin, bài trên Cổng TTĐT Đảng bộ tỉnh (định mức {q} mỗi tháng):").format(
                    q=facts.portal_quota
                )
            )
            for box, count in zip(self.months, facts.portal_counts, strict=True):
                box.setValue(-1 if count is None else count)
            self._recorded_months = dict(enumerate(facts.portal_counts, start=1))
            self.short.setText(self._portal_text(detail.scorecard.facts))
        finally:
            self._loading = False

    def _portal_text(self, facts: PenaltyFacts) -> str:
        """Months short of the quota and months not entered, counted as the rating counts them.

        An empty month is neither short nor enough. With no quota (0) no month can fall short,
        so an empty month decides nothing and is not reported as missing: the reason line then
        reads "Đã kiểm tra: 0 tháng…", and so does this line.
        """
        short = facts.portal_short_months
        unentered = facts.portal_unentered_months  # 0 when the quota is 0
        if facts.portal_quota <= 0:
            return self.tr("Định mức 0 tin, bài mỗi tháng: không có tháng nào thiếu định mức.")
        if short:
            text = self.tr("Tháng thiếu tin, bài so với định mức: {m}").format(
                m=", ".join(f"T{m}" for m in short)
            )
        elif unentered == len(facts.portal_counts):
            return self.tr("Chưa nhập số tin, bài tháng nào (chưa nhập {n} tháng).").format(n=unentered)
        elif unentered:
            text = self.tr("Các tháng đã nhập đều đạt định mức")
        else:
            return self.tr("Không có tháng nào thiếu định mức.")
        if unentered:
            text += self.tr("; chưa nhập {n} tháng.").format(n=unentered)
        return text

    def _write(self, changes: Callable[[Workspace, str], list[Change]], text: str) -> None:
        """Record what a service setter makes (its checks apply, as in the command line)."""
        if self._loading or self.agency_id is None:
            return
        try:
            push_changes(self.controller, changes(self.controller.ws, self.agency_id), text)
        except USER_ERRORS as error:
            QMessageBox.warning(self, self.tr("Không lưu được"), str(error))
            self._shown = None  # the boxes hold the refused value: show the recorded ones again
            self.show_detail(self.controller.ws.detail(self.agency_id))

    def _sent_toggled(self, checked: bool) -> None:
        if self._loading or self.agency_id is None:
            return
        self.sent.setEnabled(checked)
        if not checked:
            self.sent.set_day(None)  # ticked again, it starts empty: a stale day is not kept
        elif self.sent.day() is None:
            self.sent.setFocus()  # the day is typed next; nothing is recorded until it is
            return
        self._sent_changed()

    def _sent_changed(self) -> None:
        if self._loading or self.agency_id is None or self._asking:
            return
        day = self.sent.day() if self.sent_known.isChecked() else None
        value = day.isoformat() if day else None
        if value == self._recorded_sent:
            return  # nothing new: leaving the field must not write an edit
        if day is not None and not self._confirm_day(day):
            recorded = date.fromisoformat(self._recorded_sent) if self._recorded_sent else None
            self.sent.set_day(recorded)
            return
        self._recorded_sent = value
        self._write(
            lambda ws, agency_id: svc.report_changes(ws, agency_id, sent=day), self.tr("Ngày gửi báo cáo")
        )

    def _confirm_day(self, day: date) -> bool:
        """A sent day after the visit or after today is asked about, once per day."""
        late = [
            text.format(d=format_day(limit))
            for text, limit in (
                (self.tr("sau ngày thẩm định {d}"), self._visit_day),
                (self.tr("sau hôm nay {d}"), self.today),
            )
            if limit is not None and day > limit
        ]
        if not late or day in self._asked:
            return True
        when = self.tr(" và ").join(late)
        self._asking = True  # the question takes the focus: that is not the end of the typing
        try:
            answer = QMessageBox.question(
                self,
                self.tr("Ngày gửi báo cáo"),
                self.tr("Ngày gửi {d} {w}. Vẫn ghi ngày này?").format(d=format_day(day), w=when),
            )
        finally:
            self._asking = False
        self._asked.add(day)
        return answer == QMessageBox.StandardButton.Yes

    def _attached_changed(self, checked: bool) -> None:
        if self.agency_id is not None and not self._loading:
            self._write(
                lambda ws, agency_id: svc.report_changes(ws, agency_id, attached=checked),
                self.tr("Kèm báo cáo"),
            )

    def _month_changed(self, month: int) -> None:
        if self.agency_id is None:
            return
        value = self.months[month - 1].value()
        count = None if value < 0 else value
        if month in self._recorded_months and self._recorded_months[month] == count:
            return  # Tab through an unchanged month: no edit, no undo step that does nothing
        self._recorded_months[month] = count
        self._write(
            lambda ws, agency_id: svc.portal_changes(ws, agency_id, {month: count}),
            self.tr("Tin, bài tháng {m}").format(m=month),
        )


def _facts_key(detail: AgencyDetail | None) -> tuple[object, ...] | None:
    """Everything FactsPanel.show_detail reads from a detail."""
    if detail is None:
        return None
    return (detail.agency.id, detail.signed, detail.facts, detail.visit.date, detail.scorecard.facts)
