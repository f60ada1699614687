"""Scoring use cases: appraised inputs, self scores, notes, penalty facts, visit, status.

Every function validates against the catalog and the rules and refuses impossible input
with a Vietnamese ServiceError — never clamps — before writing one or more edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ictappraise.domain.authority import STATE_ROLES
from ictappraise.domain.catalog import Criterion
from ictappraise.domain.editlog import STATE_READY, STATE_REOPENED, STATE_SIGNED
from ictappraise.domain.fields import (
    CRIT_TEXT_PARTS,
    FACT_DATES,
    OPINIONS,
    PORTAL_MIN,
    PORTAL_MONTHS,
    VISIT_KEYS,
    agency_prefix,
    crit_field,
    fact_field,
    is_lockable,
    parse_field,
    portal_field,
    status_field,
    visit_field,
)
from ictappraise.domain.numbers import format_points, parse_decimal, quantize_points
from ictappraise.domain.rating import Reason, ReasonKind
from ictappraise.domain.roles import ROLE_LEAD
from ictappraise.domain.scorecard import Appraisal, Scorecard, score_row
from ictappraise.services.workspace import Change, ServiceError, Workspace
from ictappraise.services.write_checks import checked


def is_lead(ws: Workspace) -> bool:
    """Whether the acting person is the team's lead."""
    if ws.actor is None:
        return False
    # The role derived from the edits (domain.authority), never the one a laptop typed.
    return ws.roster.role_of(ws.actor.member_id) == ROLE_LEAD


def may_record_signing(ws: Workspace) -> bool:
    """Whether the acting person may record that minutes were signed (the lead or the secretary)."""
    role = ws.roster.role_of(ws.actor.member_id) if ws.actor else None
    return role in STATE_ROLES[STATE_SIGNED]


def require_lead(ws: Workspace, what: str = "thay đổi thiết lập của đợt đánh giá") -> None:
    """Refuse unless the acting person is the lead: "Chỉ Tổ trưởng được {what}."."""
    ws.require_actor()
    if not is_lead(ws):
        raise ServiceError(f"Chỉ Tổ trưởng được {what}.")


def criterion_of(ws: Workspace, agency_id: str, code: str) -> Criterion:
    """The criterion or sub-item of an agency's catalog, or a clear refusal."""
    agency = ws.agency(agency_id)
    found = ws.catalog(agency.category).find(code)
    if found is None:
        raise ServiceError(f"Bộ tiêu chí Phụ lục {agency.category} không có tiêu chí {code}.")
    return found


def appraisal_change(
    ws: Workspace, agency_id: str, code: str, appraisal: Appraisal | None, reason: str | None = None
) -> Change:
    """Validate an appraised entry and return the change (None clears it: chưa chấm)."""
    criterion = criterion_of(ws, agency_id, code)
    if criterion.sub_items:
        raise ServiceError(f"Tiêu chí {code} tính bằng tổng các tiểu mục; hãy chấm từng tiểu mục.")
    value = None
    if appraisal is not None:
        if appraisal.override is None:
            try:
                appraisal = Appraisal(input=criterion.rule.normalize_input(appraisal.input))
            except ValueError as error:
                raise ServiceError(f"Tiêu chí {code}: {error}") from error
        _points, error_text = score_row(criterion, appraisal)
        if error_text:
            raise ServiceError(error_text)
        value = appraisal.to_json()
    return Change(crit_field(agency_id, code, "appraised"), value, reason)


def set_appraisal(
    ws: Workspace, agency_id: str, code: str, appraisal: Appraisal | None, reason: str | None = None
) -> None:
    ws.write([appraisal_change(ws, agency_id, code, appraisal, reason)])


def self_score_change(
    ws: Workspace, agency_id: str, code: str, points: Any, reason: str | None = None
) -> Change:
    """Validate a self score (0..max of the row) and return the change."""
    criterion = criterion_of(ws, agency_id, code)
    value = None
    if points is not None and points != "":
        # Points are kept to 0.01, half up (docs/rules.md §4): a cached "=20/3" is 6,67.
        amount = quantize_points(parse_decimal(points, what=f"Điểm tự đánh giá của tiêu chí {code}"))
        check_points(amount, criterion)
        value = format_points(amount, comma=False)
    return Change(crit_field(agency_id, code, "self"), value, reason)


def check_points(amount: Decimal, criterion: Criterion) -> None:
    if amount < 0 or amount > criterion.maximum:
        raise ServiceError(
            f"Điểm {format_points(amount)} của tiêu chí {criterion.code} nằm ngoài khoảng 0–"
            f"{format_points(criterion.maximum)}."
        )


def self_score_changes(
    ws: Workspace, agency_id: str, code: str, points: Any, *, by_team: bool = False, reason: str | None = None
) -> list[Change]:
    """A self score, and with ``by_team`` the mark that the team entered it for the agency."""
    changes = [self_score_change(ws, agency_id, code, points, reason)]
    if by_team:
        changes.append(Change(crit_field(agency_id, code, "self_by_team"), True))
    return changes


def set_self_score(
    ws: Workspace, agency_id: str, code: str, points: Any, *, by_team: bool = False, reason: str | None = None
) -> None:
    ws.write(self_score_changes(ws, agency_id, code, points, by_team=by_team, reason=reason))


def text_change(
    ws: Workspace, agency_id: str, code: str, part: str, text: str, reason: str | None = None
) -> Change:
    """A note (reason of a difference, evidence seen) or the agency's evidence text, checked."""
    if part not in CRIT_TEXT_PARTS:
        raise ServiceError(f"Không có trường {part}.")
    criterion_of(ws, agency_id, code)
    return checked(Change(crit_field(agency_id, code, part), text.strip(), reason))


def set_text(ws: Workspace, agency_id: str, code: str, part: str, text: str) -> None:
    ws.write([text_change(ws, agency_id, code, part, text)])


def report_changes(
    ws: Workspace,
    agency_id: str,
    *,
    sent: date | None | str = "keep",
    received: date | None | str = "keep",
    attached: bool | None = None,
) -> list[Change]:
    """Penalty facts about the report: dispatch and arrival dates, report attached."""
    ws.agency(agency_id)
    changes = []
    for key, when in zip(FACT_DATES, (sent, received), strict=True):
        if when != "keep":
            if when is not None and not isinstance(when, date):
                raise ServiceError(f"Ngày không hợp lệ: {when!r}.")
            changes.append(Change(fact_field(agency_id, key), when.isoformat() if when else None))
    if attached is not None:
        changes.append(Change(fact_field(agency_id, "report_attached"), bool(attached)))
    return [checked(change) for change in changes]


def set_report(
    ws: Workspace,
    agency_id: str,
    *,
    sent: date | None | str = "keep",
    received: date | None | str = "keep",
    attached: bool | None = None,
) -> None:
    ws.write(report_changes(ws, agency_id, sent=sent, received=received, attached=attached))


def portal_changes(ws: Workspace, agency_id: str, counts: Mapping[int, Any]) -> list[Change]:
    """Monthly counts of news on the provincial Party portal (month 1–12), checked."""
    ws.agency(agency_id)
    changes = []
    for month, count in counts.items():
        if month not in PORTAL_MONTHS:
            raise ServiceError(f"Tháng {month} không hợp lệ ({PORTAL_MONTHS[0]}–{PORTAL_MONTHS[-1]}).")
        if count is not None and (
            isinstance(count, bool)
            or not isinstance(count, int | float)
            or int(count) != count
            or count < PORTAL_MIN
        ):
            raise ServiceError(f"Số tin, bài tháng {month} phải là số nguyên không âm.")
        changes.append(checked(Change(portal_field(agency_id, month), None if count is None else int(count))))
    return changes


def set_portal_counts(ws: Workspace, agency_id: str, counts: Mapping[int, int | None]) -> None:
    ws.write(portal_changes(ws, agency_id, counts))


def set_visit(ws: Workspace, agency_id: str, **values: Any) -> None:
    """Visit details (date, times, place, team, representatives, remarks, opinion…)."""
    changes = []
    for key, value in values.items():
        if key not in VISIT_KEYS:
            raise ServiceError(f"Không có thông tin buổi thẩm định «{key}».")
        if isinstance(value, date):
            value = value.isoformat()
        if key == "representatives":
            value = [{"name": r.name, "title": r.title} if hasattr(r, "name") else dict(r) for r in value]
        if key == "team":
            value = list(value)
        if key == "opinion" and value not in OPINIONS:
            raise ServiceError("Ý kiến của đơn vị phải là «thống nhất» hoặc «bảo lưu».")
        changes.append(Change(visit_field(agency_id, key), value))
    ws.write(changes)


def mark_ready(ws: Workspace, agency_id: str) -> None:
    """Ready to sign: every criterion scored, no conflict, every difference explained."""
    detail = ws.detail(agency_id)
    if detail.signed:
        raise ServiceError("Biên bản đã ký; muốn sửa, Tổ trưởng mở lại biên bản (có lý do).")
    problems = readiness_problems(ws, agency_id)
    if problems:
        raise ServiceError(problems_text("Chưa thể chuyển sang chờ ký", problems))
    if detail.status_value.get("state") != STATE_READY:
        ws.set(status_field(agency_id), {"state": STATE_READY})


def readiness_problems(ws: Workspace, agency_id: str) -> list[str]:
    """Why the minutes of an agency cannot be signed yet (empty when they can).

    Each problem is a sentence of its own (capital letter, full stop); problems_text lists them.
    """
    detail = ws.detail(agency_id)
    card = detail.scorecard
    problems = []
    if card.unscored:
        codes = card.unscored_criteria  # the list names what the number counts: criteria
        problems.append(f"Còn {len(codes)} tiêu chí chưa chấm ({listed(codes)}).")
    scored = {f"crit/{c}/appraised" for c in card.conflicts} | {f"fact/{c}" for c in card.conflicts}
    others = sorted({parse_field(fs.field).within for fs in detail.conflicts} - scored)
    if card.conflicts or others:  # notes and visit details too (docs/rules.md §7)
        problems.append(f"Còn xung đột chưa giải quyết ({listed([*card.conflicts, *others])}).")
    if card.errors:
        problems.append(card.errors[0])
    if detail.missing_reasons:
        problems.append(
            "Các tiêu chí có điểm thẩm định khác điểm tự đánh giá nhưng chưa ghi lý do: "
            f"{listed(detail.missing_reasons)}."
        )
    return problems


def unscored_labels(card: Scorecard) -> list[str]:
    """Each criterion still to score once ("I.1"), with the sub-items left when some are scored.

    A criterion whose sub-items are partly scored reads "I.4 (còn I.4.b, I.4.c)": the list has
    as many entries as "n tiêu chí chưa chấm" counts, and the clerk still sees which rows remain.
    """
    # Codes grouped once by each of their prefixes: the preview asks on every edit, and a scan
    # of every row per unscored criterion was quadratic in the catalog.
    rows, unscored = _by_prefix(card.rows), _by_prefix(card.unscored)
    labels = []
    for code in card.unscored_criteria:
        subs = rows.get(code, [])
        left = [c for c in unscored.get(code, []) if c in subs]
        partly = 0 < len(left) < len(subs)
        labels.append(f"{code} (còn {', '.join(left)})" if partly else code)
    return labels


def _by_prefix(codes: Iterable[str]) -> dict[str, list[str]]:
    """Codes under each dotted prefix, in their order: "I.4.b" is under "I" and "I.4"."""
    found: dict[str, list[str]] = {}
    for code in codes:
        parts = code.split(".")
        for end in range(1, len(parts)):
            found.setdefault(".".join(parts[:end]), []).append(code)
    return found


def unchecked_rules(card: Scorecard) -> list[Reason]:
    """Findings of penalty rules that cannot be checked yet (a fact is not recorded).

    Not a reason to refuse signing (docs/rules.md §7 names only conflicts and unscored criteria),
    but signing keeps the result as it is: the sign confirmation names these lines.
    """
    findings = card.rating.findings if card.rating else ()
    return [finding for finding in findings if finding.kind is ReasonKind.UNCHECKED]


def listed(items: Sequence[str], limit: int = 8) -> str:
    """Up to limit items, comma-separated, ending with "…" when some are left out."""
    shown = ", ".join(items[:limit])
    return shown + ", …" if len(items) > limit else shown


def problems_text(heading: str, problems: Sequence[str]) -> str:
    """A heading, then one problem a line: "Chưa thể chuyển sang chờ ký:\n– Còn 3 tiêu chí…"."""
    return heading + ":\n" + "\n".join(f"– {problem}" for problem in problems)


def sign(ws: Workspace, agency_id: str, *, fingerprint: str = "", revision: int | None = None) -> None:
    """Sign the minutes: the status edit lists every applied lockable edit it covers."""
    problems = readiness_problems(ws, agency_id)
    if problems:
        raise ServiceError(problems_text("Không thể ký biên bản", problems))
    if ws.is_signed(agency_id):
        raise ServiceError("Biên bản này đã được ký.")
    covers = sorted(_applied_lockable(ws, agency_id))
    previous = ws.detail(agency_id).status_value
    value = {
        "state": STATE_SIGNED,
        "covers": covers,
        "fingerprint": fingerprint,
        "revision": revision if revision is not None else int(previous.get("revision", 0)) + 1,
    }
    ws.set(status_field(agency_id), value)


def _applied_lockable(ws: Workspace, agency_id: str) -> set[str]:
    """Ids of every applied (not held) lockable edit of the agency, old versions included."""
    held = {e.id for e in ws.state(agency_id).held}
    return {
        line.edit.id
        for line in ws.history(agency_prefix(agency_id))
        if is_lockable(line.edit.field) and line.edit.id not in held
    }


def reopen(ws: Workspace, agency_id: str, reason: str) -> None:
    """Only the lead reopens signed minutes, and only with a reason (kept in the log)."""
    require_lead(ws, "mở lại biên bản đã ký")
    if not reason or not reason.strip():
        raise ServiceError("Mở lại biên bản đã ký phải ghi rõ lý do.")
    if not ws.is_signed(agency_id):
        raise ServiceError("Biên bản này chưa ký, không cần mở lại.")
    previous = ws.detail(agency_id).status_value
    ws.set(
        status_field(agency_id),
        {"state": STATE_REOPENED, "revision": previous.get("revision", 1)},
        reason.strip(),
    )
