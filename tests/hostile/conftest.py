"""Helpers for the hostile-input suite: small skill trees, a client on them, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncGenerator, Callable
from contextlib import AbstractContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server import ServerState, build_server
from agent_mcp.sources.local import Source
from tests.skills_host import (
    GetSkillParams,
    GetSkillRequest,
    GetSkillResult,
    ListSkillsRequest,
    ListSkillsResult,
)

SECRET = b"TOP-SECRET-OUTSIDE-THE-ROOT"
GOOD = b"---\nname: good\ndescription: A good skill. Use in tests.\n---\nGood body.\n"
BOUND = 20  # seconds any hostile case may take, end to end


def skill_md(name: str, extra: str = "") -> bytes:
    head = f"---\nname: {name}\ndescription: A {name} skill. Use in tests.\n"
    return f"{head}{extra}---\nBody.\n".encode()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``root/skills/good`` (always served) plus ``secret.txt`` outside the roots."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    good = tmp_path / "root" / "skills" / "good"
    good.mkdir(parents=True)
    (good / "SKILL.md").write_bytes(GOOD)
    (tmp_path / "root" / "agents").mkdir()
    return tmp_path / "root"


def sources(root: Path) -> list[Source]:
    return [Source("agents", root / "agents", "test"), Source("skills", root / "skills", "test")]


def catalog_of(root: Path) -> Catalog:
    return build_catalog(sources(root))


@asynccontextmanager
async def serving(catalog: Catalog, era: str) -> AsyncGenerator[Client]:
    async with Client(build_server(ServerState(catalog)), mode=era) as client:
        yield client


async def list_skills(client: Client) -> ListSkillsResult:
    request = ListSkillsRequest(params=types.PaginatedRequestParams())
    return await client.session.send_request(request, ListSkillsResult)


async def get_skill(client: Client, uri: str) -> GetSkillResult:
    request = GetSkillRequest(params=GetSkillParams(uri=uri))
    return await client.session.send_request(request, GetSkillResult)


async def read_bytes(client: Client, uri: str) -> bytes:
    import base64

    (content,) = (await client.read_resource(uri)).contents
    if isinstance(content, types.TextResourceContents):
        return content.text.encode()
    return base64.b64decode(content.blob)


def run_cli(*args: str, timeout: float = BOUND) -> subprocess.CompletedProcess[str]:
    """``agent-mcp ARGS`` in a subprocess, killed (and the test failed) past ``timeout``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
    return subprocess.run(
        [sys.executable, "-m", "agent_mcp", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


Edit = Callable[[Path], Any]


def bounded() -> AbstractContextManager[anyio.CancelScope]:
    return anyio.fail_after(BOUND)
