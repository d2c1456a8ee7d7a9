"""The ``agent-mcp`` parser: every command and option, and the settings they become."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import agent_mcp
from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.cli.commands import INSTALL_HELP
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.settings import Settings
from agent_mcp.sources.git_spec import is_git_url
from agent_mcp.sources.local import AGENTS_ENV, SKILLS_ENV

EXAMPLES = f"""\
examples:
  agent-mcp                                  serve the bundled backend-developer over stdio
  agent-mcp --root ~/code/myproject          also serve .claude/agents and .claude/skills
  agent-mcp --root ./marketplace --no-bundled  serve a plugin marketplace only
  agent-mcp --agents ./agents --skills ./skills
  agent-mcp --root https://github.com/org/repo#v1  a git repository (cached; see sync)
  agent-mcp sync                             refresh the git roots' cached checkouts
  agent-mcp list --json                      what would be served, with every diagnostic
  agent-mcp validate ./skills/my-skill       check files before committing (exit 1 on errors)

environment:
  {AGENTS_ENV}, {SKILLS_ENV}   extra folders, separated like PATH
"""


def _add_source_options(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # Subcommands suppress their defaults so options given before the subcommand
    # (``agent-mcp --root X list``) are not reset by the subparser.
    none: object = argparse.SUPPRESS if sub else []
    flag: object = argparse.SUPPRESS if sub else False
    group = parser.add_argument_group("what to serve")
    group.add_argument(
        "--agents",
        action="append",
        type=Path,
        default=none,
        metavar="DIR",
        help="a folder of agent files (*.md); repeatable",
    )
    group.add_argument(
        "--skills",
        action="append",
        type=Path,
        default=none,
        metavar="DIR",
        help="a folder of skill folders (<name>/SKILL.md); repeatable",
    )
    group.add_argument(
        "--root",
        action="append",
        type=_root_arg,
        default=none,
        metavar="DIR|URL",
        help="a project (.claude/agents, .claude/skills) or plugin marketplace "
        "(plugins/*/agents, plugins/*/skills), or a git URL[//subdir][#ref]; repeatable",
    )
    group.add_argument(
        "--no-bundled",
        action="store_true",
        default=flag,
        help="do not serve the bundled agent and skills",
    )
    group.add_argument(
        "--no-watch",
        action="store_true",
        default=flag,
        help="do not watch the folders for changes (by default edits reach clients live)",
    )
    group.add_argument(
        "--agent",
        action="append",
        default=none,
        metavar="NAME",
        help="give this agent's decision frameworks and checklist tools of their own "
        "(others stay reachable through the generic decide/checklist tools); repeatable",
    )


def _root_arg(text: str) -> Path | str:
    # A git URL stays text: Path would fold the ``//subdir`` separator.
    return text if is_git_url(text) else Path(text)


def _add_http_options(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # Same trick as the source options: subcommand defaults must not reset top-level values.
    def default(value: object) -> object:
        return argparse.SUPPRESS if sub else value

    group = parser.add_argument_group(
        "HTTP (see docs/http.md; the bearer token comes from AGENT_MCP_TOKEN or a file, "
        "never from the command line)"
    )
    group.add_argument(
        "--http",
        action="store_true",
        default=default(False),
        help="serve Streamable HTTP instead of stdio",
    )
    group.add_argument("--host", default=default("127.0.0.1"), help="bind address (127.0.0.1)")
    group.add_argument("--port", type=int, default=default(8000), help="port (8000)")
    group.add_argument("--path", default=default(None), help="MCP endpoint path (/mcp)")
    group.add_argument(
        "--stateless",
        action="store_true",
        default=default(False),
        help="no sessions, JSON responses: for several workers or replicas",
    )
    group.add_argument(
        "--allowed-host",
        action="append",
        default=default([]),
        metavar="HOST",
        help="also accept this Host header (repeatable; '*' turns the check off)",
    )
    group.add_argument(
        "--allowed-origin",
        action="append",
        default=default([]),
        metavar="ORIGIN",
        help="also accept this Origin header (repeatable)",
    )
    group.add_argument(
        "--token-file",
        type=Path,
        default=default(None),
        metavar="FILE",
        help="require the bearer token stored in FILE",
    )
    group.add_argument(
        "--insecure",
        action="store_true",
        default=default(False),
        help="allow a non-loopback bind without authentication",
    )


def _add_sync_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    parser.add_argument(
        "--sync-every",
        type=float,
        default=argparse.SUPPRESS if sub else None,
        metavar="SECONDS",
        help="refresh git roots in the background this often (live reload serves the change)",
    )


def build_parser(*, install_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-mcp",
        description="Serve agent personas (Claude Code subagent files) and Agent Skills "
        "to any MCP host.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"agent-mcp {agent_mcp.__version__}")
    _add_source_options(parser, sub=False)
    _add_http_options(parser, sub=False)
    _add_sync_option(parser, sub=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = sub.add_parser("serve", help="serve over stdio (the default) or --http")
    _add_source_options(serve)
    _add_http_options(serve)
    _add_sync_option(serve)
    sync = sub.add_parser("sync", help="refresh the cached checkouts of git roots")
    _add_source_options(sync)
    listing = sub.add_parser("list", help="show what would be served, with diagnostics")
    _add_source_options(listing)
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    validate = sub.add_parser(
        "validate", help="check agent files and skills; exit 1 when anything is invalid"
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="agent files, skill folders or roots; default: what would be served",
    )
    _add_source_options(validate)
    validate.add_argument("--json", action="store_true", help="machine-readable output")
    if install_commands:
        from agent_mcp.cli.install import add_install_commands

        for install in add_install_commands(sub.add_parser):
            _add_source_options(install)
    else:
        # Placeholders keep --help complete without importing the host tables, which
        # the server's startup would otherwise pay for on every launch.
        for command, help_text in INSTALL_HELP.items():
            sub.add_parser(command, help=help_text)
    return parser


def settings_for(args: argparse.Namespace) -> Settings:
    """The environment with the options given on top (None: not given, keep the env's)."""

    def given(name: str) -> Any:
        value: Any = getattr(args, name, None)
        if isinstance(value, list):
            return tuple(cast(list[Any], value)) or None
        return value or None

    return Settings.from_env(
        agents=given("agents"),
        skills=given("skills"),
        roots=given("root"),
        bundled=False if getattr(args, "no_bundled", False) else None,
        watch=False if getattr(args, "no_watch", False) else None,
        focus=given("agent"),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        path=given("path"),
        stateless=given("stateless"),
        allowed_hosts=given("allowed_host"),
        allowed_origins=given("allowed_origin"),
        token_file=given("token_file"),
        insecure=given("insecure"),
    )


def catalog_for(args: argparse.Namespace, *, include_skills: bool = True) -> Catalog:
    settings, checkouts = settings_for(args).resolve()
    catalog = build_catalog(settings.sources(), include_skills=include_skills)
    fetched: list[Diagnostic] = getattr(args, "git_diagnostics", [])
    fetched = [*fetched, *(d for c in checkouts for d in c.diagnostics)]
    return replace(catalog, diagnostics=(*fetched, *catalog.diagnostics))
