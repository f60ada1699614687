"""Shared pieces for fuzz tests (hypothesis): hostile values, file mutations, clean-error checks, a tally.

Use it from any fuzz test (Excel, packages, …)::

    from fuzz_support import FUZZ, assert_clean_error, fuzz_tally_fixture, mutate_bytes  # noqa: F401

    @FUZZ
    @given(data=st.data())
    def test_fuzz_my_reader(data, fuzz_tally, tmp_path):
        fuzz_tally("my reader")                      # one input tried
        blob = mutate_bytes(data.draw, VALID_FILE)   # truncations, flips, overwrites, insertions
        try:
            read_my_file(blob)
        except (ValueError, StoreError) as error:
            assert_clean_error(error)                # a documented type with a Vietnamese message

``FUZZ`` bounds the examples (ICTAPPRAISE_FUZZ_EXAMPLES overrides the default of 60 per test)
and turns off hypothesis' deadline (CI machines are slow and shared). At the end of the run
pytest prints how many inputs each fuzz target tried.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("ICTAPPRAISE_FUZZ_EXAMPLES", "60"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)

# Letters only Vietnamese uses among the languages a message could be in (plus đ).
_VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)


def is_vietnamese(text: str) -> bool:
    """True when the text carries Vietnamese diacritics (our messages always do)."""
    return bool(_VIETNAMESE.search(text))


def assert_clean_error(error: BaseException, allowed: tuple[type[BaseException], ...] = ()) -> None:
    """The error is a documented type (ValueError, StoreError or ``allowed``) with a Vietnamese message."""
    from ictappraise.store.database import StoreError

    kinds = (ValueError, StoreError, *allowed)
    assert isinstance(error, kinds), f"{type(error).__name__}: {error}"
    assert is_vietnamese(str(error)), f"not a Vietnamese message: {type(error).__name__}: {error}"


# -- strategies -----------------------------------------------------------------------------------
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "7,5",
            "1e9",
            "-0",
            "NaN",
            "∞",
            "٣",  # Arabic-Indic digit
            "\u202eđảo ngược",  # right-to-left override
            "a\u0301\u0323\u0302",  # stacked combining marks
            "\x00\x07\x1b[31m",
            "9" * 400,
            "chữ " * 2500,  # a 10 000-character cell
            "Có",
            "Không",
            "on_time",
            "full",
        ]
    ),
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
)


def hostile_json(keys: list[str] | None = None) -> st.SearchStrategy[Any]:
    """Nested JSON-like values; dict keys drawn from ``keys`` (the names a parser looks for)."""
    names = st.sampled_from(keys) if keys else HOSTILE_TEXT
    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(names, inner, max_size=5)),
        max_leaves=12,
    )


def mutate_json(
    draw: Callable[[st.SearchStrategy[Any]], Any], value: Any, keys: list[str] | None = None
) -> Any:
    """A copy of a valid JSON value with one to three random changes deep inside it."""
    result = value
    for _ in range(draw(st.integers(1, 3))):
        result = _mutate_once(draw, result, keys)
    return result


def _mutate_once(draw: Callable[[st.SearchStrategy[Any]], Any], value: Any, keys: list[str] | None) -> Any:
    if isinstance(value, dict) and value and draw(st.integers(0, 3)) > 0:
        key = draw(st.sampled_from(sorted(value, key=str)))
        copy = dict(value)
        action = draw(st.sampled_from(["deeper", "deeper", "drop", "replace"]))
        if action == "drop":
            del copy[key]
        elif action == "replace":
            copy[key] = draw(hostile_json(keys))
        else:
            copy[key] = _mutate_once(draw, value[key], keys)
        return copy
    if isinstance(value, list) and value and draw(st.integers(0, 3)) > 0:
        index = draw(st.integers(0, len(value) - 1))
        copy = list(value)
        action = draw(st.sampled_from(["deeper", "deeper", "drop", "duplicate", "replace"]))
        if action == "drop":
            del copy[index]
        elif action == "duplicate":
            copy.insert(index, value[index])
        elif action == "replace":
            copy[index] = draw(hostile_json(keys))
        else:
            copy[index] = _mutate_once(draw, value[index], keys)
        return copy
    return draw(hostile_json(keys))


def mutate_bytes(draw: Callable[[st.SearchStrategy[Any]], Any], data: bytes) -> bytes:
    """A damaged copy of a valid file: truncated, bits flipped, ranges overwritten or inserted."""
    blob = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not blob:
            break
        where = draw(st.integers(0, len(blob) - 1))
        action = draw(st.sampled_from(["truncate", "flip", "overwrite", "insert", "zero"]))
        if action == "truncate":
            del blob[where:]
        elif action == "flip":
            blob[where] ^= 1 << draw(st.integers(0, 7))
        elif action == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=64))
            blob[where : where + len(chunk)] = chunk
        elif action == "insert":
            blob[where:where] = draw(st.binary(min_size=1, max_size=64))
        else:
            blob[where : where + draw(st.integers(1, 4096))] = b""
    return bytes(blob)


# -- counting -------------------------------------------------------------------------------------
class _Tally:
    """A pytest plugin registered on first use: counts inputs and prints them at the end."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.counts:
            return
        terminalreporter.section("fuzzing: inputs tried")
        for name, count in sorted(self.counts.items()):
            terminalreporter.write_line(f"{name}: {count}")
        terminalreporter.write_line(f"total: {sum(self.counts.values())}")


@pytest.fixture(name="fuzz_tally")
def fuzz_tally_fixture(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Call with a target name once per input tried."""
    manager = request.config.pluginmanager
    plugin = manager.get_plugin("ictappraise-fuzz-tally")
    if plugin is None:
        plugin = _Tally()
        manager.register(plugin, "ictappraise-fuzz-tally")

    def count(name: str) -> None:
        plugin.counts[name] += 1

    return count
