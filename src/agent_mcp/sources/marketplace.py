"""Claude Code plugin marketplaces: ``.claude-plugin/marketplace.json`` decides where the
plugins are, and each plugin's ``.claude-plugin/plugin.json`` where its parts are.

What a plugin holds beyond agents, skills and commands (hooks, MCP servers, LSP servers,
output styles) only makes sense inside Claude Code; it is reported as not served.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.files import reading
from agent_mcp.files.paths import is_within
from agent_mcp.sources import git
from agent_mcp.sources.source import KIND_FOLDERS, SingleSource, Source

MANIFEST = Path(".claude-plugin") / "marketplace.json"
PLUGIN_MANIFEST = Path(".claude-plugin") / "plugin.json"
MAX_MANIFEST_BYTES = 1024 * 1024
_REPO = re.compile(r"^[\w.-]+/[\w.-]+$")

# Plugin parts that only Claude Code can run: (manifest key, default location, why).
UNSERVED = (
    ("hooks", "hooks/hooks.json", "hooks run shell commands on Claude Code events"),
    ("mcpServers", ".mcp.json", "MCP servers are started by the host itself"),
    ("lspServers", ".lsp.json", "language servers run inside Claude Code"),
    ("outputStyles", "output-styles", "output styles change Claude Code's own system prompt"),
)


@dataclass(frozen=True, slots=True)
class NotServed:
    plugin: str
    part: str
    path: Path
    why: str


@dataclass(slots=True)
class Marketplace:
    sources: list[Source] = field(default_factory=lambda: [])
    not_served: list[NotServed] = field(default_factory=lambda: [])
    diagnostics: list[Diagnostic] = field(default_factory=lambda: [])


def read_json(path: Path, out: list[Diagnostic]) -> dict[str, Any] | None:
    """A JSON object from a file, through the checked reader; None (with a diagnostic
    naming the file) when it is unreadable, too large, not JSON or not an object."""
    try:
        raw = reading.read_document(path, MAX_MANIFEST_BYTES)
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError) as exc:
        # RecursionError: a few thousand nested brackets exhaust the JSON parser's stack.
        reason = "it nests too deeply" if isinstance(exc, RecursionError) else str(exc)
        out.append(
            Diagnostic(
                "bad-manifest",
                "error",
                path,
                f"cannot read this file as JSON ({reason})",
                "fix the JSON (a trailing comma or a missing quote is the usual cause)",
                getattr(exc, "lineno", None),
            )
        )
        return None
    if not isinstance(data, dict):
        out.append(
            Diagnostic(
                "bad-manifest",
                "error",
                path,
                "the file is not a JSON object",
                "make the top level an object: { ... }",
            )
        )
        return None
    return cast("dict[str, Any]", data)


def as_dict(value: Any) -> dict[str, Any]:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return cast("list[Any]", value) if isinstance(value, list) else []


def _entries(root: Path, found: Marketplace) -> tuple[list[tuple[str, dict[str, Any]]], Path]:
    """The manifest's named plugin entries (nameless ones are reported), and the folder
    bare plugin sources are relative to (``metadata.pluginRoot``)."""
    manifest = root / MANIFEST
    data = read_json(manifest, found.diagnostics)
    if data is None:
        return [], root
    named: list[tuple[str, dict[str, Any]]] = []
    for index, entry in enumerate(as_list(data.get("plugins"))):
        name = as_dict(entry).get("name")
        if not isinstance(name, str):
            found.diagnostics.append(
                Diagnostic(
                    "bad-manifest",
                    "error",
                    manifest,
                    f"plugins[{index}] has no 'name'",
                    "give every plugin a 'name' string",
                )
            )
            continue
        named.append((name, cast("dict[str, Any]", entry)))
    plugin_root = as_dict(data.get("metadata")).get("pluginRoot")
    return named, root / plugin_root if isinstance(plugin_root, str) else root


def marketplace_sources(root: Path) -> Marketplace:
    """The plugins the manifest lists, as sources; remote ones only from the git cache."""
    found = Marketplace()
    manifest = root / MANIFEST
    entries, plugin_root = _entries(root, found)
    for name, entry in entries:
        source = entry.get("source")
        if not isinstance(source, str):
            _remote(root, name, entry, found)
            continue
        folder = (root if source.startswith("./") or source == "." else plugin_root) / source
        if not is_within(folder, root) or not folder.is_dir():
            found.diagnostics.append(
                Diagnostic(
                    "missing-plugin",
                    "error",
                    manifest,
                    f"plugin '{name}' names source '{source}', which is not a folder "
                    "inside the marketplace",
                    "fix the path in plugins[].source",
                )
            )
            continue
        plugin(root, folder, name, entry, found)
    return found


def remote_spec(source: Any) -> git.GitSpec | str:
    """A plugin ``source`` object as Claude Code reads it (``github``, ``url``,
    ``git-subdir``) turned into a git spec; otherwise what it is, for a diagnostic."""
    data = as_dict(source)
    kind = data.get("source")
    sha, ref, url = data.get("sha"), data.get("ref"), data.get("url")
    pin = sha if isinstance(sha, str) else ref if isinstance(ref, str) else None
    if kind == "github":
        repo = data.get("repo")
        if isinstance(repo, str) and _REPO.match(repo):
            return git.GitSpec(f"https://github.com/{repo}.git", pin)
        return "a github source without a valid 'repo' (owner/name)"
    if kind == "url" and isinstance(url, str):
        return git.GitSpec(url, pin)
    path: Any = data.get("path")
    subdir = path.removeprefix("./").strip("/") if isinstance(path, str) else ""
    if kind == "git-subdir" and isinstance(url, str) and subdir:
        # Claude Code accepts owner/repo shorthand here, meaning GitHub.
        full = f"https://github.com/{url}.git" if _REPO.match(url) else url
        return git.GitSpec(full, pin, subdir)
    if kind == "npm":
        return f"the npm package '{data.get('package')}', which this server does not install"
    return f"a '{kind}' source, which this version does not read"


def _remote(root: Path, name: str, entry: dict[str, Any], found: Marketplace) -> None:
    """Serve a git-hosted plugin from its cached checkout; never fetch here (start-up
    does not wait on the network: ``agent-mcp sync`` clones and refreshes)."""
    manifest = root / MANIFEST
    spec = remote_spec(entry.get("source"))
    why = spec if isinstance(spec, str) else git.refusal(spec)
    if why is not None or not isinstance(spec, git.GitSpec):
        found.diagnostics.append(
            Diagnostic(
                "remote-plugin",
                "warning",
                manifest,
                f"plugin '{name}' comes from {why}, so it is not served",
                "clone it yourself and add it with --root, or fix plugins[].source",
            )
        )
        return
    checkout = git.cached(spec)
    if checkout is None:
        found.diagnostics.append(
            Diagnostic(
                "remote-plugin",
                "warning",
                manifest,
                f"plugin '{name}' comes from {spec.shown}, which is not fetched yet",
                f"run 'agent-mcp sync --root {root}' once to clone it (start-up never "
                "waits on the network)",
            )
        )
        return
    found.diagnostics += checkout.diagnostics
    if checkout.path is not None:
        plugin(root, checkout.path, name, entry, found)


def remote_plugins(roots: Iterable[Path]) -> list[git.GitSpec]:
    """The git specs of every remote plugin the marketplaces among ``roots`` list, for
    ``agent-mcp sync`` and ``--sync-every``."""
    specs: list[git.GitSpec] = []
    for root in roots:
        if not (root / MANIFEST).is_file():
            continue
        for _, entry in _entries(root, Marketplace())[0]:
            spec = remote_spec(entry.get("source"))
            if isinstance(spec, git.GitSpec) and git.refusal(spec) is None and spec not in specs:
                specs.append(spec)
    return specs


def plugin(root: Path, folder: Path, name: str, entry: dict[str, Any], found: Marketplace) -> None:
    """One plugin folder's agents, skills and commands (``plugin.json`` paths honoured)."""
    manifest = folder / PLUGIN_MANIFEST
    spec: dict[str, Any] = dict(entry)
    if manifest.is_file():
        spec.update(read_json(manifest, found.diagnostics) or {})
    origin = f"--root {root}"
    for kind in KIND_FOLDERS:
        paths: list[Path] = [folder / kind] if (folder / kind).is_dir() else []
        custom: Any = spec.get(kind)
        listed = [custom] if isinstance(custom, str) else as_list(custom)
        for rel in listed:
            target = folder / str(rel)
            if not is_within(target, folder) or not target.exists():
                found.diagnostics.append(
                    Diagnostic(
                        "missing-plugin-path",
                        "error",
                        manifest,
                        f"plugin '{name}' names {kind} path '{rel}', which is not in the plugin",
                        f"fix '{kind}' in plugin.json, or create the path",
                    )
                )
            elif target not in paths:
                paths.append(target)
        for path in paths:
            if path != folder / kind and path.parent in paths:
                continue  # one item of a folder that is served whole already
            if path.is_file() or (kind == "skills" and (path / "SKILL.md").is_file()):
                found.sources.append(
                    SingleSource(kind, path.parent, origin, name, folder, path.name)
                )
            else:
                found.sources.append(Source(kind, path, origin, name, folder))
    for key, default, why in UNSERVED:
        if key in spec or (folder / default).exists():
            found.not_served.append(NotServed(name, key, folder / default, why))
