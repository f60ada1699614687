"""How an agency's band is shown: decided once here, used by every output.

Four states, in this order of precedence:

- ``conflict``: conflicting data — no band;
- ``unvisited``: nothing scored yet — "Chưa thẩm định", no total, no band;
- ``partial``: some criteria unscored — "Chưa đủ điểm, chưa xếp loại", and the total says
  what it covers; the "tạm tính" band over what is scored is kept for the working views only
  (docs/rules.md §4), never printed in a document as a band;
- ``scored``: the band; ``signed`` says whether the minutes are signed, and documents add a
  caveat while they are not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import Band
from ictappraise.domain.scorecard import Scorecard
from ictappraise.services.model import STATUS_SIGNED

CONFLICT = "conflict"
UNVISITED = "unvisited"
PARTIAL = "partial"
SCORED = "scored"

UNVISITED_TEXT = "Chưa thẩm định"
PARTIAL_TEXT = "Chưa đủ điểm, chưa xếp loại"
CONFLICT_TEXT = "Có xung đột, chưa xếp loại"
UNSIGNED_TEXT = "biên bản chưa ký"


@dataclass(frozen=True)
class BandView:
    """One agency's band as every output shows it."""

    state: str
    #: The final band, only in the ``scored`` state.
    band: Band | None
    #: The band over what is scored so far (``partial``): for working views, marked "tạm tính".
    provisional: Band | None
    signed: bool
    #: What a band cell says: "Tốt", "Chưa thẩm định", "Chưa đủ điểm, chưa xếp loại"…
    label: str
    #: "784,12/800"; "488,42/800 (18/32 tiêu chí đã chấm)" while partial; "" before any score.
    total: str
    #: Criteria scored and in all (each criterion once, sub-items folded into it).
    scored_criteria: int
    all_criteria: int

    @property
    def final(self) -> bool:
        """Every criterion scored and no conflict: the band counts."""
        return self.state == SCORED

    @property
    def caveat(self) -> str:
        """ "biên bản chưa ký" for a band whose minutes are not signed; "" otherwise."""
        return UNSIGNED_TEXT if self.final and not self.signed else ""

    @property
    def coverage(self) -> str:
        """ "18/32 tiêu chí đã chấm" while partial; "" otherwise."""
        if self.state != PARTIAL:
            return ""
        return f"{self.scored_criteria}/{self.all_criteria} tiêu chí đã chấm"

    def working_label(self) -> str:
        """For the screens the team works in: the partial state names its "tạm tính" band."""
        if self.state == PARTIAL and self.provisional is not None:
            return f"{self.provisional.value} (tạm tính)"
        return self.label

    def short_label(self) -> str:
        """For a narrow list column: the "tạm tính" band abbreviated, other states as labelled."""
        if self.state == PARTIAL and self.provisional is not None:
            return f"{self.provisional.value} (tạm)"
        if self.state == CONFLICT:
            return "Có xung đột"
        return self.label

    def document_label(self) -> str:
        """For a document: the label, with "biên bản chưa ký" after a band not yet signed."""
        return f"{self.label} ({self.caveat})" if self.caveat else self.label


def _criteria_count(card: Scorecard) -> int:
    """Criteria in the scorecard, each once: a sub-item's code extends its criterion's."""
    codes = set(card.rows)
    # A code is a sub-item when cutting its last ".part" gives another row's code (linear, not n²).
    return sum(1 for code in codes if code.rpartition(".")[0] not in codes)


def nothing_scored(card: Scorecard) -> bool:
    """No row scored at all: the total is not a score of 0."""
    return all(row.points is None for row in card.rows.values())


def band_view(card: Scorecard, status: str, conflicts: Sequence[object] = ()) -> BandView:
    """Decide how an agency's band is shown from its scorecard, status and open conflicts."""
    signed = status == STATUS_SIGNED
    all_criteria = _criteria_count(card)
    scored = all_criteria - len(card.unscored_criteria)
    total = f"{format_points(card.total)}/{format_points(card.maximum)}"
    rating = card.rating
    if conflicts or card.conflicts or rating is None:
        return BandView(CONFLICT, None, None, signed, CONFLICT_TEXT, total, scored, all_criteria)
    if nothing_scored(card):
        return BandView(UNVISITED, None, None, signed, UNVISITED_TEXT, "", 0, all_criteria)
    if card.provisional:
        covered = f"{total} ({scored}/{all_criteria} tiêu chí đã chấm)"
        return BandView(PARTIAL, None, rating.band, signed, PARTIAL_TEXT, covered, scored, all_criteria)
    return BandView(SCORED, rating.band, None, signed, rating.band.value, total, scored, all_criteria)


def plain_penalty(line: str) -> str:
    """A penalty line in a document's words: "(từ Tốt xuống Khá)", not "(Tốt → Khá)"."""
    line = line.rstrip(".").replace("Cổng thông tin", "Cổng Thông tin")
    return re.sub(r"\(([^()→]+?) → ([^()]+?)\)", r"(từ \1 xuống \2)", line)
