"""Serving over stdio."""

from __future__ import annotations

import contextlib

import anyio
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.app import build_server, initialization_options
from agent_mcp.server.state import ServerOptions, ServerState
from agent_mcp.server.transports.malformed import answer_malformed


async def _run(state: ServerState) -> None:
    server = build_server(state)
    async with stdio_server() as (read_stream, write_stream), anyio.create_task_group() as tasks:
        sink, parsed = anyio.create_memory_object_stream[SessionMessage | Exception](0)
        tasks.start_soon(answer_malformed, read_stream, sink, write_stream)
        await server.run(parsed, write_stream, initialization_options(server))
        tasks.cancel_scope.cancel()


def serve_stdio(catalog: Catalog, options: ServerOptions | None = None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(_run, ServerState(catalog, options or ServerOptions()))
