"""What keeps one greedy or broken HTTP client from hurting the others.

- :class:`ClientSessionCap`: sessions per client, besides the SDK's global cap, so one
  client opening thousands of sessions is refused (429) while others still connect.
- :class:`RequestIdCheck`: a request whose ``id`` MCP cannot use gets -32600 (see
  ``malformed``) instead of the SDK's silent 202.
- :class:`GuardedH11Protocol`: uvicorn's h11 protocol with a deadline for each request's
  head and body (uvicorn has none: a connection that never sends a request line stays
  open forever) and a connection cap that closes extra connections at once instead of
  reading them.
- :class:`RepeatFilter`: the same log line a thousand times becomes a few and a count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

import h11
import pydantic_core
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from agent_mcp.server.transports.malformed import bad_id_reply

logger = logging.getLogger(__name__)

SESSION_HEADER = b"mcp-session-id"


def _client_key(scope: Scope) -> tuple[str | None, str]:
    # OAuth tokens name a subject; a shared static token does not, so the address is
    # what tells one client from another there.
    user = scope.get("user")
    subject = user.access_token.client_id if isinstance(user, AuthenticatedUser) else None
    client = scope.get("client")
    return subject, str(client[0]) if client else ""


class ClientSessionCap:
    """At most ``per_client`` open sessions per client (token subject or address)."""

    def __init__(
        self, app: ASGIApp, manager: StreamableHTTPSessionManager, per_client: int
    ) -> None:
        self.app = app
        self.manager = manager
        self.per_client = per_client
        self._owned: dict[tuple[str | None, str], set[str]] = {}

    def _open(self, key: tuple[str | None, str]) -> set[str]:
        # The manager has no public list of its sessions; its registry is the truth about
        # which ones are still open (ended, expired and deleted ones leave it).
        live: Mapping[str, object] = getattr(self.manager, "_server_instances", {})
        owned = self._owned.get(key, set())
        owned.intersection_update(live.keys())
        if not owned:
            self._owned.pop(key, None)
        return owned

    def open_sessions(self) -> int:
        return sum(len(self._open(key)) for key in list(self._owned))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        if scope["type"] != "http" or scope["method"] != "POST" or SESSION_HEADER in headers:
            await self.app(scope, receive, send)
            return
        key = _client_key(scope)
        if len(self._open(key)) >= self.per_client:
            await Response(
                f"Too many open sessions for this client ({self.per_client}): end some "
                "(DELETE with Mcp-Session-Id) or let them expire.\n",
                status_code=429,
                media_type="text/plain",
            )(scope, receive, send)
            return

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                for name, value in message.get("headers", []):
                    if name.lower() == SESSION_HEADER:
                        self._owned.setdefault(key, set()).add(value.decode("latin-1"))
            await send(message)

        await self.app(scope, receive, record)


class RequestIdCheck:
    """Reads each POST body (up to the body limit) and answers unusable request ids."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body"):
                break
            if size > self.max_body:
                break  # the SDK answers 413; nothing to check
        if size <= self.max_body:
            body = b"".join(m.get("body", b"") for m in messages)
            reply = None
            with contextlib.suppress(ValueError):  # the SDK answers the parse error
                reply = bad_id_reply(pydantic_core.from_json(body))
            if reply is not None:
                await Response(
                    reply.model_dump_json(by_alias=True, exclude_unset=True),
                    status_code=400,
                    media_type="application/json",
                )(scope, receive, send)
                return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request deadline and a connection cap.

    The deadline runs from a connection's (or a keep-alive request's) first byte to the
    end of that request's body, so a client that sends its head or body a byte at a time
    cannot hold a connection longer than it. Idle keep-alive connections are uvicorn's own
    ``timeout_keep_alive``. Both limits come from the environment (``AGENT_MCP_REQUEST_
    TIMEOUT``, ``AGENT_MCP_MAX_CONNECTIONS``) so ``uvicorn --http`` can use this class too.
    """

    request_timeout: float = 10.0
    max_connections: int = 1000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            logger.warning("refusing a connection: %d are open", self.max_connections)
            transport.abort()
            return
        self._arm()

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.request_timeout, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._arm()  # the first bytes of a keep-alive request
        super().data_received(data)
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # idle from here on is the keep-alive timeout's business

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _expired(self) -> None:
        self._deadline = None
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            logger.info("closing a connection that did not send its request in time")
            self.transport.close()


def configure_protocol(request_timeout: float, max_connections: int) -> type[GuardedH11Protocol]:
    """A protocol class carrying these limits (uvicorn instantiates it per connection)."""
    return type(
        "AgentMcpH11Protocol",
        (GuardedH11Protocol,),
        {"request_timeout": request_timeout, "max_connections": max_connections},
    )


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


GuardedH11Protocol.request_timeout = _env_number("AGENT_MCP_REQUEST_TIMEOUT", 10.0)
GuardedH11Protocol.max_connections = int(_env_number("AGENT_MCP_MAX_CONNECTIONS", 1000))


class RepeatFilter(logging.Filter):
    """Lets each distinct message through ``burst`` times per ``window`` seconds, then
    reports how many were suppressed when the window ends."""

    def __init__(self, burst: int = 5, window: float = 10.0) -> None:
        super().__init__()
        self.burst = burst
        self.window = window
        self._seen: dict[str, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        key = f"{record.name}:{record.msg}"
        start, count = self._seen.get(key, (now, 0))
        if now - start > self.window:
            if count > self.burst:
                record.msg = f"{record.msg} (and {count - self.burst} more like it suppressed)"
            start, count = now, 0
        if len(self._seen) > 1000:
            self._seen.clear()  # bounded: distinct messages are few in practice
        self._seen[key] = (start, count + 1)
        return count < self.burst
