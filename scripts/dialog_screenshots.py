"""Screenshots of the dialogs on the demo database (offscreen Qt), to look at after a UI change.

    python scripts/dialog_screenshots.py [OUT_DIR]

Writes: the identity dialog, the visit panel (open and locked), evidence (open and locked), the
round settings tabs, a criterion's history with a held edit, the new-round dialog and the rules
help. scripts/screenshots.py does the main window.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from ictappraise.services.demo import build_demo
from ictappraise.services.identity import lead_actor
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.launch import application


def _save(widget: QWidget, target: Path, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(target))
    widget.close()
    print(target)


def _shots(ws: Workspace) -> list[tuple[str, Callable[[], QWidget], int, int]]:
    from ictappraise.ui.dialogs.evidence import EvidenceDialog
    from ictappraise.ui.dialogs.help import RulesHelpDialog
    from ictappraise.ui.dialogs.history import HistoryDialog
    from ictappraise.ui.dialogs.identity import IdentityDialog
    from ictappraise.ui.dialogs.new_round import NewRoundDialog
    from ictappraise.ui.dialogs.visit_panel import VisitPanel

    def visit(code: str) -> QWidget:
        panel = VisitPanel()
        panel.set_agency(ws, ws.find_agency(code).id)
        return panel

    return [
        ("identity", lambda: IdentityDialog(ws.members()), 520, 420),
        ("visit", lambda: visit("TUPT"), 440, 1100),
        ("visit-locked", lambda: visit("HUTP"), 420, 700),
        ("evidence-locked", lambda: EvidenceDialog(ws, ws.find_agency("HUTP").id, "III.2"), 760, 420),
        ("history", lambda: HistoryDialog(ws, ws.find_agency("HUTP").id, None), 1300, 600),
        ("new-round", lambda: NewRoundDialog(ws), 640, 420),
        ("help", lambda: RulesHelpDialog(ws), 900, 700),
    ]


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ICTAPPRAISE_CONFIG_DIR", tempfile.mkdtemp())
    application()
    db = open_database(Path(tempfile.mkdtemp()) / "demo.db", create=True)
    build_demo(db)
    ws = Workspace(db)
    ws.actor = lead_actor(ws, "screenshot")
    for name, build, width, height in _shots(ws):
        _save(build(), out_dir / f"dialog-{name}.png", width, height)
    from ictappraise.ui.dialogs.round_settings import RoundSettingsDialog

    settings = RoundSettingsDialog(ws)
    for index, name in enumerate(("settings", "thresholds", "agencies", "team", "catalogs")):
        settings.tabs.setCurrentIndex(index)
        _save(settings, out_dir / f"dialog-round-{name}.png", 1000, 620)
    db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots/out"))
