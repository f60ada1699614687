"""The demo database: the 2022 round as of the evening of 14/12/2022 (deterministic).

Self-assessments for all 25 agencies (HUHTN sent its report 7 days late, HUTL sent the form
without its report); appraised scores and visit details for the 11 agencies visited 09–14/12;
every band and every penalty appears at least once. Edits are attributed to the demo team,
on their own laptops, with plausible times — exactly as if typed in the app.
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.numbers import format_points
from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.services import chain, commendation, followup, remarks
from ictappraise.services.model import AgencyDetail, Representative
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

STRENGTHS = (
    "Cấp ủy quan tâm lãnh đạo, chỉ đạo; 100% văn bản đi được xử lý trên phần mềm quản lý văn bản "
    "và hồ sơ công việc; sử dụng thường xuyên hộp thư điện tử công vụ và chữ ký số chuyên dùng.",
    "Hạ tầng mạng thông tin diện rộng của Đảng vận hành ổn định; máy tính được cài phần mềm phòng, "
    "chống mã độc; bố trí máy tính độc lập soạn thảo văn bản mật theo quy định.",
    "Cập nhật kịp thời Cơ sở dữ liệu đảng viên; tổ chức tốt các hội nghị truyền hình trực tuyến.",
)
WEAKNESSES = (
    "Việc sao lưu dữ liệu định kỳ chưa được ghi nhật ký đầy đủ.",
    "Số lượng tin, bài đăng trên Cổng Thông tin điện tử Đảng bộ tỉnh chưa đều giữa các tháng.",
    "Một số máy tính chưa cập nhật bản vá hệ điều hành; tỷ lệ ký số văn bản đi chưa cao.",
)
#: When no weakness of the list fits the table (every criterion it speaks of at its maximum).
FALLBACK_WEAKNESS = "Việc ứng dụng công nghệ thông tin ở một số tổ chức cơ sở đảng trực thuộc chưa đồng đều."
RECOMMENDATIONS = (
    "Tiếp tục đẩy mạnh ký số văn bản đi; xây dựng quy trình sao lưu dữ liệu hằng tuần và lưu nhật ký.",
    "Phân công cán bộ phụ trách cung cấp tin, bài cho Cổng Thông tin điện tử Đảng bộ tỉnh theo tháng.",
)
NOTES = (
    "Đối chiếu thực tế: minh chứng chưa đầy đủ, chỉ tính phần có văn bản kèm theo.",
    "Số liệu trên phần mềm thấp hơn số liệu đơn vị tự kê khai.",
    "Có văn bản nhưng ban hành sau thời hạn quy định.",
    "Kiểm tra trên máy: chưa cài đặt đầy đủ trên các máy trạm.",
)


#: Which notes fit which kind of rule (a note about machines on a meeting count reads oddly).
NOTE_KINDS = {
    NOTES[1]: ("ratio", "ratio_threshold", "tiered", "count_capped", "sub_items"),
    NOTES[2]: ("timeliness",),
    NOTES[3]: (),  # only criteria about installing software on the machines (by name)
}
LEVEL_NOTE = "Đối chiếu thực tế: mức độ thực hiện thấp hơn mức đơn vị tự đánh giá."
NUMBER_NOTE = NOTES[1]


def fitting_note(leaf: Criterion, note: str) -> str:
    """The drawn note if it fits the criterion, else one that does (the draw itself is kept, so
    the demo's other random choices stay the same)."""
    kind = leaf.rule.kind
    machines = any(word in leaf.name.lower() for word in ("cài đặt", "bản vá", "phần mềm phòng"))
    fits = {
        NOTES[1]: kind in NOTE_KINDS[NOTES[1]],
        NOTES[2]: kind in NOTE_KINDS[NOTES[2]],
        NOTES[3]: machines,
    }
    if fits.get(note, True):
        return note
    if machines:
        return NOTES[3]
    if kind == "timeliness":
        return NOTES[2]
    if kind in NOTE_KINDS[NOTES[1]]:
        return NUMBER_NOTE
    return LEVEL_NOTE if kind == "level" else NOTES[0]


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


def _clock(day: date, hour: int, minute: int, step: int = 7):  # noqa: ANN202 - tiny closure
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
    elif kind == "tiered":
        raw = list(range(0, rule.tiers[0].at_least + 3))  # type: ignore[attr-defined]
    elif kind == "level":
        raw = [level.key for level in rule.levels]  # type: ignore[attr-defined]
    elif kind == "count_capped":
        raw = list(range(0, int(top / rule.per_item) + 2))  # type: ignore[attr-defined]
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
        Change(f"agency/{aid}/crit/{code}/self", format_points(chosen[code][i][1], comma=False))
        for code, i in picks.items()
    ]
    changes += [
        Change(f"agency/{aid}/crit/{leaf.code}/self_evidence", f"Kèm theo: {leaf.evidence}")
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
                else fitting_note(leaf, rng.choice(NOTES))
            )
            changes.append(Change(f"agency/{aid}/crit/{leaf.code}/note", note))
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
        "representatives": _representatives(agency.name),
        "minutes_number": "",
    }
    # The visit itself is over even when its scores are still being entered (stage
    # "partial"): time, participants and remarks are known (full visit details).
    values["end"] = f"{end_hour:02d}:{minute:02d}"
    detail = ws.detail(aid)
    if plan.stage == "partial":
        # Fixed picks, not rng, so the random choices of the other agencies stay the same.
        values.update(
            strengths=_fitting(detail, STRENGTHS[0]),
            weaknesses=_weaknesses(detail, WEAKNESSES[2]),
            recommendations=RECOMMENDATIONS[0],
        )
    else:
        values.update(
            strengths=_fitting(detail, " ".join(rng.sample(STRENGTHS, 2))),
            weaknesses=_weaknesses(detail, rng.choice(WEAKNESSES)),
            recommendations=rng.choice(RECOMMENDATIONS),
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


def _fitting(detail: AgencyDetail, strengths: str) -> str:
    """The praise without the clauses the table contradicts (a criterion scored low)."""
    checked = replace(detail, visit=replace(detail.visit, strengths=strengths))
    bad = {c.clause for c in remarks.contradictions(checked)}
    sentences = []
    for sentence in re.split(r"(?<=\.)\s+", strengths.strip()):
        kept = [clause for clause in remarks.clauses(sentence) if clause not in bad]
        if kept:
            text = "; ".join(kept)
            sentences.append(text[:1].upper() + text[1:] + ".")
    return " ".join(sentences)


def _weaknesses(detail: AgencyDetail, general: str) -> str:
    """The failed criteria and applied penalties first, then a general remark that fits."""
    required = remarks.required_weaknesses(detail)
    start = WEAKNESSES.index(general) if general in WEAKNESSES else 0
    fitting = [
        w
        for w in WEAKNESSES[start:] + WEAKNESSES[:start]
        if _fits(detail, w) and not any(item.covered_by(w) for item in required)
    ][:1] or [FALLBACK_WEAKNESS]
    if not required:
        return fitting[0]
    return "\n".join([f"- {item.sentence}." for item in required] + [f"- {w}" for w in fitting])


def _fits(detail: AgencyDetail, weakness: str) -> bool:
    """A weakness fits when every criterion it speaks of lost points."""
    for clause in remarks.clauses(weakness):
        row = detail.scorecard.rows.get(remarks.subject_of(detail, clause))
        if row is not None and (row.points is None or row.points >= row.maximum):
            return False
    return True


def _representatives(name: str) -> list[Representative]:
    """Who signs for an agency, with the titles such bodies really have."""
    head = name.split(" ")[0]
    if head in ("Huyện", "Thị", "Thành") or name.startswith("Đảng ủy Khối"):
        return [
            Representative("Nguyễn Văn A", f"Phó Bí thư Thường trực {name}"),
            Representative("Trần Thị B", f"Chánh Văn phòng {name}"),
        ]
    first = next((title for start, title in LEADER_TITLES if name.startswith(start)), "Phó Thủ trưởng")
    second = "Chánh Văn phòng Ban" if head == "Ban" else "Chánh Văn phòng"
    if name == "Văn phòng Tỉnh ủy":
        return [
            Representative("Lê Văn C", "Chánh Văn phòng Tỉnh ủy"),
            Representative("Phạm Thị D", "Trưởng phòng Hành chính - Lưu trữ, Văn phòng Tỉnh ủy"),
        ]
    return [Representative("Lê Văn C", f"{first} {name}"), Representative("Phạm Thị D", second)]


#: The deputy head's title by the start of the agency's name.
LEADER_TITLES = (
    ("Ban", "Phó Trưởng"),
    ("Ủy ban Kiểm tra", "Phó Chủ nhiệm"),
    ("Ủy ban MTTQ", "Phó Chủ tịch"),
    ("Hội", "Phó Chủ tịch"),
    ("Liên đoàn", "Phó Chủ tịch"),
    ("Tỉnh đoàn", "Phó Bí thư"),
    ("Trường Chính trị", "Phó Hiệu trưởng"),
    ("Báo", "Phó Tổng Biên tập"),
)


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
