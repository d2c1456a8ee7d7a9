"""Decision trees drawn in fenced blocks: questions, branches and their outcomes.

Structure comes from the column of each branch glyph (``├──``, ``└──``, ``|--``, ``+--``,
```` `-- ````, ``\\--``), never from which glyph was used, so any depth works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.features.framework_model import DecisionTree, Node, Option, unique_id
from agent_mcp.text.markdown import Block
from agent_mcp.text.words import slug

UNPARSED = "unparsed-decision-tree"
# Branch glyph after a prefix of guides; the lazy prefix lets "|   |-- x" find the second bar.
_BRANCH = re.compile(r"^(?P<prefix>[│|\s]*?)(?:[├└]─+|[|+`\\]-{2,})\s+(?P<text>\S.*?)\s*$")
_GUIDES = re.compile(r"^[│|\s]*$")
_ARROW = re.compile(r"\s*(?:→|->)\s*")


class _Malformed(Exception):
    def __init__(self, line: int, message: str, fix: str) -> None:
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


@dataclass(slots=True)
class _Branch:
    column: int
    text: str
    line: int
    children: list[_Branch] = field(default_factory=lambda: [])


def _is_question(line: str) -> bool:
    return line.strip().rstrip("*_").endswith("?")


def _tree_segments(lines: list[tuple[int, str]]) -> list[tuple[tuple[int, str], list[_Branch]]]:
    """Split a candidate block into (root question, top-level branches) pairs."""
    content = [(n, line) for n, line in lines if line.strip()]
    root, rest = content[0], content[1:]
    if not any(_BRANCH.match(line) for _, line in rest):
        raise _Malformed(
            root[0],
            "the block starts with a question but draws no branches",
            "draw each answer as '├── answer → outcome', the last as '└── answer → outcome'",
        )
    segments: list[tuple[tuple[int, str], list[_Branch]]] = []
    top: list[_Branch] = []
    stack: list[_Branch] = []
    for number, line in rest:
        match = _BRANCH.match(line)
        if match is None:
            if _GUIDES.match(line):
                continue
            if top and not line[0].isspace() and _is_question(line):
                # A second question at the margin starts another tree in the same block.
                segments.append((root, top))
                root, top, stack = (number, line), [], []
                continue
            raise _Malformed(
                number,
                f"line {number} is neither a branch nor a guide line: '{line.strip()[:60]}'",
                "draw every branch as '├── answer → outcome' (or '|-- answer -> outcome')",
            )
        branch = _Branch(len(match.group("prefix")), match.group("text"), number)
        while stack and stack[-1].column >= branch.column:
            stack.pop()
        siblings = stack[-1].children if stack else top
        if siblings and siblings[0].column != branch.column:
            raise _Malformed(
                number,
                f"the branch on line {number} is not aligned with its siblings (column "
                f"{branch.column}, expected {siblings[0].column})",
                "line up sibling branches in the same column",
            )
        siblings.append(branch)
        stack.append(branch)
    if not top:
        raise _Malformed(
            root[0],
            f"the question on line {root[0]} has no branches",
            "draw its answers below it, or move it out of the block",
        )
    segments.append((root, top))
    return segments


def _node(question: str | None, line: int, branches: list[_Branch]) -> Node:
    options: list[Option] = []
    seen: set[str] = set()
    for branch in branches:
        option = _option(branch)
        if option.label in seen:
            raise _Malformed(
                branch.line,
                f"the answer '{option.label}' appears twice under one question",
                "give each answer under a question a distinct label",
            )
        seen.add(option.label)
        options.append(option)
    return Node(question, tuple(options), line)


def _option(branch: _Branch) -> Option:
    parts = _ARROW.split(branch.text, maxsplit=1)
    label = parts[0]
    outcome = parts[1] if len(parts) == 2 else None
    if not label or outcome == "":
        raise _Malformed(
            branch.line,
            f"the branch on line {branch.line} has an empty answer or outcome",
            "write both sides of the arrow: 'answer → outcome'",
        )
    if not branch.children:
        if outcome is None:
            raise _Malformed(
                branch.line,
                f"the branch '{label}' has no outcome and no sub-branches",
                f"add its outcome: '{label} → ...'",
            )
        return Option(label, outcome, None, branch.line)
    children = branch.children
    only = children[0] if len(children) == 1 else None
    if only is not None and only.children and _ARROW.search(only.text) is None:
        # "1 confirmed" / "└── High confidence?" / its answers: the bare child is the question.
        return Option(label, outcome, _node(only.text, only.line, only.children), branch.line)
    return Option(label, outcome, _node(outcome, branch.line, children), branch.line)


def _is_candidate(lines: list[tuple[int, str]]) -> bool:
    content = [line for _, line in lines if line.strip()]
    if not content or not _is_question(content[0]) or _BRANCH.match(content[0]):
        return False
    return any(_BRANCH.match(line) or _ARROW.search(line) for line in content[1:])


def parse_trees(
    blocks: list[Block], path: Path, taken: set[str]
) -> tuple[list[DecisionTree], list[Diagnostic]]:
    """The decision trees drawn in fenced blocks; ids are added to ``taken``."""
    trees: list[DecisionTree] = []
    diagnostics: list[Diagnostic] = []
    for block in blocks:
        if not _is_candidate(block.lines):
            continue
        try:
            segments = _tree_segments(block.lines)
            built = [(root, _node(root[1].strip(), root[0], top)) for root, top in segments]
        except _Malformed as exc:
            diagnostics.append(
                Diagnostic(
                    UNPARSED,
                    "warning",
                    path,
                    f"a decision tree under '{block.heading or 'the top'}' could not be parsed "
                    f"and is served as prose only: {exc.message}",
                    exc.fix,
                    exc.line,
                )
            )
            continue
        for (line, question), node in built:
            title = block.heading or question.strip()
            tree_id = unique_id(slug(title, 60) or "decision", taken)
            trees.append(DecisionTree(tree_id, title, node, line))
    return trees, diagnostics
