"""An edit redraws what it changed: the rows announced, the cells measured again, the preview's
labels and the hidden visit tab (the speed of edit → preview rests on these)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication

from ictappraise.domain.fields import visit_field
from ictappraise.services.workspace import Change
from ictappraise.ui.checklist_model import CODE_ROLE, COL_INPUT, COL_NAME
from ictappraise.ui.checklist_view import ChecklistDelegate
from ictappraise.ui.main_window import MainWindow


def settle(window: MainWindow, code: str = "HUPQ") -> str:
    agency_id = window.ws.find_agency(code).id
    window.agencies.select(agency_id)
    for _ in range(3):
        QApplication.processEvents()
    return agency_id


def manual_criterion(window: MainWindow) -> tuple[str, str]:
    """(criterion code, its group's code) of a top-level criterion scored by typing points."""
    detail = window.checklist_model.detail
    assert detail is not None
    for group in detail.catalog.groups:
        for criterion in group.criteria:
            if not criterion.sub_items and criterion.rule.kind == "manual":
                return criterion.code, group.code
    raise AssertionError("the demo catalog has a manual criterion")


@pytest.fixture
def measured(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """(code, column) of every cell the checklist's delegate measures from now on."""
    delegate = window.checklist.itemDelegate()
    assert isinstance(delegate, ChecklistDelegate)
    cells: list[tuple[str, int]] = []
    measure = delegate._measure

    def recording(option: Any, index: QModelIndex, name_width: int | None) -> Any:
        cells.append((index.data(CODE_ROLE), index.column()))
        return measure(option, index, name_width)

    monkeypatch.setattr(delegate, "_measure", recording)
    return cells


def test_an_edit_announces_its_row_and_its_group_only(window: MainWindow) -> None:
    settle(window)
    code, group = manual_criterion(window)
    model = window.checklist_model
    assert model.setData(model.index_of_code(code, COL_INPUT), "1")  # may start the scoring
    announced: list[str] = []
    model.dataChanged.connect(lambda top, _bottom, *_: announced.append(top.data(CODE_ROLE)))
    assert model.setData(model.index_of_code(code, COL_INPUT), "2")
    assert announced and set(announced) == {code, group}  # not every group, not every row


def test_an_edit_measures_only_the_cells_whose_text_changed(
    window: MainWindow, measured: list[tuple[str, int]]
) -> None:
    settle(window)
    code, group = manual_criterion(window)
    model, view = window.checklist_model, window.checklist
    model.setData(model.index_of_code(code, COL_INPUT), "1")
    QApplication.processEvents()
    height = view.visualRect(model.index_of_code(code, COL_NAME)).height()
    measured.clear()
    model.setData(model.index_of_code(code, COL_INPUT), "2")
    QApplication.processEvents()
    assert measured  # the new points were measured…
    assert {c for c, _ in measured} <= {code, group}
    assert all(column != COL_NAME for _, column in measured)  # …never the names again
    assert view.visualRect(model.index_of_code(code, COL_NAME)).height() == height
    measured.clear()
    model.setData(model.index_of_code(code, COL_INPUT), "1")  # back to texts measured before
    QApplication.processEvents()
    assert measured == []


def test_names_are_measured_again_when_their_column_changes_width(
    window: MainWindow, measured: list[tuple[str, int]]
) -> None:
    settle(window)
    view, model = window.checklist, window.checklist_model
    i2 = model.index_of_code("I.2", COL_NAME)
    line = view.fontMetrics().lineSpacing()
    assert view.visualRect(i2).height() >= 2 * line
    view.header().resizeSection(COL_NAME, 3000)  # room for any name on one line
    QApplication.processEvents()
    assert ("I.2", COL_NAME) in measured
    assert view.visualRect(i2).height() < 2 * line
    view.share_width()
    QApplication.processEvents()
    assert view.visualRect(i2).height() >= 2 * line


def test_an_edit_retexts_the_preview_labels_in_place(window: MainWindow) -> None:
    settle(window)
    code, group = manual_criterion(window)
    model = window.checklist_model
    model.setData(model.index_of_code(code, COL_INPUT), "1")
    labels = list(window.preview._group_labels)
    row = next(i for i, (name, _value) in enumerate(labels) if name.text().startswith(f"{group}. "))
    before = labels[row][1].text()
    model.setData(model.index_of_code(code, COL_INPUT), "2")
    assert window.preview._group_labels == labels  # the same label widgets…
    assert labels[row][1].text() != before  # …showing the new subtotal


def test_the_hidden_visit_tab_catches_up_when_shown(window: MainWindow) -> None:
    agency_id = settle(window)
    panel = window.visit_panel
    assert panel is not None and window.tabs.currentWidget() is not panel
    window.controller.write([Change(visit_field(agency_id, "place"), "Hội trường mới")])
    assert panel.place_edit.text() != "Hội trường mới"  # not rebuilt while nobody sees it
    window.tabs.setCurrentWidget(panel)
    assert panel.place_edit.text() == "Hội trường mới"
    window.controller.write([Change(visit_field(agency_id, "place"), "Hội trường cũ")])
    assert panel.place_edit.text() == "Hội trường cũ"  # in view: up to date at once


def test_a_score_edit_leaves_a_month_being_typed_alone(window: MainWindow) -> None:
    settle(window)
    code, _group = manual_criterion(window)
    march = window.facts.months[2]
    assert march.value() != 7
    march.lineEdit().setText("7")  # typed, not yet committed (no Enter, no Tab)
    model = window.checklist_model
    model.setData(model.index_of_code(code, COL_INPUT), "1")
    assert march.lineEdit().text() == "7"
