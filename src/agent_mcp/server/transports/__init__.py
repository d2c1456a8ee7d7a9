"""Transports: stdio and Streamable HTTP around the same server."""
