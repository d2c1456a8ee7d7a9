"""Every ```python block under skills/ runs, each in its own interpreter, with no network.

Convention, written on the line right before a block's opening fence:

- nothing: the block runs standalone as written;
- ``<!-- example: continues -->``: the block runs appended to the previous python block of
  the same file (that block's chain, when it continues one too);
- ``<!-- example: not-run (REASON) -->``: the block is never run; REASON names what it needs.

A block that defines ``test_*`` functions is run with pytest, any other with ``python``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SKILLS = Path(__file__).resolve().parent.parent / "skills"
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
MARK = re.compile(r"<!-- example: (continues|not-run \((?P<reason>[^)]+)\)) -->\s*$")
TIMEOUT = 60
# Blocks that are not run, with why: kept short on purpose, and listed here so a new one is a
# visible decision (path relative to skills/, the block's opening-fence line).
NOT_RUN_BUDGET = 7
SCAFFOLD = "needs the app/ package scaffold from SKILL.md: app.main.create_app"
POSTGRES = "needs a PostgreSQL server"
EXPECTED_NOT_RUN = {
    "skills/fastapi/references/testing.md:60": SCAFFOLD,
    "skills/fastapi/references/testing.md:131": SCAFFOLD,
    "skills/fastapi/references/testing.md:175": SCAFFOLD,
    "skills/langgraph/references/persistence-and-memory.md:105": POSTGRES,
    "skills/langgraph/references/persistence-and-memory.md:140": POSTGRES,
    "skills/langgraph/references/serving-with-fastapi.md:435": POSTGRES
    + "; the claim logic it replaces runs in the test above",
}


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    code: str  # the code to run: this block, after the blocks it continues
    not_run: str | None

    @property
    def where(self) -> str:
        return f"skills/{self.path.relative_to(SKILLS).as_posix()}:{self.line}"

    @property
    def is_test_module(self) -> bool:
        return re.search(r"^(async )?def test_", self.code, re.M) is not None


def _blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    blocks: list[Block] = []
    chain = ""
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = MARK.search(before)
        code = match.group(1)
        if mark and mark.group(1) == "continues":
            assert blocks, f"skills/{path.relative_to(SKILLS)}:{line} continues nothing"
            chain = f"{chain}\n{code}"
        else:
            chain = code
        reason = mark.group("reason") if mark else None
        blocks.append(Block(path, line, chain, reason))
    return blocks


BLOCKS = [b for p in sorted(SKILLS.rglob("*.md")) for b in _blocks(p)]
RUN = [b for b in BLOCKS if b.not_run is None]
NOT_RUN = [b for b in BLOCKS if b.not_run is not None]


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
        HOME=str(tmp_path),
    )
    return env


def test_skills_hold_python_examples_and_few_are_not_run() -> None:
    assert len(BLOCKS) > 100
    listed = {b.where: b.not_run for b in NOT_RUN}
    assert listed == EXPECTED_NOT_RUN, "a not-run block was added or removed: update the list"
    assert len(listed) < NOT_RUN_BUDGET


@pytest.mark.parametrize("block", RUN, ids=[b.where for b in RUN])
def test_python_example_runs(block: Block, tmp_path: Path) -> None:
    script = tmp_path / "test_example.py"
    script.write_text(block.code, encoding="utf-8")
    if block.is_test_module:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)]
    else:
        command = [sys.executable, str(script)]
    try:
        done = subprocess.run(
            command,
            cwd=tmp_path,
            env=_offline_env(tmp_path),
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
