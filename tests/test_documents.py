"""Frontmatter parsing: the fast path gives exactly what PyYAML gives, or steps aside."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_mcp.errors import LoadError
from agent_mcp.text.frontmatter import Frontmatter, parse_frontmatter
from agent_mcp.text.plain_yaml import plain_fields
from tests.corpus import CORPUS

KEYS = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,12}", fullmatch=True)
WORDS = st.sampled_from(
    ["yes", "No", "TRUE", "off", "null", "~", "1.0", "0x1F", ".inf", "2024-01-01", "<<", "="]
)
VALUES = st.one_of(WORDS, st.text(min_size=1, max_size=40), st.from_regex(r"[a-z][a-z ,.-]{0,30}"))


@settings(max_examples=400)
@given(st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=5))
def test_fast_path_agrees_with_pyyaml_whenever_it_answers(pairs: list[tuple[str, str]]) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in pairs)
    fast = plain_fields(text)
    if fast is None:
        return
    assert fast == yaml.safe_load(text)


LINES = st.one_of(
    VALUES,
    st.sampled_from(["", " ", "  indented", "# not a comment", "- item", "a: b", "'q'", '"q"']),
)
INDENTS = st.sampled_from([" ", "  ", "    "])


@st.composite
def entries(draw: st.DrawFn) -> str:
    """One top-level entry in a shape the fast path takes, or one just past its edge."""
    key = draw(KEYS)
    shape = draw(st.sampled_from(["plain", "double", "single", "block", "mapping"]))
    if shape == "plain":
        return f"{key}: {draw(VALUES)}\n"
    if shape in ("double", "single"):
        quote = '"' if shape == "double" else "'"
        return f"{key}: {quote}{draw(st.text(max_size=20))}{quote}\n"
    indent = draw(INDENTS)
    # Mostly even indentation, sometimes a line indented otherwise.
    ragged = st.one_of(st.just(indent), st.just(indent), INDENTS)
    if shape == "block":
        header = draw(st.sampled_from([">", ">-", "|", "|-", ">+", "|2"]))
        body = draw(st.lists(st.tuples(ragged, LINES), min_size=1, max_size=4))
        return f"{key}: {header}\n" + "".join(f"{pad}{line}\n" for pad, line in body)
    items = draw(st.lists(st.tuples(ragged, KEYS, VALUES), min_size=1, max_size=4))
    return f"{key}:\n" + "".join(f"{pad}{k}: {v}\n" for pad, k, v in items)


@settings(max_examples=1000)
@given(st.lists(entries(), min_size=1, max_size=4), st.booleans())
def test_fast_path_agrees_with_pyyaml_on_blocks_quotes_and_maps(
    parts: list[str], crlf: bool
) -> None:
    text = "".join(parts)
    if crlf:
        text = text.replace("\n", "\r\n")
    fast = plain_fields(text)
    if fast is None:
        return
    assert fast == yaml.safe_load(text)


def test_folded_descriptions_and_metadata_maps_take_the_fast_path() -> None:
    text = (
        "name: api-design\n"
        "description: >-\n"
        "  Designs HTTP APIs: status codes (400 vs 422),\n"
        '  problem+json errors. Use when "reviewing" an API.\n'
        "license: MIT\n"
        "metadata:\n"
        '  version: "1.0.0"\n'
        "  used-by: 'backend-developer'\n"
        "notes: |\n"
        "  line one\n"
        "  line two\n"
    )
    fast = plain_fields(text)
    assert fast is not None
    assert fast == yaml.safe_load(text)
    assert fast["description"].startswith("Designs HTTP APIs: status codes (400 vs 422), problem")
    assert fast["metadata"] == {"version": "1.0.0", "used-by": "backend-developer"}
    assert fast["notes"] == "line one\nline two\n"


def test_bundled_frontmatter_takes_the_fast_path() -> None:
    # The default catalog then starts without importing PyYAML at all.
    from tests.conftest import REPO

    files = [*REPO.glob("skills/*/SKILL.md"), *REPO.glob("agents/*.md")]
    assert len(files) >= 5
    for path in files:
        head = path.read_text(encoding="utf-8").split("---\n")[1]
        assert plain_fields(head) == yaml.safe_load(head), path


def test_fast_path_agrees_with_pyyaml_over_the_marketplace_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the wshobson-agents corpus is not at {CORPUS}")
    taken = 0
    files = sorted(CORPUS.glob("plugins/*/*/**/*.md"))
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("---\n") or text.count("---\n") < 2:
            continue
        head = text.split("---\n")[1]
        fast = plain_fields(head)
        if fast is not None:
            taken += 1
            assert fast == yaml.safe_load(head), path
    assert taken > len(files) // 2  # most real frontmatter is in a shape the path takes


def test_typical_frontmatter_takes_the_fast_path() -> None:
    text = "name: backend-developer\ndescription: Use this agent for APIs, and more.\n"
    assert plain_fields(text) == {
        "name": "backend-developer",
        "description": "Use this agent for APIs, and more.",
    }


def test_values_yaml_reads_as_other_types_fall_back() -> None:
    for value in ("yes", "off", "1.0", "2024-01-01", "null", '"es\\cape"', "a: b", "x # c"):
        assert plain_fields(f"key: {value}\n") is None


def _frontmatter(tmp_path: Path, head: str) -> Frontmatter:
    path = tmp_path / "x.md"
    path.write_text(f"---\n{head}---\nBody.\n")
    return parse_frontmatter(path, path.read_bytes())


def test_values_claude_code_would_quote_are_read_as_text_with_a_warning(tmp_path: Path) -> None:
    # Both lines are invalid YAML; Claude Code's docs write hints this way.
    head = (
        "description: Triage an issue: label it\n"
        "argument-hint: [pr-number] [priority] [assignee]\n"
        "allowed-tools: [Read, Grep]\n"
    )
    fm = _frontmatter(tmp_path, head)
    assert fm.data == {
        "description": "Triage an issue: label it",
        "argument-hint": "[pr-number] [priority] [assignee]",
        "allowed-tools": ["Read", "Grep"],  # a flow list that parses stays a list
    }
    (note,) = fm.notes
    assert (note.code, note.severity, note.line) == ("yaml-quoted", "warning", 2)
    assert "line(s) 2, 3" in note.message
    assert 'description: "..."' in note.fix


def test_yaml_that_quoting_cannot_save_is_still_an_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        _frontmatter(tmp_path, "name: x\n  bad: indentation: here\n- item\n")
    assert caught.value.diagnostic.code == "yaml-syntax"


def test_valid_yaml_is_never_requoted(tmp_path: Path) -> None:
    fm = _frontmatter(tmp_path, "name: x\ntags: [a, b]\nnote: 'C# here: fine'\n")
    assert fm.data == {"name": "x", "tags": ["a", "b"], "note": "C# here: fine"}
    assert fm.notes == ()


def _reference_split(raw: bytes) -> tuple[str, int, int] | tuple[str, int | None]:
    """The block boundaries as a line-by-line reading gives them: (head, body offset, body
    line) or (error code, line), for checking the offset-based scanner."""
    lines = raw.split(b"\n")
    first = lines[0] + b"\n" if len(lines) > 1 else lines[0]
    try:
        if first.decode().lstrip("\ufeff").rstrip() != "---":
            return ("no-frontmatter", 1)
        offset = len(first)
        for number, line in enumerate(lines[1:], start=2):
            if offset > 64 * 1024:
                return ("frontmatter-too-large", 1)
            try:
                line.decode()
            except UnicodeDecodeError:
                return ("not-utf8", number)
            if line.rstrip() == b"---":
                head = raw[len(first) : offset].decode()
                return (head, min(offset + len(line) + 1, len(raw)), number + 1)
            offset += len(line) + 1
    except UnicodeDecodeError:
        return ("not-utf8", 1)
    return ("unterminated-frontmatter", 1)


PIECES = st.sampled_from(
    [b"---", b"--- ", b"---\r", b"name: x", b"description: y", b"\xff", b"\xc3\xa9", b"", b"a" * 70]
)


@settings(max_examples=600)
@given(st.lists(PIECES, min_size=1, max_size=8), st.sampled_from([b"\n", b"\r\n"]))
def test_block_boundaries_and_errors_match_a_line_by_line_reading(
    pieces: list[bytes], eol: bytes
) -> None:
    raw = eol.join(pieces)
    expected = _reference_split(raw)
    try:
        fm = parse_frontmatter(Path("x.md"), raw)
        got: tuple[object, ...] = ("found", fm.body_offset, fm.body_line)
    except LoadError as exc:
        got = (exc.diagnostic.code, exc.diagnostic.line)
    if len(expected) == 2:
        assert got == expected
    elif got[0] == "found":
        assert got[1:] == expected[1:]
    else:  # the block was found, and YAML has its say about it (tested above)
        assert got[0] not in ("no-frontmatter", "not-utf8", "unterminated-frontmatter")
