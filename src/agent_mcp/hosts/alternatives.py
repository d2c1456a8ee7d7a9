"""Each host's own command for adding the same entry, printed as an alternative.

The argument shapes are the ones ``claude mcp add``, ``code --add-mcp``, ``codex mcp add``
and ``gemini mcp add`` document in their ``--help``.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from agent_mcp.hosts.entries import TOKEN_ENV, Server
from agent_mcp.hosts.machine import Scope


class HostView(Protocol):
    """The part of ``table.Host`` these commands read: a protocol, so this module does not
    import the table that imports it."""

    @property
    def token(self) -> str: ...
    @property
    def secret_input(self) -> dict[str, Any] | None: ...
    def entry(self, server: Server) -> dict[str, Any]: ...


def claude_mcp_add(host: HostView, server: Server, scope: Scope) -> list[str]:
    words = ["claude", "mcp", "add", "--scope", "user" if scope == "user" else "project"]
    if server.url is None:
        return [*words, server.name, "--", str(server.command), *server.args]
    header = f"Authorization: Bearer {host.token}"
    return [*words, "--transport", "http", server.name, server.url, "--header", header]


def code_add_mcp(host: HostView, server: Server, scope: Scope) -> list[str] | None:
    if scope != "user":
        return None  # --add-mcp writes the user profile only
    spec: dict[str, Any] = {"name": server.name, **host.entry(server)}
    if server.url is not None and host.secret_input is not None:
        spec["inputs"] = [host.secret_input]
    return ["code", "--add-mcp", json.dumps(spec)]


def codex_mcp_add(host: HostView, server: Server, scope: Scope) -> list[str]:
    if server.url is None:
        return ["codex", "mcp", "add", server.name, "--", str(server.command), *server.args]
    return [
        *("codex", "mcp", "add", server.name, "--url", server.url),
        *("--bearer-token-env-var", TOKEN_ENV),
    ]


def gemini_mcp_add(host: HostView, server: Server, scope: Scope) -> list[str]:
    words = ["gemini", "mcp", "add", "--scope", "user" if scope == "user" else "project"]
    if server.url is None:
        # "--" keeps our own options (--root, ...) from being read as gemini's.
        return [*words, server.name, str(server.command), "--", *server.args]
    header = f"Authorization: Bearer {host.token}"
    return [*words, "--transport", "http", server.name, server.url, "--header", header]
