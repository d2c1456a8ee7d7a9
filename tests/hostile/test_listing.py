"""Listing is loop-safe and bounded; special files are diagnosed and never opened."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import (
    bounded,
    catalog_of,
    list_skills,
    run_cli,
    serving,
    skill_md,
)

pytestmark = pytest.mark.anyio


def _skill(root: Path, name: str = "loopy") -> Path:
    folder = root / "skills" / name
    (folder / "refs").mkdir(parents=True)
    (folder / "SKILL.md").write_bytes(skill_md(name))
    (folder / "refs" / "a.md").write_bytes(b"# A\n")
    return folder


LOOPS: dict[str, Callable[[Path], object]] = {
    "two links to the skill itself": lambda s: (
        os.symlink(".", s / "a"),
        os.symlink(".", s / "b"),
    ),
    "links to the parent folder inside": lambda s: (
        os.symlink("..", s / "refs" / "up"),
        os.symlink("..", s / "refs" / "up2"),
    ),
    "two folders linking to each other": lambda s: (
        (s / "x").mkdir(),
        (s / "y").mkdir(),
        os.symlink("../y", s / "x" / "to-y"),
        os.symlink("../x", s / "y" / "to-x"),
    ),
    "a link chain back to the top": lambda s: (
        os.symlink("refs", s / "r1"),
        os.symlink("r1", s / "r2"),
        os.symlink("..", s / "refs" / "back"),
    ),
    "a link to a folder outside the root": lambda s: os.symlink("/", s / "slash"),
    "a self-referencing link": lambda s: os.symlink("self", s / "self"),
}


@pytest.mark.parametrize("shape", list(LOOPS))
async def test_link_loops_are_walked_once(tree: Path, era: str, shape: str) -> None:
    folder = _skill(tree)
    LOOPS[shape](folder)
    with bounded():
        async with serving(catalog_of(tree), era) as client:
            listed = {s.frontmatter["name"]: s for s in (await list_skills(client)).skills}
            uris = [r.uri for r in listed["loopy"].resources]
            assert "skill://loopy/SKILL.md" in uris
            assert len(uris) < 10
            assert (await client.list_tools()).tools
    result = run_cli("validate", "--no-bundled", "--root", str(tree))
    assert "Traceback" not in result.stderr


async def test_a_skill_past_the_entry_bound_is_not_served(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent_mcp.files import listing

    folder = _skill(tree, "wide")
    for n in range(30):
        (folder / "refs" / f"{n}.md").write_bytes(b"x")
    monkeypatch.setattr(listing, "MAX_ENTRIES", 20)
    with bounded():
        catalog = catalog_of(tree)
    assert "wide" not in catalog.skills
    (diagnostic,) = [d for d in catalog.diagnostics if d.code == "skill-too-large"]
    assert "entries" in diagnostic.message


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))


SPECIALS: dict[str, Callable[[Path], None]] = {"FIFO": _fifo, "socket": _socket}


@pytest.mark.parametrize("special", list(SPECIALS))
def test_special_files_never_hang_startup(tree: Path, special: str) -> None:
    make = SPECIALS[special]
    fifo_skill = tree / "skills" / "piped"
    fifo_skill.mkdir()
    make(fifo_skill / "SKILL.md")
    make(tree / "agents" / "x.md")
    folder = _skill(tree, "extras")
    make(folder / "refs" / "pipe.md")
    os.symlink("/dev/null", folder / "refs" / "null.md")
    result = run_cli("validate", "--no-bundled", "--root", str(tree))
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in out
    assert "x.md" in out
    assert "not a regular file" in out
    listed = run_cli("list", "--no-bundled", "--root", str(tree), "--json")
    assert listed.returncode == 0, listed.stderr


async def test_a_special_file_in_a_skill_is_listed_as_a_warning(tree: Path, era: str) -> None:
    folder = _skill(tree, "extras")
    os.mkfifo(folder / "refs" / "pipe.md")
    with bounded():
        catalog = catalog_of(tree)
        codes = {d.code for d in catalog.diagnostics if d.path.name == "pipe.md"}
        assert codes == {"special-file"}
        async with serving(catalog, era) as client:
            listed = {s.frontmatter["name"]: s for s in (await list_skills(client)).skills}
            assert "skill://extras/refs/pipe.md" not in {r.uri for r in listed["extras"].resources}
