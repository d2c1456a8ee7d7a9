"""MCP hosts: where each keeps its config, and writing an entry into it safely."""
