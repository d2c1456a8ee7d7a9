"""The ``agent-mcp`` command line: parse, then run the command (``serve`` by default)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from agent_mcp.cli.commands import INSTALL_HELP
from agent_mcp.cli.parser import build_parser, catalog_for
from agent_mcp.cli.serve import cmd_serve
from agent_mcp.cli.sync import cmd_sync, resolve_roots


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(install_commands=any(a in INSTALL_HELP for a in argv))
    # Options given before the subcommand are merged with those after it.
    args = parser.parse_args(argv)
    command = args.command or "serve"
    if command == "sync":
        return cmd_sync(args, out=sys.stdout)
    if command not in INSTALL_HELP:
        resolve_roots(args)
    try:
        if command == "list":
            from agent_mcp.cli.listing import cmd_list  # here: serving needs none of it

            return cmd_list(catalog_for(args), as_json=args.json, out=sys.stdout, roots=args.root)
        if command == "validate":
            from agent_mcp.cli.listing import cmd_validate

            return cmd_validate(args, out=sys.stdout)
    except BrokenPipeError:
        # `agent-mcp list | head`: the reader left; that is not an error worth a traceback.
        # Point stdout at /dev/null so the interpreter's final flush fails quietly too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if command in INSTALL_HELP:
        from agent_mcp.cli.install import run_install_command

        return run_install_command(args)
    return cmd_serve(args)
