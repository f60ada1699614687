"""Font discovery: Times New Roman first, metric-compatible serifs next, DejaVu last, never boxes."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from ictappraise.io import pdf_fonts
from ictappraise.io.pdf_fonts import FontError, document_fonts, find_fonts, missing_letters

LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LIBERATION_FACES = [
    LIBERATION / f"LiberationSerif-{face}.ttf" for face in ("Regular", "Bold", "Italic", "BoldItalic")
]
DEJAVU_FACES = [
    DEJAVU / name for name in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf")
]

needs_liberation = pytest.mark.skipif(
    not all(p.exists() for p in LIBERATION_FACES), reason="fonts-liberation2 is not installed"
)
needs_dejavu = pytest.mark.skipif(
    not all(p.exists() for p in DEJAVU_FACES), reason="DejaVu Serif is not installed"
)


def _copy(files: list[Path], folder: Path, names: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for source, name in zip(files, names or [f.name for f in files], strict=True):
        shutil.copyfile(source, folder / name)
    return folder


@needs_liberation
def test_times_new_roman_is_preferred_when_present(tmp_path: Path) -> None:
    # Liberation Serif has Times' metrics; under Windows' file names it stands in for times.ttf.
    windows = _copy(
        LIBERATION_FACES,
        tmp_path / "Windows" / "Fonts",
        ["times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"],
    )
    _copy(LIBERATION_FACES, tmp_path / "liberation2")
    chosen = find_fonts(None, [tmp_path])
    assert chosen.family == "Times New Roman"
    assert chosen.regular.parent == windows and chosen.bold.name == "timesbd.ttf"
    assert chosen.metric_compatible


@needs_liberation
@needs_dejavu
def test_liberation_serif_comes_before_dejavu(tmp_path: Path) -> None:
    _copy(DEJAVU_FACES, tmp_path / "dejavu")
    _copy(LIBERATION_FACES, tmp_path / "liberation2")
    chosen = find_fonts(None, [tmp_path])
    assert chosen.family == "Liberation Serif" and chosen.metric_compatible


@needs_dejavu
def test_dejavu_is_the_last_resort_and_says_it_is_not_metric_compatible(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _copy(DEJAVU_FACES, tmp_path / "dejavu")
    chosen = find_fonts(None, [tmp_path])
    assert chosen.family == "DejaVu Serif" and not chosen.metric_compatible
    with caplog.at_level(logging.INFO, logger="ictappraise.io.pdf_fonts"):
        fonts = pdf_fonts._register(chosen)
    assert fonts.regular and "not metric-compatible" in caplog.text


@needs_liberation
def test_a_face_without_vietnamese_letters_is_skipped(tmp_path: Path) -> None:
    symbols = next(Path("/usr/share/fonts").rglob("opens___.ttf"), None)
    if symbols is None:
        pytest.skip("no font without Vietnamese letters on this machine (OpenSymbol)")
    assert missing_letters(symbols)
    names = [p.name for p in LIBERATION_FACES]
    _copy([symbols] * 4, tmp_path / "broken", names)
    with pytest.raises(FontError, match="Liberation Serif .* thiếu chữ"):
        find_fonts(None, [tmp_path])


def test_no_usable_font_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(FontError, match="fonts-liberation2") as error:
        find_fonts(None, [tmp_path])
    assert "Times New Roman" in str(error.value)


@needs_liberation
def test_the_setting_forces_a_family_a_file_or_explicit_files(tmp_path: Path) -> None:
    assert find_fonts("liberation serif").family == "Liberation Serif"
    by_file = find_fonts(str(LIBERATION_FACES[0]))
    assert by_file.bold == LIBERATION_FACES[1] and by_file.italic == LIBERATION_FACES[2]
    explicit = find_fonts("|".join(str(p) for p in LIBERATION_FACES[:3]))
    assert explicit.bold_italic is None and explicit.regular == LIBERATION_FACES[0]
    with pytest.raises(FontError, match="không có"):
        find_fonts(str(tmp_path / "missing.ttf"))
    lonely = _copy(LIBERATION_FACES[:1], tmp_path / "lonely")
    with pytest.raises(FontError, match="chữ đậm và chữ nghiêng"):
        find_fonts(str(lonely / LIBERATION_FACES[0].name))


@needs_liberation
def test_environment_and_config_choose_the_font(monkeypatch: pytest.MonkeyPatch) -> None:
    from ictappraise.settings import load_config, save_config

    config = load_config()
    config.pdf_font = "Liberation Serif"
    save_config(config)
    assert pdf_fonts.configured_preference() == "Liberation Serif"
    monkeypatch.setenv(pdf_fonts.ENV_FONT, str(LIBERATION_FACES[0]))
    assert pdf_fonts.configured_preference() == str(LIBERATION_FACES[0])
    fonts = document_fonts()
    assert fonts.files.regular == LIBERATION_FACES[0]
    assert fonts.clean("Tốt → Khá") == "Tốt → Khá"  # the arrow exists in Liberation Serif
