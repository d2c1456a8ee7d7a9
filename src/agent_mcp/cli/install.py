"""``agent-mcp install | config | uninstall HOST``: put agent-mcp into an MCP host's config."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from agent_mcp.hosts.table import (
    DEFAULT_NAME,
    HOSTS,
    TOKEN_ENV,
    Host,
    HostError,
    Machine,
    OSName,
    Plan,
    Scope,
    Server,
    apply,
    get_host,
    plan_install,
    plan_uninstall,
)

INSTALL_COMMANDS = ("install", "config", "uninstall")

EXAMPLES = """\
examples:
  agent-mcp install claude-code                 add to ~/.claude.json (all projects)
  agent-mcp install vscode --scope workspace    add to ./.vscode/mcp.json
  agent-mcp install cursor --root ~/code/app    serve that project's .claude/ agents and skills
  agent-mcp install windsurf --http http://127.0.0.1:8000/mcp
  agent-mcp config claude-desktop               print the snippet instead of writing it
  agent-mcp uninstall cursor                    remove only the agent-mcp entry
"""


def add_install_commands(
    add_parser: Callable[..., argparse.ArgumentParser],
) -> list[argparse.ArgumentParser]:
    """Add the subcommands; returns the ones that also take the 'what to serve' options."""
    hosts = ", ".join(HOSTS)
    made: list[argparse.ArgumentParser] = []
    from agent_mcp.cli.main import INSTALL_HELP

    for command, help_text in INSTALL_HELP.items():
        parser = add_parser(
            command,
            help=help_text,
            description=help_text,
            epilog=EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        # Own dest names: the top-level parser has --host and --http flags for serving.
        parser.add_argument("target", choices=list(HOSTS), metavar="HOST", help=hosts)
        parser.add_argument(
            "--scope",
            choices=("user", "workspace", "project"),
            default="user",
            help="user: every project (default); workspace (alias project): the config "
            "file in the current folder, for hosts that have one",
        )
        parser.add_argument(
            "--name",
            default=DEFAULT_NAME,
            help=f"the server's name in the host (default {DEFAULT_NAME})",
        )
        if command != "config":
            parser.add_argument(
                "--dry-run", action="store_true", help="show the result, write nothing"
            )
            parser.add_argument(
                "--force",
                action="store_true",
                help="replace or remove an entry of that name even if it is not agent-mcp's",
            )
        if command != "uninstall":
            parser.add_argument(
                "--http",
                dest="http_url",
                metavar="URL",
                help="point the host at a running HTTP server instead of starting one over "
                f"stdio; the bearer token is a placeholder for ${TOKEN_ENV}, never the secret",
            )
            made.append(parser)
    return made


@dataclass(frozen=True)
class Launcher:
    command: str
    args: tuple[str, ...]
    why: str


def find_launcher(
    executable: str | None = None,
    os_name: OSName | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> Launcher:
    """The command a host should run, by absolute path so it works from any folder.

    Hosts start servers without the user's shell PATH (Claude Desktop on macOS is the
    classic case), so bare ``agent-mcp`` or ``uvx`` names may not resolve there. The
    console script installed next to the running Python is the same install that is
    running now: a pip, pipx or ``uv tool`` install, or a source checkout's ``.venv``.
    """
    python = Path(executable or sys.executable)  # not resolved: a venv's python is a symlink
    windows = (os_name or Machine.current().os) == "windows"
    script = python.parent / ("agent-mcp.exe" if windows else "agent-mcp")
    if script.is_file():
        if any(part.startswith(("archive-v", "builds-v")) for part in script.parts):
            uvx = which("uvx")
            if uvx:
                return Launcher(
                    uvx,
                    ("agent-mcp",),
                    "this copy runs from uv's cache, which uv may clean; uvx fetches it again",
                )
        return Launcher(str(script), (), "the agent-mcp script installed with this Python")
    return Launcher(str(python), ("-m", "agent_mcp"), "this Python, as 'python -m agent_mcp'")


def server_for(args: argparse.Namespace, machine: Machine, launcher: Launcher) -> Server:
    sources: list[tuple[str, Path]] = [
        *[("--agents", p) for p in args.agents],
        *[("--skills", p) for p in args.skills],
        *[("--root", p) for p in args.root],
    ]
    if args.http_url:
        if sources or args.no_bundled:
            raise HostError(
                "--agents, --skills, --root and --no-bundled choose what a stdio server serves; "
                "with --http, give them to the HTTP server when you start it"
            )
        if not args.http_url.startswith(("http://", "https://")):
            raise HostError(f"--http needs an http:// or https:// URL, not {args.http_url!r}")
        return Server(args.name, url=args.http_url)
    served: list[str] = []
    for option, path in sources:
        # The host starts the server from its own folder, so relative paths must go.
        absolute = (machine.cwd / path.expanduser()).resolve()
        if not absolute.is_dir():
            raise HostError(f"{option} {path}: no such folder")
        served += [option, str(absolute)]
    if args.no_bundled:
        served.append("--no-bundled")
    return Server(args.name, launcher.command, (*launcher.args, *served))


def run_install_command(
    args: argparse.Namespace,
    *,
    machine: Machine | None = None,
    launcher: Launcher | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Run ``install``, ``config`` or ``uninstall`` (``machine``, ``launcher``: this one)."""
    machine = machine or Machine.current()
    host = get_host(args.target)
    scope: Scope = "user" if args.scope == "user" else "workspace"
    try:
        if args.command == "uninstall":
            _finish(plan_uninstall(host, machine, scope, args.name, force=args.force), args, out)
            return 0
        server = server_for(args, machine, launcher or find_launcher(os_name=machine.os))
        if args.command == "config":
            json.dump(host.snippet(server), out, indent=2)
            out.write("\n")
            path = host.path(machine, scope)
            err.write(f"Merge this into {path} (under {host.servers_key!r}).\n")
            _guide(host, server, scope, err)
            return 0
        plan = plan_install(host, machine, scope, server, force=args.force)
        _finish(plan, args, out)
        if plan.action != "unchanged":
            _guide(host, server, scope, out)
        return 0
    except (HostError, OSError) as error:
        err.write(f"agent-mcp: error: {error}\n")
        return 1


_DONE = {"add": "added", "update": "updated", "remove": "removed"}


def _finish(plan: Plan, args: argparse.Namespace, out: TextIO) -> None:
    title, name, path = plan.host.title, plan.name, plan.path
    if plan.action == "unchanged":
        out.write(f"{title}: {name!r} is already up to date in {path}; nothing written\n")
    elif plan.action == "absent":
        out.write(f"{title}: no {name!r} entry in {path}; nothing written\n")
    elif args.dry_run:
        out.write(
            f"{title}: would {plan.action} {name!r} in {path} (dry run, nothing written); "
            f"the file would read:\n{plan.text()}"
        )
    else:
        backup = apply(plan)
        out.write(f"{title}: {_DONE[plan.action]} {name!r} in {path}\n")
        if backup:
            out.write(f"  previous version saved as {backup}\n")


def _guide(host: Host, server: Server, scope: Scope, out: TextIO) -> None:
    if server.url is None:
        out.write(f"  runs: {' '.join([str(server.command), *server.args])}\n")
    elif host.name == "vscode":
        out.write("  VS Code asks for the bearer token once and keeps it as a secret\n")
    else:
        out.write(f"  set {TOKEN_ENV} in the environment {host.title} is started from\n")
    out.write(f"  restart {host.title} (or reload its MCP servers) to pick it up\n")
    alternative = host.cli(server, scope)
    if alternative:
        out.write(f"  or with {host.title}'s own CLI:\n    {alternative}\n")
