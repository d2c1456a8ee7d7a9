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


def test_typical_frontmatter_takes_the_fast_path() -> None:
    text = "name: backend-developer\ndescription: Use this agent for APIs, and more.\n"
    assert plain_fields(text) == {
        "name": "backend-developer",
        "description": "Use this agent for APIs, and more.",
    }


def test_values_yaml_reads_as_other_types_fall_back() -> None:
    for value in ("yes", "off", "1.0", "2024-01-01", "null", "'quoted'", "a: b", "x # c"):
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
