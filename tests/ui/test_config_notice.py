"""A damaged config.json at start-up: the window says so in Vietnamese, then asks who uses the laptop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ictappraise import settings
from ictappraise.settings import Identity
from ictappraise.ui import app as gui
from ictappraise.ui.launch import application


def test_a_damaged_config_is_said_before_the_identity_is_asked(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    application()
    config = settings.config_dir() / settings.CONFIG_FILE
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('{"device_id": "d", "identity": {"name": "A", "vai trò": 1}}', encoding="utf-8")
    said: list[str] = []

    def warning(_parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        said.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    def ask_identity(*_args: object, **_kwargs: object) -> Identity:
        said.append("ask identity")
        return Identity("Chuyên viên A", "", "member")

    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr("ictappraise.ui.dialogs.identity.ask_identity", ask_identity)
    ws = gui.open_workspace(demo_db)
    assert ws is not None
    try:
        assert said[0].startswith("Tệp cấu hình: ") and "bị hỏng hoặc không đúng dạng" in said[0]
        assert said[1] == "ask identity"  # then the first start's question, as on a new laptop
        assert ws.actor is not None and ws.actor.name == "Chuyên viên A"
        assert list(config.parent.glob("config.json.hong-*"))
    finally:
        ws.db.close()
