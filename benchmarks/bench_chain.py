"""The chain of rounds: a checklist with previous rounds, results over a 10-round chain.

Rounds are chained as the lead does it: new_round.start_new_round from the last round's file
(each keeps the previous results as an archive). Figures:
- opening an agency's checklist (read its edits, derive, score, its trend and follow-ups) in a
  round with three previous rounds — target 100 ms, the same as without;
- ``results`` as the command prints it (open, score, rank, previous years, JSON) in the last
  round of a 10-round chain of 25 agencies — target 1 s.
"""

from __future__ import annotations

import json
from pathlib import Path

from measure import Context, summary_row, timed
from scenarios import copy_database

from ictappraise.cli.round import result_json
from ictappraise.services import chain, followup, new_round
from ictappraise.services.identity import lead_actor
from ictappraise.services.workspace import Change, Workspace
from ictappraise.store.database import open_database

CHECKLIST_TARGET = 0.100
RESULTS_TARGET = 1.0


def chain_of(demo: Path, folder: Path, rounds: int) -> list[Path]:
    """Files of ``rounds`` rounds: the demo (2022, which keeps 2021) and the rounds after it."""
    files = [copy_database(demo, folder / "round-2022.db")]
    while len(files) < rounds:
        db = open_database(files[-1], backup=False)
        try:
            ws = Workspace(db)
            ws.actor = lead_actor(ws, "bench")
            year = ws.round_info().year + 1
            target = folder / f"round-{year}.db"
            new_round.start_new_round(ws, target, new_round.for_year(ws, year))
        finally:
            db.close()
        files.append(target)
    return files


def _open_checklist(ws: Workspace, agency_id: str) -> None:
    """What the window reads when an agency is selected: detail, previous years, follow-ups."""
    ws.refresh([agency_id])
    detail = ws.detail(agency_id)
    chain.previous_of(ws, detail.agency.code)
    followup.items(ws, agency_id)


def _results_command(path: Path) -> None:
    """`ictappraise results --json` without the interpreter's start: open, score, previous, JSON."""
    db = open_database(path, backup=False)
    try:
        ws = Workspace(db)
        trends = chain.trends(ws)
        json.dumps([result_json(r, trends.of(r.agency.code)) for r in ws.results()], ensure_ascii=False)
    finally:
        db.close()


def with_archives(demo: Path, path: Path, years: int) -> Path:
    """The demo round (scored, 2022) keeping ``years`` previous rounds (2021 and synthesized older ones)."""
    copy_database(demo, path)
    db = open_database(path, backup=False)
    try:
        ws = Workspace(db)
        ws.actor = lead_actor(ws, "bench")  # the archive is the lead's: written and signed as the lead
        own = chain.snapshot(ws)
        ws.write(
            [
                Change(chain.previous_field(year), {**own.to_json(), "year": year})
                for year in range(2021 - years + 1, 2021)
            ]
        )
    finally:
        db.close()
    return path


def bench_chain(ctx: Context) -> list[dict[str, object]]:
    """The two figures of the issue, each beside the same operation with one previous round."""
    folder = ctx.work / "chain"
    folder.mkdir(exist_ok=True)
    files = chain_of(ctx.demo, folder, 10)  # as the lead builds it: new rounds are empty
    three, ten = (
        with_archives(ctx.demo, folder / "three.db", 3),
        with_archives(ctx.demo, folder / "ten.db", 10),
    )
    rows = []
    checklist = {}
    for path, label in ((ctx.demo, "1"), (three, "3"), (files[2], "3 (đợt 2024 mới, chưa chấm)")):
        db = open_database(path, backup=False)
        try:
            ws = Workspace(db)
            assert len(chain.archives(ws)) == int(label[0]), (path, chain.archives(ws))
            agency_id = ws.find_agency("HUTP").id
            checklist[label] = timed(lambda ws=ws, a=agency_id: _open_checklist(ws, a), ctx.runs(30, 8))
        finally:
            db.close()
    reference = sorted(checklist["1"])[len(checklist["1"]) // 2]
    for label, name in (
        ("3", "3 năm trước"),
        ("3 (đợt 2024 mới, chưa chấm)", "3 năm trước, đợt 2024 chưa chấm"),
    ):
        rows.append(
            summary_row(
                f"Mở bảng chấm Huyện ủy Tuy Phong, {name}",
                checklist[label],
                CHECKLIST_TARGET,
                ref=reference,
                ref_label="1 năm trước",
            )
        )
    rows.append(_window_checklist(ctx, three))
    first = timed(lambda: _results_command(ctx.demo), ctx.runs(10, 3))
    reference = sorted(first)[len(first) // 2]
    for path, label in (
        (ten, "đợt 2022 đã chấm, 10 năm trước"),
        (files[-1], "đợt thứ 10 của chuỗi, chưa chấm"),
    ):
        with_chain = timed(lambda path=path: _results_command(path), ctx.runs(10, 3))
        rows.append(
            summary_row(
                f"results --json, 25 đơn vị ({label})",
                with_chain,
                RESULTS_TARGET,
                ref=reference,
                ref_label="dữ liệu mẫu, 1 năm trước",
            )
        )
    return rows


def _window_checklist(ctx: Context, path: Path) -> dict[str, object]:
    """The same in the real window: select another agency, then Huyện ủy Tuy Phong (header, preview, visit)."""
    from ictappraise.ui.app import build_window
    from ictappraise.ui.launch import application

    application()
    db = open_database(path, backup=False)
    try:
        ws = Workspace(db)
        ws.actor = lead_actor(ws, "bench")
        window = build_window(ws)
        window.resize(1366, 768)
        window.show()
        target = ws.find_agency("HUTP").id
        other = ws.find_agency("HUBB").id

        def open_checklist() -> None:
            window.agencies.select(other)
            window.show_agency(target)

        times = timed(open_checklist, ctx.runs(30, 8))
        window.close()
    finally:
        db.close()
    return summary_row("Cửa sổ: mở bảng chấm Huyện ủy Tuy Phong, 3 năm trước", times, CHECKLIST_TARGET)
