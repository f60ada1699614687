"""The demo database: the 2022 round as of the evening of 14/12/2022 (deterministic).

Self-assessments for all 25 agencies (HUHTN sent its report 7 days late, HUTL sent the form
without its report); appraised scores and visit details for the 11 agencies visited 09–14/12;
every band and every penalty appears at least once. Edits are attributed to the demo team,
on their own laptops, with plausible times — exactly as if typed in the app.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.fields import crit_field
from ictappraise.domain.numbers import format_points
from ictappraise.domain.scorecard import Appraisal
from ictappraise.domain.scoring_rules import CountCapped, Levels, Tiered
from ictappraise.services import appraisal as svc
from ictappraise.services import chain, commendation, demo_text, followup
from ictappraise.services.seed import load_round_file, member_id, seed_round
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.settings import DEMO_EVENING, resource_path
from ictappraise.store.database import Database

ROUND_KEY = "binh-thuan-2022"
SEED = 2022


@dataclass(frozen=True)
class Plan:
    """What the demo does with one agency's visit."""

    code: str
    low: Decimal
    high: Decimal
    stage: str = "signed"  # signed / ready / partial / none
    fail: bool = False
    sent_days_late: int = 0
    attached: bool = True
    short_months: tuple[int, ...] = ()
    scorer: str = "a"
    reserve: bool = False


# Totals are of Phụ lục 2 (max 800; Tốt ≥ 750, Khá ≥ 700, Trung bình ≥ 650).
PLANS = {
    p.code: p
    for p in (
        Plan("HUTP", Decimal(765), Decimal(785), short_months=(3,)),
        Plan("HUBB", Decimal(712), Decimal(735), scorer="b"),
        Plan("HUHTB", Decimal(752), Decimal(775), fail=True),
        Plan("HUHTN", Decimal(755), Decimal(780), sent_days_late=7, scorer="b"),
        Plan("TUPT", Decimal(780), Decimal(795), stage="ready", sent_days_late=2),
        Plan("HUHT", Decimal(660), Decimal(690), scorer="b", reserve=True),
        Plan("TULG", Decimal(735), Decimal(748), short_months=(2, 7, 8)),
        Plan("HUDL", Decimal(600), Decimal(640), scorer="b"),
        Plan("HUTL", Decimal(752), Decimal(770), stage="ready", attached=False),
        Plan("VPTU", Decimal(770), Decimal(792), stage="partial"),
        Plan("DUK", Decimal(700), Decimal(745), stage="partial", scorer="b"),
    )
}
DEADLINE = date(2022, 11, 30)
EVENING = date.fromisoformat(DEMO_EVENING)


def build_demo(db: Database) -> Workspace:
    """Fill an empty database with the demo round; return a workspace acting as the lead."""
    rng = random.Random(SEED)
    ws = Workspace(db, new_id=lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4)))
    seed_round(ws)
    _seed_previous(ws)
    actors = {
        key: Actor(member_id(ROUND_KEY, key), f"demo-laptop-{key}", name, role)
        for key, name, role in (
            ("lead", "Nguyễn Thị Thắng", "lead"),
            ("a", "Chuyên viên A", "member"),
            ("b", "Chuyên viên B", "member"),
            ("c", "Chuyên viên C", "secretary"),
        )
    }
    for agency in ws.agencies():
        catalog = ws.catalog(agency.category)
        plan = PLANS.get(agency.code)
        chosen = _choose(catalog, rng, plan)
        _self_assessment(ws, actors["c"], agency.id, catalog, chosen, plan, rng)
        if plan is not None:
            _visit(ws, actors, agency.id, catalog, chosen, plan, rng)
    # The demo lead founds the round last, vouching for all of the above (like an upgrade),
    # with the labelled demo keys of resources/demo (docs/rules.md §9).
    from ictappraise.services import trust

    signers = {key: trust.demo_signer(key) for key in actors}
    lead = replace(actors["lead"], signer=signers["lead"])
    ws.clock = _clock(EVENING, 20, 55)
    others = [(actors[key].member_id, signers[key].public_key) for key in ("a", "b", "c")]
    trust.found_round(ws, lead, others)
    ws.actor = lead
    ws.clock = _clock(EVENING, 21, 0)
    return ws


def _clock(day: date, hour: int, minute: int, step: int = 7) -> Callable[[], str]:
    moment = [hour * 3600 + minute * 60]

    def tick() -> str:
        moment[0] += step
        seconds = moment[0]
        return f"{day.isoformat()}T{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}+07:00"

    return tick


def _options(criterion: Criterion, rng: random.Random) -> list[tuple[object, Decimal]]:
    """Inputs the rule accepts, with their points, ascending."""
    rule, top = criterion.rule, criterion.maximum
    kind = rule.kind
    if kind == "yes_no":
        raw: list[object] = [False, True]
    elif kind in ("ratio", "ratio_threshold"):
        den = rng.choice([40, 60, 80, 120, 150, 240])
        raw = [{"numerator": str(n), "denominator": str(den)} for n in range(den + 1)]
    elif isinstance(rule, Tiered):
        raw = list(range(0, rule.tiers[0].at_least + 3))
    elif isinstance(rule, Levels):
        raw = [level.key for level in rule.levels]
    elif isinstance(rule, CountCapped):
        raw = list(range(0, int(top / rule.per_item) + 2))
    elif kind == "timeliness":
        raw = ["missing", "late", "on_time"]
    else:
        raw = [format_points(Decimal(q) / 2, comma=False) for q in range(int(top * 2) + 1)]
    scored = [(value, rule.points(value, top)) for value in raw]
    return sorted(scored, key=lambda pair: pair[1])


def _choose(
    catalog: Catalog, rng: random.Random, plan: Plan | None
) -> dict[str, list[tuple[object, Decimal]]]:
    """Per leaf: the allowed options (no zero unless the plan fails a criterion)."""
    chosen = {}
    for leaf in catalog.leaves():
        options = [o for o in _options(leaf, rng) if o[1] > 0]
        chosen[leaf.code] = _dedupe(options)
    return chosen


def _dedupe(options: list[tuple[object, Decimal]]) -> list[tuple[object, Decimal]]:
    seen: dict[Decimal, tuple[object, Decimal]] = {}
    for option in options:
        seen.setdefault(option[1], option)
    return list(seen.values())


def _fit(
    chosen: dict[str, list[tuple[object, Decimal]]],
    low: Decimal,
    high: Decimal,
    rng: random.Random,
    start: dict[str, int] | None = None,
) -> dict[str, int]:
    """Pick an option index per leaf so the total lands in [low, high]."""
    picks = dict(start) if start else {code: len(opts) - 1 for code, opts in chosen.items()}

    def total() -> Decimal:
        return sum((chosen[c][i][1] for c, i in picks.items()), Decimal(0))

    codes = sorted(chosen)
    guard = 0
    while not (low <= total() <= high) and guard < 20000:
        guard += 1
        code = rng.choice(codes)
        if total() > high and picks[code] > 0:
            picks[code] -= 1
        elif total() < low and picks[code] < len(chosen[code]) - 1:
            picks[code] += 1
    return picks


def _self_assessment(
    ws: Workspace,
    actor: Actor,
    aid: str,
    catalog: Catalog,
    chosen: dict[str, list[tuple[object, Decimal]]],
    plan: Plan | None,
    rng: random.Random,
) -> None:
    maximum = catalog.maximum
    high = (plan.high + 15) * maximum / 800 if plan else maximum * Decimal("0.97")
    low = (plan.high + 3) * maximum / 800 if plan else maximum * Decimal(rng.choice(("0.82", "0.88", "0.93")))
    picks = _fit(chosen, low.quantize(Decimal(1)), min(high, maximum).quantize(Decimal(1)), rng)
    late = plan.sent_days_late if plan else 0
    sent = _working_day(
        DEADLINE + timedelta(days=late) if late else DEADLINE - timedelta(days=rng.randint(0, 4))
    )
    ws.actor, ws.clock = actor, _clock(max(sent, DEADLINE) + timedelta(days=1), 8, 0)
    changes = [
        Change(crit_field(aid, code, "self"), format_points(chosen[code][i][1], comma=False))
        for code, i in picks.items()
    ]
    changes += [
        Change(crit_field(aid, leaf.code, "self_evidence"), f"Kèm theo: {leaf.evidence}")
        for leaf in catalog.leaves()
        if leaf.evidence
    ]
    ws.write(changes)
    svc.set_report(
        ws, aid, sent=sent, received=_next_working_day(sent), attached=plan.attached if plan else True
    )
    short = plan.short_months if plan else tuple(rng.sample(range(1, 12), rng.choice((0, 1, 2))))
    quota = ws.round_info().portal_quota
    counts = {
        m: (rng.randint(0, quota - 1) if m in short else rng.randint(quota, quota + 6)) for m in range(1, 12)
    }
    counts[12] = quota + rng.randint(0, 3)
    svc.set_portal_counts(ws, aid, counts)


def _working_day(day: date) -> date:
    """Offices send no dispatch at the weekend: a Saturday or Sunday becomes the Friday before."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _next_working_day(day: date) -> date:
    following = day + timedelta(days=1)
    return following + timedelta(days=(7 - following.weekday()) % 7 if following.weekday() >= 5 else 0)


def _visit(
    ws: Workspace,
    actors: dict[str, Actor],
    aid: str,
    catalog: Catalog,
    chosen: dict[str, list[tuple[object, Decimal]]],
    plan: Plan,
    rng: random.Random,
) -> None:
    agency = ws.agency(aid)
    day = agency.visit_date or EVENING
    hour, minute = (int(x) for x in (agency.visit_time or "08:00").split(":"))
    ws.actor, ws.clock = actors[plan.scorer], _clock(day, hour, minute + 20, 41)
    detail = ws.detail(aid)
    self_picks = {code: _index_of(chosen[code], detail.entries[code].self_points) for code in chosen}
    picks = _fit(chosen, plan.low, plan.high, rng, start=self_picks)
    leaves = list(catalog.leaves())
    if plan.stage == "partial":
        leaves = leaves[: len(leaves) * 2 // 3]
    failed = (
        rng.choice([leaf.code for leaf in leaves if leaf.rule.kind in ("yes_no", "timeliness")])
        if plan.fail
        else None
    )
    changes = []
    for leaf in leaves:
        value, points = chosen[leaf.code][picks[leaf.code]]
        if leaf.code == failed:
            value, points = ("missing" if leaf.rule.kind == "timeliness" else False), Decimal(0)
        changes.append(svc.appraisal_change(ws, aid, leaf.code, Appraisal(input=value)))
        self_points = detail.entries[leaf.code].self_points
        explain = plan.stage != "partial" or rng.random() < 0.6
        if self_points is not None and self_points != points and explain:
            note = (
                "Không có minh chứng thực hiện trong năm."
                if leaf.code == failed
                else demo_text.fitting_note(leaf, rng.choice(demo_text.NOTES))
            )
            changes.append(Change(crit_field(aid, leaf.code, "note"), note))
    ws.write(changes)
    _visit_details(ws, actors, aid, plan, day, hour, minute, rng)
    if plan.stage in ("ready", "signed"):
        svc.mark_ready(ws, aid)
    if plan.stage == "signed":
        from ictappraise.services import minutes  # reportlab: only when the demo is built

        ws.actor = actors["lead"]
        minutes.sign(ws, aid)  # stores the revision and the fingerprint printed on the minutes


def _index_of(options: list[tuple[object, Decimal]], points: Decimal | None) -> int:
    if points is None:
        return len(options) - 1
    return min(range(len(options)), key=lambda i: abs(options[i][1] - points))


def _visit_details(
    ws: Workspace,
    actors: dict[str, Actor],
    aid: str,
    plan: Plan,
    day: date,
    hour: int,
    minute: int,
    rng: random.Random,
) -> None:
    ws.actor, ws.clock = actors["c"], _clock(day, hour, minute, 13)
    agency = ws.agency(aid)
    end_hour = hour + 2 if plan.stage != "partial" else hour + 1
    values: dict[str, object] = {
        "team": [actors[k].member_id for k in ("lead", "a", "b", "c")],
        "representatives": demo_text.representatives(agency.name),
        "minutes_number": "",
    }
    # The visit itself is over even when its scores are still being entered (stage
    # "partial"): time, participants and remarks are known (full visit details).
    values["end"] = f"{end_hour:02d}:{minute:02d}"
    detail = ws.detail(aid)
    if plan.stage == "partial":
        # Fixed picks, not rng, so the random choices of the other agencies stay the same.
        values.update(
            strengths=demo_text.fitting_strengths(detail, demo_text.STRENGTHS[0]),
            weaknesses=demo_text.fitting_weaknesses(detail, demo_text.WEAKNESSES[2]),
            recommendations=demo_text.RECOMMENDATIONS[0],
        )
    else:
        values.update(
            strengths=demo_text.fitting_strengths(detail, " ".join(rng.sample(demo_text.STRENGTHS, 2))),
            weaknesses=demo_text.fitting_weaknesses(detail, rng.choice(demo_text.WEAKNESSES)),
            recommendations=rng.choice(demo_text.RECOMMENDATIONS),
            opinion="reserve" if plan.reserve else "agree",
            opinion_text=(
                "Đơn vị bảo lưu ý kiến đối với điểm tiêu chí về tỷ lệ văn bản đi được ký số, đề nghị "
                "Tổ thẩm định xem xét thêm số liệu trên hệ thống."
                if plan.reserve
                else "Đơn vị thống nhất với kết quả thẩm định."
            ),
        )
    svc.set_visit(ws, aid, **values)
    _follow_up(ws, aid)


PREVIOUS_RESULTS = "binh_thuan_2021_results.yaml"
# Named by the team at the visit (exemplary individuals; placeholders like the team's names).
INDIVIDUALS = {
    "HUTP": [
        {
            "name": "Lê Văn E",
            "title": "Chuyên viên Văn phòng Huyện ủy Tuy Phong, phụ trách công nghệ thông tin",
            "reason": "Tự xây dựng quy trình sao lưu dữ liệu hằng tuần; hướng dẫn 100% cán bộ ký số văn bản đi.",
        }
    ],
    "TUPT": [
        {
            "name": "Võ Thị G",
            "title": "Chuyên viên Văn phòng Thành ủy Phan Thiết",
            "reason": "Cung cấp đều đặn tin, bài cho Cổng thông tin điện tử Đảng bộ tỉnh suốt 12 tháng.",
        }
    ],
}
FOLLOWUP_CYCLE = ("done", "in_progress", "done", "not_done")
FOLLOWUP_NOTES = {
    "done": "Tổ thẩm định xem xét thực tế tại đơn vị, có văn bản triển khai.",
    "in_progress": "Đơn vị đã có kế hoạch, đang triển khai; hoàn thành trong quý I năm sau.",
    "not_done": "Chưa bố trí được kinh phí.",
}


def _seed_previous(ws: Workspace) -> None:
    """The 2021 round's results, kept by the 2022 round and linked to it (resources/rounds/)."""
    data = load_round_file(resource_path("rounds", PREVIOUS_RESULTS))
    chain.seed_archive(ws, chain.archive_from_file(ws, data), "2022-11-01T08:00:00+07:00")


def _follow_up(ws: Workspace, aid: str) -> None:
    """The team ticks last year's recommendations at the visit (fixed pattern, own ids: the
    random choices of the rest of the demo stay as they were)."""
    found = followup.items(ws, aid)
    people = INDIVIDUALS.get(ws.agency(aid).code)
    if not found and not people:
        return
    counter = iter(range(1, 1000))
    own = ws.new_id
    ws.new_id = lambda: str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-followup/{aid}/{next(counter)}"))
    try:
        offset = len(ws.agency(aid).code)
        for item in found:
            state = FOLLOWUP_CYCLE[(item.number - 1 + offset) % len(FOLLOWUP_CYCLE)]
            followup.set_followup(ws, aid, item.number, state, FOLLOWUP_NOTES[state])
        if people:
            commendation.set_individuals(ws, aid, people)
    finally:
        ws.new_id = own
