"""Live reload: watch the roots, swap in a rebuilt catalog, tell every client.

The watcher coalesces bursts of saves (``watchfiles`` debounce), rebuilds the catalog
off the event loop (only changed files are parsed again) and swaps it in with one
assignment, so a request sees the old catalog or the new one, never a mix. Clients of
both eras hear about it: 2025-11-25 sessions get ``notifications/*/list_changed`` and,
for URIs they subscribed to, ``notifications/resources/updated``; 2026-07-28 clients get
the same events on their ``subscriptions/listen`` streams (``server.listen``), plus
``notifications/agents/list_changed`` when they negotiated the Agents extension.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import anyio
import mcp_types as types
from anyio.abc import Process
from anyio.streams.buffered import BufferedByteReceiveStream
from mcp.server.connection import Connection
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.session import ServerSession
from mcp.server.subscriptions import (
    PromptsListChanged,
    ResourcesListChanged,
    ResourceUpdated,
    ToolsListChanged,
)

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.refs import AGENT_SCHEME
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.server.extensions.agents import AgentsListChanged
from agent_mcp.server.listen import Event, ListenStreams
from agent_mcp.server.state import ServerState

if TYPE_CHECKING:
    from agent_mcp.server.catalog_diff import CatalogChange

logger = logging.getLogger(__name__)

# Severities in the order `logging/setLevel` compares them.
LOG_LEVELS: list[str] = list(get_args(types.LoggingLevel))

# Editors save in bursts (write, rename, chmod); this window folds a burst into one
# rebuild while keeping an edit visible well within a second.
DEBOUNCE_MS = 150
MAX_BATCH_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class _Listener:
    """What one 2025-era connection asked to hear about. Created on first need and
    dropped when the connection closes, so closed sessions leave nothing behind."""

    session: ServerSession
    close_stream: Callable[[], Awaitable[None]] | None = None
    subscriptions: set[str] = field(default_factory=lambda: set[str]())
    log_level: int | None = None


def _connection(session: ServerSession) -> Connection | None:
    # The request context exposes no public per-connection identity, and a new
    # ServerSession proxy is built for every request; its connection is the identity.
    connection = getattr(session, "_connection", None)
    return connection if isinstance(connection, Connection) else None


class LiveUpdates:
    """Tracks who is listening and delivers catalog changes to them."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.streams = ListenStreams()
        self.send_timeout = state.options.notify_timeout
        self._listeners: dict[int, _Listener] = state.listeners

    @property
    def listening(self) -> int:
        """How many connections are tracked now (the bookkeeping that must not grow)."""
        return len(self._listeners)

    # Legacy-era bookkeeping --------------------------------------------------------

    async def _listener(self, ctx: ServerRequestContext[Any]) -> _Listener | None:
        """The listener for this request's connection; None when nothing can ever be
        pushed to it (stateless HTTP and 2026-era requests have no back channel)."""
        connection = _connection(ctx.session)
        if connection is None or not connection.has_standalone_channel:
            return None
        key = id(connection)
        listener = self._listeners.get(key)
        if listener is None:
            listener = self._listeners[key] = _Listener(ctx.session)

            async def forget() -> None:
                if self._listeners.get(key) is listener:
                    del self._listeners[key]

            # Unwound when the connection closes, however it ends (DELETE, idle
            # expiry, disconnect, server shutdown).
            connection.exit_stack.push_async_callback(forget)
        if listener.close_stream is None and ctx.close_standalone_sse_stream is not None:
            listener.close_stream = ctx.close_standalone_sse_stream
        return listener

    async def track_sessions(
        self, ctx: ServerRequestContext[Any], call_next: CallNext
    ) -> HandlerResult:
        """Middleware: remember each 2025-era connection once it has initialized."""
        result = await call_next(ctx)
        if ctx.method == "notifications/initialized":
            await self._listener(ctx)
        return result

    async def subscribe(
        self, ctx: ServerRequestContext[Any], params: types.SubscribeRequestParams
    ) -> types.EmptyResult:
        uri = str(params.uri)
        _check_exists(await self.state.full_catalog(), uri)
        listener = await self._listener(ctx)
        if listener is not None:
            listener.subscriptions.add(uri)
        return types.EmptyResult()

    async def unsubscribe(
        self, ctx: ServerRequestContext[Any], params: types.UnsubscribeRequestParams
    ) -> types.EmptyResult:
        connection = _connection(ctx.session)
        listener = self._listeners.get(id(connection)) if connection is not None else None
        if listener is not None:
            listener.subscriptions.discard(str(params.uri))
        return types.EmptyResult()

    async def set_level(
        self, ctx: ServerRequestContext[Any], params: types.SetLevelRequestParams
    ) -> types.EmptyResult:
        """2025-era ``logging/setLevel``: reload diagnostics at or above it are sent."""
        listener = await self._listener(ctx)
        if listener is not None:
            listener.log_level = LOG_LEVELS.index(params.level)
        return types.EmptyResult()

    # Delivery ------------------------------------------------------------------------

    async def publish(self, change: CatalogChange, diagnostics: Sequence[Diagnostic] = ()) -> None:
        events: list[Event] = []
        if change.agents:  # the Agents extension's; only listen streams carry it
            events.append(AgentsListChanged())
        if change.prompts:
            events.append(PromptsListChanged())
        if change.resources:
            events.append(ResourcesListChanged())
        if change.tools:
            events.append(ToolsListChanged())
        events += [ResourceUpdated(uri=uri) for uri in change.updated]
        for event in events:
            await self.streams.publish(event)
        # Every session at once, each within its own deadline: one client that stopped
        # reading costs the others nothing, and this returns within ``send_timeout``.
        async with anyio.create_task_group() as tasks:
            for key, listener in list(self._listeners.items()):
                tasks.start_soon(self._deliver, key, listener, change, diagnostics)

    async def _deliver(
        self,
        key: int,
        listener: _Listener,
        change: CatalogChange,
        diagnostics: Sequence[Diagnostic],
    ) -> None:
        session = listener.session
        sends: list[Callable[[], Awaitable[None]]] = []
        if change.prompts:
            sends.append(session.send_prompt_list_changed)
        if change.resources:
            sends.append(session.send_resource_list_changed)
        if change.tools:
            sends.append(session.send_tool_list_changed)
        sends += [_bind(session, uri) for uri in change.updated if uri in listener.subscriptions]
        if listener.log_level is not None:
            threshold = listener.log_level
            sends += [
                _log(session, d) for d in diagnostics if LOG_LEVELS.index(d.severity) >= threshold
            ]
        try:
            with anyio.fail_after(self.send_timeout):
                for send in sends:
                    await send()
            return
        except TimeoutError:
            logger.warning(
                "a client did not read its notifications within %ss; closing its stream",
                self.send_timeout,
            )
        except Exception:  # a closed connection: forget it, keep serving the others
            logger.debug("dropping a disconnected session", exc_info=True)
        self._listeners.pop(key, None)
        if listener.close_stream is not None:
            with contextlib.suppress(Exception):
                await listener.close_stream()

    async def apply(self, changed: Collection[Path]) -> CatalogChange:
        """Rebuild from the changed paths, swap atomically, and notify."""
        old = await self.state.full_catalog()
        new = await anyio.to_thread.run_sync(
            lambda: build_catalog(old.sources, previous=old, changed=changed)
        )
        from agent_mcp.server.catalog_diff import diff  # first reload only, not start-up

        change = diff(old, new, changed)
        self.state.catalog = new
        fresh = [d for d in new.diagnostics if d not in set(old.diagnostics)]
        if change.any or fresh:
            await self.publish(change, fresh)
        return change

    async def watch(self) -> None:
        """Watch every root until cancelled, through a watcher process (see
        ``agent_mcp.sources.watcher`` for why it is a process). ``state.watching`` is set once
        every root is watched."""
        watching = self.state.watching
        roots = _watch_roots(self.state.catalog)
        if not roots:
            watching.set()
            return
        argv = [sys.executable, "-m", "agent_mcp.sources.watcher", "--debounce", str(DEBOUNCE_MS)]
        process = await anyio.open_process([*argv, *map(str, roots)], stderr=None)
        assert process.stdout is not None
        lines = BufferedByteReceiveStream(process.stdout)
        try:
            while True:
                line = await lines.receive_until(b"\n", MAX_BATCH_BYTES)
                if line == b"ready":
                    watching.set()
                    continue
                await self.apply({Path(path) for path in json.loads(line)})
        except (anyio.EndOfStream, anyio.IncompleteRead, anyio.DelimiterNotFound):
            logger.warning("the file watcher stopped; edits are no longer picked up")
        finally:
            with anyio.CancelScope(shield=True):
                await _stop(process)


async def _stop(process: Process) -> None:
    """End the watcher: closing its stdin asks it to exit; killing is the fallback."""
    if process.stdin is not None:
        await process.stdin.aclose()
    with anyio.move_on_after(2):
        await process.wait()
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    await process.aclose()


def _bind(session: ServerSession, uri: str) -> Callable[[], Awaitable[None]]:
    async def send() -> None:
        await session.send_resource_updated(uri)

    return send


def _log(session: ServerSession, diagnostic: Diagnostic) -> Callable[[], Awaitable[None]]:
    async def send() -> None:
        await session.send_notification(
            types.LoggingMessageNotification(
                params=types.LoggingMessageNotificationParams(
                    level=diagnostic.severity, logger="agent-mcp", data=str(diagnostic)
                )
            )
        )

    return send


def _check_exists(catalog: Catalog, uri: str) -> None:
    if uri.startswith(AGENT_SCHEME):
        catalog.agent_from_uri(uri)
    else:
        catalog.resolve_uri(uri)


def _watch_roots(catalog: Catalog) -> list[Path]:
    roots: Iterable[Path] = (s.path for s in catalog.sources if s.path.is_dir())
    unique: list[Path] = []
    for root in sorted(set(roots)):
        if not any(parent in unique for parent in root.parents):
            unique.append(root)
    return unique
