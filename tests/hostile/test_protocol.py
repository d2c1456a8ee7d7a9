"""Protocol corners: every request gets a JSON-RPC reply with the right code."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from anyio.streams.buffered import BufferedByteReceiveStream
from mcp import Client, MCPError

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.transports.http import build_app
from agent_mcp.server.transports.http_settings import HttpSettings
from tests.http_support import INITIALIZE, http_client, loopback_socket, serve_in_process

pytestmark = pytest.mark.anyio

# JSON-RPC allows null and fractional ids (discouraged); MCP allows strings and integers.
BAD_IDS = ["null", "1.5", "2.0", "true", "false", '{"a": 1}', "[1]"]


async def _stdio_replies(
    lines: list[str], tmp_path: Path, last_id: int, errors: int = 0
) -> list[dict[str, Any]]:
    """Send ``lines`` to a stdio server; collect its replies until the one for ``last_id``
    and at least ``errors`` error replies have come (replies need not keep request order)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
    process = await anyio.open_process(
        [sys.executable, "-m", "agent_mcp", "--no-watch"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    replies: list[dict[str, Any]] = []
    async with process:
        await process.stdin.send("".join(line + "\n" for line in lines).encode())
        buffered = BufferedByteReceiveStream(process.stdout)
        with anyio.fail_after(60):
            while not (
                any(r.get("id") == last_id for r in replies)
                and sum("error" in r for r in replies) >= errors
            ):
                replies.append(json.loads(await buffered.receive_until(b"\n", 1 << 20)))
        process.terminate()
    return replies


async def test_requests_with_unusable_ids_are_answered_over_stdio(tmp_path: Path) -> None:
    lines = [
        json.dumps(INITIALIZE),
        '{"jsonrpc": "2.0", "method": "notifications/initialized"}',
        *(f'{{"jsonrpc": "2.0", "id": {bad}, "method": "ping"}}' for bad in BAD_IDS),
        # No id at all is a notification, whatever the method: JSON-RPC forbids a reply.
        '{"jsonrpc": "2.0", "method": "tools/list"}',
        '{"jsonrpc": "2.0", "id": 99, "method": "ping"}',
    ]
    replies = await _stdio_replies(lines, tmp_path, last_id=99, errors=len(BAD_IDS))
    errors = [r for r in replies if "error" in r]
    assert len(errors) == len(BAD_IDS)
    assert not [r for r in replies if "tools" in r.get("result", {})]
    for error in errors:
        assert error["id"] is None
        assert error["error"]["code"] == -32600
        assert "'id' must be a string or an integer" in error["error"]["message"]


@pytest.mark.parametrize("bad", BAD_IDS)
async def test_requests_with_unusable_ids_are_answered_over_http(
    test_catalog: Catalog, bad: str
) -> None:
    app = build_app(test_catalog, HttpSettings(stateless=True))
    headers = {
        "Accept": "application/json, text/event-stream",
        "Content-Type": "application/json",
        "MCP-Protocol-Version": "2025-11-25",
    }
    body = f'{{"jsonrpc": "2.0", "id": {bad}, "method": "tools/list"}}'
    async with serve_in_process(app, loopback_socket()) as url, http_client() as http:
        with anyio.fail_after(30):
            response = await http.post(f"{url}/mcp", content=body, headers=headers)
    assert response.status_code == 400
    reply = response.json()
    assert reply["id"] is None
    assert reply["error"]["code"] == -32600


@pytest.mark.parametrize("digits", [19, 5000])
async def test_a_huge_cursor_is_invalid_params(client: Client, digits: int) -> None:
    cursor = base64.urlsafe_b64encode(b"am1:" + b"9" * digits).decode().rstrip("=")
    with anyio.fail_after(30), pytest.raises(MCPError) as caught:
        await client.list_prompts(cursor=cursor)
    assert caught.value.code == -32602
    assert "Traceback" not in str(caught.value)
