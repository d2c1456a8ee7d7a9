"""Skills as tools, for hosts that speak only tools (no resources, no Skills extension).

- ``list_skills``: a page of skills (name, path, description, URI) with a cursor.
- ``load_skill``: a skill's SKILL.md and the list of its other files.
- ``read_skill_file``: one file of a skill, as text or base64 with its MIME type.
- ``search_skills``: ranked lexical search with the best-matching section.

Four fixed tools whatever the catalog size, so tools/list does not grow with skills.
Unknown skills and files are ``isError`` results naming the closest matches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.tools import fixed_schemas as schemas
from agent_mcp.server.tools.registry import ToolOutput, ToolSpec

if TYPE_CHECKING:
    from agent_mcp.server.tools.skill_calls import Searcher


class SkillTools:
    """The four skill tools. Their calls live in ``skill_calls``, imported on first use."""

    def __init__(self) -> None:
        self._searcher: Searcher | None = None

    def tools(self, catalog: Catalog) -> Sequence[ToolSpec]:
        return [
            ToolSpec(
                "list_skills",
                "List skills",
                "List the available skills (name, path, description, URI), a page "
                "at a time; pass nextCursor back for more. Prefer search_skills to "
                "find skills for a task.",
                schemas.LIST_SKILLS_IN,
                _list_skills,
                schemas.SKILL_LIST_OUT,
            ),
            ToolSpec(
                "load_skill",
                "Load skill",
                "Load a skill before using it: returns its SKILL.md instructions and "
                "the list of its other files (read those with read_skill_file).",
                schemas.SKILL_IN,
                _load_skill,
                None,  # a document: hosts hand a structured result to the model as JSON
            ),
            ToolSpec(
                "read_skill_file",
                "Read skill file",
                "Read one file of a skill (e.g. references/guide.md): its text, or for "
                "a binary file an embedded resource with its MIME type.",
                schemas.READ_FILE_IN,
                _read_skill_file,
                None,  # a document, as for load_skill
            ),
            ToolSpec(
                "search_skills",
                "Search skills",
                "Find skills for a task by keywords; returns the best matches, each "
                "with its most relevant section as a snippet. Then call load_skill.",
                schemas.SEARCH_IN,
                self._search,
                schemas.SEARCH_OUT,
            ),
        ]

    def _search(self, catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        from agent_mcp.server.tools.skill_calls import Searcher

        if self._searcher is None:
            self._searcher = Searcher()
        return self._searcher.run(catalog, arguments)


def _list_skills(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
    from agent_mcp.server.tools.skill_calls import list_skills

    return list_skills(catalog, arguments)


def _load_skill(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
    from agent_mcp.server.tools.skill_calls import load_skill

    return load_skill(catalog, arguments)


def _read_skill_file(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
    from agent_mcp.server.tools.skill_calls import read_skill_file

    return read_skill_file(catalog, arguments)
