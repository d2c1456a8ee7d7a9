"""The skill tools' inputs and outputs: their JSON schemas are the tools' schemas."""

from __future__ import annotations

from pydantic import Field

from agent_mcp.server.tools.registry import WireModel

LIST_PAGE = 50


# Inputs ------------------------------------------------------------------------------


class ListSkillsIn(WireModel):
    cursor: str | None = Field(None, description="nextCursor from the previous page.")
    limit: int = Field(LIST_PAGE, ge=1, le=200, description="Skills per page.")


class SkillIn(WireModel):
    skill: str = Field(description="Skill name, plugin/name path, or its skill://.../SKILL.md URI.")


class ReadFileIn(WireModel):
    skill: str = Field(description="Skill name or plugin/name path (or a file's skill:// URI).")
    path: str | None = Field(
        None, description="File path inside the skill, e.g. references/guide.md."
    )


class SearchIn(WireModel):
    query: str = Field(min_length=1, max_length=500, description="What you need, in words.")
    limit: int = Field(5, ge=1, le=20, description="How many skills to return.")


# Outputs -----------------------------------------------------------------------------


class SkillSummary(WireModel):
    name: str
    path: str
    description: str
    uri: str


class SkillList(WireModel):
    skills: list[SkillSummary]
    total: int
    next_cursor: str | None


class SearchResult(WireModel):
    name: str
    path: str
    uri: str
    description: str
    score: float
    section: str
    line: int
    snippet: str
    snippet_uri: str


class SearchResults(WireModel):
    query: str
    results: list[SearchResult]
