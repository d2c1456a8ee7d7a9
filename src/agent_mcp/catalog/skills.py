"""Agent Skills folders: ``<name>/SKILL.md`` plus any supporting files.

Validation follows the Agent Skills specification. Supporting files are listed when
the catalog completes (files/listing.py), and only regular files that stay inside the
skill's folder are ever listed; everything served is looked up in that listing, so a
path a client sends is never handed to the filesystem, and every read goes through
files/reading.py, which checks the file again when it opens it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import LoadError
from agent_mcp.files.listing import ListedFile, Listing, list_files
from agent_mcp.files.paths import Anchored
from agent_mcp.files.reading import read_checked
from agent_mcp.text.fields import FieldReader
from agent_mcp.text.frontmatter import (
    MAX_DOCUMENT_BYTES,
    Frontmatter,
    body_of,
    read_frontmatter,
    to_json_value,
)
from agent_mcp.text.words import slug

SKILL_FILE = "SKILL.md"
SKILL_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME = 64
MAX_DESCRIPTION = 1024
MAX_COMPATIBILITY = 500
MAX_BODY_LINES = 500
# Limits from the Skills extension (SEP-2640).
MAX_FILES = 512
MAX_SKILL_BYTES = 16 * 1024 * 1024
_KNOWN_FIELDS = frozenset(
    {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
)


SkillFile = ListedFile
SkillFiles = Listing
_EMPTY: Mapping[str, Any] = MappingProxyType({})
"""Shared by every skill without metadata or extra fields (most of them)."""


@dataclass(frozen=True, slots=True, eq=False)
class Skill:
    """One skill. Its files are listed lazily and cached on the instance."""

    name: str
    description: str
    directory: Path
    frontmatter: Frontmatter = field(repr=False)
    namespace: str | None = None
    """The plugin this skill came from, when loaded from a marketplace."""
    license: str | None = None
    compatibility: str | None = None
    metadata: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    allowed_tools: tuple[str, ...] | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    ref: Anchored | None = field(default=None, repr=False)
    """The folder below its trusted root, for checked reads (None: the folder itself)."""
    parent: str | None = None
    """For a skill nested in another: the enclosing skill's path below the namespace,
    plus the folders between them (``outer/sub`` for ``outer/sub/inner/SKILL.md``)."""
    # Computed on first use and set once (a frozen instance's own cache); None fields
    # rather than a list each, as 10,000 skills made 30,000 lists for them.
    _listing: SkillFiles | None = field(default=None, repr=False)
    _body: str | None = field(default=None, repr=False)
    _json: dict[str, Any] | None = field(default=None, repr=False)

    skill_path: str = field(init=False, repr=False)
    """The skill's path in ``skill://`` URIs: ``[namespace/][parent/]name``."""

    def __post_init__(self) -> None:
        parts = (self.namespace, self.parent, self.name)
        object.__setattr__(self, "skill_path", "/".join(p for p in parts if p))

    @property
    def skill_md(self) -> Path:
        return self.directory / SKILL_FILE

    def uri(self, relpath: str = SKILL_FILE) -> str:
        return f"skill://{self.skill_path}/{relpath}"

    def read_body(self) -> str:
        """The SKILL.md body, read on first use and then kept (see ``Agent.read_body``)."""
        body = self._body
        if body is None:
            try:
                raw = self.read(self.files().get(SKILL_FILE))
            except OSError as exc:
                raise LoadError(
                    Diagnostic(
                        "unreadable",
                        "error",
                        self.skill_md,
                        f"cannot read the file ({exc.strerror})",
                        "make it a regular, readable file inside the skill folder",
                    )
                ) from None
            body = body_of(self.skill_md, raw, self.frontmatter)
            object.__setattr__(self, "_body", body)
        return body

    @property
    def anchored(self) -> Anchored:
        return self.ref or Anchored.at(os.path.realpath(self.directory))

    def read(self, file: SkillFile | None, limit: int = MAX_SKILL_BYTES) -> bytes:
        """A listed file's bytes (SKILL.md when ``file`` is None), checked as it opens."""
        if file is None:
            return read_checked(self.anchored.child(SKILL_FILE), MAX_DOCUMENT_BYTES)
        return read_checked(file.ref, limit)

    def frontmatter_json(self) -> dict[str, Any]:
        """The frontmatter exactly as written, as JSON-safe data (built once: every
        ``skills/list`` walk sends it; callers must not change it)."""
        data = self._json
        if data is None:
            data = {str(k): to_json_value(v) for k, v in self.frontmatter.data.items()}
            object.__setattr__(self, "_json", data)
        return data

    def listing(self) -> SkillFiles:
        """Every servable file of the skill (computed once, on first use)."""
        listing = self._listing
        if listing is None:
            listing = list_files(self.directory, self.anchored, MAX_FILES, MAX_SKILL_BYTES)
            object.__setattr__(self, "_listing", listing)
        return listing

    def files(self) -> dict[str, SkillFile]:
        return self.listing().files


def load_skill(
    directory: Path,
    namespace: str | None = None,
    ref: Anchored | None = None,
    parent: str | None = None,
    skill_md: Anchored | None = None,
    path: Path | None = None,
) -> tuple[Skill, list[Diagnostic]]:
    """Load and validate a skill's frontmatter. Raises ``LoadError`` when it cannot serve.

    ``ref`` is the folder below its trusted root; ``skill_md`` where SKILL.md really
    is, when it is a link (by default, ``ref``'s SKILL.md); ``path`` the SKILL.md the
    caller already named (by default, ``directory``'s).
    """
    path = path or directory / SKILL_FILE
    fm = read_frontmatter(path, ref=skill_md or (ref.child(SKILL_FILE) if ref else None))
    reader = FieldReader(path, fm.data)
    name = reader.required_str("name", directory.name)
    if len(name) > MAX_NAME or not SKILL_NAME.match(name):
        raise reader.error(
            "name",
            "invalid-name",
            f"skill name '{name}' must be 1-{MAX_NAME} lowercase letters, digits and single "
            "hyphens, with no leading or trailing hyphen",
            f"rename the skill and its folder, e.g. '{slug(name) or 'my-skill'}'",
        )
    if name != directory.name:
        raise reader.error(
            "name",
            "name-mismatch",
            f"skill name '{name}' differs from its folder name '{directory.name}'",
            f"rename the folder to '{name}' or set 'name: {directory.name}'",
        )
    description = reader.required_str("description", "What it does. Use when ...")
    if len(description) > MAX_DESCRIPTION:
        raise reader.error(
            "description",
            "description-too-long",
            f"description is {len(description)} characters, over the {MAX_DESCRIPTION} limit",
            "shorten it to what the skill does and when to use it; move detail into the body",
        )
    compatibility = reader.optional_str("compatibility")
    if compatibility is not None and not 1 <= len(compatibility) <= MAX_COMPATIBILITY:
        raise reader.error(
            "compatibility",
            "compatibility-too-long",
            f"compatibility is {len(compatibility)} characters; it must be 1-{MAX_COMPATIBILITY}",
            "state the environment requirements in one or two sentences",
        )
    metadata = _metadata(reader)
    allowed = fm.data.get("allowed-tools")
    if allowed is not None and not isinstance(allowed, str):
        raise reader.error(
            "allowed-tools",
            "invalid-allowed-tools",
            "'allowed-tools' must be a space-separated string",
            "write it on one line, e.g. 'allowed-tools: Read Grep Bash(git:*)'",
        )
    warnings: list[Diagnostic] = list(fm.notes)
    extra = {k: v for k, v in fm.data.items() if k not in _KNOWN_FIELDS} or _EMPTY
    for key in sorted(extra):
        warnings.append(
            reader.warning(
                key,
                "unknown-field",
                f"'{key}' is not an Agent Skills field; it is kept and served as written",
                "move custom data under 'metadata' (a string-to-string map)",
            )
        )
    skill = Skill(
        name=name,
        description=description,
        directory=directory,
        frontmatter=fm,
        namespace=namespace,
        license=reader.optional_str("license"),
        compatibility=compatibility,
        metadata=metadata,
        allowed_tools=tuple(allowed.split()) if isinstance(allowed, str) else None,
        extra=extra,
        ref=ref,
        parent=parent,
    )
    return skill, warnings


def _metadata(reader: FieldReader) -> Mapping[str, str]:
    value = reader.data.get("metadata")
    if value is None:
        return _EMPTY
    if not isinstance(value, dict):
        raise reader.error(
            "metadata",
            "invalid-metadata",
            "'metadata' must be a mapping of string keys to string values",
            "write it as indented 'key: \"value\"' lines under 'metadata:'",
        )
    result: dict[str, str] = {}
    for key, item in cast("dict[object, object]", value).items():
        if not isinstance(item, str):
            raise reader.error(
                "metadata",
                "invalid-metadata",
                f"metadata '{key}' is a {type(item).__name__}; every value must be a string",
                f"quote the value: '{key}: \"{item}\"'",
            )
        result[str(key)] = item
    return result
