"""Hostile input: paths that try to escape, and malformed protocol traffic.

Nothing outside a root is ever read, every bad request gets the right JSON-RPC error,
and the server keeps serving afterwards with nothing but JSON-RPC on stdout.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mcp_types as types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client
from mcp.shared.exceptions import MCPError

from agent_mcp.catalog.build import build_catalog
from agent_mcp.server import ServerState, build_server
from agent_mcp.sources.local import Source
from tests.conftest import DATA, REPO

SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT"


@pytest.fixture
def trap(tmp_path: Path) -> Path:
    """A skills root whose skill links to files outside it, next to a secret."""
    (tmp_path / "secret.txt").write_text(SECRET)
    outside_skill = tmp_path / "outside-skill"
    outside_skill.mkdir()
    (outside_skill / "SKILL.md").write_text("---\nname: outside-skill\ndescription: d\n---\nx\n")
    root = tmp_path / "root"
    skill = root / "trap"
    skill.mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: trap\ndescription: A trap.\n---\nBody.\n")
    os.symlink(tmp_path / "secret.txt", skill / "leak.txt")
    os.symlink(tmp_path, skill / "up")
    os.symlink(outside_skill, root / "outside-skill")
    return root


ESCAPES = [
    "skill://trap/../../secret.txt",
    "skill://trap/%2e%2e/%2e%2e/secret.txt",
    "skill://trap/%2E%2E%2F%2E%2E%2Fsecret.txt",
    "skill://trap/..%2f..%2fsecret.txt",
    "skill://trap/%252e%252e/secret.txt",
    "skill://trap//etc/passwd",
    "skill://trap/C:/Windows/win.ini",
    "skill://trap/..\\..\\secret.txt",
    "skill://trap/leak.txt",
    "skill://trap/up/secret.txt",
    "skill://trap/SKILL.md%00.txt",
    "skill://trap/" + "a/" * 3000 + "x",
    "skill://outside-skill/SKILL.md",
    "skill://../secret.txt",
    "file:///etc/passwd",
    "agent://../../etc/passwd",
]


@pytest.mark.anyio
@pytest.mark.parametrize("uri", ESCAPES)
async def test_escaping_uris_are_invalid_params_and_read_nothing(
    trap: Path, era: str, uri: str
) -> None:
    catalog = build_catalog([Source("skills", trap, "test")])
    async with Client(build_server(ServerState(catalog)), mode=era) as client:
        with pytest.raises(MCPError) as caught:
            await client.read_resource(uri)
        assert caught.value.code == types.INVALID_PARAMS
        assert SECRET not in caught.value.message
        listed = [str(r.uri) for r in (await client.list_resources()).resources]
        assert listed == ["skill://trap/SKILL.md"]


def test_a_skill_linking_outside_its_root_is_reported(trap: Path) -> None:
    catalog = build_catalog([Source("skills", trap, "test")])
    assert "outside-skill" not in catalog.skills
    assert "symlink-escape" in {d.code for d in catalog.diagnostics}
    listing = catalog.skill("trap").listing()
    assert set(listing.files) == {"SKILL.md"}
    assert {d.code for d in listing.diagnostics} == {"symlink-escape"}


@pytest.mark.anyio
async def test_a_root_that_is_a_symlink_serves_only_what_is_inside(
    tmp_path: Path, era: str
) -> None:
    link = tmp_path / "linked-root"
    os.symlink(DATA / "catalog" / "skills", link)
    catalog = build_catalog([Source("skills", link, "test")])
    async with Client(build_server(ServerState(catalog)), mode=era) as client:
        read = await client.read_resource("skill://demo-skill/SKILL.md")
        assert read.contents
        with pytest.raises(MCPError):
            await client.read_resource("skill://demo-skill/../../agents/minimal.md")


# Protocol fuzzing over a real stdio process ---------------------------------------------


class StdioServer:
    """One server process for the whole fuzz run, read by a thread into a queue."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agent_mcp", "--no-watch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.next_id = 10_000

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data + b"\n")
        self.proc.stdin.flush()

    def receive(self, timeout: float = 10) -> dict[str, Any]:
        line = self.lines.get(timeout=timeout)
        assert b"Traceback" not in line
        return json.loads(line)

    def request(self, method: str, params: Any = None) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send_raw(json.dumps(message).encode())
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                return reply

    def drain(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while not self.lines.empty():
            out.append(json.loads(self.lines.get_nowait()))
        return out

    def close(self) -> bytes:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        assert self.proc.stderr is not None
        return self.proc.stderr.read()


@pytest.fixture(scope="module")
def stdio_server() -> Iterator[StdioServer]:
    server = StdioServer()
    init = server.request(
        "initialize",
        {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "fuzz", "version": "1"},
        },
    )
    assert "result" in init
    server.send_raw(b'{"jsonrpc":"2.0","method":"notifications/initialized"}')
    yield server
    server.close()


METHODS = [
    "prompts/get", "prompts/list", "resources/read", "resources/list", "tools/call",
    "tools/list", "completion/complete", "resources/templates/list", "skills/list",
    "skills/get", "no/such/method", "initialize", "",
]  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
PARAMS = st.one_of(
    JSON,
    st.fixed_dictionaries({"name": st.text(max_size=300) | JSON}),
    st.fixed_dictionaries({"uri": st.text(max_size=300) | JSON}),
    st.fixed_dictionaries({"cursor": st.text(max_size=100) | JSON}),
    st.fixed_dictionaries({"name": st.sampled_from(["load_agent", "backend-developer"]),
                           "arguments": JSON}),
    st.just({"uri": "skill://" + "x" * 200_000}),
)  # fmt: skip
ALLOWED_ERRORS = {-32700, -32600, -32601, -32602}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(method=st.sampled_from(METHODS) | st.text(max_size=30), params=PARAMS)
def test_random_requests_get_spec_errors_and_the_server_keeps_serving(
    stdio_server: StdioServer, method: str, params: Any
) -> None:
    reply = stdio_server.request(method, params)
    if "error" in reply:
        error = reply["error"]
        assert error["code"] in ALLOWED_ERRORS, error
        assert "Traceback" not in error["message"]
        assert str(REPO) not in error["message"]  # no filesystem layout leaks out
    else:
        assert isinstance(reply["result"], dict)
    assert "result" in stdio_server.request("ping")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(garbage=st.binary(max_size=200).filter(lambda b: b"\n" not in b and b.strip()))
def test_garbage_lines_never_crash_the_server(stdio_server: StdioServer, garbage: bytes) -> None:
    stdio_server.send_raw(garbage)
    assert "result" in stdio_server.request("ping")
    for message in stdio_server.drain():
        if "error" in message:
            assert message["error"]["code"] in ALLOWED_ERRORS


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"not json at all", {"id": None, "code": -32700}),
        (b'{"jsonrpc":"2.0","id":7,"method":"prompts/get","params":[]}', {"id": 7, "code": -32602}),
        (b'{"id": 8}', {"id": 8, "code": -32600}),
        (b"[1, 2, 3]", {"id": None, "code": -32600}),
    ],
)
def test_unparseable_lines_get_a_json_rpc_error(
    stdio_server: StdioServer, line: bytes, expected: dict[str, Any]
) -> None:
    stdio_server.send_raw(line)
    reply = stdio_server.receive()
    assert {"id": reply["id"], "code": reply["error"]["code"]} == expected


def test_a_malformed_notification_gets_no_reply(stdio_server: StdioServer) -> None:
    stdio_server.send_raw(b'{"jsonrpc":"2.0","method":"notifications/initialized","params":[]}')
    assert "result" in stdio_server.request("ping")
    assert stdio_server.drain() == []
