"""Bands, category thresholds and penalties: the rating of one agency (docs/rules.md §3–4).

Public, stable API used by the GUI, the CLI, the exports and outside scripts::

    from ictappraise.domain.rating import rate, Band
    rate(2, "749.99").band is Band.KHA
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from ictappraise.domain.numbers import format_points, parse_decimal


class Band(Enum):
    """The four bands, best first; the values are the official Vietnamese words."""

    TOT = "Tốt"
    KHA = "Khá"
    TRUNG_BINH = "Trung bình"
    YEU = "Yếu"

    @property
    def rank(self) -> int:
        """0 for Tốt … 3 for Yếu, so a lower rank is a better band."""
        return _BAND_ORDER.index(self)

    def lowered(self) -> Band:
        """One step down; Yếu stays Yếu."""
        return _BAND_ORDER[min(self.rank + 1, len(_BAND_ORDER) - 1)]


_BAND_ORDER = (Band.TOT, Band.KHA, Band.TRUNG_BINH, Band.YEU)

CATEGORIES = (2, 3, 4, 5, 6, 7)


@dataclass(frozen=True)
class CategoryRules:
    """Maximum and lower bounds (inclusive) of Tốt, Khá and Trung bình for one category."""

    category: int
    maximum: Decimal
    tot: Decimal
    kha: Decimal
    trung_binh: Decimal

    def __post_init__(self) -> None:
        if not (0 <= self.trung_binh <= self.kha <= self.tot <= self.maximum):
            raise ValueError(
                f"Ngưỡng xếp loại của Phụ lục {self.category} không hợp lệ: cần "
                f"0 ≤ Trung bình ≤ Khá ≤ Tốt ≤ tối đa ({self.maximum})."
            )

    def base_band(self, total: Decimal) -> Band:
        """Band of a total before penalties."""
        if total >= self.tot:
            return Band.TOT
        if total >= self.kha:
            return Band.KHA
        if total >= self.trung_binh:
            return Band.TRUNG_BINH
        return Band.YEU

    def to_dict(self) -> dict[str, str]:
        """Plain JSON-ready form, decimals as strings."""
        return {
            "maximum": str(self.maximum),
            "tot": str(self.tot),
            "kha": str(self.kha),
            "trung_binh": str(self.trung_binh),
        }

    @classmethod
    def from_dict(cls, category: int, data: Mapping[str, object]) -> CategoryRules:
        """Inverse of to_dict, validating every number."""
        keys = ("maximum", "tot", "kha", "trung_binh")
        if not isinstance(data, Mapping) or any(key not in data for key in keys):
            raise ValueError(f"Ngưỡng xếp loại của Phụ lục {category} thiếu số liệu (cần {', '.join(keys)}).")
        return cls(
            category,
            *(parse_decimal(data[key], what=key) for key in ("maximum", "tot", "kha", "trung_binh")),
        )


def _rules(category: int, maximum: int, tot: int, kha: int, trung_binh: int) -> CategoryRules:
    return CategoryRules(category, Decimal(maximum), Decimal(tot), Decimal(kha), Decimal(trung_binh))


#: The 2022 thresholds of Bình Thuận, reproduced exactly (docs/rules.md §3).
RULES_2022: Mapping[int, CategoryRules] = {
    2: _rules(2, 800, 750, 700, 650),
    3: _rules(3, 500, 450, 400, 350),
    4: _rules(4, 700, 650, 600, 550),
    5: _rules(5, 600, 550, 500, 450),
    6: _rules(6, 650, 600, 550, 500),
    7: _rules(7, 400, 350, 300, 250),
}

#: A report sent this many days or more after the deadline cannot be rated Tốt.
LATE_REPORT_DAYS = 5
#: Falling short of the portal quota in this many months or more means Yếu.
PORTAL_MONTHS_LIMIT = 3

#: The lead-in of a line whose rule was checked and did not change the band (words for
#: people: code reads Reason.kind).
CHECKED = "Đã kiểm tra"
#: The lead-in of a line whose rule cannot be checked yet (a fact is not recorded).
UNCHECKED = "Chưa kiểm tra được"


class ReasonKind(Enum):
    """What a reason line says about its rule; consumers classify by this, never by the words."""

    BASE = "base"  # the total and the band it gives before any penalty
    APPLIED = "applied"  # a penalty that lowered or capped the band
    CHECKED = "checked"  # a rule checked that did not change the band
    UNCHECKED = "unchecked"  # a rule that cannot be checked yet (a fact is not recorded)


@dataclass(frozen=True)
class Reason:
    """One reason line of a rating: its kind, its lead-in and what it says ("head: detail")."""

    kind: ReasonKind
    head: str
    detail: str

    @property
    def text(self) -> str:
        """The whole line as shown and printed."""
        return f"{self.head}: {self.detail}"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Rating:
    """The outcome of rate(): the base band, the final band and why (one finding per rule)."""

    total: Decimal
    maximum: Decimal
    base_band: Band
    band: Band
    findings: tuple[Reason, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason line as text: the base band first, then one line per penalty rule."""
        return tuple(finding.text for finding in self.findings)

    @property
    def applied(self) -> tuple[str, ...]:
        """The penalty lines that lowered or capped the band: not the base band, not a rule
        checked without effect, not one that could not be checked yet."""
        return self._of(ReasonKind.APPLIED)

    @property
    def unchecked(self) -> tuple[str, ...]:
        """The lines of penalty rules that cannot be checked yet (a fact is not recorded)."""
        return self._of(ReasonKind.UNCHECKED)

    def _of(self, kind: ReasonKind) -> tuple[str, ...]:
        return tuple(finding.text for finding in self.findings if finding.kind is kind)


def _applied(head: str, detail: str) -> Reason:
    return Reason(ReasonKind.APPLIED, head, detail)


def _checked(detail: str) -> Reason:
    return Reason(ReasonKind.CHECKED, CHECKED, detail)


def _unchecked(detail: str) -> Reason:
    return Reason(ReasonKind.UNCHECKED, UNCHECKED, detail)


def category_rules(category: object, rules: Mapping[int, CategoryRules] | None = None) -> CategoryRules:
    """The rules of a category (Phụ lục number), refusing an unknown one."""
    table = RULES_2022 if rules is None else rules
    if isinstance(category, bool) or not isinstance(category, int) or category not in table:
        known = ", ".join(str(c) for c in sorted(table))
        raise ValueError(f"Không có nhóm đối tượng Phụ lục {category!s} (chỉ có Phụ lục {known}).")
    return table[category]


def rate(
    category: int,
    total: int | str | Decimal | float,
    *,
    failed_criteria: int | Sequence[str] = 0,
    days_late: int | None = 0,
    report_attached: bool = True,
    portal_missing_months: int = 0,
    portal_unentered_months: int = 0,
    unscored_criteria: int = 0,
    rules: Mapping[int, CategoryRules] | None = None,
) -> Rating:
    """Rate an agency: base band from the total, then the penalties in their decided order.

    Order (docs/rules.md §4 [decided]): a failed criterion lowers the band once; then a late
    or missing report caps it at Khá; then the portal rule sets Yếu. Every rule yields a
    reason line of a kind (ReasonKind), CHECKED when it did not change the band.

    Unknown facts never lower the band and are never reported as checked: ``unscored_criteria``
    (criteria nobody has scored, when none has failed), ``days_late=None``
    (no report date recorded) and months not entered (``portal_unentered_months``) that could
    still reach the limit give an UNCHECKED finding instead of a CHECKED one.
    """
    table = category_rules(category, rules)
    amount = parse_decimal(total, what="Tổng điểm")
    if amount < 0 or amount > table.maximum:
        raise ValueError(
            f"Tổng điểm {amount} nằm ngoài khoảng cho phép 0–{table.maximum} của Phụ lục {category}."
        )
    failed_codes, failed_count = _failed(failed_criteria)
    if days_late is not None:
        _check_whole(days_late, "Số ngày gửi báo cáo muộn", 0, None)
    _check_whole(portal_missing_months, "Số tháng không đủ tin, bài", 0, 12)
    _check_whole(portal_unentered_months, "Số tháng chưa nhập tin, bài", 0, 12 - portal_missing_months)

    base = table.base_band(amount)
    band = base
    shown = f"{format_points(amount)}/{format_points(table.maximum)}"
    reasons = [Reason(ReasonKind.BASE, f"Tổng điểm {shown}", f"xếp loại cơ sở {base.value}.")]

    if failed_count:
        lowered = band.lowered()
        what = ", ".join(failed_codes) if failed_codes else f"{failed_count} tiêu chí"
        if lowered != band:
            reasons.append(
                _applied("Hạ một bậc", f"tiêu chí {what} đạt 0 điểm ({band.value} → {lowered.value}).")
            )
        else:  # §4: a rule that did not change the band is listed as checked
            reasons.append(_checked(f"tiêu chí {what} đạt 0 điểm — đã ở mức Yếu, không hạ thêm."))
        band = lowered
    elif unscored_criteria:
        # Not scored is not zero (docs/rules.md §4): rule 1 cannot be decided yet.
        reasons.append(
            _unchecked(
                f"còn {unscored_criteria} tiêu chí chưa chấm — chưa xét được tiêu chí đạt 0 điểm "
                "(có tiêu chí đạt 0 điểm thì hạ một bậc)."
            )
        )
    else:
        reasons.append(_checked("không có tiêu chí nào đạt 0 điểm."))

    late = days_late is not None and days_late >= LATE_REPORT_DAYS
    if late or not report_attached:
        causes = []
        if late:
            causes.append(f"gửi báo cáo muộn {days_late} ngày")
        if not report_attached:
            causes.append("gửi phiếu đánh giá không kèm báo cáo kết quả")
        cause = "; ".join(causes)
        if band == Band.TOT:
            reasons.append(_applied("Không xếp loại Tốt", f"{cause} (Tốt → Khá)."))
            band = Band.KHA
        else:
            reasons.append(_checked(f"{cause} — không xếp loại Tốt, không làm thay đổi xếp loại."))
    elif days_late is None:
        reasons.append(
            _unchecked(
                "chưa ghi ngày gửi báo cáo hoặc chưa có hạn gửi — chưa xét được gửi muộn "
                f"(muộn từ {LATE_REPORT_DAYS} ngày thì không xếp loại Tốt)."
            )
        )
    else:
        reasons.append(
            _checked(f"báo cáo gửi đúng hạn hoặc muộn dưới {LATE_REPORT_DAYS} ngày, có kèm báo cáo.")
        )

    if portal_missing_months >= PORTAL_MONTHS_LIMIT:
        short = f"{portal_missing_months} tháng không đủ tin, bài trên Cổng thông tin điện tử Đảng bộ tỉnh"
        if band != Band.YEU:
            reasons.append(_applied("Xếp loại Yếu", f"{short} ({band.value} → Yếu)."))
        else:
            reasons.append(_checked(f"{short} — đã ở mức Yếu."))
        band = Band.YEU
    elif portal_missing_months + portal_unentered_months >= PORTAL_MONTHS_LIMIT:
        # The months not entered could still reach the limit: the rule cannot be decided yet.
        reasons.append(
            _unchecked(
                f"chưa nhập {portal_unentered_months} tháng tin, bài trên Cổng thông tin "
                f"điện tử Đảng bộ tỉnh ({portal_missing_months} tháng đã nhập không đủ định mức; "
                f"từ {PORTAL_MONTHS_LIMIT} tháng không đủ thì xếp loại Yếu)."
            )
        )
    elif portal_unentered_months:
        reasons.append(
            _checked(
                f"{portal_missing_months} tháng không đủ tin, bài trên Cổng thông tin "
                f"điện tử Đảng bộ tỉnh, chưa nhập {portal_unentered_months} tháng (cộng cả các tháng "
                f"chưa nhập vẫn dưới {PORTAL_MONTHS_LIMIT} tháng)."
            )
        )
    else:
        reasons.append(
            _checked(
                f"{portal_missing_months} tháng không đủ tin, bài trên Cổng thông tin "
                f"điện tử Đảng bộ tỉnh (dưới {PORTAL_MONTHS_LIMIT} tháng)."
            )
        )

    return Rating(amount, table.maximum, base, band, tuple(reasons))


def _failed(failed_criteria: int | Sequence[str]) -> tuple[tuple[str, ...], int]:
    if isinstance(failed_criteria, bool):
        raise ValueError("Số tiêu chí đạt 0 điểm phải là số nguyên hoặc danh sách mã tiêu chí.")
    if isinstance(failed_criteria, int):
        _check_whole(failed_criteria, "Số tiêu chí đạt 0 điểm", 0, None)
        return (), failed_criteria
    if isinstance(failed_criteria, str):
        raise ValueError("Danh sách tiêu chí đạt 0 điểm phải là danh sách mã, không phải một chuỗi.")
    if not isinstance(failed_criteria, Sequence | set | frozenset):
        raise ValueError("Số tiêu chí đạt 0 điểm phải là số nguyên hoặc danh sách mã tiêu chí.")
    codes = tuple(str(code) for code in failed_criteria)
    return codes, len(codes)


def _check_whole(value: object, what: str, low: int, high: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} phải là số nguyên, không phải {value!r}.")
    if value < low or (high is not None and value > high):
        bound = f"{low}–{high}" if high is not None else f"từ {low} trở lên"
        raise ValueError(f"{what} phải trong khoảng {bound}, nhận được {value}.")
