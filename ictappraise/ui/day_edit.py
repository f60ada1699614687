"""A date field that takes a date as it is typed: 5/12/2022, 05/12/2022, 5-12-2022, 05122022.

Qt's QDateEdit types into the section under the cursor (typing 05/12/2022 over 27/11/2022 with
the cursor in the day gave 27/12/2022) and Tab walks its sections. This is a line edit: the
whole text is read by domain.dates.parse_day when the field is done (Enter, Tab, leaving it),
Tab leaves the field, and Alt+↓ or the button opens a Vietnamese calendar.
"""

from __future__ import annotations

import datetime
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QWidget

from ictappraise.domain.dates import EXAMPLE, DayError, format_day, parse_day

INVALID_STYLE = "background: #ffecec;"


class DayEdit(QLineEdit):
    """One day or none; day_done(date | None) when a typed or picked day is settled."""

    day_done = Signal(object)
    dateChanged = Signal(QDate)  # as QDateEdit names it: any change, typed or set

    def __init__(self, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._day: date | None = None
        self.error = ""
        self.setPlaceholderText(empty_text or self.tr("ngày/tháng/năm"))  # not a date that looks entered
        self.setToolTip(
            self.tr("Gõ ngày/tháng/năm, ví dụ {e}, 5/12/2022 hoặc 05122022; Alt+↓: lịch.").format(e=EXAMPLE)
        )
        self._calendar = QCalendarWidget()
        self._calendar.setWindowFlags(Qt.WindowType.Popup)
        self._calendar.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        self._calendar.setGridVisible(True)
        self._calendar.clicked.connect(self._picked)
        self._calendar.activated.connect(self._picked)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        self.calendar_action = QAction(icon, self.tr("Chọn ngày trên lịch"), self)
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self._typed)

    # -- the value -------------------------------------------------------------------------
    def day(self) -> date | None:
        """The last valid day (None: empty); a wrong text never replaces it."""
        return self._day

    def set_day(self, day: date | None) -> None:
        """Show a day (None: empty) without announcing it."""
        changed = day != self._day
        self._day = day
        self._show_error("")
        self.setText(format_day(day))
        if changed:
            self.dateChanged.emit(self.date())

    def date(self) -> QDate:
        """The day as a QDate (invalid for none), as QDateEdit gives it."""
        day = self._day
        return QDate(day.year, day.month, day.day) if day else QDate()

    # Below the method date(), "date" names the method: annotations say datetime.date.
    def setDate(self, value: QDate | datetime.date | None) -> None:  # as QDateEdit names it
        """Show a day given as QDate or date (an invalid QDate or None: empty)."""
        if isinstance(value, QDate):
            valid = value.isValid()
            value = datetime.date(value.year(), value.month(), value.day()) if valid else None
        self.set_day(value)

    def calendarWidget(self) -> QCalendarWidget:  # as QDateEdit names it
        return self._calendar

    def setReadOnly(self, read_only: bool) -> None:  # Qt override
        super().setReadOnly(read_only)
        self.calendar_action.setVisible(not read_only)

    # -- typing and picking ----------------------------------------------------------------
    def _typed(self) -> None:
        text = self.text().strip()
        try:
            day = parse_day(text) if text else None
        except DayError as error:
            self._show_error(str(error))  # the wrong text stays to be corrected; nothing is saved
            return
        self._show_error("")
        self.setText(format_day(day))
        self._settle(day)

    def _picked(self, picked: QDate) -> None:
        self._calendar.hide()
        day = date(picked.year(), picked.month(), picked.day())
        self._show_error("")
        self.setText(format_day(day))
        self.setFocus()
        self._settle(day)

    def _settle(self, day: datetime.date | None) -> None:
        if day != self._day:
            self._day = day
            self.dateChanged.emit(self.date())
            self.day_done.emit(day)

    def _show_error(self, message: str) -> None:
        self.error = message
        self.setStyleSheet(INVALID_STYLE if message else "")
        if message:
            self.setToolTip(message)

    def show_calendar(self) -> None:
        """Open the calendar under the field, on the shown day (else today)."""
        if self.isReadOnly():
            return
        shown = self._day or date.today()
        self._calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self._calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._calendar.show()
        self._calendar.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        opens = event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if opens:
            self.show_calendar()
            return
        super().keyPressEvent(event)
