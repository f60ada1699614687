"""Create a round in an empty database from a round file under resources/rounds/.

Seed edits get deterministic ids (UUID v5 of the round key and the field), so two laptops
that each create the same round from the shipped data hold the same edits: merging them
later adds nothing twice.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from ictappraise.domain.catalog import CatalogError, catalog_from_dict
from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import (
    agency_field,
    catalog_field,
    member_field,
    round_field,
    rules_field,
    visit_field,
)
from ictappraise.domain.rating import RULES_2022
from ictappraise.services.workspace import SYSTEM_AUTHOR, ServiceError, Workspace
from ictappraise.settings import resource_path
from ictappraise.store import repository

NAMESPACE = uuid.UUID("6f1c3c52-2d0e-4f7e-9b55-2a5f0b1c2022")
SEED_DEVICE = "seed"
DEFAULT_ROUND = "binh_thuan_2022.yaml"
ROUND_KEYS = (
    "key",
    "name",
    "year",
    "province",
    "issuer",
    "issuing_unit",
    "place",
    "legal_basis",
    "report_deadline",
    "visit_start",
    "visit_end",
    "portal_quota",
    "minutes_copies",
    "minutes_number_suffix",
)


def stable_id(round_key: str, *parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join((round_key, *parts))))


def load_round_file(path: Path | None = None) -> dict[str, Any]:
    source = path or resource_path("rounds", DEFAULT_ROUND)
    import yaml  # only when a YAML file is read: opening a database needs none

    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ServiceError(f"Không đọc được dữ liệu đợt đánh giá {source.name}: {error}") from error
    if not isinstance(data, dict) or "key" not in data:
        raise ServiceError(f"Tệp {source.name} không phải dữ liệu đợt đánh giá.")
    return data


def member_id(round_key: str, key: str) -> str:
    return stable_id(round_key, "member", key)


def agency_id(round_key: str, code: str) -> str:
    return stable_id(round_key, "agency", code)


def seed_round(ws: Workspace, path: Path | None = None) -> int:
    """Write the round, team, catalogs, agencies and schedule; return the number of edits."""
    data = load_round_file(path)
    key = str(data["key"])
    values: dict[str, Any] = {}
    for name in ROUND_KEYS:
        if name in data:
            raw = data[name]
            values[round_field(name)] = raw.isoformat() if isinstance(raw, date) else raw
    for category, rules in RULES_2022.items():
        values[rules_field(category)] = rules.to_dict()
    for category, file_name in (data.get("catalogs") or {}).items():
        source = (
            (path.parent.parent / "catalogs" / file_name) if path else resource_path("catalogs", file_name)
        )
        values[catalog_field(int(category))] = _catalog(source, int(category))
    for member in data.get("team") or ():
        mid = member_id(key, member["key"])
        for name in ("name", "title", "role"):
            values[member_field(mid, name)] = member[name]
    for order, agency in enumerate(data.get("agencies") or (), start=1):
        aid = agency_id(key, agency["code"])
        values[agency_field(aid, "code")] = agency["code"]
        values[agency_field(aid, "name")] = agency["name"]
        values[agency_field(aid, "category")] = int(agency["category"])
        values[agency_field(aid, "order")] = order
        if agency.get("visit"):
            day, _, time = str(agency["visit"]).partition(" ")
            values[visit_field(aid, "date")] = day
            values[visit_field(aid, "start")] = time
        if agency.get("place"):
            values[visit_field(aid, "place")] = agency["place"]
    # The round is set up before agencies send their forms: stamp the seed with its set-up date.
    created = f"{data.get('created', date(int(data.get('year', 2022)), 11, 1))}T08:00:00+07:00"
    edits = [
        Edit(stable_id(key, "seed", field), field, value, SYSTEM_AUTHOR, SEED_DEVICE, created)
        for field, value in values.items()
    ]
    with ws.db.transaction() as session:
        repository.set_meta(session, "round_key", key)
        new = repository.append_edits(session, edits)
    ws.refresh()
    return len(new)


def _catalog(source: Path, category: int) -> dict[str, Any]:
    import yaml  # only when a YAML file is read: opening a database needs none

    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        catalog = catalog_from_dict(data, expected_maximum=RULES_2022[category].maximum)
    except (OSError, yaml.YAMLError, CatalogError) as error:
        raise ServiceError(f"Bộ tiêu chí mẫu {source.name} không hợp lệ: {error}") from error
    return catalog.to_dict()
