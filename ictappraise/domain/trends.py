"""Previous rounds' results: the archive a round keeps of them, matched to this year's agencies.

A round started from the last one keeps, per previous year, a snapshot of the results
(``ArchivedRound``): per agency code its name, category, total, maximum, band, penalties and
recommendations. Agencies are matched by code; a lead-editable mapping (old code → new code)
follows renamed or merged agencies. Pure Python: the services read and write the edits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import Band

BAND_VALUES = tuple(b.value for b in Band)
#: Keys of one agency in a snapshot (those marked optional may be absent).
AGENCY_KEYS = frozenset(
    {"name", "category", "total", "maximum", "band", "signed", "penalties", "recommendations"}
)
SNAPSHOT_KEYS = frozenset({"key", "year", "name", "agencies"})
LINK_KEYS = frozenset({"key", "year", "fingerprint"})


@dataclass(frozen=True)
class PreviousResult:
    """One agency's result in one previous year."""

    year: int
    code: str
    name: str
    total: Decimal
    maximum: Decimal
    band: str | None
    penalties: tuple[str, ...] = ()
    recommendations: str = ""

    @property
    def share(self) -> Decimal:
        """The total as a percentage of the maximum (0.1 precision)."""
        if not self.maximum:
            return Decimal(0)
        return (self.total * 100 / self.maximum).quantize(Decimal("0.1"))

    def text(self, *, as_share: bool = False) -> str:
        """ "2021: Tốt (771,5/800)" or, when the catalog changed, "2021: Tốt (96,4% tối đa)"."""
        band = self.band or "chưa xếp loại"
        if as_share:
            return f"{self.year}: {band} ({format_points(self.share)}% tối đa)"
        return f"{self.year}: {band} ({format_points(self.total)}/{format_points(self.maximum)})"

    def to_json(self) -> dict[str, Any]:
        """Stable keys for scripts (results --json)."""
        return {
            "year": self.year,
            "code": self.code,
            "total": format_points(self.total, comma=False),
            "maximum": format_points(self.maximum, comma=False),
            "band": self.band,
        }


@dataclass(frozen=True)
class ArchivedRound:
    """The results of one previous round, as kept in the rounds after it."""

    key: str
    year: int
    name: str
    agencies: Mapping[str, Mapping[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "year": self.year, "name": self.name, "agencies": dict(self.agencies)}

    def fingerprint(self) -> str:
        """SHA-256 (16 hex digits) of the canonical snapshot: what the next round links to."""
        text = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def snapshot_problem(value: Any) -> str | None:
    """Why a value is not a usable snapshot (Vietnamese), or None."""
    if not isinstance(value, Mapping) or set(value) != SNAPSHOT_KEYS:
        return 'phải có dạng {"key", "year", "name", "agencies": {mã đơn vị: kết quả}}'
    if not isinstance(value["key"], str) or not value["key"]:
        return "«key» phải là mã đợt đánh giá"
    if (
        not isinstance(value["year"], int)
        or isinstance(value["year"], bool)
        or not 2000 <= value["year"] <= 2100
    ):
        return f"năm {value['year']!r} không hợp lệ"
    if not isinstance(value["name"], str):
        return "«name» phải là văn bản"
    agencies = value["agencies"]
    if not isinstance(agencies, Mapping):
        return "«agencies» phải là bảng mã đơn vị → kết quả"
    for code, row in agencies.items():
        problem = _agency_problem(row)
        if problem:
            return f"đơn vị {code}: {problem}"
    return None


def _agency_problem(row: Any) -> str | None:
    if not isinstance(row, Mapping) or not set(row) <= AGENCY_KEYS or not {"total", "maximum"} <= set(row):
        return "phải có ít nhất total và maximum"
    for key in ("total", "maximum"):
        amount = _decimal(row[key])
        if amount is None or amount < 0:
            return f"«{key}» phải là số không âm, không phải {row[key]!r}"
    if row.get("band") is not None and row["band"] not in BAND_VALUES:
        return f"xếp loại phải là một trong {', '.join(BAND_VALUES)}"
    if not all(isinstance(row.get(k, ""), str) for k in ("name", "recommendations")):
        return "tên và kiến nghị phải là văn bản"
    penalties = row.get("penalties", [])
    if not isinstance(penalties, list) or not all(isinstance(p, str) for p in penalties):
        return "«penalties» phải là danh sách văn bản"
    return None


def link_problem(value: Any) -> str | None:
    """Why a value is not a link to the last round, or None."""
    if not isinstance(value, Mapping) or set(value) != LINK_KEYS:
        return 'phải có dạng {"key", "year", "fingerprint"}'
    if not all(isinstance(value[k], str) and value[k] for k in ("key", "fingerprint")):
        return "mã đợt và dấu vân tay phải là văn bản"
    if not isinstance(value["year"], int) or isinstance(value["year"], bool):
        return "«year» phải là số năm"
    return None


def code_map_problem(value: Any) -> str | None:
    """Why a value is not a code mapping {old code: new code}, or None."""
    if not isinstance(value, Mapping):
        return "phải là bảng mã cũ → mã mới"
    for old, new in value.items():
        if not (isinstance(old, str) and old.strip() and isinstance(new, str) and new.strip()):
            return "mã cũ và mã mới phải là văn bản khác rỗng"
    return None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def read_snapshot(value: Any) -> ArchivedRound | None:
    """An ArchivedRound from a stored value; None when it is not usable."""
    if snapshot_problem(value) is not None:
        return None
    return ArchivedRound(str(value["key"]), int(value["year"]), str(value["name"]), dict(value["agencies"]))


@dataclass(frozen=True)
class Trends:
    """Every previous year's results, indexed by this year's agency codes."""

    by_code: Mapping[str, tuple[PreviousResult, ...]]
    years: tuple[int, ...] = ()

    def of(self, code: str) -> tuple[PreviousResult, ...]:
        """An agency's previous results, most recent first."""
        return self.by_code.get(code, ())

    def last(self, code: str) -> PreviousResult | None:
        found = self.of(code)
        return found[0] if found else None


def build_trends(archives: Iterable[ArchivedRound], code_map: Mapping[str, str] | None = None) -> Trends:
    """Match archived results to this year's codes (by code, then through code_map), newest first."""
    mapping = dict(code_map or {})
    found: dict[str, list[PreviousResult]] = {}
    rounds = sorted(archives, key=lambda a: a.year, reverse=True)
    for archived in rounds:
        for code, row in sorted(archived.agencies.items()):
            current = mapping.get(code, code)
            found.setdefault(current, []).append(_result(archived.year, code, row))
    return Trends({c: tuple(rows) for c, rows in found.items()}, tuple(a.year for a in rounds))


def _result(year: int, code: str, row: Mapping[str, Any]) -> PreviousResult:
    return PreviousResult(
        year=year,
        code=code,
        name=str(row.get("name", "")),
        total=_decimal(row["total"]) or Decimal(0),
        maximum=_decimal(row["maximum"]) or Decimal(0),
        band=row.get("band"),
        penalties=tuple(row.get("penalties", ())),
        recommendations=str(row.get("recommendations", "")),
    )


def trend_text(
    previous: Iterable[PreviousResult], maximum: Decimal, limit: int = 2, *, year_word: str = ""
) -> str:
    """ "2022: Tốt (771,5/800); 2021: Khá (702/800)" — shares when a maximum differs from this year's.

    ``year_word`` goes before each year: documents write "Năm 2021: Tốt (…)".
    """
    rows = list(previous)[:limit]
    as_share = any(r.maximum != maximum for r in rows)
    return "; ".join(year_word + r.text(as_share=as_share) for r in rows)


def recommendation_items(text: str) -> list[str]:
    """Last year's recommendations as separate items: one per line or per "; "-separated clause."""
    lines = [line.strip(" -•\t") for line in text.replace("\r", "").split("\n")]
    items: list[str] = []
    for line in lines:
        items += [part.strip() for part in line.split("; ") if part.strip()]
    items = [item[0].upper() + item[1:] for item in items]
    return [item if item.endswith(".") else f"{item}." for item in items]
