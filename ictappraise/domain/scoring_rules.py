"""Scoring-rule kinds (docs/rules.md §5): how a criterion's points come from the appraiser's input.

Each rule is a frozen dataclass that knows its parameters, checks them against the
criterion's maximum, turns an input into points (refusing what it cannot score) and
describes itself in Vietnamese for the "Cách tính điểm" column. Inputs are plain JSON
values so they travel unchanged in edits and exchange files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from ictappraise.domain.numbers import format_points, parse_decimal, quantize_points

TIMELINESS_CHOICES = {"on_time": "Đúng hạn", "late": "Chậm", "missing": "Không có"}


class RuleError(ValueError):
    """A rule or an input that cannot be scored; the message is Vietnamese."""


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool):
        raise RuleError(f"{what} phải là số nguyên không âm.")
    number = parse_decimal(value, what=what) if not isinstance(value, int) else Decimal(value)
    if number != number.to_integral_value() or number < 0:
        raise RuleError(f"{what} phải là số nguyên không âm, không phải {value!r}.")
    return int(number)


@dataclass(frozen=True)
class Rule:
    """Base of every rule kind."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""

    def validate(self, maximum: Decimal) -> None:
        """Raise RuleError when the parameters do not fit the maximum."""

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        """Points for an input, quantized to 0.01; RuleError if the input cannot be scored."""
        raise NotImplementedError

    def describe(self, maximum: Decimal) -> str:
        """The Vietnamese "Cách tính điểm" text."""
        raise NotImplementedError

    def normalize_input(self, value: Any) -> Any:
        """The canonical JSON form of an input (after checking it can be scored)."""
        return value

    def params(self) -> dict[str, Any]:
        """Parameters as JSON (without the kind)."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.params()}


@dataclass(frozen=True)
class YesNo(Rule):
    """Max if present, else 0."""

    kind: ClassVar[str] = "yes_no"
    label: ClassVar[str] = "Có/Không"

    def normalize_input(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"có", "co", "yes", "1", "true", "x", "đạt"}:
            return True
        if text in {"không", "khong", "no", "0", "false", "không đạt"}:
            return False
        raise RuleError(f"Chỉ nhận «Có» hoặc «Không», không phải «{value}».")

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        return quantize_points(maximum if self.normalize_input(value) else Decimal(0))

    def describe(self, maximum: Decimal) -> str:
        return f"Có: {format_points(maximum)} điểm; không có: 0 điểm."


@dataclass(frozen=True)
class Ratio(Rule):
    """numerator / denominator × max."""

    kind: ClassVar[str] = "ratio"
    label: ClassVar[str] = "Tỷ lệ"
    numerator: str = "Tử số"
    denominator: str = "Mẫu số"

    def normalize_input(self, value: Any) -> dict[str, str]:
        if not isinstance(value, Mapping):
            raise RuleError("Cần nhập tử số và mẫu số.")
        num = parse_decimal(value.get("numerator"), what=self.numerator)
        den = parse_decimal(value.get("denominator"), what=self.denominator)
        if den <= 0:
            raise RuleError(f"{self.denominator} phải lớn hơn 0.")
        if num < 0 or num > den:
            raise RuleError(
                f"Tỷ lệ không hợp lệ: {self.numerator} ({format_points(num)}) phải từ 0 đến "
                f"{self.denominator} ({format_points(den)})."
            )
        return {"numerator": format_points(num, comma=False), "denominator": format_points(den, comma=False)}

    def ratio(self, value: Any) -> Decimal:
        normal = self.normalize_input(value)
        return Decimal(normal["numerator"]) / Decimal(normal["denominator"])

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        return quantize_points(self.ratio(value) * maximum)

    def describe(self, maximum: Decimal) -> str:
        return f"({self.numerator} / {self.denominator}) × {format_points(maximum)} điểm."

    def params(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator}


@dataclass(frozen=True)
class RatioThreshold(Ratio):
    """ratio × max when the ratio reaches the floor, else 0."""

    kind: ClassVar[str] = "ratio_threshold"
    label: ClassVar[str] = "Tỷ lệ có ngưỡng"
    floor: Decimal = Decimal("0.8")

    def validate(self, maximum: Decimal) -> None:
        if not (0 < self.floor <= 1):
            raise RuleError(f"Ngưỡng tỷ lệ phải trong (0; 1], không phải {self.floor}.")

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        ratio = self.ratio(value)
        return quantize_points(ratio * maximum if ratio >= self.floor else Decimal(0))

    def describe(self, maximum: Decimal) -> str:
        percent = format_points(self.floor * 100)
        return (
            f"({self.numerator} / {self.denominator}) × {format_points(maximum)} điểm "
            f"nếu tỷ lệ đạt từ {percent}% trở lên; dưới {percent}%: 0 điểm."
        )

    def params(self) -> dict[str, Any]:
        return {**super().params(), "floor": str(self.floor)}


@dataclass(frozen=True)
class Tier:
    """At least this many items earn these points."""

    at_least: int
    points: Decimal


@dataclass(frozen=True)
class Tiered(Rule):
    """A table from a count to points."""

    kind: ClassVar[str] = "tiered"
    label: ClassVar[str] = "Theo mức"
    tiers: tuple[Tier, ...] = ()
    unit: str = "lần"

    def validate(self, maximum: Decimal) -> None:
        if not self.tiers:
            raise RuleError("Cách tính theo mức cần ít nhất một mức.")
        counts = [tier.at_least for tier in self.tiers]
        points = [tier.points for tier in self.tiers]
        if counts != sorted(counts, reverse=True) or len(set(counts)) != len(counts):
            raise RuleError("Các mức phải xếp theo số lượng giảm dần, không trùng nhau.")
        if min(counts) < 1:
            raise RuleError("Số lượng của mỗi mức phải từ 1 trở lên.")
        if points != sorted(points, reverse=True) or min(points) < 0:
            raise RuleError("Điểm của các mức phải giảm dần và không âm.")
        if points[0] != maximum:
            raise RuleError(
                f"Mức cao nhất cho {format_points(points[0])} điểm, phải bằng điểm tối đa "
                f"{format_points(maximum)}."
            )

    def normalize_input(self, value: Any) -> int:
        return _whole(value, f"Số {self.unit}")

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        count = self.normalize_input(value)
        for tier in self.tiers:
            if count >= tier.at_least:
                return quantize_points(tier.points)
        return quantize_points(Decimal(0))

    def describe(self, maximum: Decimal) -> str:
        parts = [f"từ {t.at_least} {self.unit}: {format_points(t.points)} điểm" for t in self.tiers]
        return "; ".join(parts) + f"; dưới {self.tiers[-1].at_least} {self.unit}: 0 điểm."

    def params(self) -> dict[str, Any]:
        tiers = [{"at_least": t.at_least, "points": format_points(t.points, comma=False)} for t in self.tiers]
        return {"unit": self.unit, "tiers": tiers}


@dataclass(frozen=True)
class Level:
    """A qualitative level the team picks."""

    key: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class Levels(Rule):
    """The team picks a level (full / half / none)."""

    kind: ClassVar[str] = "level"
    label: ClassVar[str] = "Theo mức độ"
    levels: tuple[Level, ...] = ()

    def validate(self, maximum: Decimal) -> None:
        if len(self.levels) < 2:
            raise RuleError("Cách tính theo mức độ cần ít nhất hai mức.")
        keys = [level.key for level in self.levels]
        if len(set(keys)) != len(keys):
            raise RuleError("Các mức độ phải có mã khác nhau.")
        top = max(level.points for level in self.levels)
        if any(level.points < 0 for level in self.levels) or top != maximum:
            raise RuleError(
                f"Mức độ cao nhất cho {format_points(top)} điểm, phải bằng điểm tối đa "
                f"{format_points(maximum)}; không mức nào được âm."
            )

    def level(self, key: Any) -> Level:
        for level in self.levels:
            if key in (level.key, level.label):
                return level
        labels = ", ".join(f"«{level.label}»" for level in self.levels)
        raise RuleError(f"Mức độ «{key}» không có; chọn một trong {labels}.")

    def normalize_input(self, value: Any) -> str:
        return self.level(value).key

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        return quantize_points(self.level(value).points)

    def describe(self, maximum: Decimal) -> str:
        return "; ".join(f"{lv.label}: {format_points(lv.points)} điểm" for lv in self.levels) + "."

    def params(self) -> dict[str, Any]:
        levels = [
            {"key": lv.key, "label": lv.label, "points": format_points(lv.points, comma=False)}
            for lv in self.levels
        ]
        return {"levels": levels}


@dataclass(frozen=True)
class CountCapped(Rule):
    """Points per item, at most the maximum."""

    kind: ClassVar[str] = "count_capped"
    label: ClassVar[str] = "Theo số lượng"
    per_item: Decimal = Decimal(1)
    unit: str = "mục"

    def validate(self, maximum: Decimal) -> None:
        if not (0 < self.per_item <= maximum):
            raise RuleError(
                f"Điểm mỗi {self.unit} phải lớn hơn 0 và không quá điểm tối đa {format_points(maximum)}."
            )

    def normalize_input(self, value: Any) -> int:
        return _whole(value, f"Số {self.unit}")

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        return quantize_points(min(self.normalize_input(value) * self.per_item, maximum))

    def describe(self, maximum: Decimal) -> str:
        return (
            f"{format_points(self.per_item)} điểm cho mỗi {self.unit}, tối đa {format_points(maximum)} điểm."
        )

    def params(self) -> dict[str, Any]:
        return {"unit": self.unit, "per_item": format_points(self.per_item, comma=False)}


@dataclass(frozen=True)
class SubItems(Rule):
    """The sub-items add up, not above the maximum; there is no input of its own."""

    kind: ClassVar[str] = "sub_items"
    label: ClassVar[str] = "Cộng các tiểu mục"

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        raise RuleError("Tiêu chí này tính bằng tổng các tiểu mục; hãy chấm từng tiểu mục.")

    def total(self, parts: list[Decimal], maximum: Decimal) -> Decimal:
        """Sum of the sub-items' points, capped at the maximum."""
        return quantize_points(min(sum(parts, Decimal(0)), maximum))

    def describe(self, maximum: Decimal) -> str:
        return f"Cộng điểm các tiểu mục, tối đa {format_points(maximum)} điểm."


@dataclass(frozen=True)
class Timeliness(Rule):
    """On time = max, late = part, missing = 0."""

    kind: ClassVar[str] = "timeliness"
    label: ClassVar[str] = "Đúng hạn"
    late_points: Decimal = Decimal(0)

    def validate(self, maximum: Decimal) -> None:
        if not (0 < self.late_points < maximum):
            raise RuleError(
                f"Điểm khi chậm ({format_points(self.late_points)}) phải lớn hơn 0 và nhỏ hơn "
                f"điểm tối đa {format_points(maximum)}."
            )

    def normalize_input(self, value: Any) -> str:
        for key, label in TIMELINESS_CHOICES.items():
            if value in (key, label) or str(value).strip().lower() == label.lower():
                return key
        raise RuleError(f"Chỉ nhận «Đúng hạn», «Chậm» hoặc «Không có», không phải «{value}».")

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        key = self.normalize_input(value)
        amount = {"on_time": maximum, "late": self.late_points, "missing": Decimal(0)}[key]
        return quantize_points(amount)

    def describe(self, maximum: Decimal) -> str:
        return (
            f"Đúng hạn: {format_points(maximum)} điểm; chậm: {format_points(self.late_points)} "
            "điểm; không có: 0 điểm."
        )

    def params(self) -> dict[str, Any]:
        return {"late_points": format_points(self.late_points, comma=False)}


@dataclass(frozen=True)
class Manual(Rule):
    """The appraiser types the points, 0..max in steps."""

    kind: ClassVar[str] = "manual"
    label: ClassVar[str] = "Chấm trực tiếp"
    step: Decimal = field(default=Decimal("0.25"))

    def validate(self, maximum: Decimal) -> None:
        if self.step <= 0 or self.step > maximum:
            raise RuleError(f"Bước điểm {self.step} không hợp lệ.")

    def normalize_input(self, value: Any) -> str:
        amount = parse_decimal(value, what="Điểm")
        if amount < 0:
            raise RuleError(f"Điểm không được âm ({format_points(amount)}).")
        try:
            off_step = amount % self.step != 0
        except InvalidOperation as error:  # more digits than Decimal's precision: no score is that big
            raise RuleError(
                f"Điểm {format_points(amount)} quá lớn, không phải điểm của một tiêu chí."
            ) from error
        if off_step:
            raise RuleError(
                f"Điểm phải là bội số của {format_points(self.step)}, không phải {format_points(amount)}."
            )
        return format_points(amount, comma=False)

    def points(self, value: Any, maximum: Decimal) -> Decimal:
        amount = Decimal(self.normalize_input(value))
        if amount > maximum:
            raise RuleError(
                f"Điểm {format_points(amount)} vượt điểm tối đa {format_points(maximum)} của tiêu chí."
            )
        return quantize_points(amount)

    def describe(self, maximum: Decimal) -> str:
        return f"Tổ thẩm định chấm trực tiếp từ 0 đến {format_points(maximum)} điểm."

    def params(self) -> dict[str, Any]:
        return {} if self.step == Decimal("0.25") else {"step": str(self.step)}


RULE_KINDS: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (YesNo, Ratio, RatioThreshold, Tiered, Levels, CountCapped, SubItems, Timeliness, Manual)
}


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """Build a rule from its JSON/YAML mapping; RuleError names what is wrong."""
    if not isinstance(data, Mapping) or "kind" not in data:
        raise RuleError("Thiếu cách tính điểm (kind).")
    kind = data["kind"]
    if kind not in RULE_KINDS:
        raise RuleError(f"Cách tính điểm «{kind}» không có; chỉ có: {', '.join(RULE_KINDS)}.")
    try:
        return _build(kind, data)
    except (KeyError, TypeError) as error:
        raise RuleError(f"Tham số của cách tính điểm «{kind}» không đầy đủ: {error}.") from error


def _build(kind: str, data: Mapping[str, Any]) -> Rule:
    dec = parse_decimal
    if kind in ("ratio", "ratio_threshold"):
        labels = {"numerator": str(data["numerator"]), "denominator": str(data["denominator"])}
        if kind == "ratio":
            return Ratio(**labels)
        return RatioThreshold(**labels, floor=dec(data["floor"], what="Ngưỡng"))
    if kind == "tiered":
        tiers = tuple(
            Tier(_whole(t["at_least"], "Số lượng của mức"), dec(t["points"], what="Điểm của mức"))
            for t in data["tiers"]
        )
        return Tiered(tiers=tiers, unit=str(data.get("unit", "lần")))
    if kind == "level":
        levels = tuple(
            Level(str(lv["key"]), str(lv["label"]), dec(lv["points"], what="Điểm của mức độ"))
            for lv in data["levels"]
        )
        return Levels(levels=levels)
    if kind == "count_capped":
        return CountCapped(
            per_item=dec(data["per_item"], what="Điểm mỗi mục"), unit=str(data.get("unit", "mục"))
        )
    if kind == "timeliness":
        return Timeliness(late_points=dec(data["late_points"], what="Điểm khi chậm"))
    if kind == "manual":
        return Manual(step=dec(data.get("step", "0.25"), what="Bước điểm"))
    return RULE_KINDS[kind]()
