"""Claude Code subagent files: YAML frontmatter plus a markdown body (the persona)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.files.paths import Anchored
from agent_mcp.text.fields import FieldReader
from agent_mcp.text.frontmatter import Frontmatter, body_of, parse_frontmatter, read_document
from agent_mcp.text.words import slug

# Claude Code asks for lowercase letters and hyphens; digits are common in the wild
# (and harmless), so they are accepted too.
AGENT_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_KNOWN_FIELDS = frozenset(
    {
        "name",
        "description",
        "tools",
        "disallowedTools",
        "model",
        "color",
        "skills",
        "permissionMode",
        "maxTurns",
        "mcpServers",
        "hooks",
        "memory",
        "effort",
        "isolation",
        "background",
        "initialPrompt",
    }
)


@dataclass(frozen=True, slots=True, eq=False)
class Agent:
    """One agent persona. The body is read on demand with :meth:`read_body`."""

    name: str
    description: str
    path: Path
    frontmatter: Frontmatter = field(repr=False)
    namespace: str | None = None
    """The plugin this agent came from, when loaded from a marketplace."""
    tools: tuple[str, ...] | None = None
    disallowed_tools: tuple[str, ...] | None = None
    model: str | None = None
    color: str | None = None
    skills: tuple[str, ...] = ()
    permission_mode: str | None = None
    max_turns: int | None = None
    mcp_servers: Any = None
    hooks: Any = None
    memory: str | None = None
    effort: str | None = None
    isolation: str | None = None
    background: bool | None = None
    initial_prompt: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: {})
    """Frontmatter fields this version does not model, kept as written."""
    raw: bytes = field(default=b"", repr=False)
    """The file's bytes when it loaded. Served instead of what is on disk now, so the
    prompt, the tools and ``agent://`` all show one version, also while the file is
    broken mid-edit and this agent keeps serving as the last good one."""
    _body: list[str] = field(default_factory=lambda: [], repr=False, compare=False)

    @property
    def title(self) -> str:
        return " ".join(part.capitalize() for part in self.name.split("-"))

    def read_body(self) -> str:
        """The persona, decoded on first use and then kept."""
        if not self._body:
            self._body.append(body_of(self.path, self.raw, self.frontmatter))
        return self._body[0]

    def read_bytes(self) -> bytes:
        return self.raw


def load_agent(
    path: Path, namespace: str | None = None, ref: Anchored | None = None
) -> tuple[Agent, list[Diagnostic]]:
    """Load an agent file. Raises ``LoadError`` when the file cannot serve."""
    raw = read_document(path, ref=ref)
    fm = parse_frontmatter(path, raw)
    reader = FieldReader(path, fm.data)
    name = reader.required_str("name", path.stem)
    if not AGENT_NAME.match(name) or len(name) > 64:
        raise reader.error(
            "name",
            "invalid-name",
            f"agent name '{name}' must be 1-64 lowercase letters, digits and single hyphens",
            f"rename it, e.g. 'name: {slug(name) or 'my-agent'}'",
        )
    description = reader.required_str("description", "Use this agent when ...")
    warnings: list[Diagnostic] = list(fm.notes)
    lenient = reader.lenient
    extra = {k: v for k, v in fm.data.items() if k not in _KNOWN_FIELDS}
    agent = Agent(
        name=name,
        description=description,
        path=path,
        frontmatter=fm,
        namespace=namespace,
        tools=lenient(reader.name_list, "tools", warnings),
        disallowed_tools=lenient(reader.name_list, "disallowedTools", warnings),
        model=lenient(reader.optional_str, "model", warnings),
        color=lenient(reader.optional_str, "color", warnings),
        skills=reader.name_list("skills") or (),
        permission_mode=lenient(reader.optional_str, "permissionMode", warnings),
        max_turns=lenient(reader.optional_int, "maxTurns", warnings),
        mcp_servers=fm.data.get("mcpServers"),
        hooks=fm.data.get("hooks"),
        memory=lenient(reader.optional_str, "memory", warnings),
        effort=lenient(reader.optional_str, "effort", warnings),
        isolation=lenient(reader.optional_str, "isolation", warnings),
        background=lenient(reader.optional_bool, "background", warnings),
        initial_prompt=lenient(reader.optional_str, "initialPrompt", warnings),
        extra=extra,
        raw=raw,
    )
    return agent, warnings
