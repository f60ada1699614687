"""The minutes of a visit inside the app: preview (QtPdf) with zoom, print, save, sign, reopen.

Zoom is ui/pdf_zoom.py; minutes of many agencies at once, ui/minutes_batch.py.

The dialog asks its questions through small methods (ask_save_path, ask_printer, ask_reason,
ask_pkcs12, ask_confirm_sign, show_error) so tests replace them without real dialogs. Laying out many minutes
runs on a worker thread with plain data (MinutesDoc), never widgets; the GUI thread only reads
the database, which takes a few milliseconds per agency.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import (
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services import minutes
from ictappraise.services.appraisal import (
    is_lead,
    may_record_signing,
    problems_text,
    readiness_problems,
    unchecked_rules,
)
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.remarks import catalog_warning, dropped_notes, remark_warnings
from ictappraise.services.workspace import Workspace
from ictappraise.ui.pdf_zoom import PdfZoom
from ictappraise.ui.required_lines import RequiredLinesBox

PRINT_DPI = 300  # enough for 14 pt text; a page image stays ≈ 25 MB at most


# Zoom: the preset steps of common PDF viewers; 1.0 = the page at its paper size (QPdfView's unit).
class MinutesDialog(QDialog):
    """Preview of an agency's minutes with Print, Save as PDF, Sign and Reopen."""

    status_changed = Signal(str)  # agency id, after signing or reopening

    def __init__(self, ws: Workspace, agency_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.agency_id = agency_id
        self._folder = Path(tempfile.mkdtemp(prefix="ictappraise-minutes-"))
        self.pdf_path: Path | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setDocument(self.document)
        self.zoom = PdfZoom(self.view, self)
        self.document.statusChanged.connect(self.zoom.sync)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.print_button = QPushButton(self.tr("In…"), self)
        self.save_button = QPushButton(self.tr("Lưu PDF…"), self)
        self.digital_button = QPushButton(self.tr("Lưu và ký số…"), self)
        self.sign_button = QPushButton(self.tr("Ghi nhận đã ký"), self)
        self.reopen_button = QPushButton(self.tr("Mở lại biên bản…"), self)
        self.required = RequiredLinesBox(ws, agency_id, self)
        self.required.changed.connect(self.reload)  # the minutes print or omit the line
        self._layout()
        self.print_button.clicked.connect(lambda: self.print_document())
        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.digital_button.clicked.connect(lambda: self.save_signed_pdf())
        self.sign_button.clicked.connect(lambda: self.sign_minutes())
        self.reopen_button.clicked.connect(lambda: self.reopen_minutes())
        self.resize(900, 1000)
        self.reload()

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.print_button, self.save_button, self.digital_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.reopen_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.required)
        layout.addLayout(self.zoom.buttons(self))
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)

    # -- intents (tests replace these) ----------------------------------------------------------
    def ask_save_path(self, suggested: str) -> Path | None:
        """Where to save the PDF (None: the user cancelled)."""
        from ictappraise.ui.dialogs.common import ask_save_file

        return ask_save_file(self, self.tr("Lưu biên bản"), suggested, self.tr("Tệp PDF (*.pdf)"))

    def ask_printer(self) -> QPrinter | None:
        """A printer chosen in the system's print dialog (None: cancelled)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("In biên bản"))
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_reason(self) -> str | None:
        """The reason for reopening signed minutes (None: cancelled)."""
        text, accepted = QInputDialog.getMultiLineText(
            self, self.tr("Mở lại biên bản"), self.tr("Lý do mở lại (được lưu trong lịch sử thay đổi):")
        )
        return text if accepted else None

    def ask_pkcs12(self) -> tuple[Path, str] | None:
        """A PKCS#12 certificate file and its password (None: cancelled)."""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn chứng thư số"), "", self.tr("Chứng thư số (*.p12 *.pfx)")
        )
        if not name:
            return None
        password, accepted = QInputDialog.getText(
            self, self.tr("Mật khẩu chứng thư số"), self.tr("Mật khẩu:"), QLineEdit.EchoMode.Password
        )
        return (Path(name), password) if accepted else None

    def ask_confirm_sign(self, agency_name: str) -> bool:
        """Whether the user really records the paper minutes as signed (Hủy is the default)."""
        box = self.sign_confirmation(agency_name)
        box.exec()
        clicked = box.clickedButton()
        confirmed = clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole
        box.deleteLater()
        return confirmed

    def sign_confirmation(self, agency_name: str) -> QMessageBox:
        """The question before signing: what gets locked and who can reopen."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Ghi nhận biên bản đã ký"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.tr("Ghi nhận biên bản thẩm định của {name} đã được ký?").format(name=agency_name))
        text = self.tr(
            "Sau khi ghi nhận, điểm, dữ kiện điểm liệt, thông tin buổi thẩm định và tệp minh chứng "
            "của đơn vị bị khóa, không sửa được nữa. Chỉ Tổ trưởng mới mở lại được biên bản, và phải "
            "ghi lý do.\n\nChỉ bấm «Ghi nhận đã ký» khi hai bên đã ký trên bản giấy."
        )
        sample = catalog_warning(self.ws.detail(self.agency_id))
        notes = [note for note in (sample, self._unchecked_note(), self._remarks_note()) if note]
        box.setInformativeText("\n\n".join([*notes, text]))
        box.addButton(self.tr("Ghi nhận đã ký"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)  # Enter must not sign by accident
        box.setEscapeButton(cancel)
        return box

    def _remarks_note(self) -> str:
        """Remarks the table contradicts or leaves out, and required lines dropped, said before
        signing; "" if none."""
        detail = self.ws.detail(self.agency_id)
        notes = []
        lines = remark_warnings(detail)
        if lines:
            notes.append(self.tr("Lưu ý về phần nhận xét:") + "\n" + "\n".join("– " + line for line in lines))
        dropped = dropped_notes(detail)
        if dropped:
            notes.append(
                self.tr("Biên bản không in các ý Hạn chế bắt buộc sau (đã bỏ, có lý do):")
                + "\n"
                + "\n".join("– " + line for line in dropped)
            )
        return "\n\n".join(notes)

    def _unchecked_note(self) -> str:
        """Penalty rules not checked yet (a fact not recorded), said before signing; "" if none.

        Not a reason to refuse (docs/rules.md §7), but signing locks the facts: the band stays as it
        is now, as if the rule did not apply.
        """
        lines = unchecked_rules(self.ws.detail(self.agency_id).scorecard)
        if not lines:
            return ""
        items = []
        for finding in lines:
            what = finding.detail.strip()
            items.append("– " + what[:1].upper() + what[1:])
        return (
            self.tr("Lưu ý: còn điều kiện hạ bậc chưa kiểm tra được:")
            + "\n"
            + "\n".join(items)
            + "\n"
            + self.tr(
                "Ghi nhận đã ký thì xếp loại hiện tại được giữ nguyên (các điều kiện trên không làm "
                "hạ bậc). Nên nhập đủ dữ kiện trước khi ký."
            )
        )

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, self.tr("Không thực hiện được"), text)

    def show_info(self, text: str) -> None:
        QMessageBox.information(self, self.tr("Biên bản thẩm định"), text)

    # -- state ----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Lay the minutes out again from the current data and show them."""
        detail = self.ws.detail(self.agency_id)
        self.setWindowTitle(self.tr("Biên bản thẩm định — {name}").format(name=detail.agency.name))
        self.document.close()
        self.pdf_path = None
        self.required.reload()  # signing locks the lines, reopening frees them
        try:
            data = minutes.minutes_pdf(self.ws, self.agency_id)
        except USER_ERRORS as error:
            self.status_label.setText(str(error))
            self.status_label.setToolTip("")
            self._enable(detail.signed, printable=False)
            return
        # A new file name each time: QPdfDocument may keep the previous file open.
        path = self._folder / f"preview-{len(list(self._folder.iterdir()))}.pdf"
        path.write_bytes(data)
        self.document.load(str(path))
        self.pdf_path = path
        self.status_label.setText(self._status_text(detail.signed))
        shows_code = detail.signed or self._can_sign(detail.signed)
        self.status_label.setToolTip(self._check_code_tooltip() if shows_code else "")
        self._enable(detail.signed, printable=True)

    def _status_text(self, signed: bool) -> str:
        detail = self.ws.detail(self.agency_id)
        revision, print_ = minutes.stamp_of(detail)
        if signed:
            text = self.tr("Đã ký (lần lập {r}): điểm của đơn vị đã khóa.").format(r=revision)
            return text + " " + self._check_code_text(print_)
        problems = readiness_problems(self.ws, self.agency_id)
        if problems:
            return problems_text(self.tr("Dự thảo — chưa ký được"), problems)
        # The agency's status first, in the main window's words: after a reopen it is "Đang thẩm
        # định" there and here, and the minutes can still be signed once printed again.
        text = self.tr("{s} — sẵn sàng ký (lần lập {r}). In, ký trên giấy, rồi bấm «Ghi nhận đã ký».").format(
            s=self.tr(detail.status_label), r=revision
        )
        text += " " + self._check_code_text(print_)
        sample = catalog_warning(self.ws.detail(self.agency_id))
        if sample:
            text += " " + sample
        remark_lines = remark_warnings(self.ws.detail(self.agency_id))
        if remark_lines:
            text += " " + self.tr("Lưu ý: {n} điểm trong phần nhận xét chưa khớp với bảng điểm.").format(
                n=len(remark_lines)
            )
        unchecked = unchecked_rules(self.ws.detail(self.agency_id).scorecard)
        if unchecked:
            text += " " + self.tr(
                "Lưu ý: còn {n} điều kiện hạ bậc chưa kiểm tra được (thiếu dữ kiện); nên nhập đủ trước khi ký."
            ).format(n=len(unchecked))
        return text

    def _check_code_text(self, print_: str) -> str:
        """The fingerprint said plainly: the code printed in the footer of every page."""
        return self.tr("Mã đối chiếu in ở chân trang biên bản: {f}.").format(f=print_)

    def _check_code_tooltip(self) -> str:
        return self.tr(
            "Mã đối chiếu do chương trình tính từ điểm, dữ kiện điểm liệt và thông tin buổi thẩm định "
            "của đơn vị, in ở chân mỗi trang biên bản. Dùng để đối chiếu: bản giấy mang đúng mã này "
            "là bản in từ chính dữ liệu này."
        )

    def _can_sign(self, signed: bool) -> bool:
        # Recording a signing is the lead's or the secretary's (domain.authority).
        return not signed and may_record_signing(self.ws) and not readiness_problems(self.ws, self.agency_id)

    def _enable(self, signed: bool, *, printable: bool) -> None:
        for button in (self.print_button, self.save_button, self.digital_button):
            button.setEnabled(printable)
        self.sign_button.setEnabled(printable and self._can_sign(signed))
        lead = is_lead(self.ws)  # the role derived from the edits (domain.authority)
        self.reopen_button.setEnabled(signed and lead)
        if not signed:
            tip = self.tr("Biên bản chưa ký nên không cần mở lại.")
        elif not lead:
            tip = self.tr("Chỉ Tổ trưởng mở lại được biên bản đã ký (phải ghi lý do).")
        else:
            tip = self.tr("Mở lại biên bản đã ký để sửa; phải ghi lý do, lý do được lưu trong lịch sử.")
        self.reopen_button.setToolTip(tip)

    # -- actions --------------------------------------------------------------------------------
    def save_pdf(self) -> Path | None:
        """Copy the minutes to a file the user chooses."""
        if self.pdf_path is None:
            return None
        agency = self.ws.agency(self.agency_id)
        target = self.ask_save_path(minutes.minutes_filename(agency))
        if target is None:
            return None
        try:
            shutil.copyfile(self.pdf_path, target)
        except OSError as error:
            self.show_error(
                self.tr("Không ghi được tệp {path}: {why}").format(path=target, why=error.strerror)
            )
            return None
        self.status_label.setText(self.tr("Đã lưu biên bản vào {path}").format(path=target))
        return target

    def save_signed_pdf(self) -> Path | None:
        """Save the minutes and sign the file with a PKCS#12 certificate."""
        from ictappraise.services.pdf_signatures import sign_pdf_pkcs12  # pyHanko loads only when used

        if self.pdf_path is None:
            return None
        choice = self.ask_pkcs12()
        if choice is None:
            return None
        target = self.ask_save_path(minutes.minutes_filename(self.ws.agency(self.agency_id)))
        if target is None:
            return None
        try:
            sign_pdf_pkcs12(self.pdf_path, target, choice[0], choice[1], location=self.ws.round_info().place)
        except USER_ERRORS as error:
            self.show_error(str(error))
            return None
        return target

    def print_document(self, printer: QPrinter | None = None) -> bool:
        """Print every page at the printer's resolution (the PDF already holds the margins)."""
        if self.pdf_path is None:
            return False
        printer = printer or self.ask_printer()
        if printer is None:
            return False
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            self.show_error(self.tr("Không mở được máy in."))
            return False
        try:
            target = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
            dpi = min(printer.resolution(), PRINT_DPI)
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                painter.drawImage(target, self.document.render(page, size))
        finally:
            painter.end()
        return True

    def sign_minutes(self) -> bool:
        """Record that both sides signed the paper minutes: the visit is locked.

        The user confirms first; minutes that cannot be signed get the reason, not the question.
        """
        detail = self.ws.detail(self.agency_id)
        if self._can_sign(detail.signed) and not self.ask_confirm_sign(detail.agency.name):
            return False
        try:
            revision, print_ = minutes.sign(self.ws, self.agency_id)
        except USER_ERRORS as error:
            self.show_error(str(error))
            return False
        self.reload()
        self.status_changed.emit(self.agency_id)
        self.show_info(
            self.tr("Đã ghi nhận biên bản đã ký (lần lập {r}).").format(r=revision)
            + " "
            + self._check_code_text(print_)
        )
        return True

    def reopen_minutes(self) -> bool:
        """The lead reopens signed minutes, with a reason."""
        reason = self.ask_reason()
        if reason is None:
            return False
        try:
            minutes.reopen(self.ws, self.agency_id, reason)
        except USER_ERRORS as error:
            self.show_error(str(error))
            return False
        self.reload()
        self.status_changed.emit(self.agency_id)
        return True

    def done(self, result: int) -> None:  # Qt override
        self.document.close()
        shutil.rmtree(self._folder, ignore_errors=True)
        super().done(result)


# -- batches ------------------------------------------------------------------------------------
