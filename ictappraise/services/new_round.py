"""Start a new round from the round open now: a new database file, same agencies, team and catalogs.

What is copied becomes seed edits of the new round (deterministic ids from the new key, like
the shipped 2022 round), so two laptops that start the same new round from the same file hold
identical edits. Scores, notes, evidence, penalty facts, visits and signatures of minutes are
not copied: the new round starts empty.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import (
    CATALOG_HEAD,
    ROUND_WHOLE,
    agency_field,
    catalog_field,
    member_field,
    parse_field,
    round_field,
    rules_field,
    visit_field,
)
from ictappraise.domain.rating import CATEGORIES
from ictappraise.services import chain
from ictappraise.services.appraisal import require_lead
from ictappraise.services.round_admin import agency_rows
from ictappraise.services.seed import ROUND_KEYS, SEED_DEVICE, stable_id
from ictappraise.services.workspace import SYSTEM_AUTHOR, ServiceError, Workspace, now_iso
from ictappraise.store import repository
from ictappraise.store.database import StoreError, delete_database, open_database

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{2,60}$")


@dataclass(frozen=True)
class NewRound:
    """What the lead chooses for the new round."""

    key: str
    year: int
    name: str
    report_deadline: date | None = None
    visit_start: date | None = None
    visit_end: date | None = None


@dataclass(frozen=True)
class NewRoundResult:
    """What was created."""

    path: Path
    agencies: int
    members: int
    catalogs: int
    edits: int


def _shift(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 → 28/02
        return day.replace(year=day.year + years, day=28)


def suggest(ws: Workspace) -> NewRound:
    """The next year's round: the key and name with the year changed, dates a year later."""
    info = ws.round_info()
    return for_year(ws, (info.year or date.today().year - 1) + 1)


def for_year(ws: Workspace, new: int) -> NewRound:
    """The round of year ``new``: the key and name with the year changed, dates shifted."""
    info = ws.round_info()
    old = info.year or new - 1
    key = info.key.replace(str(old), str(new)) if str(old) in info.key else f"{info.key}-{new}"
    name = info.name.replace(str(old), str(new)) if str(old) in info.name else f"{info.name} {new}"
    return NewRound(
        key=key,
        year=new,
        name=name,
        report_deadline=_shift(info.report_deadline, new - old),
        visit_start=_shift(info.visit_start, new - old),
        visit_end=_shift(info.visit_end, new - old),
    )


def validate(ws: Workspace, plan: NewRound) -> None:
    """Refuse a plan that cannot make a usable round (Vietnamese ServiceError)."""
    low, high = ROUND_WHOLE["year"]
    if not low <= plan.year <= high:
        raise ServiceError(f"Năm đánh giá {plan.year} không hợp lệ.")
    if ws.round_info().year and plan.year <= ws.round_info().year:
        raise ServiceError(
            f"Năm của đợt mới ({plan.year}) phải sau năm của đợt đang mở ({ws.round_info().year})."
        )
    if not _KEY.match(plan.key or ""):
        raise ServiceError(
            f"Mã đợt «{plan.key}» không hợp lệ: chỉ gồm chữ thường không dấu, số và dấu gạch nối, "
            "ví dụ binh-thuan-2023."
        )
    if plan.key == ws.round_info().key:
        raise ServiceError(f"Mã đợt mới phải khác mã đợt đang mở ({plan.key}).")
    if not " ".join((plan.name or "").split()):
        raise ServiceError("Tên đợt đánh giá không được để trống.")
    if plan.visit_start and plan.visit_end and plan.visit_start > plan.visit_end:
        raise ServiceError("Ngày bắt đầu thẩm định phải trước hoặc bằng ngày kết thúc.")


def start_new_round(ws: Workspace, target: str | os.PathLike[str], plan: NewRound) -> NewRoundResult:
    """Create the new round's database file at target (which must not exist yet)."""
    require_lead(ws, "tạo đợt đánh giá mới")
    validate(ws, plan)
    path = Path(target).expanduser()
    if path.exists() and path.stat().st_size > 0:
        raise ServiceError(f"Tệp {path} đã có. Hãy chọn tên tệp khác cho đợt đánh giá mới.")
    if path.resolve() == ws.db.path:
        raise ServiceError("Không thể ghi đợt mới vào chính tệp dữ liệu đang mở.")
    values, signatures = _values(ws, plan)
    created = now_iso()
    images = _signature_bytes(ws, signatures)
    refs = {name: parse_field(name) for name in values}
    for field in [
        f for f, v in values.items() if refs[f].member_id and refs[f].head == "signature" and v not in images
    ]:
        del values[field]  # the image is not in this file: the new round starts without it
    edits = [
        Edit(stable_id(plan.key, "seed", field), field, value, SYSTEM_AUTHOR, SEED_DEVICE, created)
        for field, value in values.items()
    ]
    try:
        db = open_database(path, create=True)
    except StoreError as error:
        raise ServiceError(str(error)) from error
    try:
        with db.transaction() as session:
            repository.set_meta(session, "round_key", plan.key)
            for data in images.values():
                repository.put_attachment(session, data)
            repository.append_edits(session, edits)
    except BaseException:
        db.close()
        delete_database(path, with_lock=True)
        raise
    db.close()
    return NewRoundResult(
        path=path.resolve(),
        agencies=sum(1 for f in values if refs[f].agency_id and refs[f].rest == ("code",)),
        members=sum(1 for f in values if refs[f].member_id and refs[f].rest == ("name",)),
        catalogs=sum(1 for f in values if refs[f].family == CATALOG_HEAD),
        edits=len(edits),
    )


def _values(ws: Workspace, plan: NewRound) -> tuple[dict[str, Any], list[str]]:
    state = ws.state()
    values: dict[str, Any] = {}
    for key in ROUND_KEYS:
        value = state.value(round_field(key))
        if value is not None:
            values[round_field(key)] = value
    new = {
        "key": plan.key,
        "year": plan.year,
        "name": " ".join(plan.name.split()),
        "report_deadline": plan.report_deadline,
        "visit_start": plan.visit_start,
        "visit_end": plan.visit_end,
    }
    for key, value in new.items():
        values[round_field(key)] = value.isoformat() if isinstance(value, date) else value
    for category, rules in ws.rules().items():
        values[rules_field(category)] = rules.to_dict()
    for category in CATEGORIES:
        catalog = state.value(catalog_field(category))
        if catalog:
            values[catalog_field(category)] = catalog
    signatures = []
    for member in ws.members():
        values[member_field(member.id, "name")] = member.name
        values[member_field(member.id, "title")] = member.title
        values[member_field(member.id, "role")] = member.role
        if member.signature:
            values[member_field(member.id, "signature")] = member.signature
            signatures.append(member.signature)
    for order, row in enumerate(agency_rows(ws), start=1):
        agency = row.agency
        values[agency_field(agency.id, "code")] = agency.code
        values[agency_field(agency.id, "name")] = agency.name
        values[agency_field(agency.id, "category")] = agency.category
        values[agency_field(agency.id, "order")] = order
        place = ws.state(agency.id).value(visit_field(agency.id, "place"))
        if place:
            values[visit_field(agency.id, "place")] = place
    values.update(chain.carried_values(ws))  # previous results archived, linked by fingerprint
    return values, signatures


def _signature_bytes(ws: Workspace, digests: list[str]) -> dict[str, bytes]:
    found = {}
    with ws.db.reading() as session:
        for digest in digests:
            data = repository.get_attachment(session, digest)
            if data is not None:
                found[digest] = data
    return found
