"""References to catalog items, parsed in one place: ``skill://`` and ``agent://`` URIs,
skill paths (``[prefix/]name``), bare names, and file paths inside a skill.

Every lookup (prompts, resources, the Skills extension, tools, agents naming their
skills) resolves through here, so every caller agrees on what a reference means,
including the ambiguous ones: a bare name that several plugins' skills share resolves
to the caller's own plugin's skill when it has one, and is refused otherwise, naming
the full paths to choose from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import unquote

from agent_mcp.errors import InvalidReference, NotFound
from agent_mcp.text.words import suggest

if TYPE_CHECKING:
    from agent_mcp.catalog.skills import Skill

SKILL_SCHEME = "skill://"
AGENT_SCHEME = "agent://"
SKILL_FILE = "SKILL.md"
MAX_URI_LENGTH = 4096


def check_length(uri: str) -> None:
    if len(uri) > MAX_URI_LENGTH:
        raise InvalidReference(f"URI is longer than {MAX_URI_LENGTH} characters.")


def check_relpath(relpath: str) -> str:
    """Reject paths that are malformed or try to escape; return the normalised form.

    Lookups go through the skill's own file listing, so an escaping path could never be
    served anyway; rejecting it up front gives the client a clear reason.
    """
    if not relpath or len(relpath) > MAX_URI_LENGTH:
        raise InvalidReference("File path is empty or too long.")
    if "\x00" in relpath or "\\" in relpath:
        raise InvalidReference("File path contains a NUL byte or a backslash.")
    if relpath.startswith("/") or (len(relpath) > 1 and relpath[1] == ":"):
        raise InvalidReference("File path must be relative to the skill folder.")
    parts = relpath.split("/")
    if any(part in ("..", ".", "") for part in parts):
        raise InvalidReference("File path may not contain '.', '..' or empty segments.")
    return relpath


def split_skill_path(skills: Mapping[str, Skill], rest: str) -> tuple[Skill, str] | None:
    """The skill that the path after ``skill://`` starts with, and the rest (unquoted).

    The longest skill path wins, so ``skill://acme/billing/SKILL.md`` is the skill
    ``acme/billing`` even when a skill ``acme`` exists too.
    """
    segments = rest.split("/")
    for width in range(len(segments), 0, -1):
        skill = skills.get(unquote("/".join(segments[:width])))
        if skill is not None:
            return skill, unquote("/".join(segments[width:]))
    return None


def skill_key(ref: str) -> str:
    """The skill path a reference names: a path, a bare name, or a SKILL.md URI."""
    key = ref.strip()
    if key.startswith(SKILL_SCHEME):
        key = unquote(key[len(SKILL_SCHEME) :].removesuffix("/" + SKILL_FILE).rstrip("/"))
    return key


def resolve_skill(
    skills: Mapping[str, Skill],
    by_name: Mapping[str, Sequence[Skill]],
    ref: str,
    namespace: str | None = None,
) -> Skill:
    """The skill ``ref`` names, seen from ``namespace`` (the caller's plugin, if any)."""
    key = skill_key(ref)
    found = skills.get(key)
    if found is not None:
        return found
    if namespace is not None and f"{namespace}/{key}" in skills:
        return skills[f"{namespace}/{key}"]
    same_name = by_name.get(key, ())
    if len(same_name) == 1:
        return same_name[0]
    if same_name:
        paths = [s.skill_path for s in same_name]
        raise NotFound(
            f"Several skills are named '{key}': {', '.join(paths)}. Pass the full path.", paths
        )
    raise NotFound(f"Unknown skill '{ref}'.", suggest(key, [*skills, *by_name]))


def clip(text: str, limit: int = 200) -> str:
    """A client's reference, shortened for an error message."""
    return text if len(text) <= limit else text[:limit] + "..."
