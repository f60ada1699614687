"""Minutes of many agencies at once (a visit day, or all): prepared and laid out by a background
operation (ui/operations.py) on a Workspace of its own, behind a progress dialog whose Cancel
stops between two files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ictappraise.services import minutes, worker
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.model import Agency
from ictappraise.services.workspace import Workspace
from ictappraise.ui.operations import BackgroundOp, Progress, on_own_workspace


@dataclass
class BatchOutcome:
    """What a batch wrote, what it skipped and whether the user cancelled."""

    written: list[Path] = field(default_factory=list)
    skipped: list[minutes.Skipped] = field(default_factory=list)
    cancelled: bool = False
    error: str = ""


def _tr(text: str) -> str:
    return QCoreApplication.translate("MinutesBatch", text)


Written = tuple[int, list[Path], list[minutes.Skipped]]  # jobs prepared, files written, agencies skipped


def _batch(agencies: Sequence[Agency], out_dir: Path) -> Callable[[Workspace, Progress], Written]:
    """The work: plain agencies and a folder in, read and laid out on the worker's own Workspace."""

    def work(ws: Workspace, progress: Progress) -> Written:
        jobs, skipped = minutes.prepare_batch(ws, agencies, out_dir)

        def named(done: int, total: int, name: str) -> bool:
            return progress(done, total, _tr("Đang lập biên bản: {name}").format(name=name) if name else "")

        return len(jobs), minutes.render_batch(jobs, named), skipped

    return work


def write_minutes_batch(
    parent: QWidget | None, ws: Workspace, agencies: Sequence[Agency], out_dir: Path
) -> BatchOutcome:
    """Write the minutes of several agencies with a progress dialog whose Cancel stops the batch."""
    outcome = BatchOutcome()
    op = BackgroundOp(
        parent,
        on_own_workspace(worker.ref_of(ws), _batch(list(agencies), Path(out_dir))),
        label=_tr("Đang lập biên bản…"),
        title=_tr("Lập biên bản thẩm định"),
        cancellable=True,
    )
    try:
        jobs, outcome.written, outcome.skipped = op.exec()
    except USER_ERRORS as error:
        outcome.error = str(error)
        return outcome
    outcome.cancelled = op.cancelled and len(outcome.written) < jobs
    return outcome


def run_minutes_batch(
    parent: QWidget | None, ws: Workspace, *, day: date | None = None, out_dir: Path | None = None
) -> BatchOutcome | None:
    """Menu action: minutes of one day (or of every agency) into a folder, then a summary."""
    try:
        agencies = minutes.agencies_on(ws, day) if day else ws.agencies()
    except USER_ERRORS as error:
        QMessageBox.warning(parent, _tr("Không thực hiện được"), str(error))
        return None
    if out_dir is None:
        chosen = QFileDialog.getExistingDirectory(parent, _tr("Chọn thư mục lưu biên bản"))
        if not chosen:
            return None
        out_dir = Path(chosen)
    outcome = write_minutes_batch(parent, ws, agencies, out_dir)
    QMessageBox.information(parent, _tr("Lập biên bản thẩm định"), batch_summary(outcome, out_dir))
    return outcome


def batch_summary(outcome: BatchOutcome, out_dir: Path) -> str:
    """What the batch did, in Vietnamese, for the closing message."""
    lines = [_tr("Đã ghi {n} biên bản vào {folder}.").format(n=len(outcome.written), folder=out_dir)]
    if outcome.cancelled:
        lines.append(_tr("Đã dừng theo yêu cầu; các biên bản còn lại chưa được ghi."))
    if outcome.error:
        lines.append(outcome.error)
    lines += [_tr("Bỏ qua {name}: {why}").format(name=s.agency.name, why=s.reason) for s in outcome.skipped]
    return "\n".join(lines)
