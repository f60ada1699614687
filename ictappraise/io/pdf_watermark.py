"""A large diagonal warning on every page (docs/rules.md §9: printed fingerprints never lie).

Minutes whose stored fingerprint no longer matches the data are printed with
"KHÔNG KHỚP VỚI BẢN ĐÃ KÝ" across each page, so no one can take them for the version both
sides signed. Used as ``build_pdf``'s ``on_page`` hook.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from ictappraise.io.pdf_fonts import FontSet
from ictappraise.io.pdf_layout import PAGE_HEIGHT, PAGE_WIDTH, nfc

OnPage = Callable[[Canvas, BaseDocTemplate], None]


def watermark(text: str, fonts: FontSet) -> OnPage:
    """An on_page hook drawing ``text`` corner to corner, red and half transparent."""
    shown = fonts.clean(nfc(text))
    angle = math.degrees(math.atan2(PAGE_HEIGHT, PAGE_WIDTH))
    room = 0.85 * math.hypot(PAGE_WIDTH, PAGE_HEIGHT)
    size = min(90.0, room / max(stringWidth(shown, fonts.bold, 1), 1))

    def draw(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        # Darker than the draft mark: this one must be seen on a photocopy too.
        canvas.setFillColor(colors.Color(0.8, 0.05, 0.05, alpha=0.35))
        canvas.setFont(fonts.bold, size)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(angle)
        canvas.drawCentredString(0, -size / 3, shown)
        canvas.restoreState()

    return draw
