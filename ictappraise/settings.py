"""Per-user settings, declared once: where data lives, this laptop's device id and identity.

The device id lives here, never in a database file, so copying a database to another
laptop is safe (domain.md §7). Tests point ICTAPPRAISE_CONFIG_DIR and ICTAPPRAISE_DATA_DIR
at temporary folders and may pin ICTAPPRAISE_DEVICE_ID.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# platformdirs, importlib.resources, json and uuid are imported where used: the start-up frame reads
# the names below before anything else is loaded (issue 7).

APP_NAME = "ictappraise"
CONFIG_FILE = "config.json"
DATABASE_FILE = "ictappraise.db"
DEMO_DATABASE_FILE = "ictappraise-demo.db"  # a fresh copy of the demo, in data_dir()/demo

from ictappraise.roles import ROLE_LABELS, ROLE_LEAD, ROLE_MEMBER, ROLE_SECRETARY  # noqa: E402, F401


def config_dir() -> Path:
    """Per-user configuration folder (overridable for tests)."""
    override = os.environ.get("ICTAPPRAISE_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Per-user data folder holding the default database and its backups."""
    override = os.environ.get("ICTAPPRAISE_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resource_path(*parts: str) -> Path:
    """A file shipped under resources/ (inside the installed package)."""
    from importlib import resources

    return Path(str(resources.files("ictappraise.resources").joinpath(*parts)))


def default_database() -> Path:
    return data_dir() / DATABASE_FILE


@dataclass(frozen=True)
class Identity:
    """Who uses this laptop: a team member's name, title and role."""

    name: str
    title: str = ""
    role: str = ROLE_MEMBER


@dataclass
class UserConfig:
    """The contents of config.json."""

    device_id: str
    identity: Identity | None = None
    pdf_font: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "identity": asdict(self.identity) if self.identity else None,
            "pdf_font": self.pdf_font,
        }


def load_config() -> UserConfig:
    """Read config.json, creating a stable device id on the first run."""
    import json
    import uuid

    path = config_dir() / CONFIG_FILE
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
    identity = data.get("identity")
    config = UserConfig(
        device_id=str(data.get("device_id") or uuid.uuid4()),
        identity=Identity(**identity) if isinstance(identity, dict) else None,
        pdf_font=data.get("pdf_font"),
    )
    if not data.get("device_id"):
        save_config(config)
    forced = os.environ.get("ICTAPPRAISE_DEVICE_ID")
    if forced:
        config.device_id = forced
    return config


def save_config(config: UserConfig) -> None:
    """Write config.json atomically."""
    import json

    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / (CONFIG_FILE + ".tmp")
    temporary.write_text(json.dumps(config.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, folder / CONFIG_FILE)
