"""Fonts for the PDF documents: Times New Roman, else a metric-compatible serif with Vietnamese.

Order (docs/rules.md §6): Times New Roman (the users' Windows laptops), Liberation Serif 2.x
(Debian fonts-liberation2), Tinos (fonts-croscore), DejaVu Serif (Vietnamese-capable but
wider: said once in the log). reportlab needs static TrueType files for the regular, bold
and italic faces. A face without Vietnamese letters is skipped (it would print boxes). The
choice can be forced by the ICTAPPRAISE_PDF_FONT environment variable or the pdf_font
setting: a family name, a regular .ttf file (its bold/italic siblings are found by the
usual file names), or "regular.ttf|bold.ttf|italic.ttf[|bolditalic.ttf]".
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

ENV_FONT = "ICTAPPRAISE_PDF_FONT"

#: Letters a Vietnamese document cannot do without (precomposed, as NFC text uses them).
VIETNAMESE = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"

#: Symbols the documents use, with a plain stand-in for a font that lacks them.
SYMBOL_FALLBACKS = {"→": "->", "≥": ">=", "≤": "<=", "…": "...", "–": "-", "—": "-", "«": '"', "»": '"'}

INSTALL_HINT = (
    "Hãy cài phông chữ Times New Roman (có sẵn trên Windows), hoặc trên Linux cài gói "
    "fonts-liberation2 (sudo apt-get install fonts-liberation2) hay fonts-dejavu; hoặc chỉ đường dẫn "
    "tệp phông chữ .ttf có dấu tiếng Việt trong cài đặt «pdf_font» (hay biến môi trường "
    f"{ENV_FONT})."
)


class FontError(ValueError):
    """No usable font with Vietnamese letters; the message says what to install."""


@dataclass(frozen=True)
class Family:
    """A known family: its name, whether it has Times metrics, and file names of its faces."""

    name: str
    metric_compatible: bool
    file_sets: tuple[tuple[str, str, str, str], ...]


FAMILIES = (
    Family(
        "Times New Roman",
        True,
        (
            ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),
            (
                "Times New Roman.ttf",
                "Times New Roman Bold.ttf",
                "Times New Roman Italic.ttf",
                "Times New Roman Bold Italic.ttf",
            ),
            (
                "Times_New_Roman.ttf",
                "Times_New_Roman_Bold.ttf",
                "Times_New_Roman_Italic.ttf",
                "Times_New_Roman_Bold_Italic.ttf",
            ),
        ),
    ),
    Family(
        "Liberation Serif",
        True,
        (
            (
                "LiberationSerif-Regular.ttf",
                "LiberationSerif-Bold.ttf",
                "LiberationSerif-Italic.ttf",
                "LiberationSerif-BoldItalic.ttf",
            ),
        ),
    ),
    Family(
        "Tinos", True, (("Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf", "Tinos-BoldItalic.ttf"),)
    ),
    Family(
        "DejaVu Serif",
        False,
        (
            (
                "DejaVuSerif.ttf",
                "DejaVuSerif-Bold.ttf",
                "DejaVuSerif-Italic.ttf",
                "DejaVuSerif-BoldItalic.ttf",
            ),
        ),
    ),
)

# Sibling names of a forced regular file: (regular suffix, bold, italic, bold italic).
_SIBLING_PATTERNS = (
    ("-Regular", "-Bold", "-Italic", "-BoldItalic"),
    ("", "bd", "i", "bi"),
    (" Regular", " Bold", " Italic", " Bold Italic"),
    ("", " Bold", " Italic", " Bold Italic"),
    ("", "-Bold", "-Italic", "-BoldItalic"),
    ("", "_Bold", "_Italic", "_Bold_Italic"),
)


@dataclass(frozen=True)
class FontFiles:
    """The files of one family: regular, bold, italic and (optional) bold italic."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path | None
    metric_compatible: bool


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names of the chosen family, ready for styles."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    metric_compatible: bool
    files: FontFiles
    missing_symbols: frozenset[str] = frozenset()

    def clean(self, text: str) -> str:
        """Replace the few symbols this font lacks by plain stand-ins (never boxes)."""
        for symbol in self.missing_symbols:
            text = text.replace(symbol, SYMBOL_FALLBACKS[symbol])
        return text


def font_dirs() -> list[Path]:
    """Folders where this system keeps fonts (Windows, macOS, Linux), existing ones only."""
    home = Path.home()
    candidates: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        candidates.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            candidates.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        candidates += [
            Path("/System/Library/Fonts/Supplemental"),
            Path("/Library/Fonts"),
            Path("/System/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    candidates += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]
    return [folder for folder in candidates if folder.is_dir()]


@functools.lru_cache(maxsize=8)
def _index(folders: tuple[Path, ...]) -> dict[str, Path]:
    """File name (lower case) → first path found, over the folders and their subfolders."""
    found: dict[str, Path] = {}
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if name.lower().endswith(".ttf"):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def find_fonts(preference: str | None = None, folders: Sequence[Path] | None = None) -> FontFiles:
    """The font files to use: the forced preference, else the first usable known family."""
    index = _index(tuple(folders if folders is not None else font_dirs()))
    if preference and preference.strip():
        return _forced(preference.strip(), index)
    skipped = []
    for family in FAMILIES:
        files = _family_files(family, index)
        if files is None:
            continue
        missing = missing_letters(files.regular)
        if missing:
            skipped.append(f"{family.name} ({files.regular}) thiếu chữ {missing[:10]}")
            logger.info("Font %s skipped: no Vietnamese letters %s", files.regular, missing[:10])
            continue
        return files
    detail = f" Đã thử: {'; '.join(skipped)}." if skipped else ""
    raise FontError(
        f"Không tìm thấy phông chữ có đủ dấu tiếng Việt để in tài liệu PDF.{detail} {INSTALL_HINT}"
    )


def _family_files(family: Family, index: dict[str, Path]) -> FontFiles | None:
    for names in family.file_sets:
        paths = [index.get(name.lower()) for name in names]
        if all(paths[:3]):
            regular, bold, italic, bold_italic = paths
            assert regular and bold and italic  # checked just above
            return FontFiles(family.name, regular, bold, italic, bold_italic, family.metric_compatible)
    return None


def _forced(preference: str, index: dict[str, Path]) -> FontFiles:
    """A family name, a regular .ttf (siblings by name) or explicit files separated by "|"."""
    known = next((f for f in FAMILIES if f.name.casefold() == preference.casefold()), None)
    if known is not None:
        files = _family_files(known, index)
        if files is None:
            raise FontError(
                f"Cài đặt pdf_font chọn phông «{preference}» nhưng máy này không có. {INSTALL_HINT}"
            )
        return _checked(files)
    parts = [Path(p.strip()).expanduser() for p in preference.split("|") if p.strip()]
    for part in parts:
        if not part.is_file():
            raise FontError(f"Cài đặt pdf_font chỉ tới tệp phông chữ không có: {part}. {INSTALL_HINT}")
    if len(parts) >= 3:
        regular, bold, italic = parts[:3]
        bold_italic = parts[3] if len(parts) > 3 else None
    else:
        regular = parts[0]
        bold, italic, bold_italic = _siblings(regular)
    name = regular.stem
    metric = any(word in name.lower() for word in ("times", "liberationserif", "tinos"))
    return _checked(FontFiles(name, regular, bold, italic, bold_italic, metric))


def _siblings(regular: Path) -> tuple[Path, Path, Path | None]:
    stem, suffix = regular.stem, regular.suffix
    for plain, bold, italic, bold_italic in _SIBLING_PATTERNS:
        if plain and not stem.endswith(plain):
            continue
        base = stem[: len(stem) - len(plain)] if plain else stem
        faces = [regular.with_name(f"{base}{ending}{suffix}") for ending in (bold, italic, bold_italic)]
        if faces[0].is_file() and faces[1].is_file():
            return faces[0], faces[1], faces[2] if faces[2].is_file() else None
    raise FontError(
        f"Không tìm thấy tệp chữ đậm và chữ nghiêng đi kèm {regular.name}. Hãy ghi cả ba tệp trong cài đặt "
        "pdf_font, cách nhau bằng dấu |: thường|đậm|nghiêng."
    )


def _checked(files: FontFiles) -> FontFiles:
    for path in (files.regular, files.bold, files.italic):
        missing = missing_letters(path)
        if missing:
            raise FontError(
                f"Phông chữ {path.name} không có đủ chữ tiếng Việt (thiếu {missing[:10]}). {INSTALL_HINT}"
            )
    return files


@functools.lru_cache(maxsize=32)
def _load(path: Path) -> TTFont:
    name = "ICT-" + hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:10]
    try:
        return TTFont(name, str(path))
    except (TTFError, OSError) as error:
        raise FontError(f"Không đọc được tệp phông chữ {path}: {error}. {INSTALL_HINT}") from error


def missing_letters(path: Path, letters: Iterable[str] = VIETNAMESE) -> str:
    """The letters of ``letters`` the font file has no glyph for ("" when it covers them all)."""
    cmap = _load(path).face.charToGlyph
    return "".join(ch for ch in letters if ord(ch) not in cmap)


@functools.lru_cache(maxsize=8)
def _register(files: FontFiles) -> FontSet:
    faces = [_load(p) for p in (files.regular, files.bold, files.italic, files.bold_italic or files.bold)]
    for face in faces:
        if face.fontName not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(face)
    regular, bold, italic, bold_italic = (str(face.fontName) for face in faces)
    pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic)
    cmap = faces[0].face.charToGlyph
    missing = frozenset(s for s in SYMBOL_FALLBACKS if ord(s) not in cmap)
    if files.metric_compatible:
        logger.info("PDF font: %s (%s)", files.family, files.regular)
    else:
        logger.warning(
            "PDF font: %s (%s) is not metric-compatible with Times New Roman; lines and pages may "
            "break differently from documents typed in Times New Roman.",
            files.family,
            files.regular,
        )
    return FontSet(files.family, regular, bold, italic, bold_italic, files.metric_compatible, files, missing)


def configured_preference() -> str | None:
    """The forced font: the ICTAPPRAISE_PDF_FONT variable, else the pdf_font setting."""
    forced = os.environ.get(ENV_FONT)
    if forced:
        return forced
    from ictappraise.settings import load_config  # late: keeps this module importable alone

    return load_config().pdf_font


def document_fonts(preference: str | None = None) -> FontSet:
    """Find, check and register the fonts of the documents (cached); FontError if none fits."""
    chosen = preference if preference is not None else configured_preference()
    return _register(find_fonts(chosen))
