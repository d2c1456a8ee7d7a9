"""Serving over stdio, and stopping cleanly on SIGINT or SIGTERM.

Hosts stop a stdio server with SIGINT, then SIGTERM if it is still alive (Claude Code
does). The SDK's stdio transport reads stdin in a worker thread that no cancellation
reaches, so a signal used to wait for stdin to close. Here stdin is read by a daemon
thread of our own, with ``os.read`` on the descriptor (a buffered ``sys.stdin`` held by a
daemon thread can abort interpreter shutdown), and a signal cancels the whole server:
the lifespan stops the watcher process, and the process exits with code 0.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator
from typing import Any, cast

import anyio
import anyio.from_thread
import anyio.lowlevel
from anyio.streams.memory import MemoryObjectSendStream
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.app import build_server, initialization_options
from agent_mcp.server.state import ServerOptions, ServerState
from agent_mcp.server.transports.malformed import answer_malformed, forward, screen_lines

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_CHUNK = 1 << 16


class StdinLines:
    """The lines of a file descriptor, read by a daemon thread, as an async iterator."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    async def __aiter__(self) -> AsyncIterator[str]:
        send, receive = anyio.create_memory_object_stream[str](16)
        token = anyio.lowlevel.current_token()
        threading.Thread(target=self._pump, args=(send, token), daemon=True).start()
        async with receive:
            async for line in receive:
                yield line

    def _pump(
        self, send: MemoryObjectSendStream[str], token: anyio.lowlevel.EventLoopToken
    ) -> None:
        pending = b""
        try:
            while chunk := os.read(self.fd, _CHUNK):
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    anyio.from_thread.run(send.send, _decode(line + b"\n"), token=token)
            if pending:
                anyio.from_thread.run(send.send, _decode(pending), token=token)
        except (OSError, RuntimeError, anyio.BrokenResourceError, anyio.ClosedResourceError):
            pass  # the descriptor failed, or the server is gone: nothing left to feed
        finally:
            with contextlib.suppress(RuntimeError):
                anyio.from_thread.run_sync(send.close, token=token)


def _decode(line: bytes) -> str:
    return line.decode("utf-8", errors="replace")


async def _cancel_on_signal(scope: anyio.CancelScope) -> None:
    with anyio.open_signal_receiver(*STOP_SIGNALS) as signals:
        async for _ in signals:
            scope.cancel()
            return


async def _run(state: ServerState) -> None:
    server = build_server(state)
    rejects, rejected = anyio.create_memory_object_stream[SessionMessage](16)
    stdin: Any = screen_lines(StdinLines(sys.stdin.fileno()), rejects)
    with anyio.CancelScope() as stopping:
        async with anyio.create_task_group() as outer:
            outer.start_soon(_cancel_on_signal, stopping)
            async with (
                stdio_server(stdin=cast("anyio.AsyncFile[str]", stdin)) as (read_stream, write),
                anyio.create_task_group() as tasks,
            ):
                sink, parsed = anyio.create_memory_object_stream[SessionMessage | Exception](0)
                tasks.start_soon(answer_malformed, read_stream, sink, write)
                tasks.start_soon(forward, rejected, write)
                await server.run(parsed, write, initialization_options(server))
                tasks.cancel_scope.cancel()
            outer.cancel_scope.cancel()


def serve_stdio(catalog: Catalog, options: ServerOptions | None = None) -> None:
    # A signal arriving before the handlers are installed (or during interpreter
    # start-up work) still ends quietly.
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(_run, ServerState(catalog, options or ServerOptions()))
