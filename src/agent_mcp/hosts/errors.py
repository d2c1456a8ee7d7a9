"""The one error host-config code raises on purpose."""

from __future__ import annotations

from agent_mcp.errors import AgentMcpError


class HostError(AgentMcpError):
    """A problem the user can fix; the message says what and where."""
