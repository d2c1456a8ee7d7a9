"""The domain's exceptions: one base, mapped to protocol errors once, at the server edge.

Domain code raises these and nothing MCP-specific; ``agent_mcp.server.errors`` turns
each into its JSON-RPC error, and the CLI into a one-line message.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent_mcp.diagnostics import Diagnostic


class AgentMcpError(Exception):
    """Base of every error the domain raises on purpose."""


class LoadError(AgentMcpError):
    """A file that cannot be served; the catalog turns it into a skipped item plus its
    diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class NotFound(AgentMcpError, LookupError):
    """A name, URI or path that the catalog does not hold.

    ``suggestions`` are the closest valid names, for error messages.
    """

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(message + hint)
        self.suggestions = tuple(suggestions)


class InvalidReference(AgentMcpError, ValueError):
    """A URI or path that is malformed or tries to leave its root."""


class InvalidCursor(AgentMcpError, ValueError):
    """A pagination cursor this server did not issue (or issued for another list)."""


class ConfigError(AgentMcpError, ValueError):
    """Settings that cannot work together (a bind without auth, a missing token file)."""
