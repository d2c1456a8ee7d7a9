"""Agent Skills folders: ``<name>/SKILL.md`` plus any supporting files.

Validation follows the Agent Skills specification. Supporting files are listed on
first use, never at startup, and only regular files that stay inside the skill's
folder are ever listed; everything served is looked up in that listing, so a path a
client sends is never handed to the filesystem.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.text.fields import FieldReader
from agent_mcp.text.frontmatter import Frontmatter, read_body, read_frontmatter, to_json_value
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


@dataclass(frozen=True, slots=True)
class SkillFile:
    """One file of a skill, by its path relative to the skill folder."""

    relpath: str
    """POSIX path relative to the skill folder, e.g. ``references/errors.md``."""
    path: Path
    size: int


@dataclass(slots=True)
class SkillFiles:
    """The listing of a skill's files, plus what was left out and why."""

    files: dict[str, SkillFile]
    diagnostics: list[Diagnostic]


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
    metadata: Mapping[str, str] = field(default_factory=lambda: {})
    allowed_tools: tuple[str, ...] | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: {})
    _listing: list[SkillFiles] = field(default_factory=lambda: [], repr=False)
    _body: list[str] = field(default_factory=lambda: [], repr=False)

    @property
    def skill_path(self) -> str:
        """The skill's path in ``skill://`` URIs: ``[namespace/]name``."""
        return f"{self.namespace}/{self.name}" if self.namespace else self.name

    @property
    def skill_md(self) -> Path:
        return self.directory / SKILL_FILE

    def uri(self, relpath: str = SKILL_FILE) -> str:
        return f"skill://{self.skill_path}/{relpath}"

    def read_body(self) -> str:
        """The SKILL.md body, read on first use and then kept (see ``Agent.read_body``)."""
        if not self._body:
            self._body.append(read_body(self.skill_md, self.frontmatter))
        return self._body[0]

    def frontmatter_json(self) -> dict[str, Any]:
        """The frontmatter exactly as written, as JSON-safe data."""
        return {str(k): to_json_value(v) for k, v in self.frontmatter.data.items()}

    def listing(self) -> SkillFiles:
        """Every servable file of the skill (computed once, on first use)."""
        if not self._listing:
            self._listing.append(list_skill_files(self.directory))
        return self._listing[0]

    def files(self) -> dict[str, SkillFile]:
        return self.listing().files


def load_skill(directory: Path, namespace: str | None = None) -> tuple[Skill, list[Diagnostic]]:
    """Load and validate a skill's frontmatter. Raises ``LoadError`` when it cannot serve."""
    path = directory / SKILL_FILE
    fm = read_frontmatter(path)
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
    warnings: list[Diagnostic] = []
    extra = {k: v for k, v in fm.data.items() if k not in _KNOWN_FIELDS}
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
    )
    return skill, warnings


def _metadata(reader: FieldReader) -> dict[str, str]:
    value = reader.data.get("metadata")
    if value is None:
        return {}
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


def list_skill_files(directory: Path) -> SkillFiles:
    """List the regular files under ``directory`` that may be served.

    Hidden entries (``.git``, ``.DS_Store``) are skipped. Symlinks are followed only
    when their target stays inside the skill folder. The SEP-2640 limits (file count
    and total size) cut the listing off with a diagnostic rather than fail the skill.
    """
    files: dict[str, SkillFile] = {}
    diagnostics: list[Diagnostic] = []
    real_root: str | None = None  # resolved only when a symlink is met: it is costly
    total = 0
    over = False
    stack: list[tuple[str, str]] = [(str(directory), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{prefix}{entry.name}"
            try:
                st = os.stat(entry.path)  # follows symlinks; checked below
            except OSError:
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if real_root is None:
                    real_root = os.path.realpath(directory)
                if not (target == real_root or target.startswith(real_root + os.sep)):
                    diagnostics.append(
                        Diagnostic(
                            "symlink-escape",
                            "warning",
                            Path(entry.path),
                            "this symlink points outside the skill folder and is not served",
                            "copy the file into the skill folder instead of linking to it",
                        )
                    )
                    continue
            if stat.S_ISDIR(st.st_mode):
                stack.append((entry.path, rel + "/"))
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if over or len(files) >= MAX_FILES or total + st.st_size > MAX_SKILL_BYTES:
                over = True
                continue
            total += st.st_size
            files[rel] = SkillFile(str(PurePosixPath(rel)), Path(entry.path), st.st_size)
    if over:
        diagnostics.append(
            Diagnostic(
                "skill-too-large",
                "warning",
                directory / SKILL_FILE,
                f"the skill exceeds {MAX_FILES} files or {MAX_SKILL_BYTES // (1024 * 1024)} MiB;"
                " files past the limit are not served",
                "split the skill or move large assets out of it",
            )
        )
    if SKILL_FILE in files:
        # SKILL.md first: hosts read it before anything else.
        files = {SKILL_FILE: files.pop(SKILL_FILE), **dict(sorted(files.items()))}
    else:
        files = dict(sorted(files.items()))
    return SkillFiles(files, diagnostics)
