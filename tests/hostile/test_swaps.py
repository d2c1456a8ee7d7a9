"""Swaps after listing, digests that must stay true, and what a broken file serves.

The catalog is built first; then the disk changes under it (no watcher: as with
``--no-watch``). Nothing outside the root is served, nothing blocks, nothing grows
without bound, and a digest always matches the bytes a read serves now.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import mcp_types as types
import pytest
from mcp.shared.exceptions import MCPError

from agent_mcp.catalog.build import build_catalog
from agent_mcp.files import reading
from tests.hostile.conftest import (
    SECRET,
    bounded,
    catalog_of,
    get_skill,
    list_skills,
    read_bytes,
    serving,
    skill_md,
    sources,
)

pytestmark = pytest.mark.anyio


def _swap_skill(root: Path) -> Path:
    folder = root / "skills" / "swap"
    (folder / "refs").mkdir(parents=True)
    (folder / "SKILL.md").write_bytes(skill_md("swap"))
    (folder / "refs" / "a.md").write_bytes(b"# A\n")
    return folder


def _outside(root: Path) -> Path:
    """A copy of the skill outside the root whose every file holds the secret."""
    outside = root.parent / "outside" / "swap"
    (outside / "refs").mkdir(parents=True)
    (outside / "SKILL.md").write_bytes(skill_md("swap", f"x: {SECRET.decode()}\n"))
    (outside / "refs" / "a.md").write_bytes(SECRET)
    return outside


def _replace_with_link(path: Path, target: Path | str) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    os.symlink(target, path)


SWAPS: dict[str, tuple[str, Callable[[Path, Path], object]]] = {
    "file for a link outside": (
        "refs/a.md",
        lambda s, o: _replace_with_link(s / "refs" / "a.md", o / "refs" / "a.md"),
    ),
    "SKILL.md for a link outside": (
        "SKILL.md",
        lambda s, o: _replace_with_link(s / "SKILL.md", o / "SKILL.md"),
    ),
    "skill folder for a link outside": (
        "refs/a.md",
        lambda s, o: _replace_with_link(s, o),
    ),
    "inner folder for a link outside": (
        "refs/a.md",
        lambda s, o: _replace_with_link(s / "refs", o / "refs"),
    ),
    "file for a FIFO": (
        "refs/a.md",
        lambda s, o: ((s / "refs" / "a.md").unlink(), os.mkfifo(s / "refs" / "a.md")),
    ),
    "file for a link to /dev/zero": (
        "refs/a.md",
        lambda s, o: _replace_with_link(s / "refs" / "a.md", "/dev/zero"),
    ),
    "file for a link to a FIFO outside": (
        "refs/a.md",
        lambda s, o: (
            os.mkfifo(o / "pipe"),
            _replace_with_link(s / "refs" / "a.md", o / "pipe"),
        ),
    ),
    "file for a folder": (
        "refs/a.md",
        lambda s, o: ((s / "refs" / "a.md").unlink(), (s / "refs" / "a.md").mkdir()),
    ),
}


@pytest.fixture(params=["proc-fd", "walk"])
def read_check(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways files/reading.py checks a read: the kernel's record of the opened path
    (Linux), and the component walk every other system uses."""
    if request.param == "walk":
        monkeypatch.setattr(reading, "_HAS_PROC_FD", False)
    return str(request.param)


@pytest.mark.parametrize("swap", list(SWAPS))
async def test_a_swap_after_listing_serves_nothing_from_outside(
    tree: Path, era: str, swap: str, read_check: str
) -> None:
    folder = _swap_skill(tree)
    outside = _outside(tree)
    relpath, change = SWAPS[swap]
    with bounded():
        catalog = catalog_of(tree)
        assert "swap" in catalog.skills
        change(folder, outside)
        async with serving(catalog, era) as client:
            with pytest.raises(MCPError) as caught:
                await read_bytes(client, f"skill://swap/{relpath}")
            assert caught.value.code == types.INVALID_PARAMS
            assert str(tree) not in caught.value.message
            entry = (await get_skill(client, "skill://swap/SKILL.md")).skill
            assert f"skill://swap/{relpath}" not in {r.uri for r in entry.resources}
            tool = "load_skill" if relpath == "SKILL.md" else "read_skill_file"
            args = (
                {"skill": "swap"} if relpath == "SKILL.md" else {"skill": "swap", "path": relpath}
            )
            result = await client.call_tool(tool, args)
            assert result.is_error
            text = " ".join(c.text for c in result.content if isinstance(c, types.TextContent))
            assert SECRET.decode() not in text
            assert str(tree) not in text
            manifest = await read_bytes(client, "skill://swap/_manifest")
            assert SECRET not in manifest


async def test_a_digest_follows_a_same_size_edit_that_keeps_the_mtime(tree: Path, era: str) -> None:
    folder = _swap_skill(tree)
    path = folder / "refs" / "a.md"
    with bounded():
        catalog = catalog_of(tree)
        async with serving(catalog, era) as client:
            before = (await get_skill(client, "skill://swap/SKILL.md")).skill
            st = path.stat()
            path.write_bytes(b"# B\n")  # same size, as cp -p / rsync -t / tar -x leave it
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
            served = await read_bytes(client, "skill://swap/refs/a.md")
            assert served == b"# B\n"
            for entry in (
                (await get_skill(client, "skill://swap/SKILL.md")).skill,
                next(s for s in (await list_skills(client)).skills if s.uri == before.uri),
            ):
                digests = {r.uri: r.digest for r in entry.resources}
                expected = "sha256:" + hashlib.sha256(served).hexdigest()
                assert digests["skill://swap/refs/a.md"] == expected


async def test_a_vanished_file_is_an_error_without_server_paths(tree: Path, era: str) -> None:
    folder = _swap_skill(tree)
    with bounded():
        catalog = catalog_of(tree)
        shutil.rmtree(folder / "refs")
        async with serving(catalog, era) as client:
            result = await client.call_tool(
                "read_skill_file", {"skill": "swap", "path": "refs/a.md"}
            )
            assert result.is_error
            text = " ".join(c.text for c in result.content if isinstance(c, types.TextContent))
            assert "skill://swap/refs/a.md" in text
            assert str(tree) not in text
            with pytest.raises(MCPError) as caught:
                await client.read_resource("skill://swap/refs/a.md")
            assert str(tree) not in caught.value.message


async def test_a_skill_broken_mid_edit_stops_serving_as_one(tree: Path, era: str) -> None:
    folder = _swap_skill(tree)
    with bounded():
        first = catalog_of(tree)
        (folder / "SKILL.md").write_bytes(b'---\nname: swap\n"description: broken\n---\n')
        broken = build_catalog(sources(tree), previous=first, changed=[folder / "SKILL.md"])
        assert "swap" not in broken.skills
        (diagnostic,) = [d for d in broken.diagnostics if d.path == folder / "SKILL.md"]
        assert diagnostic.severity == "error"
        async with serving(broken, era) as client:
            names = {s.frontmatter["name"] for s in (await list_skills(client)).skills}
            assert names == {"good"}
            listed = {str(r.uri) for r in (await client.list_resources()).resources}
            assert not any(uri.startswith("skill://swap/") for uri in listed)
            for uri in ("skill://swap/SKILL.md", "skill://swap/refs/a.md"):
                with pytest.raises(MCPError):
                    await client.read_resource(uri)
            result = await client.call_tool("load_skill", {"skill": "swap"})
            assert result.is_error


async def test_an_agent_broken_mid_edit_serves_its_last_good_version_whole(
    tree: Path, era: str
) -> None:
    path = tree / "agents" / "persona.md"
    good = b"---\nname: persona\ndescription: Good.\n---\nGood persona.\n"
    path.write_bytes(good)
    with bounded():
        first = catalog_of(tree)
        path.write_bytes(b'---\nname: persona\n"description: broken\n---\nBroken persona.\n')
        broken = build_catalog(sources(tree), previous=first, changed=[path])
        assert "persona" in broken.agents
        async with serving(broken, era) as client:
            assert await read_bytes(client, "agent://persona") == good
            prompt = await client.get_prompt("persona")
            text = " ".join(
                m.content.text for m in prompt.messages if isinstance(m.content, types.TextContent)
            )
            assert "Good persona." in text
            assert "Broken persona." not in text
