"""The entry agent-mcp writes into a host, and how an existing entry is recognised as ours."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any, cast

DEFAULT_NAME = "agent-mcp"
TOKEN_ENV = "AGENT_MCP_TOKEN"
VSCODE_INPUT_ID = "agent-mcp-token"

VSCODE_INPUT: dict[str, Any] = {
    "type": "promptString",
    "id": VSCODE_INPUT_ID,
    "description": f"agent-mcp bearer token (the server's {TOKEN_ENV})",
    "password": True,
}


@dataclass(frozen=True)
class Server:
    """The entry we write: a local command, or the URL of a running HTTP server."""

    name: str = DEFAULT_NAME
    command: str | None = None
    args: tuple[str, ...] = ()
    url: str | None = None


_OUR_NAMES = {"agent-mcp", "agent-mcp.exe", "agent_mcp"}


def is_ours(entry: object) -> bool:
    """Whether an existing entry launches or reaches agent-mcp, so we may replace it."""
    if not isinstance(entry, dict):
        return False
    values = cast("dict[str, Any]", entry)
    args: object = values.get("args")
    words: list[object] = [
        values.get("command"),
        *(cast("list[Any]", args) if isinstance(args, list) else []),
    ]
    for word in words:
        # PureWindowsPath splits on both separators, so Windows paths match anywhere.
        if isinstance(word, str) and PureWindowsPath(word).name.lower() in _OUR_NAMES:
            return True
    if values.get("bearer_token_env_var") == TOKEN_ENV:
        return True
    # An HTTP entry carries no command; our token placeholder is what marks it as ours.
    headers: object = values.get("headers")
    if not isinstance(headers, dict):
        return False
    return any(
        TOKEN_ENV in str(v) or VSCODE_INPUT_ID in str(v)
        for v in cast("dict[str, Any]", headers).values()
    )
