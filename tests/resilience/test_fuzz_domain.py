"""Fuzzing the domain parsers: numbers, rate(), rule inputs, appraisal values, catalogs.

Contract: a result that makes sense, or ValueError (CatalogError, RuleError are ValueErrors)
with a Vietnamese message — never another exception. The number of inputs tried is printed
at the end of the run ("fuzzing: inputs tried").
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from fuzz_support import (  # noqa: F401 - fuzz_tally_fixture is the fuzz_tally fixture
    FUZZ,
    SCALARS,
    assert_clean_error,
    fuzz_tally_fixture,
    hostile_json,
    mutate_json,
)
from hypothesis import given
from hypothesis import strategies as st

from ictappraise.domain.catalog import Catalog, catalog_from_dict
from ictappraise.domain.numbers import format_points, parse_decimal
from ictappraise.domain.rating import Band, CategoryRules, rate
from ictappraise.domain.scorecard import Appraisal, score_row

CATALOG_DIR = Path(__file__).resolve().parents[2] / "resources" / "catalogs"
CATALOG_DATA = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(CATALOG_DIR.glob("*.yaml"))
}
CATALOGS = [catalog_from_dict(data) for data in CATALOG_DATA.values()]
LEAVES = [leaf for catalog in CATALOGS for leaf in catalog.leaves()]
KINDS = sorted({leaf.rule.kind for leaf in LEAVES})
RULE_KEYS = ["numerator", "denominator", "input", "override", "kind", "key", "label", "points"]
CATALOG_KEYS = ["category", "title", "groups", "code", "name", "max", "criteria", "rule", "kind", "sub_items"]


@FUZZ
@given(value=st.one_of(SCALARS, hostile_json()))
def test_fuzz_parse_decimal(value: Any, fuzz_tally: Any) -> None:
    fuzz_tally("parse_decimal")
    try:
        result = parse_decimal(value)
    except ValueError as error:
        assert_clean_error(error)
        return
    assert isinstance(result, Decimal) and result.is_finite()
    if abs(result) < Decimal(10) ** 20:
        assert parse_decimal(format_points(result)) == result  # what we print, we read back


@FUZZ
@given(
    category=st.one_of(st.sampled_from([2, 3, 4, 5, 6, 7]), SCALARS),
    total=st.one_of(st.decimals(min_value=-10, max_value=900, places=2), SCALARS),
    failed=st.one_of(st.integers(-2, 40), st.lists(st.text(max_size=6), max_size=4), SCALARS),
    days_late=st.one_of(st.integers(-5, 40), SCALARS),
    attached=st.booleans(),
    months=st.one_of(st.integers(-1, 13), SCALARS),
)
def test_fuzz_rate(
    category: Any, total: Any, failed: Any, days_late: Any, attached: bool, months: Any, fuzz_tally: Any
) -> None:
    fuzz_tally("rate()")
    try:
        rating = rate(
            category,
            total,
            failed_criteria=failed,
            days_late=days_late,
            report_attached=attached,
            portal_missing_months=months,
        )
    except ValueError as error:
        assert_clean_error(error)
        return
    # Penalties only ever lower the band (the late-report cap takes Tốt to Khá, never up).
    assert rating.band in Band and rating.band.rank >= rating.base_band.rank
    assert 0 <= rating.total <= rating.maximum
    assert len(rating.reasons) == 4


@FUZZ
@given(data=st.data())
def test_fuzz_rule_inputs(data: st.DataObject, fuzz_tally: Any) -> None:
    """Every rule of every sample catalog, fed anything the appraiser (or a file) could send."""
    fuzz_tally("rule inputs")
    kind = data.draw(st.sampled_from(KINDS))  # every kind equally often, however rare in the catalogs
    leaf = data.draw(st.sampled_from([leaf for leaf in LEAVES if leaf.rule.kind == kind]))
    value = data.draw(st.one_of(hostile_json(RULE_KEYS), _plausible_input(kind)))
    try:
        points = leaf.rule.points(value, leaf.maximum)
    except ValueError as error:
        assert_clean_error(error)
        return
    assert Decimal(0) <= points <= leaf.maximum and points == points.quantize(Decimal("0.01"))
    assert leaf.rule.points(leaf.rule.normalize_input(value), leaf.maximum) == points


@FUZZ
@given(data=st.data())
def test_fuzz_appraisal_values(data: st.DataObject, fuzz_tally: Any) -> None:
    """A stored or merged appraisal value (any JSON) becomes points or a clean refusal."""
    fuzz_tally("appraisal values")
    leaf = data.draw(st.sampled_from(LEAVES))
    value = data.draw(
        st.one_of(
            hostile_json(RULE_KEYS), st.builds(lambda v: {"input": v}, _plausible_input(leaf.rule.kind))
        )
    )
    try:
        entry = Appraisal.from_json(value)
    except ValueError as error:
        assert_clean_error(error)
        return
    points, problem = score_row(leaf, entry)
    assert (points is None) or (Decimal(0) <= points <= leaf.maximum) or problem


@FUZZ
@given(data=st.data())
def test_fuzz_catalog_from_dict(data: st.DataObject, fuzz_tally: Any) -> None:
    """A real catalog with random damage deep inside, or anything at all."""
    fuzz_tally("catalog_from_dict")
    name = data.draw(st.sampled_from(sorted(CATALOG_DATA)))
    source = data.draw(
        st.one_of(
            st.just(None).map(lambda _: mutate_json(data.draw, CATALOG_DATA[name], CATALOG_KEYS)),
            hostile_json(CATALOG_KEYS),
        )
    )
    try:
        catalog = catalog_from_dict(source)
    except ValueError as error:
        assert_clean_error(error)
        return
    assert isinstance(catalog, Catalog)
    assert catalog_from_dict(catalog.to_dict()) == catalog  # what we accept, we write back the same


@FUZZ
@given(data=st.one_of(hostile_json(["maximum", "tot", "kha", "trung_binh"]), st.just({})))
def test_fuzz_category_rules(data: Any, fuzz_tally: Any) -> None:
    fuzz_tally("CategoryRules.from_dict")
    try:
        rules = CategoryRules.from_dict(2, data)
    except ValueError as error:
        assert_clean_error(error)
        return
    assert 0 <= rules.trung_binh <= rules.kha <= rules.tot <= rules.maximum


def _plausible_input(kind: str) -> st.SearchStrategy[Any]:
    """Inputs close to valid for a rule kind, so the fuzzing also reaches the arithmetic."""
    number = st.one_of(
        st.integers(-5, 500),
        st.decimals(-5, 500, places=3).map(str),
        st.text("0123456789,.-", max_size=8),
        st.integers(10**20, 10**80).map(str),  # more digits than Decimal's precision
    )
    if kind in ("ratio", "ratio_threshold"):
        return st.fixed_dictionaries({"numerator": number, "denominator": number})
    if kind in ("tiered", "count_capped"):
        return number
    if kind == "manual":
        return st.one_of(number, st.just("1" * 60), st.just("0.0000000001"))
    return st.sampled_from(
        ["Có", "Không", True, False, "on_time", "late", "missing", "Đúng hạn", "full", "half"]
    )
