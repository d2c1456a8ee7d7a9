"""The README is executable: its commands run and its config blocks start a working server."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path

import anyio
import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)
PLACEHOLDER = "/path/to/agent-mcp"
INSPECTOR = REPO / "tests" / "interop" / "node_modules" / ".bin" / "mcp-inspector"


def _blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README) if lang == language]


def _commands() -> list[str]:
    return [line for block in _blocks("console") for line in block.splitlines() if line.strip()]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}


def test_readme_shows_the_two_quickstart_commands() -> None:
    commands = _commands()
    assert commands[:2] == ["uv run agent-mcp", "uv run pytest"]


@pytest.mark.parametrize(
    "command",
    [c for c in _commands() if c.startswith("uv run agent-mcp ") and "--http" not in c],
)
def test_cli_commands_in_the_readme_succeed(command: str, tmp_path: Path) -> None:
    if shutil.which("uv") is None:
        pytest.skip("uv is not on PATH")
    proc = subprocess.run(
        shlex.split(command),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**_env(), "HOME": str(tmp_path)},  # install/config must not touch a real home
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("command", [c for c in _commands() if "--http" in c])
def test_http_commands_in_the_readme_serve(command: str) -> None:
    if shutil.which("uv") is None:
        pytest.skip("uv is not on PATH")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The README's port may be taken on a CI machine; the command is otherwise as written.
    argv = re.sub(r"--port \d+", f"--port {port}", command)
    proc = subprocess.Popen(
        shlex.split(argv), cwd=REPO, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        health = anyio.run(_poll_health, port)
        assert health["status"] == "ok"
        assert health["agents"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def _poll_health(port: int) -> dict[str, object]:
    def get() -> dict[str, object]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.loads(response.read())

    with anyio.fail_after(60):
        while True:
            try:
                return await anyio.to_thread.run_sync(get)
            except OSError:  # not listening yet
                await anyio.sleep(0.1)


@pytest.mark.anyio
@pytest.mark.parametrize("block", _blocks("json"))
async def test_host_config_blocks_start_a_server_that_serves_the_agent(
    block: str, tmp_path: Path
) -> None:
    if shutil.which("uv") is None:
        pytest.skip("uv is not on PATH")
    config = json.loads(block.replace(PLACEHOLDER, str(REPO)))
    (entry,) = (config.get("mcpServers") or config["servers"]).values()
    params = StdioServerParameters(
        command=entry["command"], args=entry["args"], cwd=tmp_path, env=_env()
    )
    with anyio.fail_after(60):
        async with Client(params, mode="legacy") as client:
            prompt = await client.get_prompt("backend-developer")
    assert isinstance(prompt.messages[0].content, types.TextContent)


@pytest.mark.parametrize(
    "command",
    [c for c in _commands() if c.startswith("npx @modelcontextprotocol/inspector --cli")],
)
def test_inspector_commands_in_the_readme_succeed(command: str, tmp_path: Path) -> None:
    if not INSPECTOR.exists() or shutil.which("uv") is None:
        pytest.skip("the Inspector CLI is installed by .ci/run (npm ci in tests/interop)")
    argv = [str(INSPECTOR), *shlex.split(command)[2:]]
    proc = subprocess.run(
        argv,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**_env(), "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
