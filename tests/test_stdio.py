"""The real thing: `agent-mcp` as a subprocess over stdio, as a host starts it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import anyio
import mcp_types as types
import pytest
from anyio.abc import Process
from anyio.streams.buffered import BufferedByteReceiveStream
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


_HANDSHAKE = [
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"},
        },
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


async def _exited(pid: int) -> None:
    """Wait until the process has exited (a pidfd turns readable then)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        await anyio.wait_readable(fd)
    finally:
        os.close(fd)


async def _answers(process: Process, count: int) -> None:
    assert process.stdin is not None
    assert process.stdout is not None
    for message in _HANDSHAKE:
        await process.stdin.send(json.dumps(message).encode() + b"\n")
    lines = BufferedByteReceiveStream(process.stdout)
    for _ in range(count):
        await lines.receive_until(b"\n", 1 << 24)


@pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or not hasattr(os, "pidfd_open"),
    reason="needs Linux /proc and pidfd",
)
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
async def test_a_stop_signal_ends_server_and_watcher_cleanly(
    stop: signal.Signals, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
    argv = [sys.executable, "-m", "agent_mcp"]
    async with await anyio.open_process(argv, cwd=tmp_path, env=env) as process:
        with anyio.fail_after(30):
            await _answers(process, 2)
            # The watcher starts once the host has its answers; another process's
            # children offer no event to wait on, so poll (bounded above).
            while not (watchers := _children(process.pid)):  # noqa: ASYNC110
                await anyio.sleep(0.02)
        process.send_signal(stop)
        with anyio.fail_after(10):
            code = await process.wait()
            for pid in watchers:
                await _exited(pid)
        assert process.stderr is not None
        stderr = b"".join([chunk async for chunk in process.stderr])
    assert code == 0
    assert b"Traceback" not in stderr, stderr.decode()
