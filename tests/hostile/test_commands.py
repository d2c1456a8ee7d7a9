"""Hostile command files and ``@file`` references: nothing outside the root is embedded,
no special file is opened, a broken command never takes the others down."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import mcp_types as types
import pytest

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.sources.local import Source
from tests.hostile.conftest import SECRET, bounded, serving

pytestmark = pytest.mark.anyio

GOOD_COMMAND = b"---\ndescription: A good command.\n---\nDo the good thing with $ARGUMENTS.\n"


def command_catalog(root: Path) -> Catalog:
    return build_catalog([Source("commands", root / "commands", "test", base=root)])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``root/commands/good.md`` plus ``secret.txt`` outside the root."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    root = tmp_path / "root"
    (root / "commands").mkdir(parents=True)
    (root / "commands" / "good.md").write_bytes(GOOD_COMMAND)
    return root


def _write_command(root: Path, body: str) -> None:
    (root / "commands" / "refs.md").write_text(f"---\ndescription: Refs.\n---\n{body}\n")


def _texts(result: types.GetPromptResult) -> str:
    parts: list[str] = []
    for message in result.messages:
        content = message.content
        if isinstance(content, types.TextContent):
            parts.append(content.text)
        elif isinstance(content, types.EmbeddedResource) and isinstance(
            content.resource, types.TextResourceContents
        ):
            parts.append(content.resource.text)
    return "\n".join(parts)


@pytest.mark.parametrize(
    "ref", ["../secret.txt", "docs/../../secret.txt", "docs/%2e%2e/secret.txt"]
)
async def test_at_file_escaping_the_root_is_never_embedded(
    project: Path, era: str, ref: str
) -> None:
    (project / "docs").mkdir()
    _write_command(project, f"Read @{ref} first.")
    async with serving(command_catalog(project), era) as client:
        with bounded():
            result = await client.get_prompt("refs", {"arguments": "x"})
    assert SECRET.decode() not in _texts(result)
    assert not [m for m in result.messages if isinstance(m.content, types.EmbeddedResource)]


async def test_at_file_through_a_symlink_out_of_the_root_is_never_embedded(
    project: Path, era: str
) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "guide.md").symlink_to(project.parent / "secret.txt")
    (project / "linked").symlink_to(project.parent)
    _write_command(project, "Read @docs/guide.md and @linked/secret.txt first.")
    async with serving(command_catalog(project), era) as client:
        with bounded():
            result = await client.get_prompt("refs", {"arguments": "x"})
    assert SECRET.decode() not in _texts(result)


async def test_at_file_swapped_for_a_link_after_loading_is_not_read(
    project: Path, era: str
) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "guide.md").write_text("Check tests first.\n")
    _write_command(project, "Read @docs/guide.md first.")
    catalog = command_catalog(project)
    (project / "docs" / "guide.md").unlink()
    (project / "docs" / "guide.md").symlink_to(project.parent / "secret.txt")
    async with serving(catalog, era) as client:
        with bounded():
            result = await client.get_prompt("refs", {"arguments": "x"})
    text = _texts(result)
    assert SECRET.decode() not in text
    assert "@docs/guide.md could not be read" in text


async def test_at_file_naming_a_fifo_does_not_hang(project: Path, era: str) -> None:
    (project / "docs").mkdir()
    os.mkfifo(project / "docs" / "pipe.md")
    _write_command(project, "Read @docs/pipe.md first.")
    async with serving(command_catalog(project), era) as client:
        with bounded():  # opening a FIFO for reading would block until a writer came
            result = await client.get_prompt("refs", {"arguments": "x"})
    assert not [m for m in result.messages if isinstance(m.content, types.EmbeddedResource)]


async def test_a_huge_at_file_is_not_embedded(project: Path, era: str) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "huge.md").write_bytes(b"x" * (2 << 20))
    _write_command(project, "Read @docs/huge.md first.")
    async with serving(command_catalog(project), era) as client:
        with bounded():
            result = await client.get_prompt("refs", {"arguments": "x"})
    assert "@docs/huge.md could not be read" in _texts(result)
    assert len(_texts(result)) < 10_000


def _alias_bomb(path: Path) -> None:
    path.write_text("---\na: &a [x, x]\nb: [*a, *a]\n---\nBody.\n")


def _bad_date(path: Path) -> None:
    path.write_text("---\ndescription: d\nupdated: 2024-02-30\n---\nBody.\n")


def _not_utf8(path: Path) -> None:
    path.write_bytes(b"---\ndescription: \xff\xfe\n---\nBody\n")


def _huge(path: Path) -> None:
    path.write_bytes(b"---\ndescription: d\n---\n" + b"y" * (2 << 20))


def _link_out(path: Path) -> None:
    path.symlink_to(path.parent.parent.parent / "secret.txt")


HOSTILE_FILES: dict[str, Callable[[Path], None]] = {
    "fifo": os.mkfifo,
    "link-out": _link_out,
    "alias-bomb": _alias_bomb,
    "bad-date": _bad_date,
    "not-utf8": _not_utf8,
    "huge": _huge,
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
async def test_a_hostile_command_file_is_a_diagnostic_and_the_others_serve(
    project: Path, era: str, name: str
) -> None:
    make = HOSTILE_FILES[name]
    make(project / "commands" / f"{name}.md")
    with bounded():
        catalog = command_catalog(project)
    assert any(d.path.name == f"{name}.md" for d in catalog.diagnostics), catalog.diagnostics
    async with serving(catalog, era) as client:
        with bounded():
            prompts = (await client.list_prompts()).prompts
            good = await client.get_prompt("good", {"arguments": "now"})
    assert "good" in {p.name for p in prompts}
    assert name not in {p.name for p in prompts}
    assert "Do the good thing with now." in _texts(good)
    assert SECRET.decode() not in str([p.model_dump() for p in prompts])
