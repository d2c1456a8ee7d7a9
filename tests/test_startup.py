"""Fast startup: the agents load first, the skills in the background, and nothing is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

from agent_mcp.catalog.build import build_catalog, completed
from agent_mcp.sources.local import Source

pytestmark = pytest.mark.anyio


async def test_a_partial_catalog_serves_skills_once_loaded(
    test_sources: list[Source], make_server: Callable[..., Server[Any]], era: str
) -> None:
    partial = build_catalog(test_sources, include_skills=False)
    assert not partial.complete
    assert not partial.skills
    async with Client(make_server(partial), mode=era) as client:
        assert {p.name for p in (await client.list_prompts()).prompts} == {
            "code-reviewer",
            "minimal",
        }
        prompt = await client.get_prompt("code-reviewer")
        skills = prompt.messages[0].content
        assert isinstance(skills, types.TextContent)
        assert "skill://demo-skill/SKILL.md" in skills.text
        read = await client.read_resource("skill://demo-skill/SKILL.md")
        assert read.contents


def test_completing_a_catalog_reuses_the_loaded_agents(test_sources: list[Source]) -> None:
    partial = build_catalog(test_sources, include_skills=False)
    full = completed(partial)
    assert full.complete
    assert full.agents["minimal"] is partial.agents["minimal"]
    assert {d.code for d in full.diagnostics} == {"unknown-skill"}
    assert not partial.diagnostics
