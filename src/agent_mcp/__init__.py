"""agent-mcp: serve agent personas and Agent Skills to any MCP host."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("agent-mcp")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0"
