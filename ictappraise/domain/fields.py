"""Names of the fields that edits change (see the layout in ictappraise.domain.editlog)."""

from __future__ import annotations

from ictappraise.domain.editlog import status_field

__all__ = [
    "agency_field",
    "attachment_field",
    "catalog_field",
    "crit_field",
    "dropped_line_field",
    "fact_field",
    "member_field",
    "portal_field",
    "round_field",
    "rules_field",
    "status_field",
    "visit_field",
]


def round_field(key: str) -> str:
    return f"round/{key}"


def rules_field(category: int) -> str:
    return f"round/rules/{category}"


def catalog_field(category: int) -> str:
    return f"catalog/{category}"


def member_field(member_id: str, key: str) -> str:
    return f"member/{member_id}/{key}"


def agency_field(agency_id: str, key: str) -> str:
    return f"agency/{agency_id}/{key}"


def crit_field(agency_id: str, code: str, part: str) -> str:
    """part: appraised, self, self_evidence, self_by_team or note."""
    return f"agency/{agency_id}/crit/{code}/{part}"


def attachment_field(agency_id: str, code: str, digest: str) -> str:
    return f"agency/{agency_id}/crit/{code}/attachment/{digest}"


def fact_field(agency_id: str, key: str) -> str:
    """key: report_sent, report_received or report_attached."""
    return f"agency/{agency_id}/fact/{key}"


def portal_field(agency_id: str, month: int) -> str:
    return f"agency/{agency_id}/fact/portal/{month}"


def visit_field(agency_id: str, key: str) -> str:
    return f"agency/{agency_id}/visit/{key}"


def dropped_line_field(agency_id: str, line: str) -> str:
    """line: a required "Hạn chế" line's key (crit/<code>, fact/<key>); value {"reason"} or None."""
    return f"agency/{agency_id}/visit/dropped/{line}"
