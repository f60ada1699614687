"""Screenshots of the main window at 1366×768 on the demo database (offscreen Qt).

    python scripts/screenshots.py [OUT_DIR]

Writes: an agency mid-appraisal (VPTU), one with penalties (TULG, HUHTB), a signed one (HUTP).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from ictappraise.services.demo import EVENING, build_demo
from ictappraise.services.identity import lead_actor
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.app import build_window
from ictappraise.ui.launch import application

SHOTS = (
    ("VPTU", "mid-appraisal"),
    ("TULG", "portal-penalty"),
    ("HUHTB", "failed-criterion"),
    ("HUTP", "signed"),
)


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ICTAPPRAISE_CONFIG_DIR", tempfile.mkdtemp())
    application()
    path = Path(tempfile.mkdtemp()) / "demo.db"
    db = open_database(path, create=True)
    build_demo(db)
    ws = Workspace(db)
    ws.actor = lead_actor(ws, "screenshot")
    window = build_window(ws, today=EVENING)
    window.resize(1366, 768)
    window.show()
    for code, name in SHOTS:
        window.agencies.select(ws.find_agency(code).id)
        QApplication.processEvents()
        target = out_dir / f"main-{code}-{name}.png"
        window.grab().save(str(target))
        print(target)
    window.close()
    db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots/out"))
