"""Read models the screens, the CLI and the exports receive (plain data, no sessions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ictappraise.domain.catalog import Catalog
from ictappraise.domain.editlog import Edit, FieldState
from ictappraise.domain.roles import ROLE_LABELS
from ictappraise.domain.scorecard import Appraisal, PenaltyFacts, Scorecard

STATUS_NOT_STARTED = "not_started"
STATUS_IN_PROGRESS = "in_progress"
STATUS_READY = "ready"
STATUS_SIGNED = "signed"
STATUS_LABELS = {
    STATUS_NOT_STARTED: "Chưa thẩm định",
    STATUS_IN_PROGRESS: "Đang thẩm định",
    STATUS_READY: "Chờ ký",
    STATUS_SIGNED: "Đã ký",
}


@dataclass(frozen=True)
class RoundInfo:
    """Settings of the round held in this database."""

    key: str
    name: str
    year: int
    province: str
    issuer: str
    issuing_unit: str
    place: str
    legal_basis: tuple[str, ...]
    report_deadline: date | None
    visit_start: date | None
    visit_end: date | None
    portal_quota: int
    minutes_copies: int
    minutes_number_suffix: str
    #: Stored settings that could not be read (taken as absent), in words; shown with every agency.
    problems: tuple[str, ...] = ()
    #: The same for one category's thresholds or catalog: (category, words).
    category_problems: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Member:
    """A member of the appraisal team."""

    id: str
    name: str
    title: str
    role: str
    signature: str | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(frozen=True)
class Agency:
    """An agency appraised in the round."""

    id: str
    code: str
    name: str
    category: int
    visit_date: date | None = None
    visit_time: str = ""


@dataclass(frozen=True)
class Representative:
    """A person signing for the agency."""

    name: str
    title: str = ""


@dataclass(frozen=True)
class Visit:
    """Everything the minutes need about a visit."""

    date: date | None = None
    start: str = ""
    end: str = ""
    place: str = ""
    team: tuple[str, ...] = ()
    representatives: tuple[Representative, ...] = ()
    strengths: str = ""
    weaknesses: str = ""
    recommendations: str = ""
    opinion: str = "agree"
    opinion_text: str = ""
    minutes_number: str = ""
    #: Required "Hạn chế" lines dropped with a reason: (line key, reason), sorted by key.
    dropped: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CriterionEntry:
    """What is recorded for one criterion or sub-item of an agency."""

    code: str
    appraisal: Appraisal | None = None
    self_points: Decimal | None = None
    self_evidence: str = ""
    self_entered_by_team: bool = False
    note: str = ""
    attachments: tuple[dict[str, Any], ...] = ()
    conflict: FieldState | None = None


@dataclass(frozen=True)
class AgencyDetail:
    """An agency with its catalog, entries, facts, visit, status and scorecard."""

    agency: Agency
    catalog: Catalog
    entries: dict[str, CriterionEntry]
    facts: PenaltyFacts
    visit: Visit
    status: str
    status_value: dict[str, Any]
    scorecard: Scorecard
    conflicts: tuple[FieldState, ...] = ()
    held: tuple[Edit, ...] = ()
    missing_reasons: tuple[str, ...] = field(default=())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def signed(self) -> bool:
        return self.status == STATUS_SIGNED


@dataclass(frozen=True)
class AgencyResult:
    """One line of the ranked results."""

    agency: Agency
    scorecard: Scorecard
    status: str
    rank: int | None
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryLine:
    """One change of a field, for the audit trail."""

    edit: Edit
    author_name: str
    old_values: tuple[Any, ...]
    new_value: Any
    held: bool = False
    held_reason: str = ""  # why it is held (domain.authority, the signing rule)
