"""Control characters and bidi overrides are refused in every text value (docs/rules.md §9).

A note holding "\\x1b" used to be merged, and then `export-xlsx` died with openpyxl's
IllegalCharacterError. Refused at input (every local write), at merge (values, nested JSON
texts, reasons) and in a catalog import; tab and newline stay allowed.
"""

from __future__ import annotations

import pytest

from ictappraise.domain.text_safety import forbidden_character, sanitize
from ictappraise.services import appraisal, round_admin
from ictappraise.services.errors import ServiceError
from ictappraise.services.model import Representative
from tests.merge.merge_helpers import edit_count

BAD = ["\x00", "\x07", "\x1b", "\x0b", "\x0c", "\x1f", "\x7f", "\u202a", "\u202e", "\u2066", "\u2069"]


@pytest.mark.parametrize("char", BAD, ids=[f"U+{ord(c):04X}" for c in BAD])
def test_each_forbidden_character_is_found_even_deep_in_json(char: str) -> None:
    assert forbidden_character(f"a{char}b") == char
    assert forbidden_character({"representatives": [{"name": f"Ông{char}A", "title": ""}]}) == char
    assert forbidden_character({f"k{char}": 1}) == char
    assert sanitize(f"a{char}b") == "a\ufffdb"


def test_tab_newline_and_vietnamese_are_fine() -> None:
    assert forbidden_character("Dòng 1\n\tDòng 2 — “đủ” ₫ 😀 \u200b") is None
    assert forbidden_character({"input": 5, "x": [1.5, None, True]}) is None


@pytest.mark.parametrize("char", ["\x1b", "\x00", "\u202e"], ids=["ESC", "NUL", "RLO"])
def test_local_input_is_refused_and_nothing_is_written(lead_ws, char: str) -> None:
    ws = lead_ws
    agency = ws.find_agency("HUPQ").id
    before = edit_count(ws.db.path)
    attempts = [
        lambda: appraisal.set_text(ws, agency, "IV.5", "note", f"Ghi{char}chú"),
        lambda: appraisal.set_visit(ws, agency, place=f"Hội trường{char}"),
        lambda: appraisal.set_visit(ws, agency, representatives=[Representative(f"Ông{char}A", "Bí thư")]),
        lambda: round_admin.rename_agency(ws, agency, f"Huyện ủy{char}Phú Quý"),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError) as refused:
            attempt()
        assert f"U+{ord(char):04X}" in str(refused.value) and "ký tự điều khiển" in str(refused.value)
    assert edit_count(ws.db.path) == before
    appraisal.set_text(ws, agency, "IV.5", "note", "Dòng 1\n\tDòng 2")  # tab and newline stay
    assert ws.detail(agency).entries["IV.5"].note == "Dòng 1\n\tDòng 2"
