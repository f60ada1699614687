"""Helpers for the PDF tests: text as a reader copies it out, text positions in millimetres."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from ictappraise.services.trust import signer_for
from ictappraise.services.workspace import Actor, Workspace
from ictappraise.store.database import open_database

MM = 72 / 25.4


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces (line breaks in table cells do not matter)."""
    return re.sub(r"\s+", " ", text).strip()


def page_texts(path: Path | bytes) -> list[str]:
    """The text of every page, as pypdf extracts it."""
    from io import BytesIO

    source = BytesIO(path) if isinstance(path, bytes) else str(path)
    return [page.extract_text() for page in PdfReader(source).pages]


def full_text(path: Path | bytes) -> str:
    """All pages' text, squashed; asserted to be NFC (what a Vietnamese reader copies)."""
    text = squash(" ".join(page_texts(path)))
    assert unicodedata.is_normalized("NFC", text)
    return text


def positions(path: Path, page_number: int) -> list[tuple[float, float, str]]:
    """(x mm, y mm from the bottom, text) of every text run drawn on a page."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x / MM, y / MM, text.strip()))

    PdfReader(str(path)).pages[page_number].extract_text(visitor_text=visit)
    return found


def acting(db_path: Path, name: str, device: str = "test-device") -> Workspace:
    """A Workspace on a database file acting as a demo member (the caller closes ws.db)."""
    ws = Workspace(open_database(db_path))
    member = ws.find_member(name)
    assert member is not None, name
    ws.actor = Actor(member.id, device, member.name, member.role, signer_for(ws, member.id))
    return ws


def fonts_embedded(path: Path) -> dict[str, bool]:
    """Every font the PDF uses and whether it is embedded (what ``pdffonts`` lists as "emb")."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts
