"""The host-config commands' names and help: a leaf both the parser and the commands import."""

from __future__ import annotations

INSTALL_HELP = {
    "install": "add agent-mcp to a host's MCP config (backup first; idempotent)",
    "config": "print the config snippet for a host instead of writing it",
    "uninstall": "remove the agent-mcp entry from a host's MCP config",
}
INSTALL_COMMANDS = tuple(INSTALL_HELP)

# Serve options that a written entry cannot carry (a host starts the server over stdio),
# with their defaults, so one given before the subcommand is refused by name.
HTTP_SERVE_OPTIONS: dict[str, tuple[str, object]] = {
    "http": ("--http", False),
    "host": ("--host", "127.0.0.1"),
    "port": ("--port", 8000),
    "path": ("--path", None),
    "stateless": ("--stateless", False),
    "allowed_host": ("--allowed-host", []),
    "allowed_origin": ("--allowed-origin", []),
    "token_file": ("--token-file", None),
    "insecure": ("--insecure", False),
}
