"""Shared fixtures: golden catalogs, servers built from them, and clients of both eras."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.server import Server

from agent_mcp.catalog.catalog import Catalog, build_catalog
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
