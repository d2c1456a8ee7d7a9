"""Where MCP hosts keep their server lists, and merging our entry into them.

Pure domain code: no ``mcp`` import, no argparse. The operating system, home folder,
environment and working folder come in as a :class:`Machine`, so tests can lay out a
macOS, Windows or Linux home inside a temporary folder.

Host formats (checked against each host's documentation, see docs/hosts.md):

- Claude Desktop, Cursor, Windsurf and Claude Code use ``mcpServers``; VS Code uses
  ``servers`` plus an ``inputs`` list for prompted secrets.
- Claude Desktop only launches local (stdio) servers from its file; remote servers are
  added in its Connectors settings instead, so there is no HTTP entry for it here.
- Windsurf names the remote address ``serverUrl``; the others use ``url``.
"""

from __future__ import annotations

import copy
import json
import os
import platform
import re
import shlex
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PureWindowsPath
from typing import Any, Literal, cast

OSName = Literal["macos", "windows", "linux"]
Scope = Literal["user", "workspace"]
Action = Literal["add", "update", "unchanged", "remove", "absent"]

DEFAULT_NAME = "agent-mcp"
TOKEN_ENV = "AGENT_MCP_TOKEN"
VSCODE_INPUT_ID = "agent-mcp-token"


class HostError(Exception):
    """A problem the user can fix; the message says what and where."""


@dataclass(frozen=True)
class Machine:
    """The parts of the running system that decide where config files live."""

    os: OSName
    home: Path
    environ: Mapping[str, str] = field(default_factory=dict[str, str])
    cwd: Path = Path()

    @classmethod
    def current(cls) -> Machine:
        system = platform.system()
        name: OSName = (
            "macos" if system == "Darwin" else "windows" if system == "Windows" else "linux"
        )
        return cls(name, Path.home(), dict(os.environ), Path.cwd())

    def appdata(self) -> Path:
        return Path(self.environ.get("APPDATA") or self.home / "AppData" / "Roaming")

    def xdg_config(self) -> Path:
        return Path(self.environ.get("XDG_CONFIG_HOME") or self.home / ".config")

    def app_config(self, app: str) -> Path:
        """The per-user folder an Electron app named ``app`` keeps its settings in."""
        if self.os == "macos":
            return self.home / "Library" / "Application Support" / app
        if self.os == "windows":
            return self.appdata() / app
        return self.xdg_config() / app


@dataclass(frozen=True)
class Server:
    """The entry we write: a local command, or the URL of a running HTTP server."""

    name: str = DEFAULT_NAME
    command: str | None = None
    args: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Host:
    name: str
    title: str
    servers_key: str
    user_path: Callable[[Machine], Path]
    workspace_path: Callable[[Machine], Path] | None
    typed: bool
    """Whether entries carry ``"type": "stdio"`` / ``"http"``."""
    url_key: str | None
    """Where the address of a remote server goes; None: the file takes no remote servers."""
    token: str
    """The host's placeholder for the bearer token, so no secret is written to disk."""

    def path(self, machine: Machine, scope: Scope) -> Path:
        if scope == "user":
            return self.user_path(machine)
        if self.workspace_path is None:
            raise HostError(f"{self.title} has no workspace config; use --scope user")
        return self.workspace_path(machine)

    def entry(self, server: Server) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if server.url is None:
            if self.typed:
                entry["type"] = "stdio"
            entry["command"] = server.command
            entry["args"] = list(server.args)
            return entry
        if self.url_key is None:
            raise HostError(
                f"{self.title} does not connect to remote servers listed in its config file "
                "(add them under Settings > Connectors); install without --http to run "
                "agent-mcp locally over stdio"
            )
        if self.typed:
            entry["type"] = "http"
        entry[self.url_key] = server.url
        entry["headers"] = {"Authorization": f"Bearer {self.token}"}
        return entry

    def cli(self, server: Server, scope: Scope) -> str | None:
        """The host's own command for the same entry, where it has one."""
        if self.name == "claude-code":
            words = ["claude", "mcp", "add", "--scope", "user" if scope == "user" else "project"]
            if server.url is None:
                return shlex.join([*words, server.name, "--", str(server.command), *server.args])
            header = f"Authorization: Bearer {self.token}"
            return shlex.join(
                [*words, "--transport", "http", server.name, server.url, "--header", header]
            )
        if self.name == "vscode" and scope == "user":
            spec: dict[str, Any] = {"name": server.name, **self.entry(server)}
            if server.url is not None:
                spec["inputs"] = [VSCODE_INPUT]
            return shlex.join(["code", "--add-mcp", json.dumps(spec)])
        return None

    def snippet(self, server: Server) -> dict[str, Any]:
        """The smallest config holding our entry: what ``agent-mcp config`` prints."""
        snippet: dict[str, Any] = {self.servers_key: {server.name: self.entry(server)}}
        if self.name == "vscode" and server.url is not None:
            snippet["inputs"] = [VSCODE_INPUT]
        return snippet


VSCODE_INPUT: dict[str, Any] = {
    "type": "promptString",
    "id": VSCODE_INPUT_ID,
    "description": f"agent-mcp bearer token (the server's {TOKEN_ENV})",
    "password": True,
}

HOSTS: dict[str, Host] = {
    host.name: host
    for host in (
        Host(
            "claude-desktop",
            "Claude Desktop",
            "mcpServers",
            lambda m: m.app_config("Claude") / "claude_desktop_config.json",
            None,
            typed=False,
            url_key=None,
            token="",
        ),
        Host(
            "claude-code",
            "Claude Code",
            "mcpServers",
            lambda m: m.home / ".claude.json",
            lambda m: m.cwd / ".mcp.json",
            typed=True,
            url_key="url",
            token="${" + TOKEN_ENV + "}",
        ),
        Host(
            "cursor",
            "Cursor",
            "mcpServers",
            lambda m: m.home / ".cursor" / "mcp.json",
            lambda m: m.cwd / ".cursor" / "mcp.json",
            typed=False,
            url_key="url",
            token="${env:" + TOKEN_ENV + "}",
        ),
        Host(
            "vscode",
            "VS Code",
            "servers",
            lambda m: m.app_config("Code") / "User" / "mcp.json",
            lambda m: m.cwd / ".vscode" / "mcp.json",
            typed=True,
            url_key="url",
            token="${input:" + VSCODE_INPUT_ID + "}",
        ),
        Host(
            "windsurf",
            "Windsurf",
            "mcpServers",
            lambda m: m.home / ".codeium" / "windsurf" / "mcp_config.json",
            None,
            typed=False,
            url_key="serverUrl",
            token="${env:" + TOKEN_ENV + "}",
        ),
    )
}


def get_host(name: str) -> Host:
    try:
        return HOSTS[name]
    except KeyError:
        raise HostError(f"unknown host {name!r}; choose one of {', '.join(HOSTS)}") from None


def is_ours(entry: object) -> bool:
    """Whether an existing entry launches or reaches agent-mcp, so we may replace it."""
    values = _object(entry)
    if values is None:
        return False
    words: list[Any] = [values.get("command"), *(_array(values.get("args")) or [])]
    for word in words:
        # PureWindowsPath splits on both separators, so Windows paths match anywhere.
        if isinstance(word, str) and PureWindowsPath(word).name.lower() in _OUR_NAMES:
            return True
    # An HTTP entry carries no command; our token placeholder is what marks it as ours.
    headers = _object(values.get("headers")) or {}
    return any(TOKEN_ENV in str(v) or VSCODE_INPUT_ID in str(v) for v in headers.values())


_OUR_NAMES = {"agent-mcp", "agent-mcp.exe", "agent_mcp"}


def _object(value: object) -> dict[str, Any] | None:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def _array(value: object) -> list[Any] | None:
    return cast("list[Any]", value) if isinstance(value, list) else None


# --- reading and writing config files ------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How an existing file is written, so a rewrite looks like the original."""

    indent: str | None = "  "
    newline: str = "\n"
    final_newline: bool = True
    ascii_only: bool = False

    @classmethod
    def of(cls, text: str) -> Layout:
        if not text.strip():
            return cls()
        newline = "\r\n" if "\r\n" in text else "\n"
        match = re.search(r"\n([ \t]+)\S", text)
        indent = match.group(1) if match else None if "\n" not in text.strip() else "  "
        # Keep \u escapes if the file used them and has no raw non-ASCII characters.
        ascii_only = text.isascii() and "\\u" in text
        return cls(indent, newline, text.endswith("\n"), ascii_only)

    def dump(self, data: dict[str, Any]) -> str:
        text = json.dumps(data, indent=self.indent, ensure_ascii=self.ascii_only)
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return text + (self.newline if self.final_newline else "")


def read_config(path: Path, *, hint: str = "") -> tuple[dict[str, Any], Layout, str | None]:
    """The parsed file, its layout and raw text; an absent or blank file reads as ``{}``."""
    try:
        # Bytes, not read_text: universal newlines would hide a file's CRLF line endings.
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return {}, Layout(), None
    except UnicodeDecodeError as error:
        raise HostError(
            f"{path}: not UTF-8 ({error.reason}); the file was left untouched"
        ) from None
    if not text.strip():
        return {}, Layout.of(text), text
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise HostError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); "
            f"the file was left untouched{hint}"
        ) from None
    top = _object(data)
    if top is None:
        raise HostError(f"{path}: the top level is not a JSON object; the file was left untouched")
    return top, Layout.of(text), text


@dataclass(frozen=True)
class Plan:
    """What install or uninstall would do to one file; :func:`apply` carries it out."""

    host: Host
    path: Path
    name: str
    action: Action
    data: dict[str, Any]
    layout: Layout
    existed: bool

    @property
    def changes(self) -> bool:
        return self.action in ("add", "update", "remove")

    def text(self) -> str:
        return self.layout.dump(self.data)


def _servers(host: Host, path: Path, data: dict[str, Any]) -> dict[str, Any]:
    servers = _object(data.setdefault(host.servers_key, {}))
    if servers is None:
        raise HostError(
            f"{path}: {host.servers_key!r} is not a JSON object; the file was left untouched"
        )
    return servers


def _hint(host: Host) -> str:
    if host.name == "vscode":
        return (
            "; VS Code accepts comments and trailing commas here, but agent-mcp only rewrites "
            "plain JSON so nothing is lost: remove them, or use 'code --add-mcp'"
        )
    return ""


def plan_install(
    host: Host, machine: Machine, scope: Scope, server: Server, *, force: bool = False
) -> Plan:
    path = host.path(machine, scope)
    wanted = host.entry(server)
    data, layout, text = read_config(path, hint=_hint(host))
    before = copy.deepcopy(data)
    servers = _servers(host, path, data)
    current: object = servers.get(server.name)
    if current is not None and current != wanted and not is_ours(current) and not force:
        raise HostError(
            f"{path}: {host.servers_key}.{server.name} is another server's entry "
            f"({json.dumps(current)}); pass --force to replace it, or --name to pick another name"
        )
    action: Action = "add" if current is None else "update"
    servers[server.name] = wanted
    if host.name == "vscode":
        if server.url is not None:
            _ensure_vscode_input(path, data)
        else:
            _drop_vscode_input(data)
    if text is not None and data == before:
        action = "unchanged"
    return Plan(host, path, server.name, action, data, layout, text is not None)


def plan_uninstall(
    host: Host, machine: Machine, scope: Scope, name: str = DEFAULT_NAME, *, force: bool = False
) -> Plan:
    path = host.path(machine, scope)
    data, layout, text = read_config(path, hint=_hint(host))
    servers = _object(data.get(host.servers_key))
    if servers is None or name not in servers:
        return Plan(host, path, name, "absent", data, layout, text is not None)
    current: object = servers[name]
    if not is_ours(current) and not force:
        raise HostError(
            f"{path}: {host.servers_key}.{name} is not an agent-mcp entry "
            f"({json.dumps(current)}); pass --force to remove it anyway"
        )
    del servers[name]
    if host.name == "vscode":
        _drop_vscode_input(data)
    return Plan(host, path, name, "remove", data, layout, True)


def _ensure_vscode_input(path: Path, data: dict[str, Any]) -> None:
    inputs = _array(data.setdefault("inputs", []))
    if inputs is None:
        raise HostError(f"{path}: 'inputs' is not a JSON list; the file was left untouched")
    if not any(_is_our_input(i) for i in inputs):
        inputs.append(dict(VSCODE_INPUT))


def _is_our_input(item: object) -> bool:
    values = _object(item)
    return values is not None and values.get("id") == VSCODE_INPUT_ID


def _drop_vscode_input(data: dict[str, Any]) -> None:
    # The prompt is shared by every entry that still refers to it; only drop it when none do.
    if "${input:" + VSCODE_INPUT_ID + "}" in json.dumps(data.get("servers")):
        return
    inputs = _array(data.get("inputs"))
    if inputs is not None:
        inputs[:] = [i for i in inputs if not _is_our_input(i)]


def apply(plan: Plan, *, now: datetime | None = None) -> Path | None:
    """Write the planned file; returns the backup of the previous version, if any.

    Writes nothing when nothing changes, so a second run leaves no new backup. The new
    text goes to a temporary file in the same folder and is renamed over the original,
    so an interrupted run never leaves a half-written config behind.
    """
    if not plan.changes:
        return None
    backup = _backup(plan.path, now or datetime.now()) if plan.existed else None
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{plan.path.name}.", dir=plan.path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(plan.text())
        if plan.existed:
            # Keep the original's permissions: ~/.claude.json, for one, is private.
            shutil.copymode(plan.path, temp)
        os.replace(temp, plan.path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return backup


def _backup(path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    counter = 1
    while backup.exists():
        counter += 1
        backup = path.with_name(f"{path.name}.{stamp}-{counter}.bak")
    shutil.copy2(path, backup)
    return backup
