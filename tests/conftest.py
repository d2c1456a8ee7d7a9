"""Shared fixtures: golden catalogs, servers built from them, and clients of both eras."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.server import Server

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server import ServerState, build_server
from agent_mcp.sources.local import Source, collect_sources

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent

# The two protocol eras every behaviour is checked in: the 2025-11-25 `initialize`
# handshake and the 2026-07-28 `server/discover` era.
ERAS = [pytest.param("legacy", id="legacy"), pytest.param("auto", id="2026-07-28")]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def test_sources() -> list[Source]:
    return collect_sources(
        agents=[DATA / "catalog" / "agents"], skills=[DATA / "catalog" / "skills"], bundled=False
    )


@pytest.fixture
def test_catalog(test_sources: list[Source]) -> Catalog:
    return build_catalog(test_sources)


@pytest.fixture
def bundled_catalog() -> Catalog:
    return build_catalog(collect_sources(environ={}))


@pytest.fixture
def make_server() -> Callable[..., Server[Any]]:
    def make(catalog: Catalog, **options: Any) -> Server[Any]:
        state = ServerState(catalog)
        for key, value in options.items():
            setattr(state.options, key, value)
        return build_server(state)

    return make


@pytest.fixture(params=ERAS)
def era(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def client(
    test_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> AsyncIterator[Client]:
    async with Client(make_server(test_catalog), mode=era) as connected:
        yield connected


@pytest.fixture
async def bundled_client(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> AsyncIterator[Client]:
    async with Client(make_server(bundled_catalog), mode=era) as connected:
        yield connected


class GitRemote:
    """A bare repository in tmp_path with a work clone to commit through (real git CLI)."""

    def __init__(self, base: Path) -> None:
        self.bare = base / "remote.git"
        self.work = base / "work"
        self.url = self.bare.as_uri()
        self.git("init", "-q", "--bare", "-b", "main", str(self.bare), cwd=base)
        self.git("init", "-q", "-b", "main", str(self.work), cwd=base)
        self.git("remote", "add", "origin", self.url)

    def git(self, *argv: str, cwd: Path | None = None) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *argv],
            cwd=cwd or self.work,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout.strip()

    def commit(self, files: dict[str, str], *, tag: str | None = None) -> str:
        for relpath, text in files.items():
            target = self.work / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "change")
        if tag:
            self.git("tag", tag)
        self.git("push", "-q", "--tags", "origin", "main")
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def git_remote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRemote:
    if shutil.which("git") is None:
        pytest.skip("the git CLI is not installed")
    monkeypatch.setenv("AGENT_MCP_CACHE_DIR", str(tmp_path / "cache"))
    return GitRemote(tmp_path)
