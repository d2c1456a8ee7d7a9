"""The error boundary: every failure a request meets becomes a spec-exact JSON-RPC error
here, and nowhere else.

Domain errors map to their codes (lookups and bad references are -32602 Invalid params,
as the spec asks of unknown prompts, resources and tools). Anything unexpected is logged
with its request id and answered with -32603 and a short message: never JSON-RPC code 0
(what the SDK sends for an unhandled exception), never a traceback, never a server path.
"""

from __future__ import annotations

import logging
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp_types import INTERNAL_ERROR, INVALID_PARAMS
from pydantic import ValidationError

from agent_mcp.errors import AgentMcpError, InvalidCursor, InvalidReference, LoadError, NotFound

logger = logging.getLogger("agent_mcp")


def invalid_params(message: str, **data: Any) -> MCPError:
    return MCPError(INVALID_PARAMS, message, data or None)


def to_mcp_error(exc: AgentMcpError | OSError, uri: str | None = None) -> MCPError:
    """The JSON-RPC error for a domain error (or a file that failed between listing and
    reading), with a message that is safe to send. ``uri`` is the resource the request
    named: a not-found error carries it in ``data`` (SEP-2164)."""
    if isinstance(exc, NotFound):
        data: dict[str, Any] = {"uri": uri} if uri is not None else {}
        if exc.suggestions:
            data["suggestions"] = list(exc.suggestions)
        return MCPError(INVALID_PARAMS, str(exc), data or None)
    if isinstance(exc, (InvalidReference, InvalidCursor)):
        return MCPError(INVALID_PARAMS, str(exc), {"uri": uri} if uri is not None else None)
    if isinstance(exc, LoadError):
        # The file is named relative to nothing: its diagnostic code says what is wrong,
        # and `agent-mcp list` on the server says where.
        d = exc.diagnostic
        return MCPError(INVALID_PARAMS, f"The item cannot be served: {d.message} [{d.code}].")
    if isinstance(exc, OSError):
        # Listed, then gone or unreadable (deleted, permissions): say so without the
        # server's filesystem layout.
        reason = exc.strerror or type(exc).__name__
        return MCPError(INVALID_PARAMS, f"The resource could not be read ({reason}).")
    return MCPError(INTERNAL_ERROR, f"{type(exc).__name__} while handling the request.")


def error_boundary() -> ServerMiddleware[Any]:
    """Middleware around every request handler: the one catch-all."""

    async def boundary(ctx: ServerRequestContext[Any], call_next: CallNext) -> HandlerResult:
        try:
            return await call_next(ctx)
        except (MCPError, ValidationError):
            raise  # already protocol errors: the SDK sends them as they are
        except (AgentMcpError, OSError) as exc:
            uri = (ctx.params or {}).get("uri")
            raise to_mcp_error(exc, uri if isinstance(uri, str) else None) from None
        except Exception:
            logger.exception("request %r (%s) failed", ctx.request_id, ctx.method)
            raise MCPError(
                INTERNAL_ERROR,
                f"Internal error while handling {ctx.method} (request {ctx.request_id!r});"
                " the server log has the details.",
            ) from None

    return boundary
