"""config.json that is not as we wrote it: set aside, logged, said in Vietnamese; a first start follows."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ictappraise import settings
from ictappraise.settings import Identity, load_config, save_config, take_config_notices
from tests.support import run_cli

GOOD = {
    "device_id": "d-1",
    "identity": {"name": "Chuyên viên A", "title": "", "role": "member"},
    "pdf_font": None,
}

SHAPES = {
    "extra key": {**GOOD, "theme": "dark"},
    "extra identity key": {**GOOD, "identity": {**GOOD["identity"], "email": "a@b"}},
    "missing key": {"identity": GOOD["identity"], "pdf_font": None},
    "identity without a name": {**GOOD, "identity": {"title": "", "role": "member"}},
    "wrong type of device id": {**GOOD, "device_id": 42},
    "wrong type of identity": {**GOOD, "identity": "Chuyên viên A"},
    "wrong type of name": {**GOOD, "identity": {**GOOD["identity"], "name": ["A"]}},
    "unknown role": {**GOOD, "identity": {**GOOD["identity"], "role": "admin"}},
    "wrong type of font": {**GOOD, "pdf_font": 12},
    "a list": [GOOD],
}
TEXTS = {"not JSON": '{"device_id": "d-1",', "empty file": "", "binary": "\x00\x01\x02"}


@pytest.fixture(autouse=True)
def real_device_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """The device id as a user's laptop has it: from config.json, not pinned for tests."""
    monkeypatch.delenv("ICTAPPRAISE_DEVICE_ID")
    take_config_notices()  # nothing left over from another test


def config_file() -> Path:
    return settings.config_dir() / settings.CONFIG_FILE


def write(text: str) -> None:
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text(text, encoding="utf-8")


def assert_set_aside(original: str) -> None:
    config = load_config()
    assert config.identity is None and config.device_id and config.device_id != "d-1"  # a first start
    (aside,) = config_file().parent.glob("config.json.hong-*")
    assert aside.read_text(encoding="utf-8") == original  # kept as it was, for whoever wants it
    assert json.loads(config_file().read_text(encoding="utf-8"))["device_id"] == config.device_id
    (notice,) = take_config_notices()
    assert "bị hỏng hoặc không đúng dạng" in notice and aside.name in notice
    assert load_config().device_id == config.device_id and not take_config_notices()  # once only


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_foreign_shapes_are_set_aside(shape: str) -> None:
    text = json.dumps(SHAPES[shape], ensure_ascii=False)
    write(text)
    assert_set_aside(text)


@pytest.mark.parametrize("shape", sorted(TEXTS))
def test_unreadable_files_are_set_aside(shape: str) -> None:
    write(TEXTS[shape])
    assert_set_aside(TEXTS[shape])


def test_our_own_file_and_an_older_one_read_as_written() -> None:
    write(json.dumps(GOOD))
    config = load_config()
    assert (config.device_id, config.identity) == ("d-1", Identity("Chuyên viên A", "", "member"))
    write(json.dumps({"device_id": "d-2"}))  # an older version wrote no identity or font yet
    assert load_config().device_id == "d-2"
    save_config(load_config())
    assert not list(config_file().parent.glob("config.json.hong-*")) and not take_config_notices()


def test_the_command_line_says_it_and_goes_on(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ICTAPPRAISE_DEVICE_ID": "",
        "ICTAPPRAISE_CONFIG_DIR": str(tmp_path / "config"),
        "ICTAPPRAISE_DATA_DIR": str(tmp_path / "data"),
    }
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.json").write_text('{"device_id": "x", "identity": {"name": 1}}', "utf-8")
    result = run_cli(env, "identity", "--set", "Chuyên viên B")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Lưu ý: Tệp cấu hình") and "Traceback" not in result.stderr
    assert "Người dùng: Chuyên viên B" in result.stdout
    log = (tmp_path / "data" / "ictappraise.log").read_text(encoding="utf-8")
    assert "set aside" in log
