"""Decision trees, checklists and workflows written in an agent's markdown body.

What is recognised (headings inside fenced code never count, so a ``# comment`` in a
bash block does not rename anything):

- **Decision tree**: a fenced block whose first line is a question (ends with ``?``) and
  whose branches are drawn with ``├──``/``└──``/``│`` or the ASCII forms ``|--``, ``+--``,
  ```` `-- ```` and ``\\--``. A branch reads ``label → outcome`` (or ``->``). Structure
  comes from the column of each branch glyph, never from which glyph was used, so any
  depth works and a cosmetic slip (``└──`` before a sibling) is harmless. A branch with
  children leads to a follow-up question: its outcome (``YES → Which role?``), or the
  branch's single bare child (``1 confirmed`` / ``└── High confidence?``). The nearest
  heading above names the tree. Labels and outcomes are kept exactly as written.
- **Checklist**: ``- [ ]``/``- [x]`` items under a heading. An item's id is the slug of its
  own text, so adding, removing or editing *other* items never changes it; repeated texts
  get ``-2``, ``-3`` in document order.
- **Workflow**: a heading followed (blank lines aside) by a numbered list.

A block that starts with a question and draws branches or arrows but cannot be parsed
stays prose and yields an ``unparsed-decision-tree`` diagnostic; other blocks (file
trees, outlines) are not decision trees and are ignored. Parsing happens on first use
and is cached per agent file version.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agent_mcp.catalog.agents import Agent
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.text.markdown import HEADING, Scan
from agent_mcp.text.markdown import scan as scan_markdown
from agent_mcp.text.words import slug

UNPARSED = "unparsed-decision-tree"
RESERVED_IDS = frozenset({"checklist"})
"""Tree ids that would clash with the per-agent tool names built beside them."""

_CHECK = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s+(\S.*?)\s*$")
_NUMBERED = re.compile(r"^ {0,3}\d{1,3}[.)]\s+(\S.*?)\s*$")
# Branch glyph after a prefix of guides; the lazy prefix lets "|   |-- x" find the second bar.
_BRANCH = re.compile(r"^(?P<prefix>[│|\s]*?)(?:[├└]─+|[|+`\\]-{2,})\s+(?P<text>\S.*?)\s*$")
_GUIDES = re.compile(r"^[│|\s]*$")
_ARROW = re.compile(r"\s*(?:→|->)\s*")


# Model -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    """One branch: the answer a user picks and what it leads to, as written."""

    label: str
    outcome: str | None
    """Text after the arrow; ``None`` for a bare branch that only opens sub-branches."""
    next: Node | None
    """The follow-up question when the branch has sub-branches."""
    line: int


@dataclass(frozen=True, slots=True)
class Node:
    question: str | None
    """``None`` when a bare branch opens sub-branches without asking anything."""
    options: tuple[Option, ...]
    line: int

    def labels(self) -> list[str]:
        return [o.label for o in self.options]


@dataclass(frozen=True, slots=True)
class DecisionTree:
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


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str
    checked: bool
    """Ticked in the file (``- [x]``); informational, callers decide what is met."""
    line: int


@dataclass(frozen=True, slots=True)
class Checklist:
    title: str
    items: tuple[ChecklistItem, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Workflow:
    id: str
    """Slug of the heading without a leading "When" (``designing-apis``)."""
    title: str
    steps: tuple[str, ...]
    """Each numbered item's first line, as written."""
    markdown: str
    """The whole numbered list as written, sub-bullets included."""
    line: int


@dataclass(frozen=True, slots=True)
class Frameworks:
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


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


# Decision trees ----------------------------------------------------------------------


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


# Checklists and workflows ------------------------------------------------------------


def _checklists(scan: Scan) -> list[Checklist]:
    groups: dict[tuple[int, str], list[tuple[int, str, bool]]] = {}
    current: tuple[int, str] | None = None
    for number, line, heading in scan.prose:
        if HEADING.match(line):
            current = (number, heading or "Checklist")
            continue
        match = _CHECK.match(line)
        if match:
            key = current or (number, "Checklist")  # items above any heading
            current = key
            groups.setdefault(key, []).append((number, match.group(2), match.group(1) != " "))
    taken: set[str] = set()
    result: list[Checklist] = []
    for (line, title), items in groups.items():
        built = tuple(
            ChecklistItem(_unique(slug(_plain(text), 48) or "item", taken), text, ticked, n)
            for n, text, ticked in items
        )
        result.append(Checklist(title, built, line))
    return result


def _plain(text: str) -> str:
    """Markdown emphasis, code ticks and link targets removed, for ids."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text)


def _workflows(scan: Scan) -> list[Workflow]:
    result: list[Workflow] = []
    taken: set[str] = set()
    prose = scan.prose
    for index, (number, line, heading) in enumerate(prose):
        if heading is None or not HEADING.match(line):
            continue
        start = index + 1
        while start < len(prose) and not prose[start][1].strip():
            start += 1
        if start == len(prose) or not _NUMBERED.match(prose[start][1]):
            continue
        steps: list[str] = []
        kept: list[str] = []
        for _, raw, _ in prose[start:]:
            item = _NUMBERED.match(raw)
            if item:
                steps.append(item.group(1))
            elif raw.strip() and not raw[0].isspace():
                break  # anything at the margin that is not a numbered item ends the list
            kept.append(raw)
        base = slug(re.sub(r"^\s*when\s+", "", heading, flags=re.IGNORECASE)) or "workflow"
        markdown = "\n".join(kept).strip("\n")
        result.append(Workflow(_unique(base, taken), heading, tuple(steps), markdown, number))
    return result


# Parsing entry points ----------------------------------------------------------------


def parse_frameworks(text: str, path: Path, first_line: int = 1) -> Frameworks:
    """Parse a markdown body; ``first_line`` is the file line of its first line."""
    scan = scan_markdown(text, first_line)
    trees: list[DecisionTree] = []
    diagnostics: list[Diagnostic] = []
    taken: set[str] = set(RESERVED_IDS)
    for block in scan.blocks:
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
            tree_id = _unique(slug(title, 60) or "decision", taken)
            trees.append(DecisionTree(tree_id, title, node, line))
    return Frameworks(
        tuple(trees), tuple(_checklists(scan)), tuple(_workflows(scan)), tuple(diagnostics)
    )


_CACHE: OrderedDict[tuple[str, int, int, int], Frameworks] = OrderedDict()
_CACHE_LIMIT = 1024


def agent_frameworks(agent: Agent) -> Frameworks:
    """The agent's frameworks, parsed on first use and cached per file version.

    The key includes the file's size and modification time, so an edited file (or a
    reloaded catalog) is parsed again while an unchanged one costs a single ``stat``.
    Raises ``LoadError`` when the body cannot be read.
    """
    stat = agent.path.stat()
    key = (str(agent.path), agent.frontmatter.body_offset, stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    body = agent.read_body()
    parsed = parse_frameworks(body, agent.path, _body_first_line(agent))
    _CACHE[key] = parsed
    if len(_CACHE) > _CACHE_LIMIT:
        _CACHE.popitem(last=False)
    return parsed


def _body_first_line(agent: Agent) -> int:
    # read_body() drops the blank lines after the frontmatter; count them back so that
    # diagnostics point at the right line of the file.
    with agent.path.open("rb") as handle:
        handle.seek(agent.frontmatter.body_offset)
        head = handle.read(4096)
    skipped = head[: len(head) - len(head.lstrip(b"\r\n"))]
    return agent.frontmatter.body_line + skipped.count(b"\n")
