"""A Claude Code user folder (``~/.claude``) as a root: its plugins, as Claude Code sees them.

Claude Code (checked against 2.1.197) records what it installed in
``plugins/installed_plugins.json`` (``{"version": 2, "plugins": {"name@marketplace":
[{"scope", "installPath", "version", "projectPath"?, ...}]}}``; version 1 held one record
per plugin), the marketplaces it knows in ``plugins/known_marketplaces.json``
(``{name: {"source", "installLocation", "lastUpdated"}}``) and what is enabled in
``settings.json`` (``"enabledPlugins": {"name@marketplace": true | false | [...]}``).
A plugin loads only when enabledPlugins lists it as true (absent counts as off), its
marketplace is still known and a user-scope copy is installed; project- and local-scope
installs belong to one project. Plugins keep their names as namespaces, exactly as when
their marketplace is served directly.

All of these files were written by someone else's program: each is read through the
checked reader with a size limit, every value is type-checked, and an ``installPath``
must lie inside the home's ``plugins`` folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.files.paths import is_within
from agent_mcp.sources.marketplace import (
    MANIFEST,
    Marketplace,
    NotServed,
    as_dict,
    as_list,
    marketplace_sources,
    plugin,
    read_json,
)

INSTALLED = Path("plugins") / "installed_plugins.json"
KNOWN = Path("plugins") / "known_marketplaces.json"
SETTINGS = "settings.json"
# Claude Code's own pattern for plugin ids.
_ID = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9._]*)@([A-Za-z0-9][-A-Za-z0-9._]*)$")
_USER_SCOPES = ("user", "managed")


@dataclass(frozen=True, slots=True)
class _Record:
    scope: str
    install_path: str
    project: str | None


def home_of(root: Path) -> Path | None:
    """``root`` itself, or its ``.claude``, when laid out like a Claude Code user folder."""
    for candidate in (root, root / ".claude"):
        if (candidate / INSTALLED).is_file() or (candidate / KNOWN).is_file():
            return candidate
    return None


def layout_report(roots: Iterable[Path]) -> Marketplace:
    """What the roots' manifests and plugin records say beyond their sources (for
    ``agent-mcp list`` and ``validate``): plugins not served and why, diagnostics."""
    report = Marketplace()
    for root in roots:
        root = Path(os.path.abspath(root))
        home = home_of(root)
        if home is not None:
            found = home_sources(home)
        elif (root / MANIFEST).is_file():
            found = marketplace_sources(root)
        else:
            continue
        report.diagnostics += found.diagnostics
        report.not_served += found.not_served
    return report


def home_sources(home: Path) -> Marketplace:
    """The plugins Claude Code has installed and enabled in ``home``, as sources."""
    found = Marketplace()
    enabled = _enabled(home, found)
    installed = _installed(home, found)
    known = _known(home, found)
    entries: dict[str, dict[str, dict[str, Any]]] = {}
    for plugin_id in sorted(installed.keys() | {k for k, v in enabled.items() if v}):
        name, marketplace = cast("re.Match[str]", _ID.match(plugin_id)).groups()
        records = installed.get(plugin_id, [])
        user = next((r for r in records if r.scope in _USER_SCOPES), None)
        why = _not_loaded(plugin_id, enabled.get(plugin_id), records, user, known)
        if why is not None or user is None:
            if why is not None:
                path = records[0].install_path if records else f"plugins/cache/{marketplace}"
                found.not_served.append(NotServed(plugin_id, "plugin", home / path, why))
            continue
        folder = _folder(home, plugin_id, user.install_path, found)
        if folder is not None:
            if marketplace not in entries:
                entries[marketplace] = _entries(home, marketplace, found)
            plugin(home, folder, name, entries[marketplace].get(name, {}), found)
    return found


def _not_loaded(
    plugin_id: str,
    state: bool | None,
    records: list[_Record],
    user: _Record | None,
    known: set[str] | None,
) -> str | None:
    """Why Claude Code would not load this plugin from the user folder, or None."""
    marketplace = plugin_id.partition("@")[2]
    if not records:
        return (
            "enabled in settings.json but not installed (Claude Code installs it on its next "
            f"start, or run: claude plugin install {plugin_id})"
        )
    if user is None:
        projects = ", ".join(sorted({r.project or "?" for r in records}))
        scopes = "/".join(sorted({r.scope for r in records}))
        return (
            f"installed for one project only ({scopes} scope: {projects}); Claude Code "
            "loads it only there"
        )
    if state is False:
        return "disabled in settings.json (enabledPlugins is false)"
    if state is None:
        return (
            "not enabled: settings.json's enabledPlugins does not list it, and Claude Code "
            f"loads only listed plugins (run: claude plugin enable {plugin_id})"
        )
    if known is not None and marketplace not in known:
        return f"its marketplace '{marketplace}' is no longer in known_marketplaces.json"
    return None


def _enabled(home: Path, found: Marketplace) -> dict[str, bool]:
    """``enabledPlugins``: true or a list of version constraints enables; false disables."""
    path = home / SETTINGS
    if not os.path.lexists(path):
        return {}
    data = read_json(_own(path), found.diagnostics)
    raw: Any = (data or {}).get("enabledPlugins", {})
    if not isinstance(raw, dict):
        found.diagnostics.append(
            _bad(path, "'enabledPlugins' is not an object", '{"name@marketplace": true}')
        )
        return {}
    enabled: dict[str, bool] = {}
    for key, value in cast("dict[str, Any]", raw).items():
        if not _ID.match(key) or not isinstance(value, bool | list):
            found.diagnostics.append(
                _bad(
                    path,
                    f"enabledPlugins entry '{key[:80]}' is not 'name@marketplace': true/false",
                    'write it as "name@marketplace": true (or false), or remove it',
                )
            )
            continue
        enabled[key] = value is not False
    return enabled


def _installed(home: Path, found: Marketplace) -> dict[str, list[_Record]]:
    path = home / INSTALLED
    if not os.path.lexists(path):
        return {}
    data = read_json(path, found.diagnostics)
    if data is None:
        return {}
    version: Any = data.get("version")
    plugins: Any = data.get("plugins")
    if version not in (1, 2) or not isinstance(plugins, dict):
        found.diagnostics.append(
            _bad(
                path,
                f"this is not an installed-plugins file this server reads (version {version!r})",
                "let Claude Code rewrite it (claude plugin list), or update agent-mcp",
            )
        )
        return {}
    records: dict[str, list[_Record]] = {}
    for key, value in cast("dict[str, Any]", plugins).items():
        # Version 1 had one record per plugin, always user scope.
        entries: list[Any] = [value] if version == 1 else as_list(value)
        parsed = [r for e in entries if (r := _record(e))]
        if not _ID.match(key) or not parsed:
            found.diagnostics.append(
                _bad(
                    path,
                    f"the record for '{key[:80]}' is not a plugin id with install records",
                    f"reinstall it (claude plugin install {key[:80]}) or remove the record",
                )
            )
            continue
        records[key] = parsed
    return records


def _record(value: Any) -> _Record | None:
    entry = as_dict(value)
    path, scope, project = (
        entry.get("installPath"),
        entry.get("scope", "user"),
        entry.get("projectPath"),
    )
    if not isinstance(path, str) or not path or not isinstance(scope, str):
        return None
    return _Record(scope, path, project if isinstance(project, str) else None)


def _known(home: Path, found: Marketplace) -> set[str] | None:
    """The registered marketplaces; None when the file is missing or unreadable (then
    nothing is filtered on it)."""
    path = home / KNOWN
    if not os.path.lexists(path):
        return None
    data = read_json(path, found.diagnostics)
    return None if data is None else set(data)


def _folder(home: Path, plugin_id: str, recorded: str, found: Marketplace) -> Path | None:
    """The installed copy, inside the home's plugins folder; else a diagnostic.

    A home copied or mounted elsewhere (a dev container, a backup) keeps the absolute
    paths of where it was written, so a path through another ``plugins/cache`` is looked
    up under this home's cache instead.
    """
    plugins = home / "plugins"
    path = Path(recorded)
    if path.is_absolute() and not is_within(path, plugins):
        parts = PurePath(recorded).parts
        tail = [i for i in range(len(parts) - 1) if parts[i : i + 2] == ("plugins", "cache")]
        if tail:
            path = plugins.joinpath(*parts[tail[-1] + 1 :])
    if not path.is_absolute() or not is_within(path, plugins):
        found.diagnostics.append(
            Diagnostic(
                "plugin-path-outside",
                "error",
                home / INSTALLED,
                f"plugin '{plugin_id}' is recorded at '{recorded}', which is not inside "
                f"{plugins}, so it is not served",
                f"reinstall it: claude plugin uninstall {plugin_id} && claude plugin install "
                f"{plugin_id}",
            )
        )
        return None
    if not path.is_dir():
        found.diagnostics.append(
            Diagnostic(
                "plugin-not-cached",
                "error",
                home / INSTALLED,
                f"plugin '{plugin_id}' is recorded at '{recorded}', which does not exist",
                f"reinstall it (claude plugin install {plugin_id}), or remove the record",
            )
        )
        return None
    return path


def _entries(home: Path, marketplace: str, found: Marketplace) -> dict[str, dict[str, Any]]:
    """The plugin entries of a marketplace clone under ``plugins/marketplaces``, by name:
    a marketplace may list a plugin's parts there instead of in a plugin.json."""
    manifest = home / "plugins" / "marketplaces" / marketplace / MANIFEST
    if not manifest.is_file() or not is_within(manifest, home / "plugins"):
        return {}
    plugins: Any = (read_json(manifest, found.diagnostics) or {}).get("plugins")
    entries: dict[str, dict[str, Any]] = {}
    for entry in as_list(plugins):
        name = as_dict(entry).get("name")
        if isinstance(name, str):
            entries.setdefault(name, {k: v for k, v in as_dict(entry).items() if k != "source"})
    return entries


def _own(path: Path) -> Path:
    # settings.json is often a link into a dotfiles repository: the user's own link to
    # their own file, so it is followed (the read itself is still checked and bounded).
    return Path(os.path.realpath(path))


def _bad(path: Path, message: str, fix: str) -> Diagnostic:
    return Diagnostic("bad-plugin-record", "error", path, message, fix)
