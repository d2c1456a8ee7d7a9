"""``agent-mcp install | config | uninstall HOST``: put agent-mcp into an MCP host's config."""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from agent_mcp.cli.commands import HTTP_SERVE_OPTIONS, INSTALL_HELP
from agent_mcp.hosts.machine import Machine, OSName, Scope
from agent_mcp.hosts.plan import Plan, plan_install, plan_uninstall, settle
from agent_mcp.hosts.table import DEFAULT_NAME, HOSTS, TOKEN_ENV, Host, HostError, Server, get_host

EXAMPLES = """\
examples:
  agent-mcp install claude-code                 add to ~/.claude.json (all projects)
  agent-mcp install vscode --scope workspace    add to ./.vscode/mcp.json
  agent-mcp install cursor --root ~/code/app    serve that project's .claude/ agents and skills
  agent-mcp install codex --agent backend-developer --no-watch
  agent-mcp install windsurf --http http://127.0.0.1:8000/mcp
  agent-mcp config claude-desktop               print the snippet instead of writing it
  agent-mcp uninstall cursor                    remove only the agent-mcp entry
"""

WORKSPACE_COMMAND = "agent-mcp"
"""A workspace entry is shared with everyone who opens the project: the command on PATH."""


def add_install_commands(
    add_parser: Callable[..., argparse.ArgumentParser],
) -> list[argparse.ArgumentParser]:
    """Add the subcommands; returns them, to take the 'what to serve' options too."""
    hosts = ", ".join(HOSTS)
    made: list[argparse.ArgumentParser] = []
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
            help="user: every project (default); workspace (alias project): the project's "
            "own config file, for hosts that have one",
        )
        parser.add_argument(
            "--workspace",
            type=Path,
            metavar="DIR",
            help="the project for --scope workspace and the base of relative paths "
            "(default: the folder your shell is in, $PWD, also under 'uv run --directory')",
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


def _refuse_http_serve_options(args: argparse.Namespace) -> None:
    for dest, (flag, default) in HTTP_SERVE_OPTIONS.items():
        if getattr(args, dest, default) != default:
            raise HostError(
                f"{flag} is an option for serving over HTTP, which a host's config does not "
                f"start; run 'agent-mcp serve --http {flag} ...' yourself and install with "
                "--http URL"
            )


def server_for(
    args: argparse.Namespace, machine: Machine, launcher: Launcher, host: Host, scope: Scope
) -> Server:
    """The entry for these options: every serve option given is written, or refused."""
    _refuse_http_serve_options(args)
    sources: list[tuple[str, Path]] = [
        *[("--agents", p) for p in args.agents],
        *[("--skills", p) for p in args.skills],
        *[("--root", p) for p in args.root],
    ]
    flags = [("--no-bundled", args.no_bundled), ("--no-watch", args.no_watch)]
    if args.http_url:
        given = (
            [o for o, _ in sources]
            + [f for f, on in flags if on]
            + (["--agent"] * bool(args.agent))
        )
        if given:
            raise HostError(
                f"{given[0]} chooses what a stdio server serves; with --http, give it to the "
                "HTTP server when you start it"
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
        served += [
            option,
            _portable(absolute, machine, host) if scope == "workspace" else str(absolute),
        ]
    served += [flag for flag, on in flags if on]
    for name in args.agent:
        served += ["--agent", name]
    if scope == "workspace":
        return Server(args.name, WORKSPACE_COMMAND, tuple(served))
    return Server(args.name, launcher.command, (*launcher.args, *served))


def _portable(folder: Path, machine: Machine, host: Host) -> str:
    """A folder inside the project, written so it works in anyone's clone of it."""
    try:
        inside = folder.relative_to(machine.cwd.resolve())
    except ValueError:
        return str(folder)  # outside the project: only this machine has it
    base = host.workspace_folder
    return base if inside == Path() else f"{base}/{inside.as_posix()}"


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
    if args.workspace is not None:
        folder = (machine.cwd / args.workspace.expanduser()).resolve()
        machine = Machine(machine.os, machine.home, machine.environ, folder)
    host = get_host(args.target)
    scope: Scope = "user" if args.scope == "user" else "workspace"
    try:
        if scope == "workspace" and not machine.cwd.is_dir():
            raise HostError(f"--workspace {machine.cwd}: no such folder")
        if args.command == "uninstall":
            plan = plan_uninstall(host, machine, scope, args.name, force=args.force)
            _finish(
                plan,
                args,
                out,
                lambda: plan_uninstall(host, machine, scope, args.name, force=args.force),
            )
            return 0
        server = server_for(
            args, machine, launcher or find_launcher(os_name=machine.os), host, scope
        )
        if args.command == "config":
            snippet = host.snippet(server)
            out.write(_snippet_text(host, snippet))
            path = host.path(machine, scope)
            err.write(f"Merge this into {path} (under {host.servers_key!r}).\n")
            _guide(host, server, scope, err)
            return 0
        plan = plan_install(host, machine, scope, server, force=args.force)
        _finish(
            plan, args, out, lambda: plan_install(host, machine, scope, server, force=args.force)
        )
        if plan.action != "unchanged":
            _guide(host, server, scope, out)
        return 0
    except (HostError, OSError) as error:
        err.write(f"agent-mcp: error: {error}\n")
        return 1


def _snippet_text(host: Host, snippet: dict[str, object]) -> str:
    if host.format == "toml":
        import tomlkit

        return tomlkit.dumps(snippet)
    return json.dumps(snippet, indent=2) + "\n"


_DONE = {"add": "added", "update": "updated", "remove": "removed"}


def _finish(plan: Plan, args: argparse.Namespace, out: TextIO, again: Callable[[], Plan]) -> None:
    title, name, path = plan.host.title, plan.name, plan.shown
    where = f"{path}" if plan.path == path else f"{path} (a link to {plan.path})"
    if plan.action == "unchanged":
        out.write(f"{title}: {name!r} is already up to date in {where}; nothing written\n")
    elif plan.action == "absent":
        out.write(f"{title}: no {name!r} entry in {where}; nothing written\n")
    elif args.dry_run:
        out.write(
            f"{title}: would {plan.action} {name!r} in {where} (dry run, nothing written); "
            f"the file would read:\n{plan.text()}"
        )
    else:
        done, backup = settle(again)
        if done.action not in _DONE:
            out.write(f"{title}: {name!r} is already as asked in {where}; nothing written\n")
            return
        out.write(f"{title}: {_DONE[done.action]} {name!r} in {where}\n")
        if backup:
            out.write(f"  previous version saved as {backup}\n")


def _guide(host: Host, server: Server, scope: Scope, out: TextIO) -> None:
    if server.url is None:
        out.write(f"  runs: {shlex.join([str(server.command), *server.args])}\n")
        if scope == "workspace":
            out.write(
                f"  '{WORKSPACE_COMMAND}' must be on the PATH of whoever opens the project "
                "(uv tool install agent-mcp, or pipx)\n"
            )
    elif host.secret_input is not None:
        out.write(f"  {host.title} asks for the bearer token once and keeps it as a secret\n")
    else:
        out.write(f"  set {TOKEN_ENV} in the environment {host.title} is started from\n")
    if scope == "workspace" and host.approval:
        out.write(f"  approval: {host.approval}\n")
    out.write(f"  restart {host.title} (or reload its MCP servers) to pick it up\n")
    alternative = host.cli(server, scope)
    if alternative:
        out.write(f"  or with {host.title}'s own CLI:\n    {shlex.join(alternative)}\n")
