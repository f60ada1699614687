"""Qt's own buttons speak Vietnamese too (Qt ships no Vietnamese translation)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from ictappraise.ui.launch import application


def test_standard_buttons_are_vietnamese(qtbot) -> None:
    application()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {
        box.button(b).text()
        for b in (QDialogButtonBox.StandardButton.Close, QDialogButtonBox.StandardButton.Cancel)
    }
    assert texts == {"Đóng", "Hủy"}


def test_the_non_native_file_dialog_is_vietnamese(qtbot, tmp_path) -> None:
    """Linux uses Qt's own file dialog: its labels, tooltips, column headers and menus in Vietnamese."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QLabel, QToolButton, QTreeView

    application()
    dialog = QFileDialog(None, "Mở tệp dữ liệu", str(tmp_path), "Tệp dữ liệu (*.db)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()

    def label(name: str) -> str:
        return dialog.findChild(QLabel, name).text().replace("&", "")

    assert label("lookInLabel") == "Tìm trong:"
    assert label("fileNameLabel") == "Tên tệp:"
    assert label("fileTypeLabel") == "Loại tệp:"
    tips = {dialog.findChild(QToolButton, name).toolTip() for name in ("listModeButton", "detailModeButton")}
    assert tips == {"Dạng danh sách", "Dạng chi tiết"}
    tree = dialog.findChild(QTreeView, "treeView")
    model = tree.model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers == ["Tên", "Dung lượng", "Loại", "Ngày sửa"]
    assert [a.text() for a in tree.header().actions()][:3] == [
        "Hiện cột Dung lượng",
        "Hiện cột Loại",
        "Hiện cột Ngày sửa",
    ]
    assert tree.accessibleName() == "Các tệp"


def test_the_save_dialog_has_one_access_key_per_field(qtbot, tmp_path) -> None:
    """Alt+letter must reach one field: «&Loại tệp» and «&Lưu» both took Alt+L."""
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

    application()
    dialog = QFileDialog(None, "Lưu báo cáo", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    widgets = [*dialog.findChildren(QLabel), *dialog.findChildren(QAbstractButton)]
    texts = [w.text() for w in widgets if w.isVisible() and "&" in w.text().replace("&&", "")]
    keys = [text[text.index("&") + 1].casefold() for text in texts]
    assert len(texts) >= 4, texts
    assert len(keys) == len(set(keys)), texts


def test_the_print_dialog_is_vietnamese(qtbot) -> None:
    """Qt's own print dialog: "Printer", "Properties", "Print to File (PDF)", "Options >>"."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel

    application()
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = {w.text().replace("&", "") for w in dialog.findChildren(QAbstractButton)}
    texts |= {w.text().replace("&", "") for w in dialog.findChildren(QLabel)}
    texts |= {w.title() for w in dialog.findChildren(QGroupBox)}
    names = {combo.itemText(i) for combo in dialog.findChildren(QComboBox) for i in range(combo.count())}
    assert {"Máy in", "Thuộc tính", "Tùy chọn >>", "In"} <= texts
    assert "In ra tệp (PDF)" in names
    english = {"Printer", "Properties", "Options >>", "Print", "Cancel"}
    assert not english & texts
    assert "Print to File (PDF)" not in names


def test_the_calendar_speaks_vietnamese(qtbot) -> None:
    from PySide6.QtCore import QDate, QLocale
    from PySide6.QtWidgets import QCalendarWidget

    application()
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.setSelectedDate(QDate(2022, 11, 27))
    assert calendar.locale().language() == QLocale.Language.Vietnamese
    assert calendar.locale().standaloneMonthName(11) != "November"
    assert "tháng" in calendar.locale().standaloneMonthName(11).lower()
    assert calendar.locale().dayName(1, QLocale.FormatType.ShortFormat) != "Mon"
