"""Help shows the round's own thresholds and the decided points of docs/rules.md §4."""

from __future__ import annotations

from ictappraise.services import round_admin
from ictappraise.ui.dialogs.help import RulesHelpDialog


def test_rules_help_follows_the_round(lead_ws, qtbot):
    round_admin.set_thresholds(lead_ws, 7, tot=360, kha=310, trung_binh=260)
    dialog = RulesHelpDialog(lead_ws)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert "750–800" in text and "700 đến dưới 750" in text and "dưới 650" in text
    assert "360–400" in text and "dưới 260" in text  # the changed thresholds of Phụ lục 7
    assert "30/11/2022" in text and "4 tin, bài mỗi tháng" in text
    for decided in ("một lần", "6,67", "Chưa chấm không phải 0 điểm", "760 điểm", "cùng thứ hạng", "giữ lại"):
        assert decided in text
    # A penalty whose data is missing: said, never lowers the band, enter the data before signing.
    assert "«Chưa kiểm tra được»" in text and "không bao giờ làm hạ bậc" in text
    assert "nhập đủ dữ kiện trước khi ký" in text
    dialog.show()
