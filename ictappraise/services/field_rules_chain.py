"""Field value rules for the chain of rounds: archive, link, code map, follow-ups, commendations.

Round scope: ``round/previous/<year>`` (snapshot), ``round/link``, ``round/code_map``,
``round/commendation_rules`` ({"top_n"}), ``round/commend/<agency id>`` (the lead's decision).
Agency scope (visit details, so signing locks them): ``agency/<id>/visit/followup/<n>``
({"state", "note"}) and ``agency/<id>/visit/individuals`` ([{"name", "title", "reason"}]).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ictappraise.domain.fields import FOLLOWUP_STATES, TOP_N_RANGE
from ictappraise.domain.trends import code_map_problem, link_problem, snapshot_problem
from ictappraise.services.field_shapes import UNKNOWN, shown, text_problem, whole_problem


def round_chain_problem(rest: list[str], value: Any) -> str | None:
    """Problems of round/<previous|link|code_map|commendation_rules|commend>/…; UNKNOWN otherwise."""
    head = rest[0]
    if head == "previous" and len(rest) == 2:
        if not rest[1].isdigit():
            return UNKNOWN
        problem = snapshot_problem(value)
        if problem is None and str(value["year"]) != rest[1]:
            return f"là kết quả năm {value['year']}, không phải năm {rest[1]}"
        return problem
    if len(rest) == 1 and head == "link":
        return link_problem(value)
    if len(rest) == 1 and head == "code_map":
        return code_map_problem(value)
    if len(rest) == 1 and head == "commendation_rules":
        if not isinstance(value, Mapping) or set(value) != {"top_n"}:
            return 'phải có dạng {"top_n": số}'
        return whole_problem(value["top_n"], *TOP_N_RANGE)
    if len(rest) == 2 and head == "commend":
        return None if value is None else commendation_problem(value)
    return UNKNOWN


def commendation_problem(value: Any) -> str | None:
    """The lead's decision for one agency: {"model": reason | null, "individuals": [...]}."""
    if not isinstance(value, Mapping) or set(value) != {"model", "individuals"}:
        return 'phải có dạng {"model": lý do hoặc null, "individuals": [...]}'
    if value["model"] is not None:
        problem = text_problem(value["model"], required=True)
        if problem:
            return f"lý do đề xuất đơn vị điển hình {problem}"
    return individuals_problem(value["individuals"])


def individuals_problem(value: Any) -> str | None:
    """A list of exemplary individuals, each with a name and a reason."""
    if not isinstance(value, list):
        return f"phải là danh sách cá nhân, không phải {shown(value)}"
    for person in value:
        if not isinstance(person, Mapping) or not set(person) <= {"name", "title", "reason"}:
            return 'mỗi cá nhân phải có dạng {"name", "title", "reason"}'
        for key in ("name", "reason"):
            if text_problem(person.get(key), required=True):
                return "mỗi cá nhân phải có họ tên và lý do"
        if person.get("title") is not None and text_problem(person["title"]):
            return "chức vụ phải là văn bản"
    return None


def visit_chain_problem(rest: list[str], value: Any) -> str | None:
    """Problems of agency/<id>/visit/<followup/<n>|individuals>; UNKNOWN otherwise."""
    if len(rest) == 2 and rest[0] == "followup" and rest[1].isdigit() and int(rest[1]) >= 1:
        return None if value is None else followup_problem(value)
    if len(rest) == 1 and rest[0] == "individuals":
        return individuals_problem(value)
    return UNKNOWN


def followup_problem(value: Any) -> str | None:
    if not isinstance(value, Mapping) or set(value) != {"state", "note"}:
        return 'phải có dạng {"state": …, "note": "…"}'
    if value["state"] not in FOLLOWUP_STATES:
        return f"phải là một trong {', '.join(FOLLOWUP_STATES.values())}, không phải {shown(value['state'])}"
    return text_problem(value["note"])
