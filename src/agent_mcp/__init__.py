"""agent-mcp: serve agent personas and Agent Skills to any MCP host."""

# A literal rather than importlib.metadata: reading package metadata costs ~100 ms at
# startup, which is a fifth of a cold start. Hatch reads the version from here.
__version__ = "0.1.0"
