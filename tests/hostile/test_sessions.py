"""Greedy and broken clients: bookkeeping that forgets, fan-out that never waits on one
client, per-client session caps."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.message import SessionMessage

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server import ServerState, build_server
from agent_mcp.server.app import initialization_options
from agent_mcp.server.state import ServerOptions
from agent_mcp.server.transports.http import build_app
from agent_mcp.server.transports.http_settings import HttpSettings
from agent_mcp.sources.local import collect_sources
from tests.conftest import DATA
from tests.http_support import INITIALIZE, http_client, loopback_socket, serve_in_process

pytestmark = pytest.mark.anyio

MCP_HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-11-25",
}


@pytest.fixture
def roots(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "catalog", tmp_path / "catalog")
    return tmp_path / "catalog"


def _watching_state(roots: Path) -> ServerState:
    sources = collect_sources(
        agents=[roots / "agents"], skills=[roots / "skills"], bundled=False, environ={}
    )
    return ServerState(build_catalog(sources), ServerOptions(watch=True, notify_timeout=0.5))


async def test_closed_sessions_leave_no_bookkeeping(roots: Path) -> None:
    state = _watching_state(roots)
    server = build_server(state)
    with anyio.fail_after(60), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(10):
            async with Client(server, mode="legacy") as client:
                await client.set_logging_level("info")  # pyright: ignore[reportDeprecated]
                await client.subscribe_resource("agent://minimal")  # pyright: ignore[reportDeprecated]
                assert len(state.listeners) == 1
        assert state.listeners == {}


async def test_stateless_requests_create_no_bookkeeping(test_catalog: Catalog) -> None:
    state = ServerState(test_catalog)
    app = build_app(test_catalog, HttpSettings(stateless=True), state=state)
    sock = loopback_socket()
    async with serve_in_process(app, sock) as url, http_client() as http:
        with anyio.fail_after(60):
            for number in range(20):
                request = {
                    "jsonrpc": "2.0",
                    "id": number,
                    "method": "logging/setLevel",
                    "params": {"level": "info"},
                }
                response = await http.post(f"{url}/mcp", json=request, headers=MCP_HEADERS)
                assert response.status_code == 200, response.text
    assert state.listeners == {}


@asynccontextmanager
async def stalled_client(server: Any) -> AsyncGenerator[None]:
    """A 2025-era connection that completes its handshake, then never reads again."""
    to_server, server_reads = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    server_writes, from_server = anyio.create_memory_object_stream[SessionMessage](0)
    messages: list[dict[str, Any]] = [
        INITIALIZE,
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "logging/setLevel", "params": {"level": "info"}},
    ]
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(server.run, server_reads, server_writes, initialization_options(server))
        for message in messages:
            parsed = types.jsonrpc_message_adapter.validate_python(message, by_name=False)
            await to_server.send(SessionMessage(parsed))
            if "id" in message:
                await from_server.receive()  # its answer; after the last one, nothing
        yield
        tasks.cancel_scope.cancel()


async def test_one_client_that_stops_reading_does_not_stall_the_others(roots: Path) -> None:
    state = _watching_state(roots)
    server = build_server(state)
    notified = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(message, types.PromptListChangedNotification):
            notified.set()

    async with stalled_client(server):
        assert len(state.listeners) == 1
        async with Client(server, mode="legacy", message_handler=on_message):
            with anyio.fail_after(20):
                await state.watching.wait()
            for round_ in range(3):
                notified = anyio.Event()
                (roots / "agents" / "minimal.md").write_text(
                    f"---\nname: minimal\ndescription: Edit {round_}.\n---\nBody {round_}.\n"
                )
                with anyio.fail_after(10):
                    await notified.wait()
            # The stalled client fell behind and was dropped; the healthy one remains.
            with anyio.fail_after(10):
                while len(state.listeners) > 1:  # noqa: ASYNC110
                    await anyio.sleep(0.05)


def _asgi_client(app: Any, address: str) -> httpx2.AsyncClient:
    transport = httpx2.ASGITransport(app=app, client=(address, 4000))
    return httpx2.AsyncClient(transport=transport, base_url="http://127.0.0.1")


async def test_a_client_at_its_session_cap_is_refused_while_others_connect(
    test_catalog: Catalog,
) -> None:
    app = build_app(test_catalog, HttpSettings(max_sessions_per_client=3, insecure=True))
    async with app.router.lifespan_context(app):
        greedy = _asgi_client(app, "192.0.2.10")
        other = _asgi_client(app, "192.0.2.20")
        with anyio.fail_after(30):
            sessions: list[str] = []
            for _ in range(3):
                opened = await greedy.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
                assert opened.status_code == 200, opened.text
                sessions.append(opened.headers["mcp-session-id"])
            refused = await greedy.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
            assert refused.status_code == 429
            assert "Too many open sessions for this client" in refused.text
            welcome = await other.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
            assert welcome.status_code == 200
            # Ending a session makes room again.
            session = sessions[0]
            ended = await greedy.delete("/mcp", headers={**MCP_HEADERS, "Mcp-Session-Id": session})
            assert ended.status_code == 200
            again = await greedy.post("/mcp", json=INITIALIZE, headers=MCP_HEADERS)
            assert again.status_code == 200
