"""Criteria catalogs: groups → criteria → optional sub-items, validated (docs/rules.md §5)."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.rating import CATEGORIES
from ictappraise.domain.scoring_rules import Manual, Rule, RuleError, SubItems, rule_from_dict


class CatalogError(ValueError):
    """A catalog that cannot be used; the message is Vietnamese and names the criterion."""


@dataclass(frozen=True)
class Criterion:
    """A criterion or a sub-item: the leaf the appraiser scores, or a sum of sub-items."""

    code: str
    name: str
    maximum: Decimal
    rule: Rule
    evidence: str = ""
    method: str = ""
    sub_items: tuple[Criterion, ...] = ()

    @property
    def has_sub_items(self) -> bool:
        return bool(self.sub_items)

    @property
    def method_text(self) -> str:
        """The "Cách tính điểm" text: the catalog's own words, else the rule's description."""
        return self.method or self.rule.describe(self.maximum)


@dataclass(frozen=True)
class Group:
    """A group of criteria (I … IV) with its maximum."""

    code: str
    name: str
    maximum: Decimal
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Catalog:
    """The catalog of one category for one round."""

    category: int
    title: str
    version: str
    groups: tuple[Group, ...]
    sample: bool = False

    @property
    def maximum(self) -> Decimal:
        return sum((group.maximum for group in self.groups), Decimal(0))

    def criteria(self) -> Iterator[Criterion]:
        """Every criterion (not sub-items), in order."""
        for group in self.groups:
            yield from group.criteria

    def leaves(self) -> Iterator[Criterion]:
        """Everything the appraiser scores: criteria without sub-items and sub-items."""
        for criterion in self.criteria():
            if criterion.sub_items:
                yield from criterion.sub_items
            else:
                yield criterion

    def find(self, code: str) -> Criterion | None:
        """A criterion or sub-item by code."""
        return self._index().get(code)

    def group_of(self, code: str) -> Group | None:
        for group in self.groups:
            for criterion in group.criteria:
                if criterion.code == code or any(s.code == code for s in criterion.sub_items):
                    return group
        return None

    def _index(self) -> dict[str, Criterion]:
        index: dict[str, Criterion] = {}
        for criterion in self.criteria():
            index[criterion.code] = criterion
            for sub in criterion.sub_items:
                index[sub.code] = sub
        return index

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the format of resources/catalogs/*.yaml)."""
        return {
            "category": self.category,
            "title": self.title,
            "version": self.version,
            "sample": self.sample,
            "groups": [
                {
                    "code": g.code,
                    "name": g.name,
                    "max": format_points(g.maximum, comma=False),
                    "criteria": [_criterion_dict(c) for c in g.criteria],
                }
                for g in self.groups
            ],
        }

    def checksum(self) -> str:
        """A short SHA-256 of the structure (codes, names, maxima, rules), not of wording of titles."""
        canonical = json.dumps(self.to_dict()["groups"], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _criterion_dict(criterion: Criterion) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": criterion.code,
        "name": criterion.name,
        "max": format_points(criterion.maximum, comma=False),
        "rule": criterion.rule.to_dict(),
        "evidence": criterion.evidence,
    }
    if criterion.method:
        data["method"] = criterion.method
    if criterion.sub_items:
        data["sub_items"] = [_criterion_dict(sub) for sub in criterion.sub_items]
    return data


def load_catalog_file(path: str | Path, *, expected_maximum: Decimal | None = None) -> Catalog:
    """Read and validate a catalog YAML/JSON file."""
    import yaml  # only when a YAML file is read: opening a database needs none

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise CatalogError(f"Không đọc được bộ tiêu chí {Path(path).name}: {error}") from error
    return catalog_from_dict(data, expected_maximum=expected_maximum)


def catalog_from_dict(
    data: Any, *, expected_maximum: Decimal | None = None, validate: bool = True
) -> Catalog:
    """Build and validate a catalog; CatalogError says what is wrong and where.

    ``validate=False`` only builds it (reading one stored by an older build that did not check).
    """
    if not isinstance(data, Mapping):
        raise CatalogError("Bộ tiêu chí phải là một bảng có các khóa category, title, groups.")
    category = data.get("category")
    # Type first: comparing a signalling NaN (a Decimal from outside) with the ints would raise.
    if isinstance(category, bool) or not isinstance(category, int) or category not in CATEGORIES:
        raise CatalogError(f"Bộ tiêu chí ghi nhóm đối tượng Phụ lục {category!r}, không có nhóm này.")
    groups = tuple(_group(g) for g in _list(data.get("groups"), "groups"))
    catalog = Catalog(
        category=int(category),
        title=_text(data.get("title", f"Bộ tiêu chí Phụ lục {category}")),
        version=_text(data.get("version", "1")),
        groups=groups,
        sample=bool(data.get("sample", False)),
    )
    if validate:
        validate_catalog(catalog, expected_maximum=expected_maximum)
    return catalog


def validate_catalog(catalog: Catalog, *, expected_maximum: Decimal | None = None) -> None:
    """Unique codes, sums that add up, rules that fit their maxima."""
    if not catalog.groups:
        raise CatalogError("Bộ tiêu chí không có nhóm tiêu chí nào.")
    seen: set[str] = set()
    for group in catalog.groups:
        _unique(group.code, seen)
        if not group.criteria:
            raise CatalogError(f"Nhóm {group.code} không có tiêu chí nào.")
        criteria_sum = sum((c.maximum for c in group.criteria), Decimal(0))
        if criteria_sum != group.maximum:
            raise CatalogError(
                f"Nhóm {group.code}: tổng điểm tối đa các tiêu chí là {format_points(criteria_sum)}, "
                f"khác điểm tối đa của nhóm {format_points(group.maximum)}."
            )
        for criterion in group.criteria:
            _validate_criterion(criterion, seen)
    if expected_maximum is not None and catalog.maximum != expected_maximum:
        raise CatalogError(
            f"Tổng điểm tối đa các nhóm là {format_points(catalog.maximum)}, khác điểm tối đa "
            f"{format_points(expected_maximum)} của Phụ lục {catalog.category}."
        )


def _validate_criterion(criterion: Criterion, seen: set[str]) -> None:
    _unique(criterion.code, seen)
    if criterion.maximum <= 0:
        raise CatalogError(f"Tiêu chí {criterion.code}: điểm tối đa phải lớn hơn 0.")
    try:
        criterion.rule.validate(criterion.maximum)
    except RuleError as error:
        raise CatalogError(f"Tiêu chí {criterion.code}: {error}") from error
    if isinstance(criterion.rule, SubItems) != bool(criterion.sub_items):
        raise CatalogError(
            f"Tiêu chí {criterion.code}: cách tính «cộng các tiểu mục» phải đi cùng danh sách tiểu mục."
        )
    if criterion.sub_items:
        parts = sum((s.maximum for s in criterion.sub_items), Decimal(0))
        if parts < criterion.maximum:
            raise CatalogError(
                f"Tiêu chí {criterion.code}: tổng điểm các tiểu mục ({format_points(parts)}) nhỏ hơn "
                f"điểm tối đa ({format_points(criterion.maximum)}), không thể đạt điểm tối đa."
            )
        for sub in criterion.sub_items:
            if sub.sub_items:
                raise CatalogError(f"Tiểu mục {sub.code} không được có tiểu mục con.")
            _validate_criterion(sub, seen)


def _unique(code: str, seen: set[str]) -> None:
    if not code:
        raise CatalogError("Có tiêu chí thiếu mã.")
    if code in seen:
        raise CatalogError(f"Mã tiêu chí {code} bị trùng.")
    seen.add(code)


def _group(data: Any) -> Group:
    if not isinstance(data, Mapping):
        raise CatalogError("Mỗi nhóm tiêu chí phải có code, name, max, criteria.")
    code = _text(data.get("code"))
    return Group(
        code=code,
        name=_text(data.get("name")),
        maximum=_maximum(data.get("max"), f"Nhóm {code}"),
        criteria=tuple(_criterion(c) for c in _list(data.get("criteria"), f"nhóm {code}")),
    )


def _criterion(data: Any) -> Criterion:
    if not isinstance(data, Mapping):
        raise CatalogError("Mỗi tiêu chí phải có code, name, max, rule.")
    code = _text(data.get("code"))
    try:
        rule = rule_from_dict(data.get("rule") or {"kind": "manual"})
    except (RuleError, ValueError) as error:
        raise CatalogError(f"Tiêu chí {code}: {error}") from error
    sub_items = tuple(_criterion(s) for s in data.get("sub_items") or ())
    return Criterion(
        code=code,
        name=_text(data.get("name")),
        maximum=_maximum(data.get("max"), f"Tiêu chí {code}"),
        rule=rule if not (sub_items and isinstance(rule, Manual) and "rule" not in data) else SubItems(),
        evidence=_text(data.get("evidence", "")),
        method=_text(data.get("method", "")),
        sub_items=sub_items,
    )


def _maximum(value: Any, what: str) -> Decimal:
    try:
        return parse_decimal(value, what=f"{what}: điểm tối đa")
    except ValueError as error:
        raise CatalogError(str(error)) from error


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise CatalogError(f"Thiếu danh sách trong {what}.")
    return value


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value if value is not None else "")).strip()
