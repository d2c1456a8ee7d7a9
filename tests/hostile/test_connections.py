"""Connection floods over real HTTP: half-open connections, the connection cap, the log.

These run ``agent-mcp serve --http`` as a child process so that uvicorn's own protocol
layer (where the request deadline and the connection cap live) is the real one.
"""

from __future__ import annotations

import contextlib
import tempfile

import anyio
import anyio.abc
import httpx2
import pytest

from tests.http_support import INITIALIZE, free_port, http_client, serve_subprocess

pytestmark = pytest.mark.anyio

TOKEN = "flood-test-token"
HEAD = b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # never finished
MCP_HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-11-25",
    "Authorization": f"Bearer {TOKEN}",
}


def _serve_argv(port: int) -> list[str]:
    return ["-m", "agent_mcp", "serve", "--http", "--port", str(port), "--no-watch"]


async def _closed_by_server(stream: anyio.abc.SocketStream) -> None:
    """Return once the server has closed ``stream`` (EOF or reset)."""
    try:
        while await stream.receive():
            pass
    except (anyio.EndOfStream, anyio.BrokenResourceError, ConnectionError):
        return


async def test_a_connection_that_never_finishes_its_request_is_closed() -> None:
    port = free_port()
    env = {"AGENT_MCP_REQUEST_TIMEOUT": "1"}
    async with serve_subprocess(_serve_argv(port), port, env):
        stream = await anyio.connect_tcp("127.0.0.1", port)
        async with stream:
            await stream.send(HEAD)
            with anyio.fail_after(15):  # closed after about 1 s; forever without the guard
                await _closed_by_server(stream)


async def test_a_flood_of_half_open_connections_leaves_the_server_reachable() -> None:
    port = free_port()
    env = {
        "AGENT_MCP_TOKEN": TOKEN,
        "AGENT_MCP_REQUEST_TIMEOUT": "2",
        "AGENT_MCP_MAX_CONNECTIONS": "1000",
    }
    with tempfile.TemporaryFile() as log:
        async with serve_subprocess(_serve_argv(port), port, env, log=log) as url:
            streams: list[anyio.abc.SocketStream] = []
            try:
                with anyio.fail_after(60):
                    for _ in range(1100):
                        stream = await anyio.connect_tcp("127.0.0.1", port)
                        streams.append(stream)
                        # Past the cap a connection may already be closed by the server.
                        with contextlib.suppress(anyio.BrokenResourceError, ConnectionError):
                            await stream.send(HEAD)
                # A client with the token gets its answer once the deadline frees the
                # connections the flood holds (the cap closes the excess at once).
                async with http_client(timeout=10) as http:
                    with anyio.fail_after(30):
                        while True:
                            try:
                                response = await http.post(
                                    f"{url}/mcp", json=INITIALIZE, headers=MCP_HEADERS
                                )
                                break
                            except httpx2.TransportError:
                                await anyio.sleep(0.1)
                    assert response.status_code == 200
                    assert "mcp-session-id" in response.headers
                # Every flooding connection is closed by the server, none left to hang.
                with anyio.fail_after(30):
                    async with anyio.create_task_group() as tasks:
                        for stream in streams:
                            tasks.start_soon(_closed_by_server, stream)
            finally:
                for stream in streams:
                    await stream.aclose()
        log.seek(0)
        lines = log.read().decode(errors="replace").splitlines()
    refused = [line for line in lines if "refusing a connection" in line]
    # 100 refusals are cut to the filter's burst; the log stays small.
    assert 1 <= len(refused) <= 10, refused
    assert len(lines) < 100, lines[:20]
