"""The chain of rounds: the archive of previous results a round keeps, and each agency's trend.

A new round started from the last one holds, as seed edits of the round scope:
``round/previous/<year>`` — a snapshot of that year's results (domain.trends.ArchivedRound),
one per previous year (the last round's own results plus the archive it carried), and
``round/link`` — the last round's key, year and the fingerprint of its snapshot. So the
previous results stay readable when the old file is gone. ``round/code_map`` (lead, old code →
new code) follows agencies renamed or merged between years.
"""

from __future__ import annotations

from typing import Any

from ictappraise.domain.fields import CODE_MAP_FIELD, LINK_FIELD, parse_field, previous_field
from ictappraise.domain.numbers import format_points
from ictappraise.domain.trends import (
    ArchivedRound,
    PreviousResult,
    Trends,
    build_trends,
    code_map_problem,
    read_snapshot,
    snapshot_problem,
    trend_text,
)
from ictappraise.services.model import STATUS_SIGNED
from ictappraise.services.workspace import ServiceError, Workspace

__all__ = ["CODE_MAP_FIELD", "LINK_FIELD", "previous_field"]  # the chain's fields (domain.fields)


def snapshot(ws: Workspace) -> ArchivedRound:
    """This round's results as the next round archives them (signed or not, marked)."""
    info = ws.round_info()
    agencies: dict[str, dict[str, Any]] = {}
    for result in ws.results():
        card = result.scorecard
        rating = card.rating
        detail = ws.detail(result.agency.id)
        agencies[result.agency.code] = {
            "name": result.agency.name,
            "category": result.agency.category,
            "total": format_points(card.total, comma=False),
            "maximum": format_points(card.maximum, comma=False),
            "band": rating.band.value if rating and card.complete and not result.conflicts else None,
            "signed": result.status == STATUS_SIGNED,
            "penalties": list(rating.applied) if rating else [],
            # Only signed minutes' recommendations are followed up next year (drafts are not final).
            "recommendations": detail.visit.recommendations.strip() if result.status == STATUS_SIGNED else "",
        }
    return ArchivedRound(info.key, info.year, info.name, agencies)


def archives(ws: Workspace) -> list[ArchivedRound]:
    """The previous rounds this round keeps, newest first (unusable values skipped)."""

    def build(state: Any) -> list[ArchivedRound]:
        found = []
        for name, fs in state.fields.items():
            if parse_field(name).is_round("previous") and fs.heads:
                archived = read_snapshot(fs.value)
                if archived is not None:
                    found.append(archived)
        return sorted(found, key=lambda a: a.year, reverse=True)

    return ws._round_derived("chain.archives", build)


def code_map(ws: Workspace) -> dict[str, str]:
    """Old code → this year's code (lead-editable)."""
    value = ws.state().value(CODE_MAP_FIELD)
    return dict(value) if value and code_map_problem(value) is None else {}


def trends(ws: Workspace) -> Trends:
    """Every agency's previous results by this year's code (cached with the round settings)."""

    def build(state: Any) -> Trends:
        return build_trends(archives(ws), code_map(ws))

    return ws._round_derived("chain.trends", build)


def previous_of(ws: Workspace, code: str) -> tuple[PreviousResult, ...]:
    """An agency's previous results, newest first."""
    return trends(ws).of(code)


def trend_line(ws: Workspace, code: str, maximum: Any, limit: int = 2) -> str:
    """ "Năm trước — 2021: Tốt (771,5/800); 2020: …", or "" without any previous result."""
    found = previous_of(ws, code)
    return f"Kết quả các năm trước — {trend_text(found, maximum, limit)}" if found else ""


def link(ws: Workspace) -> dict[str, Any] | None:
    """The last round this one was started from: {key, year, fingerprint}, or None."""
    value = ws.state().value(LINK_FIELD)
    return dict(value) if isinstance(value, dict) else None


def link_intact(ws: Workspace) -> bool | None:
    """Whether the archived last round still matches the fingerprint of the link (None: no link)."""
    found = link(ws)
    if found is None:
        return None
    archived = next((a for a in archives(ws) if a.year == found.get("year")), None)
    return archived is not None and archived.fingerprint() == found.get("fingerprint")


def carried_values(ws: Workspace) -> dict[str, Any]:
    """The archive and the link a new round started from ws holds (field → value)."""
    own = snapshot(ws)
    values: dict[str, Any] = {previous_field(a.year): a.to_json() for a in archives(ws) if a.year != own.year}
    values[previous_field(own.year)] = own.to_json()
    values[LINK_FIELD] = {"key": own.key, "year": own.year, "fingerprint": own.fingerprint()}
    mapping = code_map(ws)
    if mapping:
        values[CODE_MAP_FIELD] = mapping
    return values


def set_code_map(ws: Workspace, mapping: dict[str, str]) -> None:
    """The lead maps previous years' codes to this year's (renamed or merged agencies)."""
    from ictappraise.services.appraisal import require_lead

    require_lead(ws, "ghép mã đơn vị giữa các năm")
    cleaned = {old.strip(): new.strip() for old, new in mapping.items()}
    problem = code_map_problem(cleaned)
    if problem:
        raise ServiceError(f"Bảng ghép mã đơn vị: {problem}.")
    codes = {a.code for a in ws.agencies()}
    unknown = sorted(new for new in cleaned.values() if new not in codes)
    if unknown:
        raise ServiceError(f"Mã đơn vị {', '.join(unknown)} không có trong đợt này.")
    ws.set(CODE_MAP_FIELD, cleaned)


def archive_from_file(ws: Workspace, data: dict[str, Any]) -> ArchivedRound:
    """A previous round's results from a results file (resources/rounds/*_results.yaml).

    Agencies are this round's (same codes): name and category from here, the maximum from the
    file's maxima per category.
    """
    maxima = {int(c): str(m) for c, m in (data.get("maxima") or {}).items()}
    agencies: dict[str, dict[str, Any]] = {}
    for agency in ws.agencies():
        row = (data.get("agencies") or {}).get(agency.code)
        if row is None:
            continue
        agencies[agency.code] = {
            "name": str(row.get("name", agency.name)),
            "category": agency.category,
            "total": str(row["total"]),
            "maximum": maxima.get(
                agency.category, format_points(ws.catalog(agency.category).maximum, comma=False)
            ),
            "band": row.get("band"),
            "signed": True,
            "penalties": list(row.get("penalties") or []),
            "recommendations": str(row.get("recommendations") or ""),
        }
    return ArchivedRound(str(data["key"]), int(data["year"]), str(data["name"]), agencies)


def seed_archive(ws: Workspace, archived: ArchivedRound, created: str) -> int:
    """Write a previous round's results and the link to it as seed edits (deterministic ids)."""
    from ictappraise.domain.editlog import Edit
    from ictappraise.services.seed import SEED_DEVICE, stable_id
    from ictappraise.services.workspace import SYSTEM_AUTHOR
    from ictappraise.store import repository

    problem = snapshot_problem(archived.to_json())
    if problem:
        raise ServiceError(f"Kết quả năm {archived.year}: {problem}.")
    key = ws.round_info().key
    values = {
        previous_field(archived.year): archived.to_json(),
        LINK_FIELD: {"key": archived.key, "year": archived.year, "fingerprint": archived.fingerprint()},
    }
    edits = [
        Edit(stable_id(key, "seed", name), name, value, SYSTEM_AUTHOR, SEED_DEVICE, created)
        for name, value in values.items()
    ]
    with ws.db.transaction() as session:
        new = repository.append_edits(session, edits)
    ws.refresh([repository.ROUND_SCOPE])
    return len(new)
