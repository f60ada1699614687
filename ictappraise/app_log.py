"""The program's log: one file in the data folder, and the only place library noise goes.

Python warnings (e.g. a DeprecationWarning a new cryptography release prints when pyHanko is
imported) and library log records are written to ``data_dir()/ictappraise.log``, never to the
terminal or a dialog: a user reads only the Vietnamese lines we write. Call ``setup_logging()``
once, first thing, in the CLI and the GUI. Light on purpose (the GUI's first frame imports it).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_FILE = "ictappraise.log"
#: Marks our handler, so a second call adds no second one.
_HANDLER_NAME = "ictappraise"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path() -> Path:
    """Where the log is written."""
    from ictappraise.settings import data_dir

    return data_dir() / LOG_FILE


class _QuietFileHandler(logging.FileHandler):
    """A file handler that drops a record it cannot write instead of printing a traceback."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def setup_logging() -> None:
    """Send warnings and log records to the log file only (idempotent)."""
    root = logging.getLogger()
    if any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        return
    logging.raiseExceptions = False  # a record that cannot be written is dropped, never printed
    handler: logging.Handler
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _QuietFileHandler(path, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter(_FORMAT))
    except OSError:
        handler = logging.NullHandler()  # no writable data folder: nothing is printed either
    handler.set_name(_HANDLER_NAME)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    if os.environ.get("ICTAPPRAISE_LOG_TO_STDERR"):  # for developers chasing a problem
        root.addHandler(logging.StreamHandler())
