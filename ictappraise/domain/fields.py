"""Every field an edit can change, declared once (docs/rules.md §9): path, value shape, authority.

A field path names what an edit changes (layout in docs/ARCHITECTURE.md):

* ``round/<key>``, ``round/rules/<category>``, ``round/previous/<year>``, ``round/commend/<agency>``,
  ``round/founding``, ``round/adoption/<id>``, ``catalog/<category>``;
* ``member/<id>/<key>`` and ``member/<id>/<key|announce>/<fingerprint>``;
* ``agency/<id>/<key>``, ``agency/<id>/status``, ``agency/<id>/crit/<code>/<part>``,
  ``agency/<id>/crit/<code>/attachment/<digest>``, ``agency/<id>/fact/<key>``,
  ``agency/<id>/fact/portal/<month>``, ``agency/<id>/visit/<key>``, ``agency/<id>/visit/followup/<n>``.

This module is the only place that builds a path (the ``*_field`` functions) or takes one
apart (``parse_field`` → ``FieldRef``); a test keeps it so. It also declares, per field kind,
the value's type and bounds (the constants below, which services.field_values checks and
the setters read), who may change it and whether a signing locks it (``KINDS``, enforced by
domain.authority), and its Vietnamese label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ictappraise.domain.rating import CATEGORIES
from ictappraise.domain.roles import ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY
from ictappraise.domain.scorecard import MONTHS

ROUND, CATALOG_HEAD, MEMBER_HEAD, AGENCY_HEAD = "round", "catalog", "member", "agency"
SEP = "/"

# -- a parsed path -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field path taken apart: its family, its owner (agency or member id) and the rest.

    ``round/rules/3`` → (round, None, (rules, 3)); ``catalog/3`` → (catalog, None, (3,));
    ``member/m1/role`` → (member, m1, (role,)); ``agency/a1/crit/I.1/note`` → (agency, a1,
    (crit, I.1, note)).
    """

    family: str
    owner: str | None
    rest: tuple[str, ...]

    @property
    def name(self) -> str:
        """The path again."""
        owner = () if self.owner is None else (self.owner,)
        return SEP.join((self.family, *owner, *self.rest))

    @property
    def head(self) -> str:
        """The first segment after the owner ("crit", "fact", "visit", "status", "rules"…)."""
        return self.rest[0] if self.rest else ""

    @property
    def last(self) -> str:
        return self.rest[-1] if self.rest else ""

    @property
    def tail(self) -> tuple[str, ...]:
        """The segments after the head (``crit/I.1/note`` → (I.1, note))."""
        return self.rest[1:]

    @property
    def within(self) -> str:
        """The path within its owner: ``crit/I.1/note`` (how a field reads inside one agency)."""
        return SEP.join(self.rest)

    @property
    def agency_id(self) -> str | None:
        """The agency of an agency field (``agency/<id>/…``), else None."""
        return self.owner if self.family == AGENCY_HEAD and self.rest else None

    @property
    def member_id(self) -> str | None:
        return self.owner if self.family == MEMBER_HEAD and self.rest else None

    @property
    def code(self) -> str | None:
        """The criterion code of ``agency/<id>/crit/<code>/…``."""
        return self.rest[1] if self.agency_id and self.head == "crit" and len(self.rest) >= 3 else None

    @property
    def part(self) -> str | None:
        """The part of a criterion field: appraised, self, self_evidence, self_by_team, note, attachment."""
        return self.rest[2] if self.code is not None else None

    @property
    def digest(self) -> str | None:
        """The file digest of ``agency/<id>/crit/<code>/attachment/<digest>``."""
        return self.rest[3] if self.part == "attachment" and len(self.rest) == 4 else None

    @property
    def month(self) -> int | None:
        """The month of ``agency/<id>/fact/portal/<month>``."""
        if self.agency_id and self.rest[:2] == ("fact", "portal") and len(self.rest) == 3:
            return int(self.rest[2]) if self.rest[2].isdigit() else None
        return None

    @property
    def category(self) -> int | None:
        """The category of ``catalog/<n>`` and ``round/rules/<n>``."""
        if self.family == CATALOG_HEAD and len(self.rest) == 1:
            segment = self.rest[0]
        elif self.family == ROUND and len(self.rest) == 2 and self.rest[0] == "rules":
            segment = self.rest[1]
        else:
            return None
        return int(segment) if segment.isdigit() else None

    def with_owner(self, owner: str) -> FieldRef:
        """The same field of another agency or member."""
        return FieldRef(self.family, owner, self.rest)

    def is_agency(self, *rest: str) -> bool:
        """An agency field whose segments after the id start with ``rest``."""
        return self.agency_id is not None and self.rest[: len(rest)] == rest

    def is_round(self, *rest: str) -> bool:
        """A round field whose segments after ``round`` start with ``rest``."""
        return self.family == ROUND and bool(self.rest) and self.rest[: len(rest)] == rest


@lru_cache(maxsize=1 << 16)  # derive() and the screens ask about the same fields again and again
def parse_field(name: str) -> FieldRef:
    """A field path taken apart (never fails: an unknown path has an unknown family)."""
    parts = name.split(SEP)
    family = parts[0]
    if family in (MEMBER_HEAD, AGENCY_HEAD) and len(parts) >= 2:
        return FieldRef(family, parts[1], tuple(parts[2:]))
    return FieldRef(family, None, tuple(parts[1:]))


# -- building paths ----------------------------------------------------------------------------


def round_field(key: str, *more: str) -> str:
    return SEP.join((ROUND, key, *more))


def rules_field(category: int) -> str:
    return round_field("rules", str(category))


def catalog_field(category: int | str) -> str:
    return f"{CATALOG_HEAD}{SEP}{category}"


def previous_field(year: int | str) -> str:
    """The archived results of an earlier round."""
    return round_field("previous", str(year))


def commend_field(agency_id: str) -> str:
    """The lead's commendation decision for one agency."""
    return round_field("commend", agency_id)


def individuals_field(agency_id: str) -> str:
    """The exemplary individuals named at an agency's visit."""
    return visit_field(agency_id, "individuals")


def adoption_field(edit_id: str) -> str:
    return round_field("adoption", edit_id)


def member_field(member_id: str, key: str, *more: str) -> str:
    return SEP.join((MEMBER_HEAD, member_id, key, *more))


def agency_field(agency_id: str, key: str, *more: str) -> str:
    return SEP.join((AGENCY_HEAD, agency_id, key, *more))


def status_field(agency_id: str) -> str:
    return agency_field(agency_id, "status")


def crit_field(agency_id: str, code: str, part: str) -> str:
    """part: appraised, self, self_evidence, self_by_team or note."""
    return agency_field(agency_id, "crit", code, part)


def attachment_field(agency_id: str, code: str, digest: str) -> str:
    return agency_field(agency_id, "crit", code, "attachment", digest)


def fact_field(agency_id: str, key: str) -> str:
    """key: report_sent, report_received or report_attached."""
    return agency_field(agency_id, "fact", key)


def portal_field(agency_id: str, month: int) -> str:
    return agency_field(agency_id, "fact", "portal", str(month))


def visit_field(agency_id: str, key: str, *more: str) -> str:
    return agency_field(agency_id, "visit", key, *more)


def dropped_line_field(agency_id: str, line: str) -> str:
    """line: a required "Hạn chế" line's key (crit/<code>, fact/<key>); value {"reason"} or None."""
    return visit_field(agency_id, "dropped", line)


def followup_field(agency_id: str, number: int) -> str:
    """The follow-up of last year's recommendation ``number`` (from 1)."""
    return visit_field(agency_id, "followup", str(number))


def agency_prefix(agency_id: str, *rest: str) -> str:
    """The prefix every field of an agency (or of one part of it) starts with: ``agency/<id>/…/``."""
    return SEP.join((AGENCY_HEAD, agency_id, *rest, ""))


def round_prefix(*rest: str) -> str:
    return SEP.join((ROUND, *rest, ""))


def family_prefix(family: str) -> str:
    """``agency/``, ``member/``, ``catalog/``, ``round/``: every field of a family starts so."""
    return family + SEP


def like_pattern(name: str) -> str:
    """A path with ``*`` segments as an SQL LIKE pattern (``agency/*/category`` → ``agency/%/category``)."""
    return SEP.join("%" if segment == "*" else segment for segment in name.split(SEP))


FOUNDING_FIELD = round_field("founding")
LINK_FIELD = round_field("link")
CODE_MAP_FIELD = round_field("code_map")
COMMENDATION_RULES_FIELD = round_field("commendation_rules")
#: Round fields the band of every agency depends on (docs/rules.md §9).
RATING_INPUTS = (round_field("report_deadline"), round_field("portal_quota"))
#: What catalog, threshold and category values refer to (services.field_values.FieldContext).
REFERENCE_PATTERNS = (
    like_pattern("catalog/*"),
    like_pattern("round/rules/*"),
    like_pattern("agency/*/category"),
)


def rating_fields(category: int) -> tuple[str, ...]:
    """The round fields an agency of this category is rated with."""
    return (*RATING_INPUTS, rules_field(category), catalog_field(category))


def rating_category(field_name: str) -> int | None | bool:
    """The category a rating input decides (None: every category), or False for other fields."""
    if field_name in RATING_INPUTS:
        return None
    ref = parse_field(field_name)
    if ref.family == CATALOG_HEAD or ref.is_round("rules"):
        return ref.category if ref.category is not None else False
    return False


# -- what kind of field a path is ----------------------------------------------------------------

LOCKABLE_PARTS = frozenset({"crit", "fact", "visit"})


def agency_of(field_name: str) -> str | None:
    """The agency id of an agency field, else None."""
    return parse_field(field_name).agency_id


def is_lockable(field_name: str) -> bool:
    """Scores, penalty facts and visit details: the fields a signing locks."""
    ref = parse_field(field_name)
    return ref.agency_id is not None and len(ref.rest) > 1 and ref.head in LOCKABLE_PARTS


def is_announcement(field_name: str) -> bool:
    """``member/<id>/announce/<fingerprint>``: a newcomer's key."""
    ref = parse_field(field_name)
    return ref.member_id is not None and len(ref.rest) == 2 and ref.head == "announce"


def is_roster_field(field_name: str) -> bool:
    """Fields only a lead may change once the round is founded: people, roles, keys, adoptions."""
    ref = parse_field(field_name)
    if ref.is_round("adoption") and len(ref.rest) > 1:
        return True
    # A member's own signature image is theirs to set (the authority table decides who else may).
    return ref.member_id is not None and ref.head not in ("announce", "signature")


def is_reference(field_name: str) -> bool:
    """A catalog, a threshold table or an agency's category: what other values are checked against."""
    ref = parse_field(field_name)
    return (
        ref.family == CATALOG_HEAD
        or ref.is_round("rules")
        or (ref.agency_id is not None and ref.rest == ("category",))
    )


# -- value shapes (checked by services.field_values, read by the setters) ---------------------------

ROUND_REQUIRED_TEXT = ("key", "name", "place")
ROUND_OPTIONAL_TEXT = ("province", "issuer", "issuing_unit", "minutes_number_suffix")
ROUND_DATES = ("report_deadline", "visit_start", "visit_end")
#: Whole-number round settings and their bounds (both ends included).
ROUND_WHOLE = {"portal_quota": (0, 1000), "minutes_copies": (1, 20), "year": (2000, 2100)}
ROUND_KEYS = (*ROUND_REQUIRED_TEXT, *ROUND_OPTIONAL_TEXT, *ROUND_DATES, *ROUND_WHOLE, "legal_basis")
#: The round settings the lead changes in the settings dialog (services.round_admin).
SETTINGS_KEYS = (
    "name",
    "report_deadline",
    "portal_quota",
    "place",
    "legal_basis",
    "minutes_copies",
    "visit_start",
    "visit_end",
)
ROUND_CHAIN_KEYS = frozenset({"previous", "link", "code_map", "commendation_rules", "commend"})
#: Exemplary agencies to commend, at most (round/commendation_rules {"top_n"}).
TOP_N_RANGE = (1, 25)
RULES_KEYS = frozenset({"maximum", "tot", "kha", "trung_binh"})
CATEGORY_SEGMENTS = frozenset(str(c) for c in CATEGORIES)
MEMBER_KEYS = ("name", "title", "role", "signature", "active")
AGENCY_KEYS = ("name", "code", "category", "order", "active")
CRIT_PARTS = ("appraised", "self", "self_evidence", "note", "self_by_team")
#: The parts of a criterion a note-like text is written to (services.appraisal.set_text).
CRIT_TEXT_PARTS = ("note", "self_evidence")
FACT_DATES = ("report_sent", "report_received")
PORTAL_MONTHS = range(1, MONTHS + 1)
MONTH_SEGMENTS = frozenset(str(m) for m in PORTAL_MONTHS)
#: A month's count of news on the provincial portal: a whole number from 0.
PORTAL_MIN = 0
VISIT_TEXT = ("place", "strengths", "weaknesses", "recommendations", "opinion_text", "minutes_number")
VISIT_KEYS = ("date", "start", "end", "team", "representatives", "opinion", *VISIT_TEXT)
OPINIONS = ("agree", "reserve")
STATUS_KEYS = frozenset({"state", "covers", "fingerprint", "revision"})
FOLLOWUP_STATES = {"done": "Đã khắc phục", "in_progress": "Đang khắc phục", "not_done": "Chưa khắc phục"}

# -- who may change each kind, and whether a signing locks it (enforced by domain.authority) --------

ANY_MEMBER = frozenset({ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY})
LEAD_OR_SECRETARY = frozenset({ROLE_LEAD, ROLE_SECRETARY})
LEAD_ONLY = frozenset({ROLE_LEAD})


@dataclass(frozen=True)
class FieldKind:
    """One kind of field: its path pattern, who may change it, whether signing locks it, its label."""

    pattern: str
    roles: frozenset[str]
    locked_by_signing: bool
    label: str


# The one table (docs/rules.md §9).
ROUND_SETTING = FieldKind("round/<key>", LEAD_ONLY, False, "thiết lập đợt đánh giá")
RULES = FieldKind("round/rules/<category>", LEAD_ONLY, False, "ngưỡng xếp loại")
CATALOG = FieldKind("catalog/<category>", LEAD_ONLY, False, "bộ tiêu chí")
MEMBER = FieldKind("member/<id>/<key>", LEAD_ONLY, False, "Tổ thẩm định (thành viên, vai trò)")
AGENCY = FieldKind("agency/<id>/<name|code|category|order|active>", LEAD_ONLY, False, "danh sách đơn vị")
STATUS = FieldKind("agency/<id>/status", ANY_MEMBER, False, "trạng thái biên bản")
CRIT = FieldKind("agency/<id>/crit/<code>/<part>", ANY_MEMBER, True, "điểm, ghi chú, minh chứng")
FACT = FieldKind("agency/<id>/fact/<key>", ANY_MEMBER, True, "dữ kiện hạ bậc")
#: [decided] The schedule is a round setting (lead only): the visit date. The start time,
#: place and the rest of the visit details are entered by the team at the visit.
VISIT_DATE = FieldKind("agency/<id>/visit/date", LEAD_ONLY, True, "lịch thẩm định (ngày)")
VISIT = FieldKind("agency/<id>/visit/<key>", ANY_MEMBER, True, "thông tin buổi thẩm định")
#: A required "Hạn chế" line left out of the minutes, with a reason (docs/rules.md §6).
DROPPED_LINE = FieldKind("agency/<id>/visit/dropped/<line>", LEAD_OR_SECRETARY, True, "ý Hạn chế bắt buộc")
UNKNOWN = FieldKind("<khác>", LEAD_ONLY, False, "trường không rõ")
KINDS = (
    *(ROUND_SETTING, RULES, CATALOG, MEMBER, AGENCY, STATUS),
    *(CRIT, FACT, VISIT_DATE, VISIT, DROPPED_LINE, UNKNOWN),
)
_AGENCY_PARTS = {"crit": CRIT, "fact": FACT, "visit": VISIT}
assert set(_AGENCY_PARTS) == LOCKABLE_PARTS
assert all(
    kind.locked_by_signing == (kind in _AGENCY_PARTS.values() or kind in (VISIT_DATE, DROPPED_LINE))
    for kind in KINDS
)


@lru_cache(maxsize=1 << 16)  # derive() asks once per edit, again on every write: fields repeat
def kind_of(field_name: str) -> FieldKind:
    """The declared kind of a field (unknown paths need the lead)."""
    ref = parse_field(field_name)
    if ref.family == ROUND:
        return RULES if len(ref.rest) == 2 and ref.head == "rules" else ROUND_SETTING
    if ref.family == CATALOG_HEAD and len(ref.rest) == 1:
        return CATALOG
    if ref.member_id is not None and len(ref.rest) == 1:
        return MEMBER
    if ref.agency_id is not None:
        if len(ref.rest) == 1:
            return STATUS if ref.head == "status" else AGENCY
        if ref.rest == ("visit", "date"):
            return VISIT_DATE
        if ref.rest[:2] == ("visit", "dropped"):
            return DROPPED_LINE
        return _AGENCY_PARTS.get(ref.head, UNKNOWN)
    return UNKNOWN
