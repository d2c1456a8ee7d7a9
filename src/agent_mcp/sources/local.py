"""Where agents and skills come from: bundled folders, explicit folders, project layouts."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import agent_mcp
from agent_mcp.sources.source import KIND_FOLDERS, SingleSource, Source, SourceKind

AGENTS_ENV = "AGENT_MCP_AGENTS"
SKILLS_ENV = "AGENT_MCP_SKILLS"


def bundled_dir() -> Path:
    """The folder holding the bundled ``agents/`` and ``skills/``.

    A wheel carries them inside the package (``_bundled``); a source checkout keeps
    them at the repository root.
    """
    package = Path(agent_mcp.__file__).resolve().parent
    inside = package / "_bundled"
    if inside.is_dir():
        return inside
    return package.parent.parent


def bundled_sources() -> list[Source]:
    base = bundled_dir()
    return [
        Source("agents", base / "agents", "bundled"),
        Source("skills", base / "skills", "bundled"),
    ]


def env_paths(environ: Mapping[str, str], name: str) -> list[Path]:
    """A path list from the environment (``os.pathsep``-separated, blanks ignored)."""
    raw = environ.get(name, "")
    return [Path(part).expanduser() for part in raw.split(os.pathsep) if part.strip()]


def project_sources(root: Path) -> list[Source]:
    """Recognise the layouts people already have under one folder.

    - a Claude Code project: ``.claude/agents``, ``.claude/skills``;
    - a Claude Code user folder (``~/.claude``, or a folder holding it): its own folders
      and the plugins installed and enabled there (see ``claude_home``);
    - a plugin marketplace: ``.claude-plugin/marketplace.json`` (see ``marketplace``), or
      without one ``plugins/<plugin>/{agents,skills,commands}``;
    - a plain folder with ``agents/`` and ``skills/`` (this repository's own layout).
    """
    sources: list[Source] = []
    for sub in (root / ".claude", root):
        for kind in KIND_FOLDERS:
            if (sub / kind).is_dir():
                sources.append(Source(kind, sub / kind, f"--root {root}", None, root))
    # Imported here: only a --root needs them, and a host waits for start-up.
    from agent_mcp.sources.claude_home import home_of, home_sources
    from agent_mcp.sources.marketplace import MANIFEST, marketplace_sources

    home = home_of(root)
    if home is not None:
        return sources + home_sources(home).sources
    if (root / MANIFEST).is_file():
        return sources + marketplace_sources(root).sources
    plugins = root / "plugins"
    if plugins.is_dir():
        for plugin in sorted(p for p in plugins.iterdir() if p.is_dir()):
            for kind in KIND_FOLDERS:
                if (plugin / kind).is_dir():
                    sources.append(
                        Source(kind, plugin / kind, f"--root {root}", plugin.name, plugin)
                    )
    return sources


def collect_sources(
    *,
    agents: Sequence[Path] = (),
    skills: Sequence[Path] = (),
    roots: Sequence[Path] = (),
    bundled: bool = True,
    environ: Mapping[str, str] | None = None,
) -> list[Source]:
    """All sources in precedence order: earlier sources win name collisions.

    Order: explicit ``--agents``/``--skills`` folders, then ``--root`` layouts, then the
    environment variables, then the bundled default. What the user names beats what
    ships, and the order is deterministic so a collision always resolves the same way.
    """
    environ = os.environ if environ is None else environ
    sources: list[Source] = []
    sources += [Source("agents", p, "--agents") for p in agents]
    sources += [Source("skills", p, "--skills") for p in skills]
    for root in roots:
        sources += project_sources(root)
    sources += [Source("agents", p, AGENTS_ENV) for p in env_paths(environ, AGENTS_ENV)]
    sources += [Source("skills", p, SKILLS_ENV) for p in env_paths(environ, SKILLS_ENV)]
    if bundled:
        sources += bundled_sources()
    # Absolute paths: the watcher reports absolute paths, and reports must not depend
    # on the working directory.
    return _dedupe(
        replace(s, path=Path(os.path.abspath(s.path))) if not s.path.is_absolute() else s
        for s in sources
    )


def _dedupe(sources: Iterable[Source]) -> list[Source]:
    seen: set[tuple[str, str]] = set()
    unique: list[Source] = []
    for source in sources:
        key = (source.kind, os.path.realpath(source.path))
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


def sources_for_path(path: Path) -> list[Source]:
    """Sources for one path given to ``agent-mcp validate``, whatever it points at.

    A ``SKILL.md`` or a folder holding one is a skill; another ``.md`` file is an agent;
    a folder with a known layout is a root; otherwise a folder of skill folders or of
    agent files.
    """
    origin = f"validate {path}"
    if path.is_file() or path.suffix == ".md":
        if path.name == "SKILL.md":
            return [_single("skills", path.parent, origin)]
        return [_single("agents", path, origin)]
    if (path / "SKILL.md").exists():
        return [_single("skills", path, origin)]
    layouts = project_sources(path)
    if layouts:
        return layouts
    if any(child.is_dir() and (child / "SKILL.md").exists() for child in _children(path)):
        return [Source("skills", path, origin)]
    return [Source("agents", path, origin)]


def _single(kind: SourceKind, target: Path, origin: str) -> Source:
    return SingleSource(kind, target.parent, origin, None, None, target.name)


def _children(path: Path) -> list[Path]:
    try:
        return list(path.iterdir())
    except OSError:
        return []
