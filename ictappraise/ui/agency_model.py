"""The agencies of the round as a table model, with a search/filter proxy."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush

from ictappraise.domain.dates import format_day
from ictappraise.domain.numbers import format_points
from ictappraise.domain.ranking import vietnamese_sort_text
from ictappraise.domain.rating import Band
from ictappraise.services.band_text import band_view
from ictappraise.services.fingerprint import mismatch_text
from ictappraise.services.model import STATUS_LABELS, Agency, AgencyDetail
from ictappraise.services.workspace import Workspace
from ictappraise.ui.style import BAND_BACKGROUND, BAND_FOREGROUND, CONFLICT_BACKGROUND

ModelIndex = QModelIndex | QPersistentModelIndex

COL_CODE, COL_NAME, COL_CATEGORY, COL_DATE, COL_STATUS, COL_POINTS, COL_BAND = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgencyTableModel", text)


@dataclass(frozen=True)
class AgencyRow:
    """What the panel shows of one agency."""

    agency: Agency
    status: str
    total: Decimal
    maximum: Decimal
    band: Band | None
    provisional: bool
    unscored: int
    conflicts: int
    leaves: int = 0
    #: Criteria with anything unscored, each once (``unscored`` counts rows, sub-items included).
    unscored_criteria: int = 0
    #: Signed minutes whose data changed since (services.minutes.mismatch_text), else "".
    mismatch: str = ""
    #: The band as decided once for every output (services/band_text.py), short form.
    shown: str = ""

    @classmethod
    def from_detail(cls, detail: AgencyDetail) -> AgencyRow:
        card = detail.scorecard
        return cls(
            agency=detail.agency,
            status=detail.status,
            total=card.total,
            maximum=card.maximum,
            band=card.rating.band if card.rating else None,
            provisional=card.provisional,
            unscored=len(card.unscored),
            conflicts=len(detail.conflicts),
            leaves=sum(1 for _ in detail.catalog.leaves()),
            unscored_criteria=len(card.unscored_criteria),
            mismatch=mismatch_text(detail),
            shown=band_view(card, detail.status, detail.conflicts).short_label(),
        )

    @property
    def nothing_scored(self) -> bool:
        """No criterion scored yet: the total is not a score of 0, and no band is shown."""
        return bool(self.leaves) and self.unscored >= self.leaves

    def points_text(self) -> str:
        """The total, or nothing while nothing is scored (the band column says "Chưa chấm")."""
        return "" if self.nothing_scored else format_points(self.total)

    def band_text(self) -> str:
        if self.mismatch:
            return _tr("≠ bản ký")  # narrow column; the tooltip says it in words
        return self.shown


def fold(text: str) -> str:
    """Lower case without diacritics, so "phu quy" finds "Huyện ủy Phú Quý"."""
    decomposed = unicodedata.normalize("NFD", " ".join(text.split()).casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class AgencyTableModel(QAbstractTableModel):
    """Rows of agencies; refreshed one row at a time as scores change."""

    HEADERS = ("Mã", "Đơn vị", "Phụ lục", "Ngày", "Trạng thái", "Điểm", "Xếp loại")

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.rows: list[AgencyRow] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = [AgencyRow.from_detail(self.ws.detail(a.id)) for a in self.ws.agencies()]
        self.endResetModel()

    def refresh_agency(self, agency_id: str) -> None:
        for row, item in enumerate(self.rows):
            if item.agency.id == agency_id:
                fresh = AgencyRow.from_detail(self.ws.detail(agency_id))
                if fresh == item:
                    return
                self.rows[row] = fresh
                # Only the score columns when identity and schedule are unchanged: the proxy then
                # keeps its order instead of re-sorting (it sorts by visit date by default).
                first = COL_STATUS if fresh.agency == item.agency else 0
                self.dataChanged.emit(self.index(row, first), self.index(row, len(self.HEADERS) - 1))
                return

    def row_of(self, agency_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.agency.id == agency_id), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.HEADERS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == SORT_ROLE:
            return self._sort_key(item, column)
        if role == ID_ROLE:
            return item.agency.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_CATEGORY, COL_POINTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == COL_BAND and role == Qt.ItemDataRole.BackgroundRole:
            if item.conflicts or item.mismatch:
                return QBrush(CONFLICT_BACKGROUND)
            return QBrush(BAND_BACKGROUND[item.band]) if item.band and not item.provisional else None
        if (
            column == COL_BAND
            and role == Qt.ItemDataRole.ForegroundRole
            and item.band
            and not item.mismatch
            and item.unscored < item.leaves
        ):
            return QBrush(BAND_FOREGROUND[item.band])
        return None

    def _display(self, item: AgencyRow, column: int) -> str:
        agency = item.agency
        if column == COL_CODE:
            return agency.code
        if column == COL_NAME:
            return agency.name
        if column == COL_CATEGORY:
            return str(agency.category)
        if column == COL_DATE:
            return format_day(agency.visit_date, year=False)
        if column == COL_STATUS:
            status = _tr(STATUS_LABELS[item.status])
            return _tr("{s} — KHÔNG KHỚP").format(s=status) if item.mismatch else status
        if column == COL_POINTS:
            return item.points_text()
        return item.band_text()

    def _sort_key(self, item: AgencyRow, column: int) -> Any:
        if column == COL_DATE:
            return (item.agency.visit_date or date.max).isoformat() + item.agency.visit_time
        if column == COL_POINTS:
            return -1.0 if item.nothing_scored else float(item.total)  # below any real score
        if column == COL_BAND:
            return (item.band.rank if item.band else 9) + (0.5 if item.provisional else 0)
        if column == COL_CATEGORY:
            return item.agency.category
        return vietnamese_sort_text(self._display(item, column))

    def _tooltip(self, item: AgencyRow) -> str:
        lines = [
            f"{item.agency.code} — {item.agency.name} (Phụ lục {item.agency.category})",
            _tr("Trạng thái: {s}").format(s=_tr(STATUS_LABELS[item.status])),
            _tr("Điểm: chưa chấm (tối đa {m})").format(m=format_points(item.maximum))
            if item.nothing_scored
            else _tr("Điểm: {t}/{m}").format(t=format_points(item.total), m=format_points(item.maximum)),
        ]
        if item.unscored:
            lines.append(_tr("Chưa chấm: {n} tiêu chí").format(n=item.unscored_criteria))
        if item.conflicts:
            lines.append(_tr("Xung đột chưa giải quyết: {n}").format(n=item.conflicts))
        if item.mismatch:
            lines.append(item.mismatch)
        return "\n".join(lines)


class AgencyFilterProxy(QSortFilterProxyModel):
    """Search by code or name; filter by category, status and visit date."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.search = ""
        self.category: int | None = None
        self.status: str | None = None
        self.visit_date: date | None = None
        self.setSortRole(SORT_ROLE)

    def set_filters(
        self,
        *,
        search: str = "",
        category: int | None = None,
        status: str | None = None,
        visit_date: date | None = None,
    ) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
        self.search = fold(search)
        self.category, self.status, self.visit_date = category, status, visit_date
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, AgencyTableModel)
        item = model.rows[source_row]
        agency = item.agency
        if self.search and self.search not in fold(f"{agency.code} {agency.name}"):
            return False
        if self.category is not None and agency.category != self.category:
            return False
        if self.status is not None and item.status != self.status:
            return False
        return self.visit_date is None or agency.visit_date == self.visit_date
