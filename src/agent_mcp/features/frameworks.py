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
from pathlib import Path

from agent_mcp.catalog.agents import Agent
from agent_mcp.features.framework_model import (
    Checklist,
    ChecklistItem,
    DecisionTree,
    Frameworks,
    Node,
    Option,
    Workflow,
    unique_id,
)
from agent_mcp.features.trees import UNPARSED, parse_trees
from agent_mcp.text.markdown import HEADING, Scan
from agent_mcp.text.markdown import scan as scan_markdown
from agent_mcp.text.words import slug

__all__ = [
    "RESERVED_IDS",
    "UNPARSED",
    "Checklist",
    "ChecklistItem",
    "DecisionTree",
    "Frameworks",
    "Node",
    "Option",
    "Workflow",
    "agent_frameworks",
    "parse_frameworks",
]

RESERVED_IDS = frozenset({"checklist"})
"""Tree ids that would clash with the per-agent tool names built beside them."""

_CHECK = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s+(\S.*?)\s*$")
_NUMBERED = re.compile(r"^ {0,3}\d{1,3}[.)]\s+(\S.*?)\s*$")


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
            ChecklistItem(unique_id(slug(_plain(text), 48) or "item", taken), text, ticked, n)
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
        result.append(Workflow(unique_id(base, taken), heading, tuple(steps), markdown, number))
    return result


# Parsing entry points ----------------------------------------------------------------


def parse_frameworks(text: str, path: Path, first_line: int = 1) -> Frameworks:
    """Parse a markdown body; ``first_line`` is the file line of its first line."""
    scan = scan_markdown(text, first_line)
    taken: set[str] = set(RESERVED_IDS)
    trees, diagnostics = parse_trees(scan.blocks, path, taken)
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
    offset = agent.frontmatter.body_offset
    head = agent.read_bytes()[offset : offset + 4096]
    skipped = head[: len(head) - len(head.lstrip(b"\r\n"))]
    return agent.frontmatter.body_line + skipped.count(b"\n")
