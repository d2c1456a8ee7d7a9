"""A 10,000-skill catalog with deep folders and thousands of broken files starts and serves."""

from __future__ import annotations

from pathlib import Path

import mcp_types as types
import pytest
from mcp import Client

from agent_mcp.catalog.catalog import build_catalog
from agent_mcp.server import ServerState, build_server
from agent_mcp.sources.local import Source

pytestmark = pytest.mark.anyio

TOTAL = 10_000
BROKEN_EVERY = 4  # 2,500 broken files


@pytest.fixture(scope="module")
def big_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "skills"
    for i in range(TOTAL):
        name = f"s{i:05d}"
        deep = root / name / "a" / "b" / "c"
        deep.mkdir(parents=True)
        if i % BROKEN_EVERY == 0:
            (root / name / "SKILL.md").write_text(
                f"---\nname: {name}\ndescription: [unclosed\n---\n"
            )
        else:
            (root / name / "SKILL.md").write_text(
                f"---\nname: {name}\ndescription: Skill {i}. Use when testing scale.\n---\nBody.\n"
            )
        (deep / "deep.md").write_text(f"deep {i}\n")
    return root


async def test_ten_thousand_skills_with_broken_files_start_and_serve(big_root: Path) -> None:
    catalog = build_catalog([Source("skills", big_root, "test")])
    broken = TOTAL // BROKEN_EVERY
    assert len(catalog.skills) == TOTAL - broken
    assert sum(d.code == "yaml-syntax" for d in catalog.diagnostics) == broken
    async with Client(build_server(ServerState(catalog)), mode="legacy") as client:
        page = await client.list_resources()
        assert len(page.resources) == 200
        assert page.next_cursor is not None
        read = await client.read_resource("skill://s09999/a/b/c/deep.md")
        content = read.contents[0]
        assert isinstance(content, types.TextResourceContents)
        assert content.text == "deep 9999\n"
