"""argparse's own words in Vietnamese: "usage:", "options:", "-h", its error messages.

argparse looks every one of its texts up through gettext (``_()`` and ``ngettext``) when it
builds a parser and when it prints help or an error; install() gives it a lookup that answers
from this table, so every command's help and every refusal of the parser read in Vietnamese.
"""

from __future__ import annotations

import argparse

WORDS = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số bắt buộc",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "not allowed with argument %s": "không dùng được cùng tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được «%(filename)s»: %(error)s",
    "subcommands": "lệnh",
}
PLURALS = {
    "expected %s argument": "cần %s giá trị",
    "conflicting option string: %s": "tùy chọn trùng: %s",
}


def translate(text: str) -> str:
    """argparse's text in Vietnamese (unknown texts unchanged)."""
    return WORDS.get(text, text)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """argparse's counted text in Vietnamese (Vietnamese has one form)."""
    return PLURALS.get(singular, singular if count == 1 else plural)


def install() -> None:
    """From now on argparse speaks Vietnamese (before building a parser: titles are read then)."""
    # argparse looks these names up in its module at call time; its stubs rightly do not list them.
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
