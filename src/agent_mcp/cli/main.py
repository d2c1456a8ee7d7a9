"""The ``agent-mcp`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO, cast

import agent_mcp
from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.cli.commands import INSTALL_HELP
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.settings import Settings, SettingsError
from agent_mcp.sources import git
from agent_mcp.sources.local import AGENTS_ENV, SKILLS_ENV, sources_for_path
from agent_mcp.sources.marketplace import MANIFEST, Marketplace, marketplace_sources

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
    return text if git.is_git_url(text) else Path(text)


def _resolve_roots(args: argparse.Namespace, *, refresh: bool = False) -> list[git.Checkout]:
    """Replace git URLs in ``args.root`` by their cached checkouts (cloning if needed)."""
    checkouts: list[git.Checkout] = []
    roots: list[Path] = []
    for root in args.root:
        if isinstance(root, Path):
            roots.append(root)
            continue
        checkout = git.materialize(git.parse(root), refresh=refresh)
        checkouts.append(checkout)
        if checkout.path is not None:
            roots.append(checkout.path)
    args.root = roots
    args.git_specs = [c.spec for c in checkouts]
    args.git_diagnostics = [d for c in checkouts for d in c.diagnostics]
    return checkouts


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


def _settings(args: argparse.Namespace) -> Settings:
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


def _catalog(args: argparse.Namespace, *, include_skills: bool = True) -> Catalog:
    catalog = build_catalog(_settings(args).sources(), include_skills=include_skills)
    fetched: list[Diagnostic] = getattr(args, "git_diagnostics", [])
    return replace(catalog, diagnostics=(*fetched, *catalog.diagnostics))


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(install_commands=any(a in INSTALL_HELP for a in argv))
    # Options given before the subcommand are merged with those after it.
    args = parser.parse_args(argv)
    command = args.command or "serve"
    if command == "sync":
        return cmd_sync(args, out=sys.stdout)
    if command not in INSTALL_HELP:
        _resolve_roots(args)
    try:
        if command == "list":
            return cmd_list(_catalog(args), as_json=args.json, out=sys.stdout, roots=args.root)
        if command == "validate":
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


def cmd_sync(args: argparse.Namespace, *, out: TextIO) -> int:
    """Refresh every git root; exit 1 when one could not be fetched."""
    checkouts = _resolve_roots(args, refresh=True)
    if not checkouts:
        out.write("no git roots to sync (give --root URL)\n")
    failed = 0
    for checkout in checkouts:
        shown = checkout.spec.shown
        for diagnostic in checkout.diagnostics:
            out.write(f"{shown}: {diagnostic.severity}: {diagnostic.message}\n")
        if checkout.diagnostics:
            failed += 1
        elif checkout.old == checkout.new:
            out.write(f"{shown}: up to date at {_short(checkout.new)}\n")
        else:
            out.write(f"{shown}: {_short(checkout.old)} -> {_short(checkout.new)}\n")
    return 1 if failed else 0


def _short(commit: str | None) -> str:
    return commit[:12] if commit else "(none)"


def _marketplaces(roots: Sequence[Path]) -> Marketplace:
    """What the roots' marketplace manifests say beyond their sources."""
    report = Marketplace()
    for root in roots:
        if (root / MANIFEST).is_file():
            found = marketplace_sources(Path(os.path.abspath(root)))
            report.diagnostics += found.diagnostics
            report.not_served += found.not_served
    return report


def cmd_list(catalog: Catalog, *, as_json: bool, out: TextIO, roots: Sequence[Path] = ()) -> int:
    market = _marketplaces(roots)
    diagnostics = [*market.diagnostics, *catalog.diagnostics]
    if as_json:
        payload = {
            "agents": [
                {
                    "name": a.name,
                    "description": a.description,
                    "path": str(a.path),
                    "skills": list(a.skills),
                    "missingSkills": catalog.agent_skills(a)[1],
                }
                for a in catalog.agents.values()
            ],
            "skills": [
                {
                    "name": s.name,
                    "path": s.skill_path,
                    "uri": s.uri(),
                    "description": s.description,
                    "directory": str(s.directory),
                }
                for s in catalog.skills.values()
            ],
            "commands": [
                {
                    "name": c.name,
                    "description": c.description,
                    "path": str(c.path),
                    "argumentHint": c.argument_hint,
                }
                for c in catalog.commands.values()
            ],
            "notServed": [
                {"plugin": n.plugin, "part": n.part, "path": str(n.path), "why": n.why}
                for n in market.not_served
            ],
            "diagnostics": [d.to_json() for d in diagnostics],
        }
        json.dump(payload, out, indent=2)
        out.write("\n")
        return 0
    out.write(f"Agents ({len(catalog.agents)}):\n")
    for agent in catalog.agents.values():
        found, missing = catalog.agent_skills(agent)
        skills = ", ".join([s.skill_path for s in found] + [f"{m} (missing)" for m in missing])
        out.write(f"  {agent.name}  [{agent.path}]\n")
        if skills:
            out.write(f"    skills: {skills}\n")
    out.write(f"Skills ({len(catalog.skills)}):\n")
    for skill in catalog.skills.values():
        out.write(f"  {skill.skill_path}  {skill.uri()}\n")
    out.write(f"Commands ({len(catalog.commands)}):\n")
    for command in catalog.commands.values():
        hint = f" {command.argument_hint}" if command.argument_hint else ""
        out.write(f"  /{command.name}{hint}  [{command.path}]\n")
    if market.not_served:
        out.write(f"Not served ({len(market.not_served)}):\n")
        for item in market.not_served:
            out.write(f"  {item.plugin}: {item.part} [{item.path}]: {item.why}\n")
    _write_diagnostics(diagnostics, out)
    return 0


def cmd_validate(args: argparse.Namespace, *, out: TextIO) -> int:
    if args.paths:
        missing = [p for p in args.paths if not p.exists()]
        sources = [s for p in args.paths if p.exists() for s in sources_for_path(p)]
        catalog = build_catalog(sources)
        diagnostics = [
            Diagnostic("missing-path", "error", p, "the path does not exist", "check the path")
            for p in missing
        ]
    else:
        catalog = _catalog(args)
        diagnostics = list(_marketplaces(args.root).diagnostics)
    # Imported here: the deep checks parse decision trees, which serving does lazily.
    from agent_mcp.features.checks import deep_check

    diagnostics += [*catalog.diagnostics, *deep_check(catalog)]
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if args.json:
        json.dump(
            {
                "valid": errors == 0,
                "agents": len(catalog.agents),
                "skills": len(catalog.skills),
                "commands": len(catalog.commands),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": [d.to_json() for d in diagnostics],
            },
            out,
            indent=2,
        )
        out.write("\n")
    else:
        _write_diagnostics(diagnostics, out)
        verdict = "invalid" if errors else "valid"
        out.write(
            f"{verdict}: {len(catalog.agents)} agents, {len(catalog.skills)} skills, "
            f"{len(catalog.commands)} commands, "
            f"{errors} errors, {warnings} warnings\n"
        )
    return 1 if errors else 0


def _write_diagnostics(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    if diagnostics:
        out.write(f"Diagnostics ({len(diagnostics)}):\n")
        for diagnostic in diagnostics:
            out.write(f"  {diagnostic}\n")


def cmd_serve(args: argparse.Namespace) -> int:
    # stdout carries the protocol; every log line goes to stderr.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if args.http:
        return cmd_serve_http(args)
    from agent_mcp.server.state import ServerOptions
    from agent_mcp.server.transports.stdio import serve_stdio

    # A host waits for the first answers, so only the agents load before serving; the
    # skills load in the background. A person at a terminal gets the full banner instead.
    _start_sync(args)
    interactive = sys.stderr.isatty()
    catalog = _catalog(args, include_skills=interactive)
    for diagnostic in catalog.diagnostics:
        if diagnostic.severity == "error":
            print(f"agent-mcp: {diagnostic}", file=sys.stderr)
    if interactive:
        print(banner(catalog), file=sys.stderr)
    serve_stdio(catalog, ServerOptions.from_settings(_settings(args)))
    return 0


def cmd_serve_http(args: argparse.Namespace) -> int:
    from agent_mcp.server.transports.http_serve import serve_http
    from agent_mcp.server.transports.http_settings import HttpConfigError

    for diagnostic in getattr(args, "git_diagnostics", []):
        print(f"agent-mcp: {diagnostic}", file=sys.stderr)
    _start_sync(args)
    try:
        serve_http(_settings(args))
    except (HttpConfigError, SettingsError) as exc:
        print(f"agent-mcp: {exc}", file=sys.stderr)
        return 2
    return 0


def _start_sync(args: argparse.Namespace) -> None:
    """Refresh git roots on a timer; the checkout changes in place, so the watcher's live
    reload carries the new commit to clients (with --no-watch it waits for a restart)."""
    every: float | None = getattr(args, "sync_every", None)
    specs: list[git.GitSpec] = getattr(args, "git_specs", [])
    if not every or not specs:
        return
    import threading

    def loop(stop: threading.Event) -> None:
        while not stop.wait(every):
            for spec in specs:
                for diagnostic in git.materialize(spec, refresh=True).diagnostics:
                    logging.getLogger("agent_mcp.git").warning("%s", diagnostic)

    threading.Thread(target=loop, args=(threading.Event(),), daemon=True).start()


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
