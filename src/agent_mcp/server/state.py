"""The state a server instance serves from: the current catalog and the options."""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass, field
from typing import Any

import anyio

from agent_mcp.catalog.build import completed
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.settings import Settings

logger = logging.getLogger("agent_mcp")
SETTLE_S = 1.0
GRACE_S = 0.05
"""Background work also waits this long after the first answer: hosts send a burst of
requests after the handshake (tools/list, prompts/list, resources/list), and a watcher
process spawning or a catalog loading in the middle of it slows every answer in it."""


@dataclass(slots=True)
class ServerOptions:
    page_size: int = 200
    """Entries per page of resources/list, prompts/list and skills/list."""
    focus: tuple[str, ...] = ()
    """Agents given per-framework tools whatever the budget (``--agent NAME``)."""
    watch: bool = False
    """Watch the roots and push changes to clients (the CLI turns this on)."""
    framework_tool_budget: int = 30
    """Without a focus, per-framework tools for every agent only up to this many tools."""
    notify_timeout: float = 5.0
    """A session that has not taken a reload notification within this is dropped."""

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerOptions:
        return cls(
            focus=settings.focus, watch=settings.watch, notify_timeout=settings.notify_timeout
        )


@dataclass(slots=True)
class ServerState:
    """Holds the catalog being served. Replacing ``catalog`` swaps it atomically:
    handlers read the attribute once per request and use that snapshot throughout."""

    catalog: Catalog
    options: ServerOptions = field(default_factory=ServerOptions)
    answered: anyio.Event = field(default_factory=anyio.Event, repr=False)
    """Set once a request beyond the handshake has been answered (see ``settled``)."""
    watching: anyio.Event = field(default_factory=anyio.Event, repr=False)
    """Set once the roots are watched: edits from then on reach clients."""
    listeners: dict[int, Any] = field(default_factory=lambda: dict[int, Any](), repr=False)
    """Live reload's per-connection bookkeeping (``server.live``), one entry per open
    2025-era connection that can be notified; exposed so tests can count it."""
    _loading: anyio.Lock = field(default_factory=anyio.Lock, repr=False)

    async def settled(self) -> None:
        """Wait until a host has had its first answers (and ``GRACE_S``), or ``SETTLE_S``
        seconds.

        Background work (loading skills, starting the watcher) waits for this: on a
        small machine, doing it while a host waits for its first answers would slow
        exactly what it waits for.
        """
        with anyio.move_on_after(SETTLE_S):
            await self.answered.wait()
            await anyio.sleep(GRACE_S)

    async def full_catalog(self) -> Catalog:
        """The catalog with its skills, loading them (off the event loop) if needed.

        Handlers that only need agents read ``catalog``; the rest await this. The server
        lifespan calls it at startup, so by the time a host asks for a skill it is
        usually ready.
        """
        if self.catalog.complete:
            return self.catalog
        async with self._loading:
            if not self.catalog.complete:
                partial = self.catalog
                self.catalog = await anyio.to_thread.run_sync(completed, partial)
                # A large catalog is millions of long-lived objects that the cycle
                # collector would scan again on every full collection (half of a cached
                # 10,000-skill walk). Freezing once, at start-up, exempts them; objects
                # dropped later are still freed by reference counting. Not on reloads:
                # that would also freeze per-session objects and could keep their cycles.
                gc.freeze()
                for diagnostic in self.catalog.diagnostics:
                    if diagnostic.severity == "error" and diagnostic not in partial.diagnostics:
                        logger.warning("%s", diagnostic)
        return self.catalog
