"""The one markdown scanner: every reader agrees on what is code and what is a heading."""

from __future__ import annotations

import random

import pytest

from agent_mcp.text.markdown import HEADING, prose_headings, scan, sections

DOCUMENTS = {
    "backticks": "# One\ntext\n```bash\n# not a heading\n```\n## Two\n",
    "tildes": "# One\n~~~\n# not a heading\n~~~\n# Two\n",
    "longer closing fence": "# One\n```\n# no\n`````\n# Two\n",
    "shorter fence does not close": "# One\n````\n```\n# no\n````\n# Two\n",
    "other character does not close": "# One\n```\n~~~\n# no\n```\n# Two\n",
    "closing fence with text does not close": "# One\n```\n``` python\n# no\n```\n# Two\n",
    "unclosed fence runs to the end": "# One\n```\n# no\n# still no\n",
    "indented fence up to three spaces": "# One\n   ```\n# no\n   ```\n# Two\n",
    "closing hashes are not part of the heading": "# One ##\ntext\n",
    "crlf": "# One\r\n```\r\n# no\r\n```\r\n# Two\r\n",
}
EXPECTED = {
    "backticks": ["One", "Two"],
    "tildes": ["One", "Two"],
    "longer closing fence": ["One", "Two"],
    "shorter fence does not close": ["One", "Two"],
    "other character does not close": ["One", "Two"],
    "closing fence with text does not close": ["One", "Two"],
    "unclosed fence runs to the end": ["One"],
    "indented fence up to three spaces": ["One", "Two"],
    "closing hashes are not part of the heading": ["One"],
    "crlf": ["One", "Two"],
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_sections_scan_and_the_byte_index_find_the_same_headings(name: str) -> None:
    text = DOCUMENTS[name]
    by_sections = [s.heading for s in sections(text) if s.heading]
    by_scan = list(dict.fromkeys(h for _, _, h in scan(text).prose if h))
    by_bytes = [h.decode() for h in prose_headings(text.encode())]
    assert by_sections == by_scan == by_bytes == EXPECTED[name]


def test_fenced_blocks_keep_their_lines_and_the_heading_above() -> None:
    found = scan("# Tree\n```\nQ?\n├── yes → a\n```\n", first_line=10)
    (block,) = found.blocks
    assert block.heading == "Tree"
    assert block.lines == [(12, "Q?"), (13, "├── yes → a")]


def test_sections_number_lines_from_the_given_first_line() -> None:
    found = sections("intro\n# A\nbody\n", first_line=5)
    assert [(s.heading, s.line) for s in found] == [("", 5), ("A", 6)]


LINES = [
    "# h",
    "## C#",
    "## ##",
    "### t ###  ",
    "#### end #",
    "## a\t#",
    "#nospace",
    "text",
    "",
    "```",
    "```py",
    "   ```",
    "    ```",
    "````",
    "~~~",
    "~~~~",
    "``` x",
]


def test_the_byte_index_and_the_scanner_agree_on_generated_documents() -> None:
    # Seeded, so a failure names a document that fails again.
    rng = random.Random(2640)
    for _ in range(3000):
        text = "".join(rng.choice(LINES) + rng.choice(["\n", "\r\n"]) for _ in range(12))
        by_scan = [
            m.group(2).strip() for _, line, _ in scan(text).prose if (m := HEADING.match(line))
        ]
        by_bytes = [h.decode() for h in prose_headings(text.encode())]
        assert by_bytes == by_scan, text
