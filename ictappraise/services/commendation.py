"""Commendation: model agencies and exemplary individuals proposed to the Organisation Board.

The program proposes candidates by the round's rules (``round/commendation_rules``, shown in
Help): a model agency is rated Tốt with no penalty applied, and first in its category or
within the top N of all agencies by share of the maximum; an exemplary individual is one the
team named at the visit (``agency/<id>/visit/individuals``, with a reason). The lead decides
(``round/commend/<agency id>``: a reason for the agency or null, and the individuals kept):
an edit like any other — signed, merged, traced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ictappraise.domain.fields import COMMENDATION_RULES_FIELD, TOP_N_RANGE, commend_field, individuals_field
from ictappraise.domain.numbers import format_points
from ictappraise.domain.rating import Band
from ictappraise.services import chain
from ictappraise.services.field_rules_chain import commendation_problem, individuals_problem
from ictappraise.services.model import AgencyResult
from ictappraise.services.workspace import Change, ServiceError, Workspace

RULES_FIELD = COMMENDATION_RULES_FIELD
DEFAULT_TOP_N = 3


@dataclass(frozen=True)
class Person:
    """An exemplary individual named at the visit."""

    name: str
    title: str
    reason: str


@dataclass(frozen=True)
class Proposal:
    """One agency in the proposals: as a model agency (reason) and/or for its individuals."""

    agency_id: str
    code: str
    name: str
    category: int
    model_reason: str | None
    individuals: tuple[Person, ...] = ()
    #: "lead" once the lead decided, "program" while it is the program's candidate.
    source: str = "program"
    share: Decimal = field(default=Decimal(0))


def top_n(ws: Workspace) -> int:
    """N of "within the top N by share of the maximum" (round setting, default 3)."""
    value = ws.state().value(RULES_FIELD)
    if isinstance(value, dict) and isinstance(value.get("top_n"), int):
        return int(value["top_n"])
    return DEFAULT_TOP_N


def rules_text(n: int) -> tuple[str, str]:
    """The two rules in words (Help, the report's note)."""
    return (
        f"Đơn vị điển hình: xếp loại Tốt, không bị hạ bậc, và đứng đầu nhóm đối tượng (Phụ lục) "
        f"hoặc thuộc {n} đơn vị có tỷ lệ điểm so với điểm tối đa cao nhất.",
        "Cá nhân tiêu biểu: do Tổ thẩm định ghi nhận tại buổi thẩm định (ví dụ cán bộ phụ trách "
        "công nghệ thông tin của đơn vị), kèm lý do.",
    )


def set_rules(ws: Workspace, n: int) -> None:
    """The lead sets N (1–25)."""
    from ictappraise.services.appraisal import require_lead

    require_lead(ws, "thay đổi tiêu chí đề xuất khen thưởng")
    low, high = TOP_N_RANGE
    if not isinstance(n, int) or not low <= n <= high:
        raise ServiceError(f"Số đơn vị dẫn đầu phải từ {low} đến {high}.")
    ws.set(RULES_FIELD, {"top_n": n})


def _final(result: AgencyResult) -> bool:
    card = result.scorecard
    return result.rank is not None and card.rating is not None and card.complete and not result.conflicts


def _share(result: AgencyResult) -> Decimal:
    card = result.scorecard
    return card.total * 100 / card.maximum if card.maximum else Decimal(0)


def candidates(ws: Workspace, results: list[AgencyResult] | None = None) -> dict[str, str]:
    """Agency id → why the program proposes it as a model agency."""
    results = ws.results() if results is None else results
    final = [r for r in results if _final(r)]
    ranked = sorted(final, key=_share, reverse=True)
    n = top_n(ws)
    top = {r.agency.id: place for place, r in enumerate(ranked[:n], start=1)}
    found = {}
    for result in final:
        rating = result.scorecard.rating
        assert rating is not None
        if rating.band is not Band.TOT or rating.applied:
            continue
        why = []
        if result.rank == 1:
            why.append(f"đứng đầu Phụ lục {result.agency.category}")
        if result.agency.id in top:
            why.append(f"thứ {top[result.agency.id]} trong {n} đơn vị có tỷ lệ điểm cao nhất")
        if not why:
            continue
        card = result.scorecard
        text = (
            f"Xếp loại Tốt, không bị hạ bậc ({format_points(card.total)}/{format_points(card.maximum)}, "
            f"{format_points(_share(result).quantize(Decimal('0.1')))}% tối đa); {', '.join(why)}"
        )
        last = chain.trends(ws).last(result.agency.code)
        if last is not None and last.band:
            text += f"; năm {last.year}: {last.band}"
        found[result.agency.id] = text + "."
    return found


def named_individuals(ws: Workspace, agency_id: str) -> tuple[Person, ...]:
    """The people the team named at the visit."""
    value = ws.state(agency_id).value(individuals_field(agency_id))
    if not isinstance(value, list) or individuals_problem(value):
        return ()
    return tuple(Person(p["name"], p.get("title") or "", p["reason"]) for p in value)


def set_individuals(ws: Workspace, agency_id: str, people: list[dict[str, str]]) -> None:
    """The team names exemplary individuals at the visit (locked with the minutes)."""
    cleaned = [
        {k: " ".join(str(v).split()) for k, v in p.items() if k in ("name", "title", "reason")}
        for p in people
    ]
    problem = individuals_problem(cleaned)
    if problem:
        raise ServiceError(f"Cá nhân tiêu biểu: {problem}.")
    ws.write([Change(individuals_field(agency_id), cleaned)])


def decide(
    ws: Workspace, agency_id: str, model_reason: str | None, individuals: list[dict[str, str]]
) -> None:
    """The lead's decision for one agency (model_reason None: not a model agency)."""
    from ictappraise.services.appraisal import require_lead

    require_lead(ws, "quyết định đề xuất khen thưởng")
    ws.agency(agency_id)
    if model_reason is not None and not model_reason.strip():
        raise ServiceError("Hãy ghi lý do đề xuất đơn vị điển hình.")
    value: dict[str, Any] = {
        "model": " ".join(model_reason.split()) if model_reason and model_reason.strip() else None,
        "individuals": [
            {k: " ".join(str(v).split()) for k, v in p.items() if k in ("name", "title", "reason")}
            for p in individuals
        ],
    }
    problem = commendation_problem(value)
    if problem:
        raise ServiceError(f"Đề xuất khen thưởng: {problem}.")
    ws.set(commend_field(agency_id), value)


def proposals(ws: Workspace, results: list[AgencyResult] | None = None) -> list[Proposal]:
    """Every agency proposed (by the lead's decision, else the program's), Phụ lục and rank order."""
    results = ws.results() if results is None else results
    proposed = candidates(ws, results)
    state = ws.state()
    found = []
    for result in results:
        agency = result.agency
        decision = state.value(commend_field(agency.id))
        if isinstance(decision, dict) and commendation_problem(decision) is None:
            people = tuple(
                Person(p["name"], p.get("title") or "", p["reason"]) for p in decision["individuals"]
            )
            item = Proposal(
                agency.id, agency.code, agency.name, agency.category, decision["model"], people, "lead"
            )
        else:
            item = Proposal(
                agency.id,
                agency.code,
                agency.name,
                agency.category,
                proposed.get(agency.id),
                named_individuals(ws, agency.id),
            )
        if item.model_reason or item.individuals:
            found.append(item)
    return found
