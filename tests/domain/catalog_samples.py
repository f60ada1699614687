"""A small hand-made catalog (Phụ lục 7, 400 points) whose arithmetic is easy to check by hand.

Plain functions, not a conftest.py: tests elsewhere import the top-level conftest by name.
"""

from __future__ import annotations

import copy
from typing import Any

from ictappraise.domain.catalog import Catalog, catalog_from_dict

# I (100): I.1 yes/no 40 · I.2 ratio 20 · I.3 = I.3.a yes/no 20 + I.3.b manual 20
# II (300): II.1 tiered 100 · II.2 level 100 · II.3 timeliness 50 · II.4 count 50
SMALL_CATALOG: dict[str, Any] = {
    "category": 7,
    "title": "Bộ tiêu chí thử",
    "version": "t1",
    "groups": [
        {
            "code": "I",
            "name": "Văn bản chỉ đạo, điều hành",
            "max": 100,
            "criteria": [
                {"code": "I.1", "name": "Có kế hoạch", "max": 40, "rule": {"kind": "yes_no"}},
                {
                    "code": "I.2",
                    "name": "Tỷ lệ văn bản ký số",
                    "max": 20,
                    "rule": {"kind": "ratio", "numerator": "Số ký số", "denominator": "Tổng số"},
                },
                {
                    "code": "I.3",
                    "name": "Chỉ đạo",
                    "max": 40,
                    "rule": {"kind": "sub_items"},
                    "sub_items": [
                        {"code": "I.3.a", "name": "Có hướng dẫn", "max": 20, "rule": {"kind": "yes_no"}},
                        {"code": "I.3.b", "name": "Phân công", "max": 20, "rule": {"kind": "manual"}},
                    ],
                },
            ],
        },
        {
            "code": "II",
            "name": "Ứng dụng công nghệ thông tin",
            "max": 300,
            "criteria": [
                {
                    "code": "II.1",
                    "name": "Hội nghị truyền hình",
                    "max": 100,
                    "rule": {
                        "kind": "tiered",
                        "unit": "hội nghị",
                        "tiers": [{"at_least": 4, "points": 100}, {"at_least": 2, "points": 50}],
                    },
                },
                {
                    "code": "II.2",
                    "name": "Cán bộ chuyên trách",
                    "max": 100,
                    "rule": {
                        "kind": "level",
                        "levels": [
                            {"key": "full", "label": "Chuyên trách", "points": 100},
                            {"key": "half", "label": "Kiêm nhiệm", "points": 50},
                            {"key": "none", "label": "Không có", "points": 0},
                        ],
                    },
                },
                {
                    "code": "II.3",
                    "name": "Kế hoạch năm",
                    "max": 50,
                    "rule": {"kind": "timeliness", "late_points": 25},
                },
                {
                    "code": "II.4",
                    "name": "Quy chế",
                    "max": 50,
                    "rule": {"kind": "count_capped", "per_item": 10, "unit": "quy chế"},
                },
            ],
        },
    ],
}

#: Inputs giving every leaf its maximum (total 400).
FULL_INPUTS: dict[str, Any] = {
    "I.1": True,
    "I.2": {"numerator": "10", "denominator": "10"},
    "I.3.a": "có",
    "I.3.b": "20",
    "II.1": 4,
    "II.2": "full",
    "II.3": "on_time",
    "II.4": 5,
}


def catalog_data() -> dict[str, Any]:
    """A fresh deep copy of the small catalog's mapping, free to mutate."""
    return copy.deepcopy(SMALL_CATALOG)


def small_catalog() -> Catalog:
    return catalog_from_dict(catalog_data())


def full_inputs(**changes: Any) -> dict[str, Any]:
    """FULL_INPUTS with some entries replaced: full_inputs(**{"I.1": False})."""
    return {**FULL_INPUTS, **changes}
