"""Running agent-mcp over real HTTP in tests: in-process uvicorn, or a child process."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import IO, Any, ParamSpec

import anyio
import httpx2
import uvicorn
from anyio.abc import Process
from starlette.types import ASGIApp

# The 2025-11-25 handshake as raw JSON-RPC, for tests that talk HTTP without an SDK client.
INITIALIZE: dict[str, Any] = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"},
    },
}

STARTUP_SECONDS = 30

P = ParamSpec("P")


def _entered(
    factory: Callable[P, httpx2.AsyncClient],
) -> Callable[P, AbstractAsyncContextManager[httpx2.AsyncClient]]:
    @contextlib.asynccontextmanager
    async def enter(*args: P.args, **kwargs: P.kwargs) -> AsyncGenerator[httpx2.AsyncClient]:
        client = factory(*args, **kwargs)
        async with client:
            yield client

    return enter


# ``async with httpx2.AsyncClient() as http`` leaves ``http`` untyped under pyright's 3.10
# check: httpx2's ``__aenter__`` returns ``typing.Self``, which only exists from 3.11 (the
# httpx2 release installed on 3.11+ needs it). Same arguments as ``httpx2.AsyncClient``.
http_client = _entered(httpx2.AsyncClient)


def loopback_socket() -> socket.socket:
    """A socket bound to a free loopback port, handed to uvicorn so the port is known
    before the app is built (OAuth settings need the URL) and cannot be taken meanwhile."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    with contextlib.closing(loopback_socket()) as sock:
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def serve_in_process(app: ASGIApp, sock: socket.socket) -> AsyncGenerator[str]:
    """Serve ``app`` with uvicorn on ``sock`` in this event loop; yield its base URL."""
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.serve, [sock])
        with anyio.fail_after(STARTUP_SECONDS):
            # uvicorn offers a flag, not an event, for "listening"; this poll is bounded.
            while not server.started:  # noqa: ASYNC110
                await anyio.sleep(0.01)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True


async def wait_healthy(base_url: str, process: Process | None = None) -> dict[str, object]:
    """Poll ``/healthz`` until it answers (bounded), failing early if the process died."""
    async with http_client() as http:
        with anyio.fail_after(STARTUP_SECONDS):
            while True:
                if process is not None and process.returncode is not None:
                    raise RuntimeError(f"the server exited with {process.returncode}")
                try:
                    response = await http.get(f"{base_url}/healthz")
                except httpx2.TransportError:
                    await anyio.sleep(0.05)
                    continue
                response.raise_for_status()
                return response.json()


@contextlib.asynccontextmanager
async def serve_subprocess(
    argv: Sequence[str],
    port: int,
    env: Mapping[str, str] | None = None,
    log: IO[bytes] | None = None,
) -> AsyncGenerator[str]:
    """Run a server command (``python -m ...``) listening on ``port``; yield its base URL.
    Its stderr goes to ``log`` when given (for tests that read the server's log)."""
    # Only the configuration the test gives: none of the developer's own AGENT_MCP_* values.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
    full_env = {**inherited, **(env or {})}
    # stderr goes to a file, not a pipe: nobody drains a pipe, and a full one blocks the server.
    with contextlib.nullcontext(log) if log else tempfile.TemporaryFile() as log:
        process = await anyio.open_process(
            [sys.executable, *argv], env=full_env, stdout=subprocess.DEVNULL, stderr=log
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            try:
                await wait_healthy(base_url, process)
            except Exception as exc:
                log.seek(0)
                stderr = log.read().decode(errors="replace")
                raise RuntimeError(f"{' '.join(argv)} did not start:\n{stderr}") from exc
            yield base_url
        finally:
            if process.returncode is None:
                process.terminate()
            with anyio.move_on_after(10) as waited:
                await process.wait()
            if waited.cancelled_caught:
                process.kill()
                await process.wait()
            await process.aclose()
