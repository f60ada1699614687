"""Agency-level scoring: one function for the preview, the minutes and the exports.

From a catalog, what was entered for each criterion and the penalty facts, compute the
per-group subtotals, the total, the failed, unscored and conflicting criteria, and the
rating with its reasons. Not scored is not zero (docs/rules.md §4). ``unscored`` lists every
row still to score (sub-items included, for the clerk); ``unscored_criteria`` counts each
criterion once, for "còn n tiêu chí chưa chấm".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.numbers import format_points, parse_decimal, quantize_points
from ictappraise.domain.rating import CategoryRules, Rating, rate
from ictappraise.domain.scoring_rules import RuleError, SubItems

MONTHS = 12


@dataclass(frozen=True)
class Appraisal:
    """What the team entered for one scored row: a rule input, or points typed over the rule."""

    input: Any = None
    override: Decimal | None = None
    #: Why a stored entry could not be read (an older build stored it unchecked): the row is
    #: unscored and this is reported as its error. Never written.
    invalid: str = ""

    @classmethod
    def unreadable(cls, value: Any) -> Appraisal:
        """The stand-in for a stored value that is not an appraised entry at all."""
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:59] + "…"
        return cls(invalid=f"điểm thẩm định đã lưu không đọc được ({shown}); hãy chấm lại")

    def to_json(self) -> dict[str, Any]:
        if self.override is not None:
            return {"override": format_points(self.override, comma=False)}
        return {"input": self.input}

    @classmethod
    def from_json(cls, data: Any) -> Appraisal | None:
        """None (cleared: chưa chấm) stays None."""
        if data is None:
            return None
        if not isinstance(data, Mapping):
            raise ValueError(f"Điểm thẩm định không đúng dạng (cần «input» hoặc «override»): {data!r:.60}.")
        if "override" in data:
            return cls(override=parse_decimal(data["override"], what="Điểm thẩm định"))
        return cls(input=data.get("input"))


@dataclass(frozen=True)
class PenaltyFacts:
    """Facts behind the penalties (docs/rules.md §4)."""

    deadline: date | None = None
    report_sent: date | None = None
    report_received: date | None = None
    report_attached: bool = True
    portal_counts: Sequence[int | None] = (None,) * MONTHS
    portal_quota: int = 0
    #: Stored values that could not be read (counted as unknown); reported as scorecard errors.
    problems: tuple[str, ...] = ()

    @property
    def days_late(self) -> int | None:
        """Calendar days from the deadline to the dispatch (else arrival) date; 0 if on time.

        None while no report date (or no deadline) is recorded: unknown is not "on time".
        """
        when = self.report_sent or self.report_received
        if when is None or self.deadline is None:
            return None
        return max(0, (when - self.deadline).days)

    @property
    def portal_missing_months(self) -> int:
        """Months whose known count of portal news is below the quota."""
        return sum(1 for count in self.portal_counts if count is not None and count < self.portal_quota)

    @property
    def portal_unentered_months(self) -> int:
        """Months whose count of portal news is not entered: unknown, neither short nor enough.

        0 when there is no quota: no month can then fall short, so an empty month decides nothing.
        """
        if self.portal_quota <= 0:
            return 0
        return sum(1 for count in self.portal_counts if count is None)

    @property
    def portal_short_months(self) -> tuple[int, ...]:
        """Month numbers (1–12) short of the quota."""
        return tuple(
            month
            for month, count in enumerate(self.portal_counts, start=1)
            if count is not None and count < self.portal_quota
        )


@dataclass(frozen=True)
class RowScore:
    """One criterion or sub-item as scored."""

    code: str
    maximum: Decimal
    self_points: Decimal | None
    points: Decimal | None
    error: str = ""
    conflict: bool = False
    overridden: bool = False

    @property
    def difference(self) -> Decimal | None:
        if self.points is None or self.self_points is None:
            return None
        return self.points - self.self_points


@dataclass(frozen=True)
class GroupScore:
    """Subtotals of one group."""

    code: str
    name: str
    maximum: Decimal
    points: Decimal
    self_points: Decimal


@dataclass(frozen=True)
class Scorecard:
    """The result of scoring one agency."""

    category: int
    maximum: Decimal
    rows: Mapping[str, RowScore]
    groups: tuple[GroupScore, ...]
    total: Decimal
    self_total: Decimal
    failed: tuple[str, ...]
    #: Rows still to score: criteria without sub-items and sub-items ("I.1", "I.2.a"…).
    unscored: tuple[str, ...]
    #: Criteria with anything still to score, each once (a criterion whose sub-items are
    #: unscored counts once): the number behind "n tiêu chí chưa chấm".
    unscored_criteria: tuple[str, ...]
    conflicts: tuple[str, ...]
    errors: tuple[str, ...]
    rating: Rating | None
    facts: PenaltyFacts = field(default_factory=PenaltyFacts)

    @property
    def complete(self) -> bool:
        """Every criterion scored, no conflict, no invalid input: the minutes can be signed."""
        return not self.unscored and not self.conflicts and not self.errors

    @property
    def provisional(self) -> bool:
        """The band is "tạm tính" while criteria remain unscored."""
        return bool(self.unscored)


def score_row(criterion: Criterion, entry: Appraisal | None) -> tuple[Decimal | None, str]:
    """Points of one leaf (None while unscored) and the reason when its input is invalid."""
    if entry is None:
        return None, ""
    if entry.invalid:
        return None, f"Tiêu chí {criterion.code}: {entry.invalid}."
    if entry.override is not None:
        if entry.override < 0 or entry.override > criterion.maximum:
            return None, (
                f"Điểm {format_points(entry.override)} nằm ngoài khoảng 0–"
                f"{format_points(criterion.maximum)} của tiêu chí {criterion.code}."
            )
        return quantize_points(entry.override), ""
    try:
        return criterion.rule.points(entry.input, criterion.maximum), ""
    except (RuleError, ValueError) as error:
        return None, f"Tiêu chí {criterion.code}: {error}"


def score_agency(
    catalog: Catalog,
    appraisals: Mapping[str, Appraisal | None],
    self_scores: Mapping[str, Decimal | None] | None = None,
    facts: PenaltyFacts | None = None,
    *,
    rules: Mapping[int, CategoryRules] | None = None,
    conflicts: frozenset[str] | set[str] = frozenset(),
) -> Scorecard:
    """Score an agency. Codes in ``conflicts`` count as unknown: no band is guessed."""
    self_scores = self_scores or {}
    facts = facts or PenaltyFacts()
    rows: dict[str, RowScore] = {}
    groups: list[GroupScore] = []
    failed: list[str] = []
    unscored: list[str] = []
    unscored_criteria: list[str] = []
    errors: list[str] = list(facts.problems)
    for group in catalog.groups:
        group_points = Decimal(0)
        group_self = Decimal(0)
        for criterion in group.criteria:
            row = _score_criterion(criterion, appraisals, self_scores, conflicts, rows, errors)
            if row.points is None:
                unscored.extend(_unscored_leaves(criterion, rows))
                unscored_criteria.append(criterion.code)
            else:
                group_points += row.points
                if row.points == 0:
                    failed.append(criterion.code)
            group_self += row.self_points or Decimal(0)
        groups.append(GroupScore(group.code, group.name, group.maximum, group_points, group_self))
    total = sum((g.points for g in groups), Decimal(0))
    # Conflicts on penalty facts (e.g. "report_sent") also leave the band unknown.
    conflict_codes = tuple(code for code, row in rows.items() if row.conflict) + tuple(
        sorted(key for key in conflicts if key not in rows)
    )
    rating = None
    if not conflict_codes:
        rating = rate(
            catalog.category,
            min(total, catalog.maximum),
            failed_criteria=failed,
            days_late=facts.days_late,
            report_attached=facts.report_attached,
            portal_missing_months=facts.portal_missing_months,
            portal_unentered_months=facts.portal_unentered_months,
            unscored_criteria=len(unscored_criteria),
            rules=rules,
        )
    return Scorecard(
        category=catalog.category,
        maximum=catalog.maximum,
        rows=rows,
        groups=tuple(groups),
        total=total,
        self_total=sum((g.self_points for g in groups), Decimal(0)),
        failed=tuple(failed),
        unscored=tuple(unscored),
        unscored_criteria=tuple(unscored_criteria),
        conflicts=conflict_codes,
        errors=tuple(errors),
        rating=rating,
        facts=facts,
    )


def _score_criterion(
    criterion: Criterion,
    appraisals: Mapping[str, Appraisal | None],
    self_scores: Mapping[str, Decimal | None],
    conflicts: frozenset[str] | set[str],
    rows: dict[str, RowScore],
    errors: list[str],
) -> RowScore:
    if not criterion.sub_items:
        row = _leaf(criterion, appraisals, self_scores, conflicts, errors)
        rows[criterion.code] = row
        return row
    subs = [_leaf(sub, appraisals, self_scores, conflicts, errors) for sub in criterion.sub_items]
    for sub in subs:
        rows[sub.code] = sub
    rule = criterion.rule if isinstance(criterion.rule, SubItems) else SubItems()
    known = [s.points for s in subs if s.points is not None]
    points = rule.total(known, criterion.maximum) if len(known) == len(subs) else None
    selfs = [s.self_points for s in subs if s.self_points is not None]
    own_self = self_scores.get(criterion.code)
    self_points = rule.total(selfs, criterion.maximum) if selfs else own_self
    row = RowScore(criterion.code, criterion.maximum, self_points, points)
    rows[criterion.code] = row
    return row


def _leaf(
    criterion: Criterion,
    appraisals: Mapping[str, Appraisal | None],
    self_scores: Mapping[str, Decimal | None],
    conflicts: frozenset[str] | set[str],
    errors: list[str],
) -> RowScore:
    entry = appraisals.get(criterion.code)
    conflict = criterion.code in conflicts
    points, error = (None, "") if conflict else score_row(criterion, entry)
    if error:
        errors.append(error)
    return RowScore(
        code=criterion.code,
        maximum=criterion.maximum,
        self_points=self_scores.get(criterion.code),
        points=points,
        error=error,
        conflict=conflict,
        overridden=entry is not None and entry.override is not None and not _is_manual(criterion),
    )


def _is_manual(criterion: Criterion) -> bool:
    return criterion.rule.kind == "manual"


def _unscored_leaves(criterion: Criterion, rows: Mapping[str, RowScore]) -> list[str]:
    if not criterion.sub_items:
        return [criterion.code]
    return [sub.code for sub in criterion.sub_items if rows[sub.code].points is None]
