"""Frontmatter parsing: the fast path gives exactly what PyYAML gives, or steps aside."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

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
