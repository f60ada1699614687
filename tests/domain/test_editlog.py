"""The edit log (docs/rules.md §7): heads, conflicts, undo, merge as a set union, held edits."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ictappraise.domain.authority import derive
from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import agency_of, is_lockable

F = "agency/X/crit/III.5/appraised"
STATUS = "agency/X/status"


def edit(
    id: str,
    value: Any,
    *parents: str,
    field: str = F,
    basis: tuple[str, ...] = (),
    author: str = "member-a",
    at: str = "2022-12-09T08:00:00+07:00",
) -> Edit:
    return Edit(id, field, value, author, "laptop-a", at, tuple(parents), None, basis)


# -- heads and conflicts -------------------------------------------------------------------


def test_single_chain_has_one_head() -> None:
    state = derive([edit("e1", 5), edit("e2", 6, "e1"), edit("e3", 7, "e2")])
    assert state.heads(F) == ("e3",)
    assert state.value(F) == 7
    assert not state.fields[F].conflict
    assert state.conflicts() == []


def test_unknown_field_has_no_heads() -> None:
    state = derive([edit("e1", 5)])
    assert state.heads("agency/X/name") == ()
    assert state.value("agency/X/name", "mặc định") == "mặc định"


def test_concurrent_different_values_conflict() -> None:
    state = derive([edit("e1", 5), edit("e2", 6, "e1"), edit("e3", 8, "e1", author="member-b")])
    assert set(state.heads(F)) == {"e2", "e3"}
    assert state.fields[F].conflict
    assert state.value(F, "?") == "?"
    assert state.fields[F].value is None
    assert [fs.field for fs in state.conflicts()] == [F]


def test_concurrent_equal_values_do_not_conflict() -> None:
    state = derive([edit("e1", 5), edit("e2", {"input": 6}, "e1"), edit("e3", {"input": 6}, "e1")])
    assert set(state.heads(F)) == {"e2", "e3"}
    assert not state.fields[F].conflict
    assert state.value(F) == {"input": 6}


def test_equal_values_compare_canonically() -> None:
    a = edit("a", {"numerator": "1", "denominator": "3"})
    b = edit("b", {"denominator": "3", "numerator": "1"})
    assert not derive([a, b]).fields[F].conflict


def test_two_roots_with_different_values_conflict() -> None:
    # Two laptops set a field neither had seen: no common parent, still a conflict.
    assert derive([edit("a", 1), edit("b", 2)]).fields[F].conflict


def test_resolving_a_conflict_merges_the_heads() -> None:
    edits = [edit("e1", 5), edit("e2", 6, "e1"), edit("e3", 8, "e1"), edit("e4", 7, "e2", "e3")]
    state = derive(edits)
    assert state.heads(F) == ("e4",)
    assert state.value(F) == 7


def test_an_edit_that_saw_one_head_does_not_resolve_the_other() -> None:
    edits = [edit("e1", 5), edit("e2", 6, "e1"), edit("e3", 8, "e1"), edit("e4", 6, "e2")]
    state = derive(edits)
    assert set(state.heads(F)) == {"e3", "e4"}
    assert state.fields[F].conflict


def test_undo_is_a_new_edit_restoring_the_old_value() -> None:
    edits = [edit("e1", 5), edit("e2", 6, "e1"), edit("e3", 5, "e2")]
    state = derive(edits)
    assert state.heads(F) == ("e3",)
    assert state.value(F) == 5
    # Nothing was removed: all three edits are still there for the audit trail.
    assert {e.id for e in edits} == {"e1", "e2", "e3"}


def test_clearing_a_field_is_an_edit_with_none() -> None:
    state = derive([edit("e1", {"input": 5}), edit("e2", None, "e1")])
    assert state.heads(F) == ("e2",)
    assert state.value(F, "default") is None


def test_fields_are_independent() -> None:
    other = "agency/X/crit/III.6/appraised"
    state = derive([edit("e1", 5), edit("o1", 9, field=other), edit("e2", 6, "e1")])
    assert state.value(F) == 6
    assert state.value(other) == 9


def test_heads_ignore_the_clock() -> None:
    # A child stamped earlier than its parent (a laptop with a wrong clock) still replaces it.
    edits = [edit("e1", 5, at="2022-12-09T10:00:00"), edit("e2", 6, "e1", at="2022-12-01T08:00:00")]
    assert derive(edits).value(F) == 6


# -- merge: any order, any repetition --------------------------------------------------------


@st.composite
def edit_logs(draw: st.DrawFn) -> list[Edit]:
    """A random log over three fields: each edit replaces some of the earlier edits of its field."""
    fields = ["agency/X/crit/I.1/appraised", "agency/X/crit/I.2/self", "round/name"]
    edits: list[Edit] = []
    for number in range(draw(st.integers(1, 14))):
        name = draw(st.sampled_from(fields))
        earlier = [e.id for e in edits if e.field == name]
        parents = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2)) if earlier else []
        value = draw(st.sampled_from([1, 2, "Có", None]))
        stamp = f"2022-12-{draw(st.integers(9, 14)):02d}T08:00:00"
        edits.append(Edit(f"id{number:02d}", name, value, "m", "d", stamp, tuple(parents)))
    return edits


@settings(max_examples=150, deadline=None)
@given(data=st.data(), edits=edit_logs())
def test_any_order_and_repetition_give_the_same_state(data: st.DataObject, edits: list[Edit]) -> None:
    expected = derive(edits)
    shuffled = data.draw(st.permutations(edits))
    repeated = data.draw(st.lists(st.sampled_from(edits), max_size=10))
    assert derive([*shuffled, *repeated]) == expected


@settings(max_examples=100, deadline=None)
@given(data=st.data(), edits=edit_logs())
def test_merging_two_laptops_is_a_union(data: st.DataObject, edits: list[Edit]) -> None:
    # Each laptop holds some of the edits (with overlap); merging in either direction agrees.
    left = data.draw(st.lists(st.sampled_from(edits), max_size=len(edits)))
    right = [e for e in edits if e not in left] + data.draw(st.lists(st.sampled_from(edits), max_size=3))
    assert derive(left + right) == derive(right + left) == derive(edits)


@settings(max_examples=100, deadline=None)
@given(edits=edit_logs())
def test_heads_are_exactly_the_unreplaced_edits(edits: list[Edit]) -> None:
    state = derive(edits)
    for name, fs in state.fields.items():
        of_field = [e for e in edits if e.field == name]
        replaced = {p for e in of_field for p in e.parents}
        assert set(fs.head_ids) == {e.id for e in of_field if e.id not in replaced}
        values = {repr(h.value) for h in fs.heads}
        assert fs.conflict == (len(values) > 1)


# -- signing and held edits ----------------------------------------------------------------

A1 = "agency/X/crit/I.1/appraised"
NOTE = "agency/X/crit/I.1/note"
VISIT = "agency/X/visit/end"


def signing_log() -> dict[str, Edit]:
    """Scores, a signing that covers them, a reopen, and edits before/after each."""
    log = [
        edit("a1", {"input": True}, field=A1),
        edit("n1", "Đủ minh chứng", field=NOTE),
        edit("ready", {"state": "ready"}, field=STATUS),
        edit("sign", {"state": "signed", "covers": ["a1", "n1"]}, "ready", field=STATUS),
        # Made on another laptop that had not seen the signing: not covered, held.
        edit("late", {"input": False}, "a1", field=A1, basis=("ready",), author="member-b"),
        # Made after the signing without a reopen (an old copy of the program): held.
        edit("after", "11:30", field=VISIT, basis=("sign",)),
        # A field that is not locked: never held.
        edit("rename", "Huyện ủy X", field="agency/X/name", basis=("sign",)),
        edit("reopen", {"state": "reopened"}, "sign", field=STATUS),
        # After the reopen: applied.
        edit("fix", "Bổ sung minh chứng", "n1", field=NOTE, basis=("reopen",)),
    ]
    return {e.id: e for e in log}


def test_held_edits_are_kept_listed_and_not_applied() -> None:
    state = derive(signing_log().values())
    assert {e.id for e in state.held} == {"late", "after"}
    assert state.value(A1) == {"input": True}  # the held edit did not replace a1
    assert state.heads(A1) == ("a1",)
    assert state.value(VISIT) is None
    assert state.value("agency/X/name") == "Huyện ủy X"
    assert state.value(NOTE) == "Bổ sung minh chứng"  # made after the reopen
    assert state.value(STATUS) == {"state": "reopened"}


def test_covered_edits_are_applied() -> None:
    log = signing_log()
    state = derive([log["a1"], log["n1"], log["ready"], log["sign"]])
    assert state.held == ()
    assert state.value(A1) == {"input": True}
    assert state.value(NOTE) == "Đủ minh chứng"


def test_edit_not_covered_is_held_even_before_the_signing_arrives_later() -> None:
    log = signing_log()
    without_signing = derive([log["a1"], log["late"]])
    assert without_signing.held == ()  # no signing known yet: applied
    assert without_signing.value(A1) == {"input": False}
    with_signing = derive([log["a1"], log["late"], log["ready"], log["sign"]])
    assert [e.id for e in with_signing.held] == ["late"]
    assert with_signing.value(A1) == {"input": True}


def test_reopen_does_not_release_edits_made_before_it() -> None:
    log = signing_log()
    state = derive([log["a1"], log["ready"], log["sign"], log["late"], log["reopen"]])
    assert [e.id for e in state.held] == ["late"]


def test_a_second_signing_holds_what_it_did_not_cover() -> None:
    log = dict(signing_log())
    log["sign2"] = edit("sign2", {"state": "signed", "covers": ["a1", "n1", "fix"]}, "reopen", field=STATUS)
    # Made after the reopen but concurrently with the second signing, which did not see it.
    log["race"] = edit("race", "12:00", field=VISIT, basis=("reopen",), author="member-b")
    state = derive(log.values())
    assert {e.id for e in state.held} == {"late", "after", "race"}
    assert state.value(NOTE) == "Bổ sung minh chứng"
    assert state.value(STATUS)["state"] == "signed"


def test_signing_of_one_agency_does_not_lock_another() -> None:
    log = signing_log()
    other = edit("y1", {"input": 3}, field="agency/Y/crit/I.1/appraised", basis=())
    state = derive([*log.values(), other])
    assert state.value("agency/Y/crit/I.1/appraised") == {"input": 3}
    assert "y1" not in {e.id for e in state.held}


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_held_edits_are_the_same_in_every_arrival_order(data: st.DataObject) -> None:
    log = list(signing_log().values())
    order = data.draw(st.permutations(log))
    repeats = data.draw(st.lists(st.sampled_from(log), max_size=6))
    state = derive([*order, *repeats])
    assert {e.id for e in state.held} == {"late", "after"}
    assert state.value(NOTE) == "Bổ sung minh chứng"
    assert state.value(A1) == {"input": True}


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_prefix_of_an_arrival_order_agrees_with_its_own_set(data: st.DataObject) -> None:
    # A laptop that has received only part of the log derives what that part implies.
    log = list(signing_log().values())
    order = data.draw(st.permutations(log))
    cut = data.draw(st.integers(0, len(order)))
    part = order[:cut]
    state = derive(part)
    ids = {e.id for e in part}
    if "sign" in ids and "late" in ids:
        assert "late" in {e.id for e in state.held}
    if "fix" in ids:
        # Applied once the reopen it was made after is known; held until then if signed.
        held_fix = "fix" in {e.id for e in state.held}
        assert held_fix == ("sign" in ids and "reopen" not in ids)
    assert state == derive(list(reversed(part)))


# -- field helpers and the exchange form ------------------------------------------------


def test_field_helpers() -> None:
    assert agency_of("agency/abc/crit/III.5/appraised") == "abc"
    assert agency_of("round/name") is None
    assert agency_of("member/m1/name") is None
    assert is_lockable("agency/abc/crit/III.5/appraised")
    assert is_lockable("agency/abc/fact/report_sent")
    assert is_lockable("agency/abc/fact/portal/3")
    assert is_lockable("agency/abc/visit/end")
    assert not is_lockable("agency/abc/status")
    assert not is_lockable("agency/abc/name")
    assert not is_lockable("round/rules/2")


def test_edit_json_round_trip() -> None:
    original = Edit(
        "e9", F, {"input": "Có"}, "m1", "d1", "2022-12-09T08:00:00+07:00", ("e1",), "lý do", ("s1",)
    )
    data = original.to_json()
    assert list(data) == [
        "id",
        "field",
        "value",
        "author",
        "device",
        "created_at",
        "parents",
        "reason",
        "basis",
    ]
    assert Edit.from_json(data) == original


# -- graphs an older build let in: derive never crashes ------------------------------


def test_a_cycle_of_two_leaves_a_headless_field_that_reads_as_absent() -> None:
    state = derive([edit("e1", 5, "e2"), edit("e2", 6, "e1")])
    assert state.heads(F) == ()
    assert state.fields[F].value is None
    assert state.value(F, "không có") == "không có"
    assert not state.fields[F].conflict
    assert state.broken == (F,)


def test_an_edit_after_a_cycle_is_the_head_and_the_field_still_counts_as_broken() -> None:
    state = derive([edit("e1", 5, "e2"), edit("e2", 6, "e1"), edit("e3", 7, "e1")])
    assert state.heads(F) == ("e3",)
    assert state.value(F) == 7
    assert state.broken == (F,)


def test_a_sound_graph_is_not_broken() -> None:
    state = derive([edit("e1", 5), edit("e2", 6, "e1"), edit("e3", 8, "e1"), edit("e4", 9, "e2", "e3")])
    assert state.broken == ()


@given(st.integers(min_value=2, max_value=50), st.integers(min_value=0, max_value=3))
@settings(max_examples=30, deadline=None)
def test_in_loops_finds_exactly_the_cycle(size: int, tail: int) -> None:
    from ictappraise.domain.editlog import in_loops

    links: dict[str, list[str]] = {f"c{i}": [f"c{(i + 1) % size}"] for i in range(size)}
    links |= {f"t{i}": [f"t{i - 1}" if i else "c0"] for i in range(tail)}  # descend from the cycle
    links["c0"].append("root")  # and the cycle hangs off a sound root
    assert in_loops(links) == {f"c{i}" for i in range(size)}
    assert in_loops({k: v for k, v in links.items() if k != "c1"}) == set()
