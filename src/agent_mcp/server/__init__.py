"""The MCP edge: the only package that imports ``mcp``.

Handlers read the current catalog from a :class:`~agent_mcp.server.state.ServerState`,
convert domain objects to wire types, and translate domain errors to JSON-RPC errors.
"""

from agent_mcp.server.app import build_server
from agent_mcp.server.state import ServerState

__all__ = ["ServerState", "build_server"]
