"""A 10,000-skill catalog with deep folders and thousands of broken files starts and serves."""

from __future__ import annotations

import threading
from pathlib import Path

import anyio
import anyio.lowlevel
import mcp_types as types
import pytest
from mcp import Client

from agent_mcp.catalog.build import build_catalog
from agent_mcp.files.paths import Anchored
from agent_mcp.server import ServerState, build_server
from agent_mcp.server.extensions import skills as skills_ext
from agent_mcp.sources.local import Source
from tests.skills_host import ListSkillsRequest, ListSkillsResult

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
                f'---\nname: {name}\n"description: unclosed\n---\n'
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


@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("walk") / "skills"
    for i in range(TOTAL):
        name = f"w{i:05d}"
        (root / name).mkdir(parents=True)
        (root / name / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: Skill {i}. Use when walking.\n---\nBody.\n"
        )
    return root


@pytest.mark.filterwarnings("ignore:ping is removed")
async def test_a_ten_thousand_skill_walk_does_not_delay_pings(
    ten_thousand: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The walk is held inside its first file hash until 50 pings have been answered: if
    # any part of it ran on the event loop, no ping could be answered and this would
    # time out instead.
    gate = threading.Event()
    hashing = threading.Event()
    real_get = skills_ext.DigestCache.get

    def gated(self: skills_ext.DigestCache, ref: Anchored, limit: int) -> tuple[str, int] | None:
        hashing.set()
        gate.wait(timeout=30)
        return real_get(self, ref, limit)

    monkeypatch.setattr(skills_ext.DigestCache, "get", gated)
    catalog = build_catalog([Source("skills", ten_thousand, "test")])
    state = ServerState(catalog)
    state.options.page_size = TOTAL
    walked: list[ListSkillsResult] = []
    # ping is a 2025-era method (2026-07-28 removed it).
    async with Client(build_server(state), mode="legacy") as client:

        async def walk() -> None:
            request = ListSkillsRequest(params=types.PaginatedRequestParams())
            walked.append(await client.session.send_request(request, ListSkillsResult))

        with anyio.fail_after(60):
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(walk)
                while not hashing.is_set():
                    await anyio.lowlevel.checkpoint()  # a yield to the walk, not a timed wait
                for _ in range(50):
                    await client.send_ping()  # pyright: ignore[reportDeprecated]  (legacy era on purpose)
                assert not walked  # every ping was answered while the walk was in flight
                gate.set()
    assert len(walked[0].skills) == TOTAL
