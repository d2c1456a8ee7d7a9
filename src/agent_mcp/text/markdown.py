"""The one markdown scanner: fenced code blocks, headings and sections (CommonMark rules).

A fence opens with three or more backticks or tildes indented at most three spaces, and
closes with the same character, at least as long, with nothing after it; an unclosed
fence runs to the end of the document. Headings inside fences never count, so a
``# comment`` in a bash block is not a heading. The decision-framework parser, search and
its snippets all see documents through this module, so they agree on what is code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# The same rules over bytes, for indexing whole files fast: only fence and heading lines
# are visited by Python code; everything else is skipped by the regex engine. Each
# pattern starts with a literal newline, which the engine jumps between (a pattern
# starting with '^' is tried at every byte: 6x slower at 10,000 skills), and the closing
# '#'s are cut in Python, for the few lines that are headings.
_FENCE_LINE = re.compile(rb"\n {0,3}(`{3,}|~{3,})([^\n]*)")
_HEADING_LINE = re.compile(rb"\n {0,3}#{1,6}[ \t]+([^\n]*)")


def _closes(line: str, fence: str) -> bool:
    closing = _FENCE.match(line)
    return (
        closing is not None
        and closing.group(1)[0] == fence[0]
        and len(closing.group(1)) >= len(fence)
        and not line.strip().lstrip(fence[0])
    )


@dataclass(slots=True)
class Block:
    """A fenced code block: the heading above it and its lines (number, text)."""

    heading: str | None
    lines: list[tuple[int, str]]


@dataclass(slots=True)
class Scan:
    """One pass over a document: fenced blocks, and prose lines with their heading.

    A fence's opening line is kept in the prose (as a separator: a code block ends a
    list and separates it from a heading); the block's content is not.
    """

    blocks: list[Block] = field(default_factory=lambda: [])
    prose: list[tuple[int, str, str | None]] = field(default_factory=lambda: [])


def scan(text: str, first_line: int = 1) -> Scan:
    result = Scan()
    heading: str | None = None
    fence: str | None = None
    block: Block | None = None
    for number, line in enumerate(text.splitlines(), start=first_line):
        if fence is not None and block is not None:
            if _closes(line, fence):
                fence = None
                result.blocks.append(block)
                continue
            block.lines.append((number, line.expandtabs(4)))
            continue
        opening = _FENCE.match(line)
        if opening:
            fence, block = opening.group(1), Block(heading, [])
            result.prose.append((number, line, heading))
            continue
        match = HEADING.match(line)
        if match:
            heading = match.group(2).strip()
        result.prose.append((number, line, heading))
    if fence is not None and block is not None:
        result.blocks.append(block)  # an unclosed fence runs to the end
    return result


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    """'' for the text before the first heading."""
    line: int
    """Line of the heading (or of the first line, for the text before any heading)."""
    text: str


def sections(text: str, first_line: int = 1) -> list[Section]:
    """The document split at its headings (outside code), empty sections left out."""
    found: list[Section] = []
    heading, start, body = "", first_line, list[str]()
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=first_line):
        if fence is not None:
            if _closes(line, fence):
                fence = None
        elif opening := _FENCE.match(line):
            fence = opening.group(1)
        elif match := HEADING.match(line):
            if heading or any(x.strip() for x in body):
                found.append(Section(heading, start, "\n".join(body)))
            heading, start, body = match.group(2).strip(), number, []
            continue
        body.append(line)
    if heading or any(x.strip() for x in body):
        found.append(Section(heading, start, "\n".join(body)))
    return found


def prose_headings(raw: bytes) -> list[bytes]:
    """The heading texts of a UTF-8 document that lie outside fenced code."""
    text = b"\n" + raw  # the first line is then a line like the others
    if b"```" not in raw and b"~~~" not in raw:
        return [_heading_text(h) for h in _HEADING_LINE.findall(text)]
    found: list[bytes] = []
    position = 0
    fences = _FENCE_LINE.finditer(text)
    for opening in fences:
        found += _HEADING_LINE.findall(text, position, opening.start())
        fence = opening.group(1)
        position = len(text)  # an unclosed fence runs to the end
        for candidate in fences:
            mark = candidate.group(1)
            if mark[:1] == fence[:1] and len(mark) >= len(fence) and not candidate.group(2).strip():
                position = candidate.end()
                break
    found += _HEADING_LINE.findall(text, position)
    return [_heading_text(h) for h in found]


def _heading_text(line: bytes) -> bytes:
    """A heading line's text without trailing blanks and its closing '#'s, which count
    only after a blank (``## C#`` keeps its '#'), as ``HEADING`` reads them."""
    text = line.rstrip(b" \t\r")
    bare = text.rstrip(b"#")
    if bare != text and bare[-1:] in (b" ", b"\t"):
        text = bare.rstrip(b" \t")
    return text
