"""Qt's own buttons speak Vietnamese too (Qt ships no Vietnamese translation)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from ictappraise.ui.launch import application


def test_standard_buttons_are_vietnamese(qtbot) -> None:  # noqa: ANN001
    application()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {
        box.button(b).text()
        for b in (QDialogButtonBox.StandardButton.Close, QDialogButtonBox.StandardButton.Cancel)
    }
    assert texts == {"Đóng", "Hủy"}
