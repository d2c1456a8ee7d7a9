"""Claude Code plugin marketplaces: ``.claude-plugin/marketplace.json`` decides where the
plugins are, and each plugin's ``.claude-plugin/plugin.json`` where its parts are.

What a plugin holds beyond agents, skills and commands (hooks, MCP servers, LSP servers,
output styles) only makes sense inside Claude Code; it is reported as not served.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.files import reading
from agent_mcp.files.paths import is_within
from agent_mcp.sources.source import KIND_FOLDERS, SingleSource, Source

MANIFEST = Path(".claude-plugin") / "marketplace.json"
PLUGIN_MANIFEST = Path(".claude-plugin") / "plugin.json"
MAX_MANIFEST_BYTES = 1024 * 1024

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


def _read_json(path: Path, out: list[Diagnostic]) -> dict[str, Any] | None:
    try:
        raw = reading.read_document(path, MAX_MANIFEST_BYTES)
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        out.append(
            Diagnostic(
                "bad-manifest",
                "error",
                path,
                f"cannot read this manifest as JSON ({exc})",
                "fix the JSON (a trailing comma or a missing quote is the usual cause)",
                line,
            )
        )
        return None
    if not isinstance(data, dict):
        out.append(
            Diagnostic(
                "bad-manifest",
                "error",
                path,
                "the manifest is not a JSON object",
                "make the top level an object: { ... }",
            )
        )
        return None
    return cast("dict[str, Any]", data)


def _as_dict(value: Any) -> dict[str, Any]:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return cast("list[Any]", value) if isinstance(value, list) else []


def marketplace_sources(root: Path) -> Marketplace:
    found = Marketplace()
    manifest = root / MANIFEST
    data = _read_json(manifest, found.diagnostics)
    if data is None:
        return found
    plugin_root = _as_dict(data.get("metadata")).get("pluginRoot")
    base = root / plugin_root if isinstance(plugin_root, str) else root
    plugins: Any = data.get("plugins")
    entries: list[Any] = cast("list[Any]", plugins) if isinstance(plugins, list) else []
    for index, entry in enumerate(entries):
        if not isinstance(_as_dict(entry).get("name"), str):
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
        entry = cast("dict[str, Any]", entry)
        name = cast(str, entry["name"])
        source = entry.get("source")
        if not isinstance(source, str):
            found.diagnostics.append(
                Diagnostic(
                    "remote-plugin",
                    "warning",
                    manifest,
                    f"plugin '{name}' comes from a git or GitHub source, which this "
                    "version does not fetch",
                    "clone it and add it with --root",
                )
            )
            continue
        folder = (root if source.startswith("./") or source == "." else base) / source
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
        _plugin(root, folder, name, entry, found)
    return found


def _plugin(root: Path, folder: Path, name: str, entry: dict[str, Any], found: Marketplace) -> None:
    manifest = folder / PLUGIN_MANIFEST
    spec: dict[str, Any] = dict(entry)
    if manifest.is_file():
        spec.update(_read_json(manifest, found.diagnostics) or {})
    origin = f"--root {root}"
    for kind in KIND_FOLDERS:
        paths: list[Path] = [folder / kind] if (folder / kind).is_dir() else []
        custom: Any = spec.get(kind)
        listed = [custom] if isinstance(custom, str) else _as_list(custom)
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
