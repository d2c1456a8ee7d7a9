"""``agent-mcp serve`` (the default command): stdio, or Streamable HTTP with ``--http``."""

from __future__ import annotations

import argparse
import logging
import sys

import agent_mcp
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.cli.parser import catalog_for, settings_for
from agent_mcp.cli.sync import start_sync
from agent_mcp.settings import SettingsError


def cmd_serve(args: argparse.Namespace) -> int:
    # stdout carries the protocol; every log line goes to stderr.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if args.http:
        return cmd_serve_http(args)
    from agent_mcp.server.state import ServerOptions
    from agent_mcp.server.transports.stdio import serve_stdio

    # A host waits for the first answers, so only the agents load before serving; the
    # skills load in the background. A person at a terminal gets the full banner instead.
    start_sync(args)
    interactive = sys.stderr.isatty()
    catalog = catalog_for(args, include_skills=interactive)
    for diagnostic in catalog.diagnostics:
        if diagnostic.severity == "error":
            print(f"agent-mcp: {diagnostic}", file=sys.stderr)
    if interactive:
        print(banner(catalog), file=sys.stderr)
    serve_stdio(catalog, ServerOptions.from_settings(settings_for(args)))
    return 0


def cmd_serve_http(args: argparse.Namespace) -> int:
    from agent_mcp.server.transports.http_serve import serve_http
    from agent_mcp.server.transports.http_settings import HttpConfigError

    for diagnostic in getattr(args, "git_diagnostics", []):
        print(f"agent-mcp: {diagnostic}", file=sys.stderr)
    start_sync(args)
    try:
        serve_http(settings_for(args))
    except (HttpConfigError, SettingsError) as exc:
        print(f"agent-mcp: {exc}", file=sys.stderr)
        return 2
    return 0


def banner(catalog: Catalog) -> str:
    problems = sum(d.severity == "error" for d in catalog.diagnostics)
    note = f" ({problems} files skipped: run 'agent-mcp list')" if problems else ""
    return (
        f"agent-mcp {agent_mcp.__version__}: serving {len(catalog.agents)} agents and "
        f"{len(catalog.skills)} skills over stdio{note}.\n"
        "This is an MCP server: connect a host to it (see the README's per-host config), "
        "or try it with\n"
        "  npx @modelcontextprotocol/inspector agent-mcp\n"
        "Press Ctrl+C to stop."
    )
