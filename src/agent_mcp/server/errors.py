"""Domain errors become spec-exact JSON-RPC errors here, and nowhere else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS

from agent_mcp.catalog.catalog import InvalidReference, NotFound

P = ParamSpec("P")
R = TypeVar("R")


def invalid_params(message: str, **data: Any) -> MCPError:
    return MCPError(INVALID_PARAMS, message, data or None)


def translate_errors(handler: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Turn lookup failures into -32602 (Invalid params), as the spec requires."""

    @wraps(handler)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await handler(*args, **kwargs)
        except NotFound as exc:
            data = {"suggestions": list(exc.suggestions)} if exc.suggestions else None
            raise MCPError(INVALID_PARAMS, str(exc), data) from None
        except InvalidReference as exc:
            raise MCPError(INVALID_PARAMS, str(exc)) from None
        except OSError as exc:
            # The listing said the file exists but reading failed (deleted, permissions):
            # report it without leaking the server's filesystem layout.
            raise MCPError(
                INVALID_PARAMS, f"The resource could not be read ({exc.strerror})."
            ) from None

    return wrapper
