"""Criteria catalogs: the six shipped samples, validation failures, round trip (docs/rules.md §5)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import catalog_samples  # tests/domain/catalog_samples.py
import pytest
import yaml

from ictappraise.domain.catalog import (
    Catalog,
    CatalogError,
    catalog_from_dict,
    load_catalog_file,
    validate_catalog,
)
from ictappraise.domain.scoring_rules import RULE_KINDS


@pytest.fixture(name="catalog_data")
def catalog_data_fixture() -> dict[str, Any]:
    return catalog_samples.catalog_data()


@pytest.fixture(name="small_catalog")
def small_catalog_fixture() -> Catalog:
    return catalog_samples.small_catalog()


CATALOG_DIR = Path(__file__).resolve().parents[2] / "resources" / "catalogs"

# docs/rules.md §5: points per group I/II/III/IV and the category maximum.
SPEC_SIZES = {
    2: (120, 120, 380, 180, 800),
    3: (80, 80, 230, 110, 500),
    4: (100, 100, 340, 160, 700),
    5: (90, 90, 280, 140, 600),
    6: (90, 100, 310, 150, 650),
    7: (60, 60, 190, 90, 400),
}
GROUP_WORDS = ("Văn bản chỉ đạo", "Nguồn nhân lực", "Ứng dụng công nghệ thông tin", "Hạ tầng")


def _shipped(category: int) -> Path:
    return CATALOG_DIR / f"phu_luc_{category}.yaml"


@pytest.mark.parametrize("category", sorted(SPEC_SIZES))
def test_shipped_catalog_loads_with_the_spec_sizes(category: int) -> None:
    *groups, maximum = SPEC_SIZES[category]
    catalog = load_catalog_file(_shipped(category), expected_maximum=Decimal(maximum))
    assert catalog.category == category
    assert catalog.maximum == maximum
    assert [g.maximum for g in catalog.groups] == [Decimal(g) for g in groups]
    assert [g.code for g in catalog.groups] == ["I", "II", "III", "IV"]
    for group, word in zip(catalog.groups, GROUP_WORDS, strict=True):
        assert word in group.name
        assert sum(c.maximum for c in group.criteria) == group.maximum


@pytest.mark.parametrize("category", sorted(SPEC_SIZES))
def test_shipped_catalog_shape(category: int) -> None:
    catalog = load_catalog_file(_shipped(category))
    criteria = list(catalog.criteria())
    assert 20 <= len(criteria) <= 35
    kinds = {row.rule.kind for c in criteria for row in (c, *c.sub_items)}
    assert kinds == set(RULE_KINDS)
    assert any(c.sub_items for c in criteria)
    assert catalog.sample is True
    assert catalog.title.startswith("Bộ tiêu chí mẫu")
    for criterion in criteria:
        assert criterion.name and criterion.evidence, criterion.code
        if criterion.sub_items:
            assert sum(s.maximum for s in criterion.sub_items) >= criterion.maximum
        for sub in criterion.sub_items:
            assert sub.code.startswith(criterion.code + "."), sub.code
            assert sub.name and sub.evidence, sub.code


@pytest.mark.parametrize("category", sorted(SPEC_SIZES))
def test_shipped_catalog_text_is_nfc(category: int) -> None:
    raw = _shipped(category).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)


@pytest.mark.parametrize("category", sorted(SPEC_SIZES))
def test_shipped_catalog_can_reach_its_maximum(category: int) -> None:
    # Every criterion must be able to earn its maximum, or no agency could score 800/800.
    from ictappraise.domain.scoring_rules import Levels, Tiered

    catalog = load_catalog_file(_shipped(category))
    for leaf in catalog.leaves():
        rule = leaf.rule
        if isinstance(rule, Tiered):
            top = rule.tiers[0].points
        elif isinstance(rule, Levels):
            top = max(level.points for level in rule.levels)
        else:
            top = leaf.maximum
        assert top == leaf.maximum, leaf.code


@pytest.mark.parametrize("category", sorted(SPEC_SIZES))
def test_round_trip_keeps_the_checksum(category: int) -> None:
    catalog = load_catalog_file(_shipped(category))
    again = catalog_from_dict(catalog.to_dict())
    assert again == catalog
    assert again.checksum() == catalog.checksum()
    assert len(catalog.checksum()) == 16


def test_checksums_differ_between_catalogs() -> None:
    sums = {load_catalog_file(_shipped(c)).checksum() for c in SPEC_SIZES}
    assert len(sums) == len(SPEC_SIZES)


def test_checksum_changes_with_a_maximum(catalog_data: dict[str, Any]) -> None:
    before = catalog_from_dict(catalog_data).checksum()
    group = catalog_data["groups"][1]
    group["criteria"][2]["max"] = 40  # II.3 50 → 40 …
    group["criteria"][2]["rule"]["late_points"] = 20
    group["criteria"][3]["max"] = 60  # … II.4 50 → 60: the group still adds up
    assert catalog_from_dict(catalog_data).checksum() != before


def test_small_catalog_is_valid(small_catalog: Catalog) -> None:
    assert small_catalog.maximum == 400
    assert [leaf.code for leaf in small_catalog.leaves()] == [
        "I.1",
        "I.2",
        "I.3.a",
        "I.3.b",
        "II.1",
        "II.2",
        "II.3",
        "II.4",
    ]
    assert small_catalog.find("I.3.b") is not None
    assert small_catalog.find("IX.9") is None
    group = small_catalog.group_of("I.3.a")
    assert group is not None and group.code == "I"


def test_text_is_normalized_to_nfc_on_load(catalog_data: dict[str, Any]) -> None:
    decomposed = unicodedata.normalize("NFD", "Có kế hoạch ứng dụng")
    catalog_data["groups"][0]["criteria"][0]["name"] = decomposed
    catalog = catalog_from_dict(catalog_data)
    assert catalog.groups[0].criteria[0].name == unicodedata.normalize("NFC", decomposed)


# -- validation failures --------------------------------------------------------------------


def test_duplicate_code_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["groups"][1]["criteria"][0]["code"] = "I.1"
    with pytest.raises(CatalogError, match="Mã tiêu chí I.1 bị trùng"):
        catalog_from_dict(catalog_data)


def test_duplicate_sub_item_code_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["groups"][0]["criteria"][2]["sub_items"][1]["code"] = "I.2"
    with pytest.raises(CatalogError, match="Mã tiêu chí I.2 bị trùng"):
        catalog_from_dict(catalog_data)


def test_group_maxima_must_sum_to_the_category_maximum(catalog_data: dict[str, Any]) -> None:
    catalog_from_dict(catalog_data, expected_maximum=Decimal(400))
    with pytest.raises(CatalogError, match="Tổng điểm tối đa các nhóm là 400, khác điểm tối đa 500"):
        catalog_from_dict(catalog_data, expected_maximum=Decimal(500))


def test_criteria_must_sum_to_the_group_maximum(catalog_data: dict[str, Any]) -> None:
    catalog_data["groups"][0]["max"] = 110
    with pytest.raises(CatalogError, match="Nhóm I: tổng điểm tối đa các tiêu chí là 100"):
        catalog_from_dict(catalog_data)


def test_sub_items_summing_below_the_criterion_are_refused(catalog_data: dict[str, Any]) -> None:
    sub = catalog_data["groups"][0]["criteria"][2]["sub_items"][1]
    sub["max"] = 15
    with pytest.raises(CatalogError, match="I.3: tổng điểm các tiểu mục \\(35\\) nhỏ hơn"):
        catalog_from_dict(catalog_data)


def test_sub_items_above_the_criterion_are_allowed(catalog_data: dict[str, Any]) -> None:
    # "sum of sub-items, capped": the parts may add up to more than the maximum.
    catalog_data["groups"][0]["criteria"][2]["sub_items"][1]["max"] = 30
    catalog = catalog_from_dict(catalog_data)
    assert catalog.find("I.3") is not None


@pytest.mark.parametrize(
    ("code", "rule", "message"),
    [
        ("II.1", {"kind": "tiered", "tiers": [{"at_least": 4, "points": 90}]}, "phải bằng điểm tối đa"),
        ("II.2", {"kind": "level", "levels": [{"key": "a", "label": "A", "points": 100}]}, "ít nhất hai"),
        ("II.3", {"kind": "timeliness", "late_points": 50}, "Điểm khi chậm"),
        ("II.4", {"kind": "count_capped", "per_item": 0}, "Điểm mỗi"),
        ("I.2", {"kind": "ratio_threshold", "floor": "1.2", "numerator": "a", "denominator": "b"}, "Ngưỡng"),
        ("I.1", {"kind": "manual", "step": "0"}, "Bước điểm"),
    ],
)
def test_bad_rule_parameters_are_refused(
    catalog_data: dict[str, Any], code: str, rule: dict[str, Any], message: str
) -> None:
    for group in catalog_data["groups"]:
        for criterion in group["criteria"]:
            if criterion["code"] == code:
                criterion["rule"] = rule
    with pytest.raises(CatalogError, match=f"Tiêu chí {code}: .*{message}"):
        catalog_from_dict(catalog_data)


def test_unknown_rule_kind_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["groups"][1]["criteria"][0]["rule"] = {"kind": "lucky_draw"}
    with pytest.raises(CatalogError, match="Tiêu chí II.1: Cách tính điểm «lucky_draw» không có"):
        catalog_from_dict(catalog_data)


def test_sub_items_rule_without_sub_items_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["groups"][0]["criteria"][0]["rule"] = {"kind": "sub_items"}
    with pytest.raises(CatalogError, match="Tiêu chí I.1: .*tiểu mục"):
        catalog_from_dict(catalog_data)


def test_sub_items_with_another_rule_are_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["groups"][0]["criteria"][2]["rule"] = {"kind": "yes_no"}
    with pytest.raises(CatalogError, match="Tiêu chí I.3"):
        catalog_from_dict(catalog_data)


def test_sub_items_without_a_rule_default_to_the_sum(catalog_data: dict[str, Any]) -> None:
    del catalog_data["groups"][0]["criteria"][2]["rule"]
    catalog = catalog_from_dict(catalog_data)
    found = catalog.find("I.3")
    assert found is not None and found.rule.kind == "sub_items"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(category=8), "Phụ lục 8"),
        (lambda d: d.update(category="7"), "Phụ lục '7'"),
        (lambda d: d.update(groups=[]), "không có nhóm"),
        (lambda d: d.pop("groups"), "Thiếu danh sách"),
        (lambda d: d["groups"][0].update(criteria=[]), "Nhóm I không có tiêu chí"),
        (
            lambda d: (d["groups"][0]["criteria"][0].update(max=0), d["groups"][0].update(max=60)),
            "I.1: điểm tối đa phải lớn hơn 0",
        ),
        (lambda d: d["groups"][0]["criteria"][0].update(max="mười"), "điểm tối đa phải là một số"),
        (lambda d: d["groups"][0]["criteria"][0].update(code=""), "thiếu mã"),
    ],
)
def test_malformed_catalogs_are_refused(catalog_data: dict[str, Any], mutate: Any, message: str) -> None:
    mutate(catalog_data)
    with pytest.raises(CatalogError, match=message):
        catalog_from_dict(catalog_data)


def test_not_a_mapping_is_refused() -> None:
    with pytest.raises(CatalogError, match="Bộ tiêu chí phải là một bảng"):
        catalog_from_dict(["I", "II"])


def test_validate_catalog_directly(small_catalog: Catalog) -> None:
    validate_catalog(small_catalog, expected_maximum=Decimal(400))
    with pytest.raises(CatalogError):
        validate_catalog(small_catalog, expected_maximum=Decimal(800))


def test_load_file_errors_are_catalog_errors(tmp_path: Path, catalog_data: dict[str, Any]) -> None:
    with pytest.raises(CatalogError, match="Không đọc được bộ tiêu chí"):
        load_catalog_file(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("groups: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="Không đọc được bộ tiêu chí broken.yaml"):
        load_catalog_file(broken)
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(catalog_data, allow_unicode=True), encoding="utf-8")
    assert load_catalog_file(good, expected_maximum=Decimal(400)).maximum == 400


def test_a_category_that_is_not_a_whole_number_is_refused_cleanly() -> None:
    """Found by the fuzzer: a signalling NaN as the category raised decimal.InvalidOperation."""
    from decimal import Decimal

    from ictappraise.domain.catalog import CatalogError, catalog_from_dict

    for category in (Decimal("sNaN"), Decimal("2"), "2", 2.0, True):
        with pytest.raises(CatalogError, match="Phụ lục"):
            catalog_from_dict({"category": category, "groups": []})
