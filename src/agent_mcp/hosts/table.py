"""Every host this package can configure, as data: one :class:`Host` record each.

Host formats (checked against each host's documentation and, for Codex and Gemini CLI,
against what their own ``mcp add`` commands write; see docs/hosts.md):

- Claude Desktop, Cursor, Windsurf, Claude Code and Gemini CLI use ``mcpServers``; VS Code
  uses ``servers`` plus an ``inputs`` list for prompted secrets; Codex uses TOML tables
  ``[mcp_servers.NAME]``.
- Claude Desktop only launches local (stdio) servers from its file; remote servers are
  added in its Connectors settings instead, so it has no HTTP entry here.
- Windsurf names the remote address ``serverUrl``; the others use ``url``. Codex reads the
  bearer token from the variable named by ``bearer_token_env_var`` instead of a header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from agent_mcp.hosts.alternatives import claude_mcp_add, code_add_mcp, codex_mcp_add, gemini_mcp_add
from agent_mcp.hosts.entries import (
    DEFAULT_NAME,
    TOKEN_ENV,
    VSCODE_INPUT,
    VSCODE_INPUT_ID,
    Server,
    is_ours,
)
from agent_mcp.hosts.errors import HostError
from agent_mcp.hosts.machine import Machine, OSName, Scope

__all__ = [
    "DEFAULT_NAME",
    "HOSTS",
    "TOKEN_ENV",
    "Host",
    "HostError",
    "Machine",
    "OSName",
    "Scope",
    "Server",
    "get_host",
    "is_ours",
]

Transport = Literal["stdio", "http"]
Alternative = Callable[["Host", Server, Scope], "list[str] | None"]


@dataclass(frozen=True)
class Host:
    name: str
    title: str
    user_path: Callable[[Machine], Path]
    workspace_path: Callable[[Machine], Path] | None = None
    format: Literal["json", "toml"] = "json"
    servers_key: str = "mcpServers"
    typed: frozenset[Transport] = frozenset()
    """Transports whose entries carry ``"type": "stdio"`` / ``"http"``."""
    url_key: str | None = "url"
    """Where the address of a remote server goes; None: the file takes no remote servers."""
    token: str = "${" + TOKEN_ENV + "}"
    """The host's placeholder for the bearer token, so no secret is written to disk."""
    token_env_key: str | None = None
    """Set: the entry names the token's variable under this key instead of sending a header."""
    secret_input: dict[str, Any] | None = None
    """A prompt for the token that the file declares beside the servers (VS Code's inputs)."""
    alternative: Alternative | None = None
    """The host's own command that adds the same entry."""
    approval: str = ""
    """Said after a workspace install: what the host asks before it starts the server."""
    workspace_folder: str = "."
    """How a path inside the workspace is written in a workspace entry."""
    hint: str = ""
    """Added to a parse error: why the file may not parse although the host reads it."""

    def path(self, machine: Machine, scope: Scope) -> Path:
        if scope == "user":
            return self.user_path(machine)
        if self.workspace_path is None:
            raise HostError(f"{self.title} has no workspace config; use --scope user")
        return self.workspace_path(machine)

    def entry(self, server: Server) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if server.url is None:
            if "stdio" in self.typed:
                entry["type"] = "stdio"
            entry["command"] = server.command
            entry["args"] = list(server.args)
            return entry
        if self.url_key is None:
            raise HostError(
                f"{self.title} does not connect to remote servers listed in its config file "
                "(add them under Settings > Connectors); install without --http to run "
                "agent-mcp locally over stdio"
            )
        if "http" in self.typed:
            entry["type"] = "http"
        entry[self.url_key] = server.url
        if self.token_env_key is not None:
            entry[self.token_env_key] = TOKEN_ENV
        else:
            entry["headers"] = {"Authorization": f"Bearer {self.token}"}
        return entry

    def cli(self, server: Server, scope: Scope) -> list[str] | None:
        """The host's own command for the same entry, where it has one."""
        return self.alternative(self, server, scope) if self.alternative else None

    def snippet(self, server: Server) -> dict[str, Any]:
        """The smallest config holding our entry: what ``agent-mcp config`` prints."""
        snippet: dict[str, Any] = {self.servers_key: {server.name: self.entry(server)}}
        if self.secret_input is not None and server.url is not None:
            snippet["inputs"] = [self.secret_input]
        return snippet


HOSTS: dict[str, Host] = {
    host.name: host
    for host in (
        Host(
            "claude-desktop",
            "Claude Desktop",
            lambda m: m.app_config("Claude") / "claude_desktop_config.json",
            url_key=None,
            token="",
        ),
        Host(
            "claude-code",
            "Claude Code",
            lambda m: m.home / ".claude.json",
            lambda m: m.cwd / ".mcp.json",
            typed=frozenset(("stdio", "http")),
            alternative=claude_mcp_add,
            approval="Claude Code asks each user to approve a project's .mcp.json servers "
            "the first time it starts in the project (claude mcp reset-project-choices undoes "
            "an answer)",
        ),
        Host(
            "cursor",
            "Cursor",
            lambda m: m.home / ".cursor" / "mcp.json",
            lambda m: m.cwd / ".cursor" / "mcp.json",
            token="${env:" + TOKEN_ENV + "}",
            approval="Cursor lists a project's servers under Settings > MCP and may ask you "
            "to enable them first",
            workspace_folder="${workspaceFolder}",
        ),
        Host(
            "vscode",
            "VS Code",
            lambda m: m.app_config("Code") / "User" / "mcp.json",
            lambda m: m.cwd / ".vscode" / "mcp.json",
            servers_key="servers",
            typed=frozenset(("stdio", "http")),
            token="${input:" + VSCODE_INPUT_ID + "}",
            secret_input=VSCODE_INPUT,
            alternative=code_add_mcp,
            approval="VS Code starts a workspace's servers only in a trusted workspace and "
            "asks you to trust each server the first time it starts",
            workspace_folder="${workspaceFolder}",
            hint="; VS Code accepts comments and trailing commas here, but agent-mcp only "
            "rewrites plain JSON so nothing is lost: remove them, or use 'code --add-mcp'",
        ),
        Host(
            "windsurf",
            "Windsurf",
            lambda m: m.home / ".codeium" / "windsurf" / "mcp_config.json",
            url_key="serverUrl",
            token="${env:" + TOKEN_ENV + "}",
        ),
        Host(
            "codex",
            "Codex",
            lambda m: Path(m.environ.get("CODEX_HOME") or m.home / ".codex") / "config.toml",
            format="toml",
            servers_key="mcp_servers",
            token_env_key="bearer_token_env_var",
            alternative=codex_mcp_add,
        ),
        Host(
            "gemini",
            "Gemini CLI",
            lambda m: m.home / ".gemini" / "settings.json",
            lambda m: m.cwd / ".gemini" / "settings.json",
            typed=frozenset(("http",)),
            alternative=gemini_mcp_add,
            approval="Gemini CLI reads a project's .gemini/settings.json only in a folder you "
            "trust (with folder trust on, it asks when you first start it there)",
        ),
    )
}


def get_host(name: str) -> Host:
    try:
        return HOSTS[name]
    except KeyError:
        raise HostError(f"unknown host {name!r}; choose one of {', '.join(HOSTS)}") from None
