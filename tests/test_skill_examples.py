"""Every ```python block under skills/ runs, each in its own interpreter, with no network.

Convention: an HTML comment on the line right before a block's opening fence, holding one
or more clauses separated by "; ", for example ``<!-- example: file tests/conftest.py;
with app/main.py -->``:

- nothing: the block runs standalone as written, from ``test_example.py``;
- ``continues``: the block runs appended to the previous python block of the same file
  (that block's chain, when it continues one too), with that block's files and stand-in,
  from ``test_example.py``;
- ``file PATH``: the block, in any language, is also the file PATH. A python block runs
  from that path;
- ``with PATH, ...``: those files are written into the example's folder before it runs.
  A name resolves to the block declared ``file PATH`` in the same markdown file, else in
  the skill's SKILL.md;
- ``stand-in NAME (WHY)``: the block needs a server CI does not have. It runs with the
  named entry of STAND_INS: a few import lines swapped for ones that need no server, each
  swap listed below. With SKILL_EXAMPLES_DATABASE_URL set, the same blocks also run as
  written against that server.

The example's folder is on PYTHONPATH, as a project root is. A block that defines
``test_*`` functions is run with pytest, any other with ``python``. No block is left out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SKILLS = Path(__file__).resolve().parent.parent / "skills"
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<code>.*?)^```", re.S | re.M)
MARK = re.compile(r"^<!-- example: (?P<clauses>.+) -->\s*$")
CLAUSE = re.compile(
    r"^(?:(?P<continues>continues)|file (?P<file>\S+)|with (?P<with>\S+(?:, \S+)*)"
    r"|stand-in (?P<stand_in>[\w-]+) \((?P<why>[^)]+)\))$"
)
TIMEOUT = 60
STAND_IN_MODULE = Path(__file__).resolve().parent / "skill_stand_ins.py"
SERVER_URL = os.environ.get("SKILL_EXAMPLES_DATABASE_URL")


@dataclass(frozen=True)
class StandIn:
    """Import lines swapped so a block runs without its server; `gone` must not remain."""

    swaps: tuple[tuple[str, str], ...]
    gone: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict[str, str])


STAND_INS = {
    # The same graph code on the SQLite savers (langgraph-checkpoint-sqlite): the saver
    # classes keep their Postgres names, and the pool is one aiosqlite connection.
    "sqlite-checkpointer": StandIn(
        swaps=(
            (
                "from langgraph.checkpoint.postgres import PostgresSaver",
                "from langgraph.checkpoint.sqlite import SqliteSaver as PostgresSaver",
            ),
            (
                "from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver",
                "from langgraph.checkpoint.sqlite.aio"
                " import AsyncSqliteSaver as AsyncPostgresSaver",
            ),
            (
                "from psycopg_pool import AsyncConnectionPool",
                "from skill_stand_ins import SqliteConnectionPool as AsyncConnectionPool",
            ),
        ),
        gone=("langgraph.checkpoint.postgres", "psycopg"),
        env={"DATABASE_URL": ":memory:"},
    ),
    # psycopg's AsyncConnection with Postgres's transaction-level advisory locks, in memory.
    "advisory-lock": StandIn(
        swaps=(
            (
                "from psycopg import AsyncConnection",
                "from skill_stand_ins import AdvisoryLockConnection as AsyncConnection",
            ),
        ),
        gone=("psycopg",),
    ),
}


@dataclass(frozen=True)
class Mark:
    continues: bool = False
    file: str | None = None
    needs: tuple[str, ...] = ()
    stand_in: str | None = None


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    code: str  # the code to run: this block, after the blocks it continues
    file: str | None  # where the block runs from, when it names its own path
    needs: tuple[str, ...]  # files to write first, from the chain
    stand_in: str | None

    @property
    def where(self) -> str:
        return f"skills/{self.path.relative_to(SKILLS).as_posix()}:{self.line}"

    @property
    def is_test_module(self) -> bool:
        return re.search(r"^(async )?def test_", self.code, re.M) is not None


def _mark(path: Path, line: int, text: str) -> Mark:
    found = MARK.match(text)
    if found is None:
        assert "<!-- example" not in text, f"{path}:{line}: unreadable marker {text!r}"
        return Mark()
    continues, file, needs, stand_in = False, None, (), None
    for clause in found.group("clauses").split("; "):
        part = CLAUSE.match(clause)
        assert part, f"{path}:{line}: unknown clause {clause!r}"
        continues = continues or part.group("continues") is not None
        file = part.group("file") or file
        needs = tuple(part.group("with").split(", ")) if part.group("with") else needs
        stand_in = part.group("stand_in") or stand_in
        assert stand_in is None or stand_in in STAND_INS, f"{path}:{line}: no {stand_in}"
    return Mark(continues, file, needs, stand_in)


def _read(path: Path) -> tuple[list[Block], dict[str, str]]:
    """The file's python blocks, and the contents of the blocks it declares as files."""
    text = path.read_text(encoding="utf-8")
    blocks: list[Block] = []
    files: dict[str, str] = {}
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = _mark(path, line, before)
        code = match.group("code")
        if mark.file:
            assert mark.file not in files, f"{path}:{line}: {mark.file} declared twice"
            files[mark.file] = code
        if match.group("lang") != "python":
            runs_alone = Mark(file=mark.file)
            assert mark == runs_alone, f"{path}:{line}: only a python block runs"
            continue
        if mark.continues:
            assert blocks, f"{path}:{line} continues nothing"
            assert not mark.file, f"{path}:{line}: a continuation is no file of its own"
            last = blocks[-1]
            chain = f"{last.code}\n{code}"
            needs = last.needs + mark.needs
            blocks.append(Block(path, line, chain, None, needs, mark.stand_in or last.stand_in))
        else:
            blocks.append(Block(path, line, code, mark.file, mark.needs, mark.stand_in))
    return blocks, files


def _collect() -> tuple[list[Block], dict[Path, dict[str, str]]]:
    blocks: list[Block] = []
    files: dict[Path, dict[str, str]] = {}
    for path in sorted(SKILLS.rglob("*.md")):
        found, declared = _read(path)
        blocks += found
        files[path] = declared
    return blocks, files


BLOCKS, FILES = _collect()
SERVER_BLOCKS = [b for b in BLOCKS if b.stand_in is not None]


def _skill_md(path: Path) -> Path:
    return SKILLS / path.relative_to(SKILLS).parts[0] / "SKILL.md"


def _file_for(block: Block, name: str) -> str:
    for source in (block.path, _skill_md(block.path)):
        if name in FILES.get(source, {}):
            return FILES[source][name]
    raise AssertionError(f"{block.where} needs {name}, which no block declares")


def _with_stand_in(block: Block) -> str:
    assert block.stand_in is not None
    stand_in = STAND_INS[block.stand_in]
    code = block.code
    for old, new in stand_in.swaps:
        code = code.replace(old, new)
    assert code != block.code, f"{block.where}: no swap of {block.stand_in} applies"
    for name in stand_in.gone:
        assert name not in code, f"{block.where}: {name} is still used; extend the stand-in"
    return code


def _offline_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "ANTHROPIC"))}
    # Any attempt at the network goes to a proxy that does not exist and fails fast.
    dead = "http://127.0.0.1:9"
    env.update(
        HTTP_PROXY=dead,
        HTTPS_PROXY=dead,
        ALL_PROXY=dead,
        NO_PROXY="",
        LANGSMITH_TRACING="false",
        LANGCHAIN_TRACING_V2="false",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=str(tmp_path),
        HOME=str(tmp_path),
    )
    return env


def _run(block: Block, code: str, tmp_path: Path, env: dict[str, str]) -> None:
    for name in block.needs:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_file_for(block, name), encoding="utf-8")
    script = tmp_path / (block.file or "test_example.py")
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(code, encoding="utf-8")
    if block.is_test_module:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)]
    else:
        command = [sys.executable, str(script)]
    try:
        done = subprocess.run(
            command,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{block.where}: still running after {TIMEOUT} s")
    assert done.returncode == 0, (
        f"{block.where} failed (exit {done.returncode})\n{done.stdout[-3000:]}\n"
        f"{done.stderr[-3000:]}"
    )


def test_skills_hold_python_examples_and_each_server_needs_a_stand_in() -> None:
    assert len(BLOCKS) > 100
    assert len(SERVER_BLOCKS) <= 4, "a block that needs a server is a visible decision"
    for block in SERVER_BLOCKS:
        _with_stand_in(block)
    for block in BLOCKS:
        for name in block.needs:
            _file_for(block, name)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_python_example_runs(block: Block, tmp_path: Path) -> None:
    env = _offline_env(tmp_path)
    code = block.code
    if block.stand_in is not None:
        code = _with_stand_in(block)
        env.update(STAND_INS[block.stand_in].env)
        shutil.copy(STAND_IN_MODULE, tmp_path / STAND_IN_MODULE.name)
    _run(block, code, tmp_path, env)


@pytest.mark.skipif(SERVER_URL is None, reason="set SKILL_EXAMPLES_DATABASE_URL to a server")
@pytest.mark.parametrize("block", SERVER_BLOCKS, ids=[b.where for b in SERVER_BLOCKS])
def test_server_example_runs_as_written(block: Block, tmp_path: Path) -> None:
    assert SERVER_URL is not None
    env = _offline_env(tmp_path)
    env["DATABASE_URL"] = SERVER_URL
    _run(block, block.code, tmp_path, env)
