"""The rows of the checklist as a tree (groups → criteria → sub-items), and which rows an
edit changed: only those are announced to the view, so only they are drawn and measured again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ictappraise.domain.catalog import Catalog, Criterion, Group
from ictappraise.services.model import AgencyDetail


@dataclass(eq=False)
class Node:
    """A row of the tree: a group, a criterion or a sub-item."""

    code: str
    group: Group | None = None
    criterion: Criterion | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return self.criterion is not None and not self.criterion.sub_items

    def row(self) -> int:
        siblings = self.parent.children if self.parent else []
        return siblings.index(self) if self.parent else 0


def build_tree(catalog: Catalog | None) -> Node:
    """The root of a catalog's rows (an empty root without a catalog)."""
    root = Node("")
    for group in catalog.groups if catalog is not None else ():
        group_node = Node(group.code, group=group, parent=root)
        root.children.append(group_node)
        for criterion in group.criteria:
            node = Node(criterion.code, group=group, criterion=criterion, parent=group_node)
            group_node.children.append(node)
            for sub in criterion.sub_items:
                node.children.append(Node(sub.code, group=group, criterion=sub, parent=node))
    return root


def walk(node: Node) -> Iterator[Node]:
    """Every row under a node, in reading order."""
    for child in node.children:
        yield child
        yield from walk(child)


def changed_nodes(root: Node, old: AgencyDetail, new: AgencyDetail) -> list[Node]:
    """Rows whose entry, score or missing-reason mark differ, then the group rows whose
    subtotals differ (the status is compared by the caller: it changes every row)."""
    marked = set(old.missing_reasons) ^ set(new.missing_reasons)  # a note cell (un)marked
    changed = [
        node
        for node in walk(root)
        if node.criterion is not None
        and (
            node.code in marked
            or old.entries[node.code] != new.entries[node.code]
            or old.scorecard.rows[node.code] != new.scorecard.rows[node.code]
        )
    ]
    before = {g.code: g for g in old.scorecard.groups}
    after = {g.code: g for g in new.scorecard.groups}
    groups = [node for node in root.children if before.get(node.code) != after.get(node.code)]
    return changed + groups
