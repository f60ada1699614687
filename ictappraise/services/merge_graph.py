"""Graph sanity of a merge (docs/rules.md §9): parents and basis must make sense before anything is written.

An edit's ``parents`` are earlier edits of the same field; its ``basis`` is, on a field a
signing locks, status edits of the same agency, and on a signing, the round fields the agency
was rated with (domain.authority); on any edit, team changes it was made in (domain.roster). Together they must form no cycle: two
edits that each name the other as parent leave a field with no head at all, and an older
build merged such a package and then could not read its own file. Missing references are
refused earlier (merge_plan._check_closed); this module checks kinds and loops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ictappraise.domain.authority import RATING_INPUTS, rating_category
from ictappraise.domain.editlog import Edit, in_loops, is_signing
from ictappraise.domain.fields import FOUNDING_FIELD, agency_of, is_lockable, is_roster_field, status_field
from ictappraise.io.exchange import Package
from ictappraise.services.errors import ServiceError
from ictappraise.store import repository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the repository runs the queries


def check_graph(
    session: Session, packages: Sequence[Package], known: set[str], refused: type[ServiceError]
) -> None:
    """Refuse the merge (raise ``refused``) when a new edit's parents or basis are wrong or loop."""
    arriving: dict[str, tuple[Edit, Package]] = {}
    for package in packages:
        for edit in package.edits:
            if edit.id not in known:
                arriving.setdefault(edit.id, (edit, package))
    if not arriving:
        return
    fields = {eid: e.field for eid, (e, _) in arriving.items()}
    fields.update(
        repository.stored_fields(session, {r for e, _ in arriving.values() for r in _links(e)} - set(fields))
    )
    for edit, package in arriving.values():
        problem = _link_problem(edit, fields)
        if problem:
            raise refused(_message(package, edit, problem))
    links = repository.stored_links(session)
    links.update({eid: _links(e) for eid, (e, _) in arriving.items() if _links(e)})
    looping = sorted(eid for eid in in_loops(links) if eid in arriving)
    if looping:
        edit, package = arriving[looping[0]]
        problem = f"sửa đổi trước đó của nó tạo thành vòng lặp ({len(looping)} sửa đổi mới nằm trong vòng)"
        raise refused(_message(package, edit, problem))


def _links(edit: Edit) -> tuple[str, ...]:
    return (*edit.parents, *edit.basis)


def _link_problem(edit: Edit, fields: dict[str, str]) -> str | None:
    """Why an edit's parents or basis cannot be right, or None."""
    if edit.id in edit.parents or edit.id in edit.basis:
        return "sửa đổi tự nhận chính nó là sửa đổi trước đó"
    wrong = [p for p in edit.parents if fields.get(p, edit.field) != edit.field]
    if wrong:
        return f"sửa đổi trước đó {wrong[0]} thuộc trường khác ({fields[wrong[0]]})"
    basis = [b for b in edit.basis if not _is_team(fields.get(b, ""))]  # the team it was made in
    agency = agency_of(edit.field)
    if basis and agency and edit.field == status_field(agency) and is_signing(edit.value):
        # A signing's basis: the round fields the agency was rated with (domain.authority).
        wrong = [b for b in basis if rating_category(fields.get(b, RATING_INPUTS[0])) is False]
        if wrong:
            return (
                f"bản ký dựa trên {wrong[0]}, không phải một thiết lập xếp loại của đợt ({fields[wrong[0]]})"
            )
        return None
    if basis and not is_lockable(edit.field):
        return "trường này không bị khóa khi ký nên không được mang trạng thái biên bản (basis)"
    status = status_field(agency) if agency else ""
    wrong = [b for b in basis if fields.get(b, status) != status]
    if wrong:
        return f"trạng thái biên bản {wrong[0]} không phải trạng thái của đơn vị này"
    return None


def _is_team(field_name: str) -> bool:
    """A team change (the founding, people, roles, keys): any edit may name it in its basis."""
    return field_name == FOUNDING_FIELD or is_roster_field(field_name)


def _message(package: Package, edit: Edit, problem: str) -> str:
    return (
        f"Gói {package.path.name} bị từ chối: sửa đổi {edit.id} (trường {edit.field}) không hợp lệ — "
        f"{problem}. Gói như vậy có thể làm hỏng tệp dữ liệu. Chưa tổng hợp gói nào; hãy đề nghị "
        f"{package.manifest.sender_name} tạo lại gói bằng chương trình."
    )
