"""Install and uninstall as plans: what would change in one file, then carried out safely."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, cast

from agent_mcp.hosts import writer
from agent_mcp.hosts.entries import DEFAULT_NAME, is_ours
from agent_mcp.hosts.errors import HostError
from agent_mcp.hosts.jsonfile import JsonConfig
from agent_mcp.hosts.machine import Machine, Scope
from agent_mcp.hosts.table import Host, Server
from agent_mcp.hosts.tomlfile import TomlConfig

Action = Literal["add", "update", "unchanged", "remove", "absent"]
Config = JsonConfig | TomlConfig

ATTEMPTS = 20
"""Plans retried when the file keeps changing under us (other installs, the host itself)."""


@dataclass(frozen=True)
class Plan:
    """What install or uninstall would do to one file; :func:`apply` carries it out."""

    host: Host
    path: Path
    """The file written: the config, or where its symlink leads."""
    shown: Path
    """The config's path as the host names it."""
    name: str
    scope: Scope
    action: Action
    config: Config
    original: bytes | None

    @property
    def changes(self) -> bool:
        return self.action in ("add", "update", "remove")

    @property
    def existed(self) -> bool:
        return self.original is not None

    def text(self) -> str:
        return self.config.render()


def open_config(
    host: Host, machine: Machine, scope: Scope
) -> tuple[Path, Path, Config, bytes | None]:
    shown = host.path(machine, scope)
    path = writer.target(shown)
    original = writer.read(path)
    try:
        # Bytes, then decode: universal newlines would hide a file's CRLF line endings.
        text = original.decode("utf-8-sig") if original is not None else None
    except UnicodeDecodeError as error:
        raise HostError(
            f"{path}: not UTF-8 ({error.reason}); the file was left untouched"
        ) from None
    kind = TomlConfig if host.format == "toml" else JsonConfig
    return path, shown, kind(path, text, hint=host.hint), original


def plan_install(
    host: Host, machine: Machine, scope: Scope, server: Server, *, force: bool = False
) -> Plan:
    path, shown, config, original = open_config(host, machine, scope)
    wanted = host.entry(server)
    key = host.servers_key
    current = config.get(key, server.name)
    if current is not None and current != wanted and not is_ours(current) and not force:
        raise HostError(
            f"{path}: {key}.{server.name} is another server's entry "
            f"({json.dumps(current, default=str)}); pass --force to replace it, or --name to "
            "pick another name"
        )
    action: Action = "add" if current is None else "update"
    if current != wanted:
        config.put(key, server.name, wanted)
    if isinstance(config, JsonConfig) and host.secret_input is not None:
        if server.url is not None:
            _ensure_input(config, host.secret_input)
        else:
            _drop_input(config, host)
    if original is not None and not config.changed:
        action = "unchanged"
    return Plan(host, path, shown, server.name, scope, action, config, original)


def plan_uninstall(
    host: Host, machine: Machine, scope: Scope, name: str = DEFAULT_NAME, *, force: bool = False
) -> Plan:
    path, shown, config, original = open_config(host, machine, scope)
    key = host.servers_key
    current = config.get(key, name)
    if current is None:
        return Plan(host, path, shown, name, scope, "absent", config, original)
    if not is_ours(current) and not force:
        raise HostError(
            f"{path}: {key}.{name} is not an agent-mcp entry "
            f"({json.dumps(current, default=str)}); pass --force to remove it anyway"
        )
    config.remove(key, name)
    if isinstance(config, JsonConfig) and host.secret_input is not None:
        _drop_input(config, host)
    return Plan(host, path, shown, name, scope, "remove", config, original)


def apply(plan: Plan, *, now: datetime | None = None) -> Path | None:
    """Write the planned file; returns the backup of the previous version, if any.

    Writes nothing when nothing changes, so a second run leaves no new backup. Raises
    :class:`writer.Stale` when the file changed since it was read.
    """
    if not plan.changes:
        return None
    # A workspace file is a project file like any other; a user config may hold secrets.
    new_mode = 0o666 if plan.scope == "workspace" else 0o600
    return writer.replace(plan.path, plan.text(), plan.original, new_mode=new_mode, now=now)


def settle(make: Callable[[], Plan]) -> tuple[Plan, Path | None]:
    """Plan and apply, planning again while the file changes under us."""
    for _ in range(ATTEMPTS):
        plan = make()
        try:
            return plan, apply(plan)
        except writer.Stale:
            continue
    raise HostError(f"{make().path}: keeps changing while agent-mcp edits it; try again")


def _inputs(config: JsonConfig) -> list[Any]:
    inputs: object = config.data.setdefault("inputs", [])
    if not isinstance(inputs, list):
        raise HostError(f"{config.path}: 'inputs' is not a JSON list; the file was left untouched")
    return cast("list[Any]", inputs)


def _is_input(item: object, wanted: dict[str, Any]) -> bool:
    return isinstance(item, dict) and cast("dict[str, Any]", item).get("id") == wanted["id"]


def _ensure_input(config: JsonConfig, wanted: dict[str, Any]) -> None:
    inputs = _inputs(config)
    if not any(_is_input(i, wanted) for i in inputs):
        inputs.append(dict(wanted))


def _drop_input(config: JsonConfig, host: Host) -> None:
    # The prompt is shared by every entry that still refers to it; only drop it when none do.
    wanted = host.secret_input
    inputs: object = config.data.get("inputs")
    if wanted is None or not isinstance(inputs, list):
        return
    if "${input:" + str(wanted["id"]) + "}" in json.dumps(
        config.data.get(host.servers_key), default=str
    ):
        return
    items = cast("list[Any]", inputs)
    items[:] = [i for i in items if not _is_input(i, wanted)]
