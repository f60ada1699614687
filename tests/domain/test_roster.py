"""The roster from the founder (docs/rules.md §9), pure: any order, same roster; nothing untrusted applies.

derive() never verifies signatures (the merge does), so keys here are plain strings.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ictappraise.domain.authority import derive
from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import FOUNDING_FIELD
from ictappraise.domain.roster import (
    NO_PAST,
    NOT_LEAD,
    REVOKED_KEY,
    SECOND_FOUNDING,
    UNKNOWN_KEY,
    UNSIGNED,
    WRONG_AUTHOR,
    derive_roster,
)

LEAD, A, B = "lead", "member-a", "member-b"
KL, KA, KB, KX = "key-lead", "key-a", "key-b", "key-stranger"
T = "2022-12-14T20:00:00+07:00"


def edit(
    eid: str,
    field: str,
    value: object,
    author: str,
    key: str | None,
    parents: tuple[str, ...] = (),
    basis: tuple[str, ...] = (),
) -> Edit:
    return Edit(
        eid,
        field,
        value,
        author,
        "dev",
        T,
        parents,
        basis=basis,
        key=key,
        signature=None if key is None else "sig",
    )


SEED = edit("seed-1", "member/member-a/role", "member", "system", None)
FOUNDING = edit(
    "found", FOUNDING_FIELD, {"member": LEAD, "key": KL, "name": "Lead", "edits": ["seed-1"]}, LEAD, KL
)
ADMIT_A = edit("admit-a", "member/member-a/key/A", {"key": KA}, LEAD, KL, basis=("found",))
ADMIT_B = edit("admit-b", "member/member-b/key/B", {"key": KB}, LEAD, KL, basis=("found",))
FORGED_ADMIT = edit(
    "forged-admit", "member/member-b/key/X", {"key": KX}, A, KA, basis=("admit-a",)
)  # a member admits a key
SELF_PROMOTION = edit("promote", "member/member-a/role", "lead", A, KA, ("seed-1",), ("admit-a",))
SECOND_FOUNDER = edit("found-2", FOUNDING_FIELD, {"member": A, "key": KA, "name": "A", "edits": []}, A, KA)
NOTE = "agency/ag1/crit/I.1/note"
BY_A = edit("note-a", NOTE, "A", A, KA)
A_AS_B = edit("note-a-as-b", "agency/ag1/crit/I.2/note", "B?", B, KA)
BY_STRANGER = edit("note-x", "agency/ag1/crit/I.3/note", "X", A, KX)
UNSIGNED_NOTE = edit("note-unsigned", "agency/ag1/crit/I.4/note", "?", A, None)
EVERYTHING = [SEED, FOUNDING, ADMIT_A, ADMIT_B, FORGED_ADMIT, SELF_PROMOTION, SECOND_FOUNDER]
DATA = [BY_A, A_AS_B, BY_STRANGER, UNSIGNED_NOTE]


def test_the_founder_is_lead_and_only_lead_signed_roster_edits_apply() -> None:
    roster = derive_roster(EVERYTHING)
    assert roster.founded and roster.founder == LEAD and roster.founding_id == "found"
    assert roster.roles == {LEAD: "lead", A: "member"}
    assert roster.keys == {KL: LEAD, KA: A, KB: B}
    assert roster.held == {"forged-admit": NOT_LEAD, "promote": NOT_LEAD, "found-2": SECOND_FOUNDING}
    state = derive(DATA, roster)
    assert state.value(NOTE) == "A"
    assert state.untrusted == {"note-a-as-b": WRONG_AUTHOR, "note-x": UNKNOWN_KEY, "note-unsigned": UNSIGNED}


def test_a_signature_image_is_its_owners_or_the_leads_to_set() -> None:
    """The image printed on the minutes: a member sets their own, the lead anyone's, no one else."""
    roster = derive_roster(EVERYTHING)
    own = edit("sig-a", "member/member-a/signature", "a" * 64, A, KA)
    leads = edit("sig-lead-for-b", "member/member-b/signature", "b" * 64, LEAD, KL, basis=("found",))
    others = edit("sig-a-for-lead", "member/lead/signature", None, A, KA)
    state = derive([own, leads, others], roster)
    assert state.value("member/member-a/signature") == "a" * 64
    assert state.value("member/member-b/signature") == "b" * 64
    assert [e.id for e in state.held] == ["sig-a-for-lead"]


def test_without_a_founding_nothing_is_held_for_want_of_a_signature() -> None:
    roster = derive_roster([SEED, SELF_PROMOTION])
    assert not roster.founded
    assert derive(DATA, roster).untrusted == {}


def test_a_revoked_key_keeps_only_the_edits_listed() -> None:
    revoke = edit(
        "revoke-a", "member/member-a/key/A", {"key": KA, "revoked": True, "keeps": ["note-a"]}, LEAD, KL
    )
    revoke = Edit(**{**revoke.__dict__, "parents": ("admit-a",)})
    later = edit("note-a-later", "agency/ag1/crit/I.5/note", "stolen", A, KA)
    roster = derive_roster([*EVERYTHING, revoke])
    assert KA not in roster.keys
    state = derive([BY_A, later], roster)
    assert state.value(NOTE) == "A" and state.untrusted == {"note-a-later": REVOKED_KEY}


def test_a_lead_can_make_a_new_lead_who_then_admits_keys() -> None:
    promote_a = edit("lead-promotes-a", "member/member-a/role", "lead", LEAD, KL, ("seed-1",), ("admit-a",))
    a_admits = edit("a-admits-x", "member/member-b/key/X", {"key": KX}, A, KA, basis=("lead-promotes-a",))
    roster = derive_roster([*EVERYTHING, promote_a, a_admits])
    assert roster.roles[A] == "lead" and roster.keys[KX] == B
    assert roster.team_heads == ("a-admits-x", "admit-b")  # what a new edit names as seen


def test_a_team_change_that_names_no_past_is_held() -> None:
    """Every laptop names at least the founding: a lead's change naming nothing is hand-made
    (a demoted founder could otherwise claim to have seen nothing)."""
    bare = edit("bare-admit", "member/member-b/key/X", {"key": KX}, LEAD, KL)
    roster = derive_roster([*EVERYTHING, bare])
    assert KX not in roster.keys and roster.held["bare-admit"] == NO_PAST


def test_a_new_lead_who_has_not_seen_the_promotion_cannot_admit_keys() -> None:
    promote_a = edit("lead-promotes-a", "member/member-a/role", "lead", LEAD, KL, ("seed-1",), ("admit-a",))
    # A saw its key admitted, not its promotion.
    a_admits = edit("a-admits-x", "member/member-b/key/X", {"key": KX}, A, KA, basis=("admit-a",))
    roster = derive_roster([*EVERYTHING, promote_a, a_admits])
    assert roster.roles[A] == "lead" and KX not in roster.keys and roster.held["a-admits-x"] == NOT_LEAD


# A lead hands the role over: promotes A, then steps down having seen it (docs/rules.md §9).
HAND_OVER = edit("promote-a", "member/member-a/role", "lead", LEAD, KL, ("seed-1",), ("admit-a",))
STEP_DOWN = edit("step-down", "member/lead/role", "member", LEAD, KL, (), ("promote-a",))
BEFORE = edit("admit-b-before", "member/member-b/key/B2", {"key": "key-b2"}, LEAD, KL, (), ("promote-a",))
AFTER = edit("admit-x-after", "member/member-b/key/X", {"key": KX}, LEAD, KL, (), ("step-down",))
REPROMOTE = edit("lead-again", "member/lead/role", "lead", LEAD, KL, ("step-down",), ("step-down",))
RULES = "round/rules/3"
RULES_BEFORE = edit("rules-before", RULES, {"good": 1}, LEAD, KL, (), ("promote-a",))
RULES_AFTER = edit("rules-after", RULES, {"good": 2}, LEAD, KL, ("rules-before",), ("step-down",))
A_RULES = edit("rules-by-a", RULES, {"good": 3}, A, KA, ("rules-before",), ("step-down",))
HAND_OVER_SET = [*EVERYTHING, HAND_OVER, STEP_DOWN, BEFORE, AFTER, REPROMOTE, RULES_BEFORE, RULES_AFTER]


def test_a_lead_who_stepped_down_keeps_earlier_changes_and_loses_later_ones() -> None:
    roster = derive_roster(HAND_OVER_SET)
    assert roster.roles[LEAD] == "member" and roster.roles[A] == "lead"
    assert roster.keys["key-b2"] == B and KX not in roster.keys
    assert roster.held["admit-x-after"] == NOT_LEAD and roster.held["lead-again"] == NOT_LEAD
    state = derive([e for e in HAND_OVER_SET if e.field.startswith("round/")], roster)
    assert state.heads(RULES) == ("rules-before",)
    assert "rules-after" in state.held_reasons and "rules-before" not in state.held_reasons


def test_the_new_lead_replaces_a_setting_the_old_lead_made_before() -> None:
    edits = [*HAND_OVER_SET, A_RULES]
    roster = derive_roster(edits)
    state = derive([e for e in edits if e.field.startswith("round/")], roster)
    assert state.value(RULES) == {"good": 3}


@settings(max_examples=40, deadline=None)
@given(st.permutations([*HAND_OVER_SET, A_RULES]))
def test_a_hand_over_gives_one_state_in_any_order(order: list[Edit]) -> None:
    roster = derive_roster(order)
    reference = derive_roster(sorted(order, key=lambda e: e.id))
    assert roster == reference
    rounds = [e for e in order if e.field.startswith("round/")]
    state = derive(rounds, roster)
    assert state.held_reasons == derive(sorted(rounds, key=lambda e: e.id), reference).held_reasons
    assert state.value(RULES) == {"good": 3}


@settings(max_examples=60, deadline=None)
@given(st.permutations([*EVERYTHING, *DATA]), st.sets(st.sampled_from([e.id for e in EVERYTHING + DATA])))
def test_any_order_and_any_subset_give_one_state_and_nothing_untrusted_applies(
    order: list[Edit], dropped: set[str]
) -> None:
    chosen = [e for e in order if e.id not in dropped or e.id in ("found", "seed-1")]
    reference = sorted(chosen, key=lambda e: e.id)
    roster = derive_roster(chosen)
    assert roster == derive_roster(reference)
    state = derive(chosen, roster)
    again = derive(reference, derive_roster(reference))
    assert {f: s.head_ids for f, s in state.fields.items()} == {
        f: s.head_ids for f, s in again.fields.items()
    }
    applied = {e.id for s in state.fields.values() for e in s.heads}
    for e in chosen:
        if e.id in applied and not e.field.startswith(("member/", "round/")):
            owner = roster.keys.get(e.key or "")
            assert e.key is None and e.id in roster.vouched or owner == e.author, e.id
    assert not applied & {"forged-admit", "promote", "found-2", "note-a-as-b", "note-x", "note-unsigned"}
