"""Per-user settings, declared once: where data lives, this laptop's device id and identity.

The device id lives here, never in a database file, so copying a database to another
laptop is safe (docs/rules.md §7). Tests point ICTAPPRAISE_CONFIG_DIR and ICTAPPRAISE_DATA_DIR
at temporary folders and may pin ICTAPPRAISE_DEVICE_ID.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

# platformdirs, importlib.resources, json and uuid are imported where used: the start-up frame reads
# the names below before anything else is loaded.

APP_NAME = "ictappraise"
CONFIG_FILE = "config.json"
DATABASE_FILE = "ictappraise.db"
DEMO_DATABASE_FILE = "ictappraise-demo.db"  # a fresh copy of the demo, in data_dir()/demo
#: The demo's "today" (ISO): the evening its data describes (services.demo builds it so).
DEMO_EVENING = "2022-12-14"


def _roles() -> ModuleType:
    """The team's roles (domain/roles.py), read where an identity is made: the start-up frame
    imports this module and must load no domain module."""
    from ictappraise.domain import roles

    return roles


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
    role: str = field(default_factory=lambda: _roles().ROLE_MEMBER)


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


#: The keys config.json may hold; device_id must be there (we write every key, but a file of an
#: older version may lack the optional ones).
CONFIG_REQUIRED = frozenset({"device_id"})
CONFIG_OPTIONAL = frozenset({"identity", "pdf_font"})
IDENTITY_KEYS = frozenset({"name", "title", "role"})

_notices: list[str] = []


def take_config_notices() -> list[str]:
    """Vietnamese notes about config.json not yet shown to the user (e.g. a damaged file set aside)."""
    notices = list(_notices)
    _notices.clear()
    return notices


def load_config() -> UserConfig:
    """Read config.json, creating a stable device id on the first run.

    A file that is not as we write it (not JSON, empty, a key we do not know or one missing, a
    value of the wrong type) is set aside as config.json.hong-<time>, logged, and noted for the
    user (``take_config_notices``); the program then goes on as on its first start.
    """
    import json
    import uuid

    path = config_dir() / CONFIG_FILE
    config: UserConfig | None = None
    if path.exists():
        try:
            config = _parse_config(json.loads(path.read_text(encoding="utf-8")))
        except OSError as error:
            _notices.append(f"Không đọc được tệp cấu hình {path}: {error.strerror or error}.")
        except (ValueError, TypeError) as error:
            _set_aside(path, error)
    if config is None:
        config = UserConfig(device_id=str(uuid.uuid4()))
        try:
            save_config(config)
        except OSError as error:
            _notices.append(f"Không ghi được tệp cấu hình {path}: {error.strerror or error}.")
    forced = os.environ.get("ICTAPPRAISE_DEVICE_ID")
    if forced:
        config.device_id = forced
    return config


def _parse_config(data: Any) -> UserConfig:
    """The config of a parsed config.json; ValueError/TypeError (English, for the log) if it is not ours."""
    if not isinstance(data, dict):
        raise TypeError(f"top level is {type(data).__name__}, not an object")
    unknown = set(data) - CONFIG_REQUIRED - CONFIG_OPTIONAL
    missing = CONFIG_REQUIRED - set(data)
    if unknown or missing:
        raise ValueError(f"unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    device_id = data["device_id"]
    if not isinstance(device_id, str) or not device_id.strip():
        raise TypeError("device_id is not a non-empty string")
    pdf_font = data.get("pdf_font")
    if pdf_font is not None and not isinstance(pdf_font, str):
        raise TypeError("pdf_font is not a string")
    return UserConfig(device_id=device_id, identity=_parse_identity(data.get("identity")), pdf_font=pdf_font)


def _parse_identity(data: Any) -> Identity | None:
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) - IDENTITY_KEYS or "name" not in data:
        raise ValueError(f"identity is not an object of {sorted(IDENTITY_KEYS)} with a name")
    roles = _roles()
    name, title, role = data["name"], data.get("title", ""), data.get("role", roles.ROLE_MEMBER)
    if not all(isinstance(v, str) for v in (name, title, role)) or not name.strip():
        raise TypeError("identity name, title and role must be text, the name not empty")
    if role not in roles.ROLE_LABELS:
        raise ValueError(f"identity role {role!r} is not one of {sorted(roles.ROLE_LABELS)}")
    return Identity(name=name, title=title, role=role)


def _set_aside(path: Path, error: Exception) -> None:
    """Rename a config.json that is not ours, log why, and note it for the user."""
    import logging
    from datetime import datetime

    aside = path.with_name(f"{path.name}.hong-{datetime.now():%Y%m%d-%H%M%S}")
    try:
        os.replace(path, aside)
    except OSError:
        aside = path  # cannot rename: it is overwritten by the fresh config below
    logging.getLogger(__name__).warning("config file %s set aside as %s: %s", path, aside, error)
    _notices.append(
        f"Tệp cấu hình {path} bị hỏng hoặc không đúng dạng, đã cất sang «{aside.name}». "
        "Chương trình bắt đầu lại như lần chạy đầu: hãy khai báo lại người dùng của máy này."
    )


def save_config(config: UserConfig) -> None:
    """Write config.json atomically."""
    import json

    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / (CONFIG_FILE + ".tmp")
    temporary.write_text(json.dumps(config.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, folder / CONFIG_FILE)
