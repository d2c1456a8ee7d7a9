"""What the skill tools do when called (``skill_tools`` lists them): imported on the
first call, so that listing tools loads no search code and builds no model."""

from __future__ import annotations

import base64

from mcp.shared.exceptions import MCPError

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.refs import SKILL_SCHEME
from agent_mcp.catalog.skills import MAX_SKILL_BYTES, SKILL_FILE, Skill, SkillFile
from agent_mcp.errors import NotFound
from agent_mcp.features.search import SkillSearch
from agent_mcp.files.media import as_text, mime_for
from agent_mcp.server.pagination import decode_position, encode_cursor
from agent_mcp.server.primitives.resources import skill_resources
from agent_mcp.server.tools.registry import ToolFailure, ToolOutput, validated
from agent_mcp.server.tools.skill_models import (
    ListSkillsIn,
    ReadFileIn,
    SearchIn,
    SearchResult,
    SearchResults,
    SkillIn,
    SkillList,
    SkillSummary,
)
from agent_mcp.text.words import suggest

MAX_FILE_BYTES = 1024 * 1024
"""Larger files are refused by read_skill_file: a tool result lands in the model's
context whole. Hosts with resources support read any size with resources/read."""


class Searcher:
    """``search_skills``: holds the search index across catalog snapshots."""

    def __init__(self) -> None:
        self.index = SkillSearch()
        self.run = validated(SearchIn)(self._search)

    def _search(self, catalog: Catalog, args: SearchIn) -> ToolOutput:
        hits = self.index.search(catalog, args.query, args.limit)
        results = [
            SearchResult(
                name=hit.skill.name,
                path=hit.skill.skill_path,
                uri=hit.skill.uri(),
                description=hit.skill.description,
                score=round(hit.score, 3),
                section=hit.section,
                line=hit.line,
                snippet=hit.snippet,
                snippet_uri=hit.uri,
            )
            for hit in hits
        ]
        if not results:
            text = f"No skill matches '{args.query}'. Try other words, or list_skills."
        else:
            text = "\n\n".join(
                f"{i}. {r.path} ({r.uri})\n   {r.description}\n"
                f"   [{r.section or 'description'}] {r.snippet}"
                for i, r in enumerate(results, start=1)
            )
        return ToolOutput(text, SearchResults(query=args.query, results=results))


@validated(ListSkillsIn)
def list_skills(catalog: Catalog, args: ListSkillsIn) -> ToolOutput:
    try:
        (start,) = decode_position(args.cursor)
    except MCPError:
        raise ToolFailure("Invalid cursor: pass back nextCursor exactly as received.") from None
    skills = list(catalog.skills.values())
    page = skills[start : start + args.limit]
    end = start + len(page)
    next_cursor = encode_cursor(end) if end < len(skills) else None
    summaries = [
        SkillSummary(name=s.name, path=s.skill_path, description=s.description, uri=s.uri())
        for s in page
    ]
    lines = [f"- {s.path}: {s.description}" for s in summaries]
    shown = f"Skills {start + 1}-{end} of {len(skills)}" if page else "No skills on this page"
    more = f"\nMore: call list_skills with cursor '{next_cursor}'." if next_cursor else ""
    text = f"{shown}:\n" + "\n".join(lines) + more
    return ToolOutput(text, SkillList(skills=summaries, total=len(skills), next_cursor=next_cursor))


@validated(SkillIn)
def load_skill(catalog: Catalog, args: SkillIn) -> ToolOutput:
    skill = find_skill(catalog, args.skill)
    content = _read_text(_read(skill, skill.files().get(SKILL_FILE), skill.uri()), skill.uri())
    prefix = len(skill.uri(""))
    files = [(str(r.uri)[prefix:], r.size or 0) for r in skill_resources(skill)]
    others = [f"- {path} ({size} bytes)" for path, size in files if path != SKILL_FILE]
    listing = "\n".join(others) or "(none)"
    text = f"{content}\n\n---\nFiles of skill {skill.skill_path} (read_skill_file):\n{listing}"
    return ToolOutput(text)


@validated(ReadFileIn)
def read_skill_file(catalog: Catalog, args: ReadFileIn) -> ToolOutput:
    if args.skill.startswith(SKILL_SCHEME) and args.path is None:
        skill, file = catalog.resolve_uri(args.skill)
    else:
        skill = find_skill(catalog, args.skill)
        files = skill.files()
        relpath = args.path or SKILL_FILE
        file = files.get(relpath)
        if file is None:
            near = suggest(relpath, files)
            hint = f" Did you mean: {', '.join(near)}?" if near else ""
            raise ToolFailure(
                f"Skill '{skill.skill_path}' has no file '{relpath}'.{hint} "
                f"Its files: load_skill('{skill.skill_path}')."
            )
    uri = skill.uri(file.relpath)
    if file.size > MAX_FILE_BYTES:
        raise ToolFailure(
            f"{uri} is {file.size} bytes, over the {MAX_FILE_BYTES}-byte tool limit; "
            "read it with resources/read."
        )
    data = _read(skill, file, uri, MAX_FILE_BYTES)
    text = as_text(data)
    mime = mime_for(file.relpath, text)
    if text is not None:
        return ToolOutput(text)
    blob = base64.b64encode(data).decode("ascii")
    summary = f"{uri} is binary ({mime}, {len(data)} bytes); it follows as an embedded resource."
    return ToolOutput(summary, blob=(uri, mime, blob))


def find_skill(catalog: Catalog, ref: str) -> Skill:
    """A skill by path (``plugin/name``), bare name, or SKILL.md URI.

    A bare name shared by skills of several plugins is refused rather than resolved to
    one of them silently: the caller must say which.
    """
    try:
        return catalog.skill(ref)
    except NotFound as exc:
        raise ToolFailure(f"{exc} Use search_skills to find one by topic.") from None


def _read(skill: Skill, file: SkillFile | None, uri: str, limit: int = MAX_SKILL_BYTES) -> bytes:
    """The file's bytes through the checked reader; a failure names the URI, never the
    server's path (``OSError.__str__`` would)."""
    try:
        return skill.read(file, limit)
    except OSError as exc:
        raise ToolFailure(
            f"{uri} could not be read ({exc.strerror}). It may have changed since it was "
            f"listed: load_skill('{skill.skill_path}') lists its files now."
        ) from None


def _read_text(data: bytes, uri: str) -> str:
    text = as_text(data)
    if text is None:
        raise ToolFailure(f"{uri} is not UTF-8 text.")
    return text
