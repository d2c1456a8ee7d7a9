"""The real thing: `agent-mcp` as a subprocess over stdio, as a host starts it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import anyio
import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters

from tests.conftest import DATA

pytestmark = pytest.mark.anyio


def _params(*args: str, cwd: Path) -> StdioServerParameters:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
    return StdioServerParameters(
        command=sys.executable, args=["-m", "agent_mcp", *args], cwd=cwd, env=env
    )


async def test_server_answers_a_real_client_over_stdio(era: str, tmp_path: Path) -> None:
    with anyio.fail_after(30):
        async with Client(_params(cwd=tmp_path), mode=era) as client:
            if era == "legacy":  # the 2026-07-28 era stamps serverInfo per result instead
                assert client.server_info is not None
                assert client.server_info.name == "agent-mcp"
            prompt = await client.get_prompt("backend-developer", {"task": "Add pagination"})
            first = prompt.messages[0].content
            assert isinstance(first, types.TextContent)
            assert first.text.startswith("You are a Senior Backend Developer")
            read = await client.read_resource("skill://fastapi/SKILL.md")
            assert isinstance(read.contents[0], types.TextResourceContents)


async def test_stdio_reads_are_byte_exact(era: str, tmp_path: Path) -> None:
    args = ("--no-bundled", "--skills", str(DATA / "catalog" / "skills"))
    with anyio.fail_after(30):
        async with Client(_params(*args, cwd=tmp_path), mode=era) as client:
            result = await client.read_resource("skill://demo-skill/crlf.txt")
            content = result.contents[0]
            assert isinstance(content, types.TextResourceContents)
            expected = (DATA / "catalog" / "skills" / "demo-skill" / "crlf.txt").read_bytes()
            assert content.text.encode() == expected


def test_stdout_carries_protocol_only(tmp_path: Path) -> None:
    # An unknown method and garbage input must produce JSON-RPC on stdout, never a traceback.
    request = b'{"jsonrpc":"2.0","id":1,"method":"nope/nope","params":{}}\nnot json\n'
    proc = subprocess.run(
        [sys.executable, "-m", "agent_mcp"],
        input=request,
        capture_output=True,
        cwd=tmp_path,
        timeout=30,
        check=False,
    )
    for line in proc.stdout.splitlines():
        assert line.startswith(b"{"), line
    assert b"Traceback" not in proc.stdout
