"""The ``agent-mcp`` command line."""

from agent_mcp.cli.main import main

__all__ = ["main"]
