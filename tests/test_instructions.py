"""Server instructions carry the catalog within a fixed budget (Claude Code's model sees
them while tool descriptions stay behind its tool search)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.server import Server

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.instructions import INSTRUCTIONS_BUDGET
from agent_mcp.sources.local import collect_sources
from tests.corpus import CORPUS

pytestmark = pytest.mark.anyio


async def _instructions(server: Server[Any], era: str) -> str:
    async with Client(server, mode=era) as client:
        return client.instructions or ""


async def test_instructions_name_every_bundled_agent_and_skill_with_a_line_each(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    text = await _instructions(make_server(bundled_catalog), era)
    lines = text.splitlines()
    for name in [*bundled_catalog.agents, *bundled_catalog.skills]:
        (line,) = [line for line in lines if line.startswith(f"- {name}: ")]
        assert len(line) <= 80
    assert "Not shown" not in text


async def test_before_skills_load_each_skill_still_has_its_line(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    # Over stdio the instructions go out with the first answer, before the skills load.
    partial = build_catalog(collect_sources(environ={}), include_skills=False)
    lines = (await _instructions(make_server(partial), era)).splitlines()
    for skill in bundled_catalog.skills.values():
        (line,) = [line for line in lines if line.startswith(f"- {skill.name}: ")]
        assert line[len(f"- {skill.name}: ") :].rstrip("…") in " ".join(skill.description.split())


async def test_the_first_line_stands_alone(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    # Codex shows its model only the first line before a tool search.
    first = (await _instructions(make_server(bundled_catalog), era)).splitlines()[0]
    assert first.startswith("Serves the agent persona backend-developer and 4 skills: ")
    assert "load_agent" in first
    assert "search_skills" in first


async def test_skills_without_agents_are_listed_before_they_load(
    tmp_path: Path, make_server: Callable[..., Server[Any]], era: str
) -> None:
    for i in range(3):
        (tmp_path / f"s{i}").mkdir()
        (tmp_path / f"s{i}" / "SKILL.md").write_text(
            f"---\nname: s{i}\ndescription: Skill number {i}.\n---\nBody.\n"
        )
    sources = collect_sources(skills=[tmp_path], bundled=False, environ={})
    partial = build_catalog(sources, include_skills=False)
    lines = (await _instructions(make_server(partial), era)).splitlines()
    assert lines[0].startswith("Serves no agent personas and 3 skills: ")
    assert {"- s0: Skill number 0.", "- s1: Skill number 1.", "- s2: Skill number 2."} <= set(lines)


@pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason="no wshobson/agents checkout (set WSHOBSON_AGENTS; see tests/corpus.py)",
)
async def test_a_large_catalog_fits_the_budget_and_points_to_search(
    make_server: Callable[..., Server[Any]], era: str
) -> None:
    catalog = build_catalog(collect_sources(environ={}, roots=[CORPUS]))
    text = await _instructions(make_server(catalog), era)
    assert len(text.encode()) <= INSTRUCTIONS_BUDGET
    assert sum(line.startswith("- ") for line in text.splitlines()) > 10
    last = text.splitlines()[-1]
    assert last.startswith("Not shown: ")
    assert "search_skills" in last
    assert "prompts/list" in last


async def test_many_small_skills_stay_within_the_budget(
    tmp_path: Path, make_server: Callable[..., Server[Any]], era: str
) -> None:
    for i in range(500):
        folder = tmp_path / f"skill-{i:04d}"
        folder.mkdir()
        (folder / "SKILL.md").write_text(
            f"---\nname: skill-{i:04d}\ndescription: Skill {i}. {'Long words. ' * 30}\n---\n"
        )
    catalog = build_catalog(collect_sources(skills=[tmp_path], bundled=False, environ={}))
    text = await _instructions(make_server(catalog), era)
    assert len(text.encode()) <= INSTRUCTIONS_BUDGET
    assert "- skill-0000: Skill 0." in text
    assert text.endswith("more skills (search_skills finds one by topic).")
