"""``subscriptions/listen`` (2026-07-28): the change-notification streams clients open.

The SDK's ``ListenHandler`` knows only the core filter keys and events. The Agents
extension adds one key, ``agentsListChanged``, for ``notifications/agents/list_changed``,
honored only for a client that declared the extension on its listen request; so the
handler is this one. Its contract is the SDK's: the acknowledgment (the honored part of
the filter) is the first frame, every frame carries the listen request's id in
``_meta``, a kind the client did not ask for is never sent, and a stream whose client
stopped reading is ended instead of buffered without bound (the client re-listens and
refetches; there is no replay).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast

import anyio
import anyio.lowlevel
import mcp_types as types
from anyio.streams.memory import MemoryObjectSendStream
from mcp.server.context import ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.shared.subscriptions import (
    SUBSCRIPTION_ID_META_KEY,
    ServerEvent,
    event_matches,
    event_to_notification,
)

from agent_mcp.server.extensions.agents import (
    LIST_CHANGED,
    LIST_CHANGED_FILTER,
    AgentsListChanged,
    negotiated,
)

logger = logging.getLogger(__name__)

MAX_STREAMS = 1024
MAX_BACKLOG = 1024
"""Events buffered per stream; a client this far behind has stopped reading."""

Event = ServerEvent | AgentsListChanged


@dataclass(eq=False, slots=True)
class _Stream:
    honored: types.SubscriptionFilter
    uris: frozenset[str]
    agents: bool
    send: MemoryObjectSendStream[Event]

    def admits(self, event: Event) -> bool:
        if isinstance(event, AgentsListChanged):
            return self.agents
        return event_matches(self.honored, self.uris, event)


class ListenStreams:
    """The open listen streams: the ``subscriptions/listen`` handler, and the fan-out
    that live reload publishes to."""

    def __init__(self) -> None:
        self._streams: set[_Stream] = set()

    @property
    def open(self) -> int:
        return len(self._streams)

    async def publish(self, event: Event) -> None:
        """Queue ``event`` on every stream that asked for its kind; never waits on a client."""
        for stream in list(self._streams):
            if not stream.admits(event):
                continue
            try:
                stream.send.send_nowait(event)
            except anyio.WouldBlock:
                logger.warning("a listen stream fell %d events behind; ending it", MAX_BACKLOG)
                self._streams.discard(stream)
                stream.send.close()
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                self._streams.discard(stream)
        # Lets the streams write what was queued between a burst of publishes.
        await anyio.lowlevel.checkpoint()

    async def __call__(
        self, ctx: ServerRequestContext[Any], params: types.SubscriptionsListenRequestParams
    ) -> types.SubscriptionsListenResult:
        subscription_id = ctx.request_id
        if subscription_id is None:
            raise MCPError(types.INVALID_REQUEST, "subscriptions/listen requires a request id")
        if len(self._streams) >= MAX_STREAMS:
            raise MCPError(types.INTERNAL_ERROR, "Subscription limit reached")
        asked = params.notifications
        agents = bool((asked.model_extra or {}).get(LIST_CHANGED_FILTER)) and negotiated(ctx)
        uris = list(asked.resource_subscriptions or ())
        # Requested kinds are echoed as true; what was not asked for is left out.
        honored = types.SubscriptionFilter.model_validate(
            {
                "toolsListChanged": asked.tools_list_changed or None,
                "promptsListChanged": asked.prompts_list_changed or None,
                "resourcesListChanged": asked.resources_list_changed or None,
                "resourceSubscriptions": uris or None,
                **({LIST_CHANGED_FILTER: True} if agents else {}),
            }
        )
        meta: dict[str, Any] = {SUBSCRIPTION_ID_META_KEY: subscription_id}
        send, receive = anyio.create_memory_object_stream[Event](MAX_BACKLOG)
        stream = _Stream(honored, frozenset(uris), agents, send)
        # Registered before the ack is written, so an event published meanwhile waits in
        # the buffer; the ack still goes first, as only this task writes the stream.
        self._streams.add(stream)
        try:
            ack = types.SubscriptionsAcknowledgedNotification(
                params=types.SubscriptionsAcknowledgedNotificationParams(
                    notifications=honored, _meta=meta
                )
            )
            await ctx.session.send_notification(ack, related_request_id=subscription_id)
            async with receive:
                async for event in receive:
                    await ctx.session.send_notification(
                        _notification(event, meta), related_request_id=subscription_id
                    )
        finally:
            self._streams.discard(stream)
            send.close()
        return types.SubscriptionsListenResult(_meta=meta)


def _notification(event: Event, meta: dict[str, Any]) -> types.ServerNotification:
    if not isinstance(event, AgentsListChanged):
        return event_to_notification(event, meta)
    # The session types its argument as the core notification union, but sends any
    # notification model the same way (its method and params, dumped).
    notification = types.Notification[types.NotificationParams, str](
        method=LIST_CHANGED, params=types.NotificationParams(_meta=meta)
    )
    return cast("types.ServerNotification", notification)
