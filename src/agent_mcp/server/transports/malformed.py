"""Answers for lines a transport could not parse, which the stock SDK drops silently.

JSON-RPC 2.0 requires a reply: -32700 for text that is not JSON, -32600 for JSON that is
not a valid request (with the request's id when one can be read), and MCP's schema makes
non-object ``params`` an invalid-params error (-32602). Without a reply a host waits for
its timeout instead of seeing what it did wrong.

A request whose ``id`` is null, fractional, boolean, an object or an array is the subtle
case: the SDK's parser takes it for a notification (it ignores the ``id``) and nothing
answers. So the raw message is checked before the SDK sees it (:func:`bad_id_reply`): the
HTTP body, and each stdio line (:func:`screen_lines`). A message with no ``id`` at all
is a notification, whatever its method, and JSON-RPC forbids answering it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, Protocol, TypeVar, cast

from anyio.streams.memory import MemoryObjectSendStream
from mcp.shared.message import SessionMessage
from mcp_types import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    PARSE_ERROR,
    ErrorData,
    JSONRPCError,
)
from pydantic import ValidationError

T_co = TypeVar("T_co", covariant=True)
T_contra = TypeVar("T_contra", contravariant=True)


class _Source(Protocol[T_co]):
    def __aiter__(self) -> AsyncIterator[T_co]: ...


class _Sink(Protocol[T_contra]):
    async def send(self, item: T_contra, /) -> None: ...


def error_for(exc: Exception) -> JSONRPCError | None:
    """The JSON-RPC error answering a line that failed to parse, if it needs one."""
    if not isinstance(exc, ValidationError):
        return None
    errors = exc.errors(include_url=False)
    if any(e["type"] == "json_invalid" for e in errors):
        return _error(None, PARSE_ERROR, "Parse error: the message is not valid JSON.")
    message: dict[str, Any] | None = None
    for error in errors:
        candidate = error.get("input")
        if isinstance(candidate, dict):
            message = candidate  # pyright: ignore[reportUnknownVariableType]
            break
    if message is None:
        return _error(None, INVALID_REQUEST, "Invalid request: expected a JSON-RPC object.")
    request_id = message.get("id")
    if isinstance(request_id, bool) or not isinstance(request_id, (str, int)):
        request_id = None
    if "method" not in message and "error" not in message and "result" not in message:
        return _error(request_id, INVALID_REQUEST, "Invalid request: 'method' is missing.")
    if "method" not in message:
        return None  # a malformed response to a request we never sent: nothing to answer
    if request_id is None and "id" not in message:
        return None  # a notification: JSON-RPC forbids replying, even with an error
    if "params" in message and not isinstance(message["params"], dict):
        return _error(request_id, INVALID_PARAMS, "Invalid params: 'params' must be an object.")
    return _error(request_id, INVALID_REQUEST, "Invalid request: the message is not JSON-RPC 2.0.")


_BAD_ID = "Invalid request: 'id' must be a string or an integer."


def _valid_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def bad_id_reply(message: object) -> JSONRPCError | None:
    """The -32600 reply for a parsed JSON request whose ``id`` JSON-RPC 2.0 allows but
    MCP does not (or JSON-RPC does not either), which would otherwise go unanswered."""
    if not isinstance(message, dict):
        return None
    fields = cast(dict[str, object], message)
    if "method" not in fields or "id" not in fields:
        return None
    request_id = fields["id"]
    return None if _valid_id(request_id) else _error(None, INVALID_REQUEST, _BAD_ID)


async def screen_lines(
    lines: _Source[str], rejects: MemoryObjectSendStream[SessionMessage]
) -> AsyncIterator[str]:
    """``lines`` without the requests whose ``id`` is unusable; those are answered into
    ``rejects`` instead (see the module doc)."""
    async with rejects:
        async for line in lines:
            # Only a line naming an id can have a bad one; the others skip the extra parse.
            if '"id"' in line:
                try:
                    reply = bad_id_reply(json.loads(line))
                except ValueError:
                    reply = None  # not JSON: the SDK's parser answers it with -32700
                if reply is not None:
                    await rejects.send(SessionMessage(message=reply))
                    continue
            yield line


async def forward(source: _Source[SessionMessage], replies: _Sink[SessionMessage]) -> None:
    """Send what ``source`` yields (the screen's replies) to the transport."""
    async for reply in source:
        await replies.send(reply)


def _error(request_id: str | int | None, code: int, message: str) -> JSONRPCError:
    return JSONRPCError(jsonrpc="2.0", id=request_id, error=ErrorData(code=code, message=message))


async def answer_malformed(
    source: _Source[SessionMessage | Exception],
    sink: MemoryObjectSendStream[SessionMessage | Exception],
    replies: _Sink[SessionMessage],
) -> None:
    """Forward parsed messages to the server; answer the unparseable ones directly."""
    async with sink:
        async for item in source:
            if isinstance(item, Exception):
                reply = error_for(item)
                if reply is not None:
                    await replies.send(SessionMessage(message=reply))
                continue
            await sink.send(item)
