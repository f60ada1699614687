"""Previous rounds' results matched to this year's agencies (pure domain, no Qt)."""

from __future__ import annotations

from decimal import Decimal

from ictappraise.domain.trends import (
    ArchivedRound,
    build_trends,
    code_map_problem,
    link_problem,
    read_snapshot,
    recommendation_items,
    snapshot_problem,
    trend_text,
)


def _round(year: int, agencies: dict, key: str | None = None) -> ArchivedRound:
    return ArchivedRound(key or f"r-{year}", year, f"Đợt {year}", agencies)


def _row(total: str, maximum: str = "800", band: str | None = "Khá", **extra: object) -> dict:
    return {"name": "X", "category": 2, "total": total, "maximum": maximum, "band": band, **extra}


def test_trends_newest_first_matched_by_code_and_mapping() -> None:
    r2021 = _round(2021, {"HUTP": _row("741.5"), "OLD": _row("700", band="Khá")})
    r2022 = _round(2022, {"HUTP": _row("784.12", band="Tốt"), "NEW": _row("720")})
    trends = build_trends([r2021, r2022], {"OLD": "NEW"})
    assert [p.year for p in trends.of("HUTP")] == [2022, 2021]
    assert trends.last("HUTP").band == "Tốt"
    # OLD was renamed NEW in 2022: both years under this year's code, the old code kept.
    assert [(p.year, p.code) for p in trends.of("NEW")] == [(2022, "NEW"), (2021, "OLD")]
    assert trends.of("OLD") == ()
    assert trends.years == (2022, 2021)


def test_trend_text_uses_shares_when_a_maximum_changed() -> None:
    same = build_trends([_round(2021, {"A": _row("741.5")})]).of("A")
    assert trend_text(same, Decimal(800)) == "2021: Khá (741,5/800)"
    changed = build_trends([_round(2021, {"B": _row("431", maximum="450", band="Tốt")})]).of("B")
    assert trend_text(changed, Decimal(500)) == "2021: Tốt (95,8% tối đa)"


def test_snapshot_checks_and_fingerprint() -> None:
    good = _round(2021, {"A": _row("741.5", penalties=["hạ một mức"], recommendations="Ký số.")})
    assert snapshot_problem(good.to_json()) is None
    assert read_snapshot(good.to_json()) == good
    assert good.fingerprint() == _round(2021, dict(good.agencies)).fingerprint()
    assert good.fingerprint() != _round(2021, {"A": _row("741")}).fingerprint()
    assert "total" in snapshot_problem(_round(2021, {"A": _row("bảy trăm")}).to_json())
    assert "xếp loại" in snapshot_problem(_round(2021, {"A": _row("700", band="Giỏi")}).to_json())
    assert snapshot_problem({"year": 2021}) is not None
    assert read_snapshot({"year": 2021}) is None
    assert link_problem({"key": "r-2021", "year": 2021, "fingerprint": "ab12"}) is None
    assert link_problem({"key": "r-2021", "year": "2021", "fingerprint": "ab12"}) is not None
    assert code_map_problem({"OLD": "NEW"}) is None
    assert code_map_problem({"OLD": ""}) is not None


def test_recommendations_split_into_items() -> None:
    text = "Tiếp tục đẩy mạnh ký số văn bản đi; xây dựng quy trình sao lưu.\n- Cập nhật bản vá"
    assert recommendation_items(text) == [
        "Tiếp tục đẩy mạnh ký số văn bản đi.",
        "Xây dựng quy trình sao lưu.",
        "Cập nhật bản vá.",
    ]
    assert recommendation_items("  ") == []
