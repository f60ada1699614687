"""The minutes' remarks, derived from and checked against the table.

- Every applied penalty and every criterion scored 0 is a required "Hạn chế" line. The
  secretary may reword it; a required line the written text does not cover (by the criterion's
  code, or the penalty's key words) is printed anyway, after the secretary's text — unless she
  dropped it with a reason (a signed edit, docs/rules.md §6): then the minutes omit it.
- A "Ưu điểm" clause that praises a criterion scored 0 or below half its maximum is flagged
  (named by its code, or by enough of the criterion's distinctive wording).
- The penalty rules said in one plain administrative sentence each; a rule whose inputs are not
  all known "chưa kiểm tra được", and no band is proposed while anything is unscored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import LATE_REPORT_DAYS, PORTAL_MONTHS_LIMIT, Band, CategoryRules
from ictappraise.domain.scorecard import Scorecard
from ictappraise.services.model import AgencyDetail

PORTAL = "Cổng Thông tin điện tử Đảng bộ tỉnh"
#: A shared word pair in more than this share of a catalog's criteria says nothing about one.
COMMON_SHARE = 0.12
#: Distinctive word pairs a clause must share with a criterion's name to be about it.
MIN_SHARED = 3


@dataclass(frozen=True)
class Required:
    """A weakness the minutes must state: its sentence, and words that show it is stated."""

    key: str
    sentence: str
    markers: tuple[str, ...]

    def covered_by(self, text: str) -> bool:
        """Whether the written remarks already state it (any marker, case and accents aside)."""
        folded = fold(text)
        return any(_contains(folded, fold(marker)) for marker in self.markers)


#: Where a required line stands (``line_states``).
LINE_WRITTEN = "written"  # the secretary's text states it
LINE_PRINTED = "printed"  # printed automatically after her text
LINE_DROPPED = "dropped"  # dropped with a reason: not printed


@dataclass(frozen=True)
class LineState:
    """A required "Hạn chế" line, where it stands, and why it was dropped."""

    line: Required
    state: str
    reason: str = ""


@dataclass(frozen=True)
class Contradiction:
    """A praising clause about a criterion that scored 0 or below half its maximum."""

    code: str
    points: str
    maximum: str
    clause: str

    def sentence(self) -> str:
        return (
            f"Phần Ưu điểm nêu «{self.clause}» nhưng tiêu chí {self.code} chỉ đạt "
            f"{self.points}/{self.maximum} điểm."
        )


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: for comparing wordings."""
    text = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w.]+", " ", text).split())


def _contains(folded: str, marker: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(marker)}(?![\w]|\.\w)", folded) is not None


def day_text(value: date) -> str:
    """ "23-11-2021": the date as Party documents cite it in the body."""
    return f"{value.day:02d}-{value.month:02d}-{value.year}"


def _pt(value: Decimal) -> str:
    return format_points(value)


# -- required weaknesses -----------------------------------------------------------------------
def required_weaknesses(detail: AgencyDetail) -> tuple[Required, ...]:
    """The failed criteria and applied penalties, each as a "Hạn chế" line."""
    card = detail.scorecard
    out: list[Required] = []
    for code in card.failed:
        criterion = detail.catalog.find(code)
        name = criterion.name if criterion else ""
        note = detail.entries[code].note.strip().rstrip(".") if code in detail.entries else ""
        why = f": {note[:1].lower() + note[1:]}" if note else ""
        name = f" “{name}”" if name else ""
        out.append(
            Required(
                f"crit/{code}",
                f"Tiêu chí {code}{name} không đạt (0/{_pt(card.rows[code].maximum)} điểm){why}",
                (code,),
            )
        )
    facts = card.facts
    late = facts.days_late
    if late is not None and late >= LATE_REPORT_DAYS:
        out.append(
            Required(
                "fact/report_sent",
                f"Gửi báo cáo kết quả tự đánh giá muộn {late} ngày so với thời hạn",
                ("muộn", "trễ hạn", "chậm"),
            )
        )
    if not facts.report_attached:
        out.append(
            Required(
                "fact/report_attached",
                "Gửi phiếu tự đánh giá nhưng không kèm báo cáo kết quả ứng dụng công nghệ thông tin",
                ("không kèm báo cáo", "không có báo cáo", "chưa gửi báo cáo", "thiếu báo cáo"),
            )
        )
    short = facts.portal_short_months
    if len(short) >= PORTAL_MONTHS_LIMIT:
        months = ", ".join(str(m) for m in short)
        out.append(
            Required(
                "fact/portal",
                f"Có {len(short)} tháng (tháng {months}) không đủ định mức tin, bài trên {PORTAL}",
                ("tin, bài", "tin bài"),
            )
        )
    return tuple(out)


def _criteria(catalog: Catalog) -> Iterable[Criterion]:
    for group in catalog.groups:
        for criterion in group.criteria:
            yield criterion
            yield from criterion.sub_items


def line_states(detail: AgencyDetail) -> tuple[LineState, ...]:
    """Every required line: stated in the secretary's text, printed after it, or dropped."""
    text = detail.visit.weaknesses
    dropped = dict(detail.visit.dropped)
    found = []
    for item in required_weaknesses(detail):
        if item.covered_by(text):
            found.append(LineState(item, LINE_WRITTEN, dropped.get(item.key, "")))
        elif item.key in dropped:
            found.append(LineState(item, LINE_DROPPED, dropped[item.key]))
        else:
            found.append(LineState(item, LINE_PRINTED))
    return tuple(found)


def missing_weaknesses(detail: AgencyDetail) -> tuple[Required, ...]:
    """Required lines the secretary's "Hạn chế" does not state nor drop (printed after it)."""
    return tuple(s.line for s in line_states(detail) if s.state == LINE_PRINTED)


def proposed_weaknesses(detail: AgencyDetail) -> str:
    """A "Hạn chế" text to start from: one line per required weakness."""
    return "\n".join(f"- {item.sentence}." for item in required_weaknesses(detail))


def weaknesses_text(detail: AgencyDetail) -> str:
    """What the minutes print under "Hạn chế": the secretary's text, then what it left out."""
    written = detail.visit.weaknesses.strip()
    missing = [f"- {item.sentence}." for item in missing_weaknesses(detail)]
    return "\n".join(([written] if written else []) + missing)


# -- praise that the table contradicts ---------------------------------------------------------
def _pairs(text: str) -> set[str]:
    words = fold(text).replace(".", " ").split()
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def _common_pairs(catalog: Catalog) -> set[str]:
    names = [c.name for c in _criteria(catalog)]
    counts = Counter(pair for name in names for pair in _pairs(name))
    limit = max(2, int(len(names) * COMMON_SHARE))
    return {pair for pair, n in counts.items() if n > limit}


def clauses(text: str) -> list[str]:
    """Sentences and ";"-separated parts of a remark, stripped."""
    parts = re.split(r"[;\n]|\.(?=\s|$)", text)
    return [part.strip(" -–•\t") for part in parts if part.strip(" -–•\t")]


def weak_criteria(card: Scorecard) -> list[str]:
    """Criteria (and sub-items) scored 0 or below half their maximum."""
    return [
        code
        for code, row in card.rows.items()
        if row.points is not None and row.maximum > 0 and row.points * 2 < row.maximum
    ]


def contradictions(detail: AgencyDetail) -> tuple[Contradiction, ...]:
    """Clauses of "Ưu điểm" that praise a weak criterion (by code or by its wording)."""
    card = detail.scorecard
    weak = weak_criteria(card)
    if not weak or not detail.visit.strengths.strip():
        return ()
    common = _common_pairs(detail.catalog)
    own = {c.code: _pairs(c.name) - common for c in _criteria(detail.catalog)}
    found: list[Contradiction] = []
    for clause in clauses(detail.visit.strengths):
        code = _subject(clause, own, common)
        if code in weak:
            row = card.rows[code]
            found.append(Contradiction(code, _pt(row.points or Decimal(0)), _pt(row.maximum), clause))
    return tuple(found)


def subject_of(detail: AgencyDetail, clause: str) -> str:
    """The criterion a remark's clause speaks of ("" when none stands out)."""
    common = _common_pairs(detail.catalog)
    own = {c.code: _pairs(c.name) - common for c in _criteria(detail.catalog)}
    return _subject(clause, own, common)


def _subject(clause: str, own: dict[str, set[str]], common: set[str]) -> str:
    """The criterion a clause speaks of: named by code, else the one whose distinctive wording
    it covers best (at least MIN_SHARED word pairs); "" when none."""
    folded = fold(clause)
    for code in sorted(own, key=len, reverse=True):  # "III.1.a" before "III.1"
        if _contains(folded, fold(code)):
            return code
    said = _pairs(clause) - common
    best, best_share = "", 0.0
    for code, pairs in own.items():
        shared = len(said & pairs)
        if shared >= MIN_SHARED and shared / len(pairs) > best_share:
            best, best_share = code, shared / len(pairs)
    return best


def remark_warnings(detail: AgencyDetail) -> list[str]:
    """What to say before signing: praise the table contradicts, weaknesses left unsaid."""
    lines = [item.sentence() for item in contradictions(detail)]
    missing = missing_weaknesses(detail)
    if missing:
        lines.append(
            "Phần Hạn chế chưa nêu: "
            + "; ".join(item.sentence for item in missing)
            + " (biên bản tự in bổ sung các ý này)."
        )
    return lines


def dropped_notes(detail: AgencyDetail) -> list[str]:
    """Required lines the minutes leave out, with why: said before signing."""
    return [
        f"{state.line.sentence} — lý do bỏ: {state.reason}"
        for state in line_states(detail)
        if state.state == LINE_DROPPED
    ]


def catalog_warning(detail: AgencyDetail) -> str:
    """Said before printing minutes to sign on a sample catalog (never printed in them)."""
    if not detail.catalog.sample:
        return ""
    return (
        f"Bộ tiêu chí mẫu: {detail.agency.name} đang được chấm theo bộ tiêu chí mẫu của chương trình, "
        "không phải bộ tiêu chí chính thức của đợt đánh giá. Nạp bộ tiêu chí chính thức trước khi in "
        "biên bản để ký."
    )


# -- the penalty rules in plain sentences -------------------------------------------------------
def _band_range(rules: CategoryRules, band: Band) -> str:
    f = _pt
    return {
        Band.TOT: f"từ {f(rules.tot)} điểm",
        Band.KHA: f"từ {f(rules.kha)} đến dưới {f(rules.tot)} điểm",
        Band.TRUNG_BINH: f"từ {f(rules.trung_binh)} đến dưới {f(rules.kha)} điểm",
        Band.YEU: f"dưới {f(rules.trung_binh)} điểm",
    }[band]


def _change(before: Band, after: Band) -> str:
    return f"từ {before.value} xuống {after.value}" if before != after else "mức xếp loại không đổi"


def rule_sentences(detail: AgencyDetail, rules: CategoryRules) -> tuple[str, ...]:
    """One sentence per rule of §4, in order: total and base band, failed criterion, report,
    portal news. Unknown inputs give "chưa kiểm tra được"; nothing is proposed while unscored."""
    card = detail.scorecard
    rating = card.rating
    total = f"{_pt(card.total)}/{_pt(card.maximum)}"
    missing = len(card.unscored_criteria)
    if rating is None:
        return (f"Tổng điểm thẩm định {total}; còn xung đột dữ liệu nên chưa xác định được mức xếp loại.",)
    lines: list[str] = []
    if missing:
        lines.append(
            f"Tổng điểm thẩm định của các tiêu chí đã chấm {total}; còn {missing} tiêu chí chưa chấm "
            "nên chưa xác định được mức xếp loại."
        )
    else:
        lines.append(
            f"Tổng điểm thẩm định {total}, đạt mức {rating.base_band.value} "
            f"({_band_range(rules, rating.base_band)})."
        )
    band = rating.base_band
    lines.append(_failed_sentence(card, band, missing))
    if card.failed:
        band = band.lowered()
    report, band = _report_sentence(card, band, missing)
    lines.append(report)
    lines.append(_portal_sentence(card, band, missing))
    return tuple(lines)


def _failed_sentence(card: Scorecard, band: Band, missing: int) -> str:
    if card.failed:
        codes = ", ".join(card.failed)
        what = f"Tiêu chí {codes} đạt 0 điểm" if len(card.failed) == 1 else f"Các tiêu chí {codes} đạt 0 điểm"
        if missing:
            return f"{what}: hạ một bậc xếp loại."
        if band == Band.YEU:
            return f"{what}; đơn vị đã ở mức Yếu nên không hạ thêm."
        return f"{what}: hạ một bậc, {_change(band, band.lowered())}."
    if missing:
        return f"Chưa kiểm tra được điều kiện tiêu chí đạt 0 điểm: còn {missing} tiêu chí chưa chấm."
    return "Không có tiêu chí nào đạt 0 điểm."


def _report_sentence(card: Scorecard, band: Band, missing: int) -> tuple[str, Band]:
    facts = card.facts
    when = facts.report_sent or facts.report_received
    attached = "" if facts.report_attached else "; đơn vị gửi phiếu tự đánh giá không kèm báo cáo kết quả"
    late = facts.days_late
    if late is None:
        why = "chưa ghi nhận ngày đơn vị gửi báo cáo" if when is None else "chưa có thời hạn gửi báo cáo"
        if facts.report_attached:
            return f"Chưa kiểm tra được thời hạn gửi báo cáo: {why}.", band
        late = 0
    deadline = f"hạn ngày {day_text(facts.deadline)}" if facts.deadline else ""
    sent = f"ngày {day_text(when)}" if when else ""
    dates = "; ".join(x for x in (sent, deadline) if x)
    if late == 0:
        timing = f"Báo cáo kết quả gửi đúng hạn ({dates})" if when else "Chưa ghi nhận ngày gửi báo cáo"
    else:
        timing = f"Báo cáo kết quả gửi muộn {late} ngày ({dates})"
    capped = late >= LATE_REPORT_DAYS or not facts.report_attached
    if not capped:
        suffix = f", dưới {LATE_REPORT_DAYS} ngày nên không bị giới hạn mức xếp loại" if late else ""
        return f"{timing}{suffix}{attached}.", band
    after = Band.KHA if band == Band.TOT else band
    effect = "không được xếp loại Tốt" + ("" if missing else f", {_change(band, after)}")
    return f"{timing}{attached}: {effect}.", after


def _portal_sentence(card: Scorecard, band: Band, missing: int) -> str:
    facts = card.facts
    quota = f"định mức {facts.portal_quota} tin, bài/tháng"
    short = facts.portal_short_months
    unknown = facts.portal_unentered_months
    months = f" (tháng {', '.join(str(m) for m in short)})" if short else ""
    if len(short) >= PORTAL_MONTHS_LIMIT:
        effect = "xếp loại Yếu" + ("" if missing else f", {_change(band, Band.YEU)}")
        return f"Có {len(short)} tháng{months} không đủ {quota} trên {PORTAL}: {effect}."
    if unknown and len(short) + unknown >= PORTAL_MONTHS_LIMIT:
        return f"Chưa kiểm tra được định mức tin, bài trên {PORTAL}: còn {unknown} tháng chưa có số liệu" + (
            f"; đã có {len(short)} tháng không đủ định mức{months}." if short else "."
        )
    if not short:
        if unknown:
            return f"Các tháng có số liệu đều đủ tin, bài theo {quota} trên {PORTAL}."
        return f"Cả 12 tháng đều đủ tin, bài theo {quota} trên {PORTAL}."
    return (
        f"Có {len(short)} tháng{months} không đủ {quota} trên {PORTAL}, dưới {PORTAL_MONTHS_LIMIT} "
        "tháng nên không bị xếp loại Yếu."
    )


def band_sentence(card: Scorecard) -> tuple[str, str]:
    """(proposed band or "", why none): no band while anything is unscored or in conflict."""
    if card.rating is None or card.conflicts:
        return "", "còn xung đột dữ liệu"
    if card.unscored_criteria:
        return "", f"còn {len(card.unscored_criteria)} tiêu chí chưa chấm"
    return card.rating.band.value, ""
