"""What an agent's body holds once parsed: decision trees, checklists and workflows.

Immutable records as ``NamedTuple``s: the first tools/list parses the agents' bodies,
and on CPython 3.11 defining a frozen slotted dataclass costs ~1 ms (its methods are
generated with ``exec``) against ~0.1 ms for a NamedTuple.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from agent_mcp.diagnostics import Diagnostic


class Option(NamedTuple):
    """One branch: the answer a user picks and what it leads to, as written."""

    label: str
    outcome: str | None
    """Text after the arrow; ``None`` for a bare branch that only opens sub-branches."""
    next: Node | None
    """The follow-up question when the branch has sub-branches."""
    line: int


class Node(NamedTuple):
    question: str | None
    """``None`` when a bare branch opens sub-branches without asking anything."""
    options: tuple[Option, ...]
    line: int

    def labels(self) -> list[str]:
        return [o.label for o in self.options]


class DecisionTree(NamedTuple):
    id: str
    """Slug of the heading, unique within the agent (``sync-vs-async``)."""
    title: str
    """The nearest heading above the block, as written."""
    root: Node
    line: int

    @property
    def question(self) -> str:
        return self.root.question or self.title

    def depth(self) -> int:
        return _depth(self.root)

    def labels_by_depth(self) -> list[list[str]]:
        """Every label that can be answered at each step (union over branches), in order."""
        levels: list[list[str]] = []
        frontier = [self.root]
        while frontier:
            labels = [label for node in frontier for label in node.labels()]
            levels.append(list(dict.fromkeys(labels)))
            frontier = [o.next for node in frontier for o in node.options if o.next]
        return levels

    def nodes(self) -> Iterator[Node]:
        stack = [self.root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(o.next for o in reversed(node.options) if o.next)


def _depth(node: Node) -> int:
    return 1 + max((_depth(o.next) for o in node.options if o.next), default=0)


class ChecklistItem(NamedTuple):
    id: str
    text: str
    checked: bool
    """Ticked in the file (``- [x]``); informational, callers decide what is met."""
    line: int


class Checklist(NamedTuple):
    title: str
    items: tuple[ChecklistItem, ...]
    line: int


class Workflow(NamedTuple):
    id: str
    """Slug of the heading without a leading "When" (``designing-apis``)."""
    title: str
    steps: tuple[str, ...]
    """Each numbered item's first line, as written."""
    markdown: str
    """The whole numbered list as written, sub-bullets included."""
    line: int


class Frameworks(NamedTuple):
    """Everything structured found in one agent body."""

    trees: tuple[DecisionTree, ...] = ()
    checklists: tuple[Checklist, ...] = ()
    workflows: tuple[Workflow, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def tree(self, tree_id: str) -> DecisionTree | None:
        return next((t for t in self.trees if t.id == tree_id), None)

    def workflow(self, workflow_id: str) -> Workflow | None:
        return next((w for w in self.workflows if w.id == workflow_id), None)

    def checklist_items(self) -> list[tuple[Checklist, ChecklistItem]]:
        return [(c, item) for c in self.checklists for item in c.items]


def unique_id(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name
