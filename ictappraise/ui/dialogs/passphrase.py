"""The passphrase of this laptop's key (docs/rules.md §9): asked when the key must first sign in
a session (kept in memory only), and set, changed or removed from the menu.

services.trust asks through the prompt installed here; a cancelled prompt writes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Q_ARG, QCoreApplication, QMetaObject, QObject, Qt, QThread, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services import trust
from ictappraise.services.errors import ServiceError
from ictappraise.ui.dialogs.common import dialog_buttons


def _secret_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(260)
    return field


def _problem_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


class PassphraseDialog(QDialog):
    """Asks for the passphrase of a key that must sign now."""

    def __init__(
        self, fingerprint: str, name: str, problem: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mật khẩu của khóa"))
        intro = QLabel(
            self.tr(
                "Khóa của {name} (vân tay {fingerprint}) có mật khẩu bảo vệ. Nhập mật khẩu để ký các thay đổi "
                "của phiên làm việc này; chương trình chỉ giữ khóa đã mở trong bộ nhớ, đến khi thoát."
            ).format(name=name or self.tr("người dùng"), fingerprint=fingerprint),
            self,
        )
        intro.setWordWrap(True)
        self.secret = _secret_field(self)
        self.problem = _problem_label(self)
        if problem:
            self.problem.setText(problem)
            self.problem.show()
        form = QFormLayout()
        form.addRow(self.tr("Mật khẩu:"), self.secret)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(dialog_buttons(self, self.tr("Mở khóa"), self.tr("Hủy (không ghi)")))
        self.setMinimumWidth(480)


def ask_passphrase(fingerprint: str, name: str, problem: str | None) -> str | None:
    """The passphrase typed, or None when the user cancels."""
    dialog = PassphraseDialog(fingerprint, name, problem, QApplication.activeWindow())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.secret.text()


class _Prompter(QObject):
    """Lives in the GUI thread: a write made in a worker thread asks through it and waits."""

    def __init__(self) -> None:
        super().__init__()
        self.answer: str | None = None

    @Slot(str, str, str)
    def ask(self, fingerprint: str, name: str, problem: str) -> None:
        self.answer = ask_passphrase(fingerprint, name, problem or None)

    def __call__(self, fingerprint: str, name: str, problem: str | None) -> str | None:
        if QThread.currentThread() is self.thread():
            self.ask(fingerprint, name, problem or "")
        else:
            QMetaObject.invokeMethod(
                self,
                "ask",
                Qt.ConnectionType.BlockingQueuedConnection,
                Q_ARG(str, fingerprint),
                Q_ARG(str, name),
                Q_ARG(str, problem or ""),
            )
        return self.answer


_prompter: _Prompter | None = None


def install_passphrase_prompt() -> None:
    """Make services.trust ask for passphrases with a dialog (once per program)."""
    global _prompter
    if _prompter is None:
        _prompter = _Prompter()
        app = QCoreApplication.instance()
        if app is not None:
            _prompter.moveToThread(app.thread())
    trust.set_passphrase_prompt(_prompter)


class KeyPassphraseDialog(QDialog):
    """Set, change or remove the passphrase of the key the user signs with on this laptop."""

    def __init__(
        self, public_key: str, fingerprint: str, encrypted: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.public_key, self.encrypted = public_key, encrypted
        self.setWindowTitle(self.tr("Mật khẩu khóa của tôi"))
        intro = QLabel(
            self.tr(
                "Khóa ký của bạn trên máy này (vân tay {fingerprint}) {state}. Mật khẩu bảo vệ khóa khi máy bị "
                "mất hoặc dùng chung; chương trình hỏi mật khẩu một lần mỗi phiên, khi cần ký. Quên mật khẩu "
                "thì không mở lại được khóa: Tổ trưởng phải công nhận một khóa mới. Để trống mật khẩu mới để "
                "bỏ mật khẩu."
            ).format(
                fingerprint=fingerprint,
                state=self.tr("đang có mật khẩu") if encrypted else self.tr("chưa có mật khẩu"),
            ),
            self,
        )
        intro.setWordWrap(True)
        self.current = _secret_field(self)
        self.new = _secret_field(self)
        self.again = _secret_field(self)
        self.problem = _problem_label(self)
        form = QFormLayout()
        if encrypted:
            form.addRow(self.tr("Mật khẩu hiện tại:"), self.current)
        else:
            self.current.hide()
        form.addRow(self.tr("Mật khẩu mới:"), self.new)
        form.addRow(self.tr("Nhập lại mật khẩu mới:"), self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(dialog_buttons(self, self.tr("Lưu mật khẩu"), self.tr("Hủy")))
        self.setMinimumWidth(520)

    def _show(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def accept(self) -> None:
        new, again = self.new.text(), self.again.text()
        if new != again:
            self._show(self.tr("Hai lần nhập mật khẩu mới không giống nhau."))
            return
        if not new and not self.encrypted:
            self._show(self.tr("Hãy nhập mật khẩu mới."))
            return
        if new and len(new) < trust.MIN_PASSPHRASE:
            self._show(self.tr("Mật khẩu mới cần ít nhất %1 ký tự.").replace("%1", str(trust.MIN_PASSPHRASE)))
            return
        try:
            trust.change_passphrase(self.public_key, self.current.text() if self.encrypted else None, new)
        except ServiceError as error:
            self._show(str(error))
            self.current.selectAll()
            self.current.setFocus()
            return
        super().accept()


def open_key_passphrase(parent: QWidget, ws: object) -> bool:
    """The menu action: the dialog for the key the acting member signs with; True when saved."""
    key = trust.my_key(ws)  # type: ignore[arg-type]
    title = QCoreApplication.translate("KeyPassphraseDialog", "Mật khẩu khóa của tôi")
    if key is None:
        QMessageBox.information(
            parent,
            title,
            QCoreApplication.translate(
                "KeyPassphraseDialog",
                "Máy này không giữ khóa riêng của người đang thao tác (ví dụ bản trình diễn dùng khóa mẫu), "
                "nên không có mật khẩu để đặt.",
            ),
        )
        return False
    dialog = KeyPassphraseDialog(key.public_key, key.fingerprint, key.encrypted, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    QMessageBox.information(
        parent, title, QCoreApplication.translate("KeyPassphraseDialog", "Đã lưu mật khẩu của khóa.")
    )
    return True
