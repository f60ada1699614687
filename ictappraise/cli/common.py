"""What every command shares: opening the database, knowing who acts, failing cleanly."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ictappraise.services.database import Database, open_database, open_for_reading
from ictappraise.services.workspace import Actor, Workspace
from ictappraise.settings import load_config


class CommandError(Exception):
    """A user mistake: printed in Vietnamese, exit status 1, never a traceback."""


Handler = Callable[[argparse.Namespace], int]


def add_db_argument(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "--db", type=Path, required=required, metavar="TỆP", help="tệp dữ liệu (.db) của đợt đánh giá"
    )


def add_actor_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_name",
        metavar="HỌ_TÊN",
        help="thành viên Tổ thẩm định đang thao tác (mặc định: danh tính đã lưu trên máy)",
    )


# Commands that only read the file (export-package records only its own bookkeeping, skipped
# then): they run while a window has the file open (SQLite readers work beside a writer).
READING_COMMANDS = frozenset({"results", "report", "export-xlsx", "export-package", "conflicts"})


def open_db(args: argparse.Namespace, *, create: bool = False, reading: bool = False) -> Database:
    """The database of --db (reading: also while a window has it open); notes that did not
    stop the open go to stderr as "Lưu ý: …"."""
    db = open_for_reading(args.db) if reading else open_database(args.db, create=create)
    print_warnings(db)
    return db


def print_warnings(db: Database) -> None:
    """Each of the database's notes (e.g. a file on a network share) on stderr."""
    for warning in db.warnings:
        err(f"Lưu ý: {warning}")


def warn_damage(ws: Workspace) -> None:
    """A looping edit graph (merged by an older build): say so on stderr, with the backup to restore."""
    from ictappraise.services.graph_health import find_damage

    damage = find_damage(ws)
    if damage is not None:
        err(f"Lưu ý: {damage.message(ws)}")


def resolve_actor(ws: Workspace, as_name: str | None) -> Actor:
    """The acting member: --as NAME, else the identity saved on this laptop."""
    config = load_config()
    name = as_name or (config.identity.name if config.identity else None)
    if not name:
        raise CommandError(
            'Chưa biết ai đang thao tác. Hãy thêm «--as "Họ tên"» hoặc lưu danh tính trên máy này: '
            'ictappraise identity --set "Họ tên".'
        )
    member = ws.find_member(name)
    if member is None:
        newcomer = _announced_newcomer(ws, name, config.device_id)
        if newcomer is not None:
            return newcomer
        team = ", ".join(m.name for m in ws.members())
        raise CommandError(f"«{name}» không phải thành viên Tổ thẩm định của đợt này (gồm: {team}).")
    return Actor(member.id, config.device_id, member.name, member.role, _signer(ws, member.id, member.name))


def _announced_newcomer(ws: Workspace, name: str, device_id: str) -> Actor | None:
    """Someone not yet on the team whose key on this laptop is announced: they may send their
    first package (which carries the announcement); the roster holds anything they write."""
    from ictappraise.services.trust import local_announced

    found = local_announced(ws, name)
    if found is None:
        return None
    member_id, signer = found
    return Actor(member_id, device_id, name, "member", signer)


def _signer(ws: Workspace, member_id: str, name: str) -> object:
    """The member's key on this laptop; a round founded with keys refuses anyone else (docs/rules.md §9)."""
    from ictappraise.services.trust import local_announced, local_members, signer_for

    signer = signer_for(ws, member_id)
    if (
        signer is None
        and ws.roster.founded
        and not any(owner == member_id for owner in ws.roster.keys.values())
    ):
        found = local_announced(ws, name)  # a member's first key, announced, not admitted yet
        if found is not None and found[0] == member_id:
            return found[1]
    if signer is None and ws.roster.founded:
        here = ", ".join(local_members(ws)) or "chưa có ai"
        raise CommandError(
            f"Máy này không có khóa của «{name}» được Tổ trưởng công nhận, nên không thể thao tác dưới tên "
            f"đó. Người có khóa trên máy này: {here}. Xem vân tay khóa của máy: ictappraise identity."
        )
    return signer


@contextmanager
def workspace(
    args: argparse.Namespace, *, acting: bool = False, reading: bool = False
) -> Iterator[Workspace]:
    """A workspace on --db, closed however the command ends; acting: with the actor (--as or
    saved); reading: a command that only reads, which works beside an open window."""
    reading = reading or getattr(args, "command", None) in READING_COMMANDS
    ws = Workspace(open_db(args, reading=reading))
    try:
        if acting:
            ws.actor = resolve_actor(ws, getattr(args, "as_name", None))
        yield ws
    finally:
        ws.db.close()


YES_ANSWERS = ("c", "có", "co", "y", "yes")


def confirm(question: str, *, without_terminal: bool) -> bool:
    """Ask "question [c/K]" when a person is at the terminal; a script (no tty) gets without_terminal."""
    if not sys.stdin.isatty():
        return without_terminal
    return input(f"{question} [c/K] ").strip().casefold() in YES_ANSWERS


def out(text: str = "") -> None:
    print(text, file=sys.stdout)


def err(text: str) -> None:
    print(text, file=sys.stderr)


#: Wrong passphrases typed before the command gives up (then nothing is written).
PASSPHRASE_TRIES = 3


def install_passphrase_prompt() -> None:
    """At a terminal, an encrypted key asks for its passphrase with getpass when it must sign;
    scripts give it in the environment (services.trust.PASSPHRASE_ENV)."""
    from ictappraise.services import trust

    if not sys.stdin.isatty():
        trust.set_passphrase_prompt(None)  # the refusal names the environment variable
        return
    tries = iter(range(PASSPHRASE_TRIES))

    def prompt(fingerprint: str, name: str, problem: str | None) -> str | None:
        import getpass

        if problem:
            err(problem)
        if next(tries, None) is None:
            return None
        try:
            return getpass.getpass(f"Mật khẩu khóa {fingerprint} của {name or 'người dùng'}: ")
        except (EOFError, KeyboardInterrupt):
            return None

    trust.set_passphrase_prompt(prompt)
