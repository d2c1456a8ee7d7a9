"""The four bundled skills, checked as a host receives them: through the server."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import mcp_types as types
import pytest
import yaml
from mcp import Client

pytestmark = pytest.mark.anyio

SKILLS = ["api-design", "fastapi", "architecture-patterns", "langgraph"]
DEPRECATED = [
    "on_event",
    "sqlalchemy.ext.declarative",
    "create_react_agent",
    "NodeInterrupt",
    "AsyncClient(app=",
    "datetime.utcnow",
    "class Config",
]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
HEADING = re.compile(r"^(#{1,6}) (.*)$", re.M)
RELIES_ON_ANOTHER = re.compile(
    r"\bpersonas?\b|backend-developer|decision tree|skill explains|see the \S+ skill", re.I
)


async def _files(client: Client, skill: str) -> dict[str, str]:
    """Every file of the skill, read through resources/read."""
    uris: list[str] = []
    cursor: str | None = None
    while True:
        page = await client.list_resources(cursor=cursor)
        uris += [str(r.uri) for r in page.resources if str(r.uri).startswith(f"skill://{skill}/")]
        cursor = page.next_cursor
        if cursor is None:
            break
    files: dict[str, str] = {}
    for uri in uris:
        (content,) = (await client.read_resource(uri)).contents
        assert isinstance(content, types.TextResourceContents), uri
        files[uri.removeprefix(f"skill://{skill}/")] = content.text
    return files


def _split(text: str) -> tuple[dict[str, object], str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _migration_free(text: str) -> str:
    """The text minus sections whose heading is about migrating, where old APIs belong."""
    kept: list[str] = []
    skipping_level = 0
    for line in text.splitlines():
        heading = HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if skipping_level and level <= skipping_level:
                skipping_level = 0
            if not skipping_level and "migrat" in heading.group(2).lower():
                skipping_level = level
        if not skipping_level:
            kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("skill", SKILLS)
async def test_skill_md_is_valid_and_concise(bundled_client: Client, skill: str) -> None:
    files = await _files(bundled_client, skill)
    front, body = _split(files["SKILL.md"])
    assert front["name"] == skill
    description = front["description"]
    assert isinstance(description, str)
    assert 1 <= len(description) < 1024
    assert "Use when" in description
    assert len(body.splitlines()) < 500
    assert any(line.startswith("- [ ]") for line in body.splitlines()), "a checklist"


@pytest.mark.parametrize("skill", SKILLS)
async def test_references_are_deep_one_level_and_have_contents(
    bundled_client: Client, skill: str
) -> None:
    files = await _files(bundled_client, skill)
    references = [p for p in files if p.startswith("references/")]
    assert references
    for path in references:
        assert len(PurePosixPath(path).parts) == 2, f"{path} is nested too deep"
        text = files[path]
        assert len(text.splitlines()) > 100, path
        assert "## Contents" in text, path
        assert f"]({path})" in files["SKILL.md"], f"SKILL.md never says when to read {path}"


@pytest.mark.parametrize("skill", SKILLS)
async def test_every_relative_link_resolves_to_a_served_file(
    bundled_client: Client, skill: str
) -> None:
    files = await _files(bundled_client, skill)
    for path, text in files.items():
        prose = FENCE.sub("", text)  # a link inside a code block is an example, not a link
        for target in LINK.findall(prose):
            if "://" in target or target.startswith("mailto:"):
                continue
            resolved = PurePosixPath(path).parent / target
            normalised = PurePosixPath(*[p for p in resolved.parts if p != "."]).as_posix()
            assert normalised in files, f"{path} links to {target}, which is not served"


@pytest.mark.parametrize("skill", SKILLS)
async def test_every_python_block_compiles(bundled_client: Client, skill: str) -> None:
    files = await _files(bundled_client, skill)
    blocks = 0
    for path, text in files.items():
        for language, code in FENCE.findall(text):
            if language == "python":
                compile(code, f"{skill}/{path}", "exec")
                blocks += 1
    assert blocks > 0


@pytest.mark.parametrize("skill", SKILLS)
async def test_no_deprecated_api_outside_migration_sections(
    bundled_client: Client, skill: str
) -> None:
    files = await _files(bundled_client, skill)
    for path, text in files.items():
        current = _migration_free(text)
        for name in DEPRECATED:
            assert name not in current, f"{skill}/{path} uses {name} outside a migration section"


@pytest.mark.parametrize("skill", SKILLS)
async def test_skill_stands_alone_without_persona_passages(
    bundled_client: Client, skill: str
) -> None:
    """Frontmatter may name where a skill is used; the body relies on no agent or skill."""
    files = await _files(bundled_client, skill)
    for path, text in files.items():
        _, body = _split(text) if path == "SKILL.md" else ({}, text)
        found = RELIES_ON_ANOTHER.search(body)
        assert found is None, f"{skill}/{path} relies on {found and found.group(0)!r}"


async def test_fastapi_links_to_api_design_for_problem_details(bundled_client: Client) -> None:
    files = await _files(bundled_client, "fastapi")
    assert not any("def problem_response(" in text for text in files.values())
    assert "api-design" in files["references/errors-and-responses.md"]
