"""A passphrase-protected key (docs/rules.md §9): asked once per session when it must sign,
kept in memory only; a wrong passphrase is asked again, a cancel writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ictappraise.io import keys
from ictappraise.services import evidence, trust
from ictappraise.services.errors import ServiceError
from ictappraise.services.identity import actor_for
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Workspace
from ictappraise.settings import Identity
from ictappraise.store import repository
from ictappraise.store.database import open_database

LEAD = "Nguyễn Thị Thắng"


@pytest.fixture
def founded(tmp_path: Path) -> Iterator[Workspace]:
    """A round founded by the lead with a key of this laptop (no passphrase yet)."""
    ws = Workspace(open_database(tmp_path / "round.db", create=True, backup=False))
    seed_round(ws)
    ws.actor = actor_for(ws, Identity(LEAD), "laptop")
    yield ws
    trust.set_passphrase_prompt(None)
    trust.forget_unlocked()
    ws.db.close()


def _reopen_actor(ws: Workspace) -> None:
    """A new session: nothing unlocked, the actor's key loaded again from the key folder."""
    trust.forget_unlocked()
    ws.actor = actor_for(ws, Identity(LEAD), "laptop")


def _count(ws: Workspace) -> int:
    with ws.db.reading() as session:
        return repository.count_edits(session)


def _rename(ws: Workspace, name: str) -> None:
    ws.set("round/name", name)


def test_a_passphrase_is_asked_once_and_a_wrong_one_again(founded: Workspace) -> None:
    key = trust.my_key(founded)
    assert key is not None and not key.encrypted
    trust.change_passphrase(key.public_key, None, "mật khẩu đúng")
    assert trust.my_key(founded).encrypted  # type: ignore[union-attr]
    pem = (keys._folder() / f"{trust.fingerprint_id(key.public_key)}.pem").read_bytes()
    assert b"ENCRYPTED" in pem
    _reopen_actor(founded)
    assert isinstance(founded.actor.signer, trust.LockedSigner)  # type: ignore[union-attr]
    asked: list[str | None] = []
    answers = iter(["sai", "mật khẩu đúng"])

    def prompt(fingerprint: str, name: str, problem: str | None) -> str | None:
        assert fingerprint == key.fingerprint and name == LEAD
        asked.append(problem)
        return next(answers)

    trust.set_passphrase_prompt(prompt)
    _rename(founded, "Đợt có mật khẩu")
    assert asked == [None, trust.WRONG_PASSPHRASE]
    _rename(founded, "Đợt có mật khẩu 2")  # unlocked for the session: not asked again
    assert len(asked) == 2 and founded.round_info().name == "Đợt có mật khẩu 2"


def test_cancel_writes_nothing(founded: Workspace) -> None:
    key = trust.my_key(founded)
    trust.change_passphrase(key.public_key, None, "bí mật")  # type: ignore[union-attr]
    _reopen_actor(founded)
    trust.set_passphrase_prompt(lambda *_: None)
    before = _count(founded)
    with pytest.raises(trust.PassphraseCancelled, match="chưa ghi thay đổi nào"):
        _rename(founded, "Không được ghi")
    assert _count(founded) == before and founded.round_info().name != "Không được ghi"


def test_a_cancelled_attachment_stores_no_bytes(founded: Workspace, tmp_path: Path) -> None:
    """Evidence bytes are stored before the edit that names them: the key is unlocked first."""
    key = trust.my_key(founded)
    assert key is not None
    trust.change_passphrase(key.public_key, None, "mật khẩu đúng")
    _reopen_actor(founded)
    trust.set_passphrase_prompt(lambda _fingerprint, _name, _problem: None)  # the user cancels
    scan = tmp_path / "bien-ban.pdf"
    scan.write_bytes(b"%PDF-1.4 minh chung")
    agency_id = founded.agencies()[0].id
    before = _count(founded)
    with pytest.raises(ServiceError, match="chưa ghi thay đổi nào"):
        evidence.attach_file(founded, agency_id, "I.1", scan)
    with founded.db.reading() as session:
        assert repository.attachment_digests(session) == set()
    assert _count(founded) == before


def test_without_a_prompt_the_message_names_the_environment_variable(founded: Workspace) -> None:
    key = trust.my_key(founded)
    trust.change_passphrase(key.public_key, None, "bí mật")  # type: ignore[union-attr]
    _reopen_actor(founded)
    with pytest.raises(ServiceError, match=trust.PASSPHRASE_ENV):
        _rename(founded, "Không được ghi")


def test_the_environment_variable_unlocks_for_scripts(
    founded: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = trust.my_key(founded)
    trust.change_passphrase(key.public_key, None, "bí mật")  # type: ignore[union-attr]
    monkeypatch.setenv(trust.PASSPHRASE_ENV, "bí mật")
    _reopen_actor(founded)
    assert isinstance(founded.actor.signer, keys.Signer)  # type: ignore[union-attr]
    _rename(founded, "Đợt chạy bằng lệnh")
    monkeypatch.setenv(trust.PASSPHRASE_ENV, "sai")
    trust.forget_unlocked()
    with pytest.raises(ServiceError, match="Sai mật khẩu"):
        actor_for(founded, Identity(LEAD), "laptop")


def test_changing_needs_the_old_passphrase_and_can_remove_it(founded: Workspace) -> None:
    key = trust.my_key(founded)
    assert key is not None
    with pytest.raises(ServiceError, match="ít nhất 6 ký tự"):  # the GUI's rule, for scripts too
        trust.change_passphrase(key.public_key, None, "cũ")
    assert not trust.my_key(founded).encrypted  # type: ignore[union-attr]
    trust.change_passphrase(key.public_key, None, "mật khẩu cũ")
    with pytest.raises(ServiceError, match="Sai mật khẩu"):
        trust.change_passphrase(key.public_key, "nhầm lẫn", "mật khẩu mới")
    trust.change_passphrase(key.public_key, "mật khẩu cũ", "mật khẩu mới")
    trust.change_passphrase(key.public_key, "mật khẩu mới", "")
    assert not trust.my_key(founded).encrypted  # type: ignore[union-attr]
    _reopen_actor(founded)
    assert isinstance(founded.actor.signer, keys.Signer)  # type: ignore[union-attr]


def test_the_cli_sets_the_passphrase_for_scripts(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support import run_cli

    monkeypatch.setenv(trust.NEW_PASSPHRASE_ENV, "mật khẩu lệnh")
    done = run_cli(None, "identity", "--set", LEAD, "--passphrase")
    assert done.returncode == 0 and "Đã lưu mật khẩu của khóa." in done.stdout, done.stderr
    (key,) = keys.local_keys()
    assert key.encrypted and keys.load_signer(key.public_key, "mật khẩu lệnh").public_key == key.public_key
    monkeypatch.setenv(trust.PASSPHRASE_ENV, "nhầm")
    monkeypatch.setenv(trust.NEW_PASSPHRASE_ENV, "")
    wrong = run_cli(None, "identity", "--passphrase")
    assert wrong.returncode == 1 and "Sai mật khẩu" in wrong.stderr and "Traceback" not in wrong.stderr
    assert keys.local_keys()[0].encrypted


def test_at_a_terminal_the_cli_asks_with_getpass(
    founded: Workspace, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import getpass
    import sys

    from ictappraise.cli.common import install_passphrase_prompt

    key = trust.my_key(founded)
    trust.change_passphrase(key.public_key, None, "mật khẩu đúng")  # type: ignore[union-attr]
    _reopen_actor(founded)
    typed = iter(["sai", "mật khẩu đúng"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: next(typed))
    install_passphrase_prompt()
    _rename(founded, "Đợt ký tại dấu nhắc")
    assert founded.round_info().name == "Đợt ký tại dấu nhắc"
    assert trust.WRONG_PASSPHRASE in capsys.readouterr().err
