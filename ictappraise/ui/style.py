"""Colours and fonts of bands and states: colour always paired with text, never alone."""

from __future__ import annotations

from PySide6.QtGui import QColor

from ictappraise.domain.rating import Band

BAND_BACKGROUND = {
    Band.TOT: QColor("#d8f0d8"),
    Band.KHA: QColor("#dbe8f8"),
    Band.TRUNG_BINH: QColor("#fbefc9"),
    Band.YEU: QColor("#f7d4d4"),
}
BAND_FOREGROUND = {
    Band.TOT: QColor("#1b5e20"),
    Band.KHA: QColor("#0d47a1"),
    Band.TRUNG_BINH: QColor("#7a5200"),
    Band.YEU: QColor("#8e1616"),
}
CONFLICT_BACKGROUND = QColor("#ffd8a8")
ERROR_BACKGROUND = QColor("#ffd6d6")
MISSING_REASON_BACKGROUND = QColor("#fff0c2")
UNSCORED_FOREGROUND = QColor("#777777")
GROUP_BACKGROUND = QColor("#eef1f5")
OVERRIDE_FOREGROUND = QColor("#6a1b9a")


def band_css(band: Band | None) -> str:
    """Style sheet of a large band label."""
    if band is None:
        return "color: #555; background: #eeeeee; border-radius: 6px; padding: 6px;"
    return (
        f"color: {BAND_FOREGROUND[band].name()}; background: {BAND_BACKGROUND[band].name()};"
        " border-radius: 6px; padding: 6px;"
    )
