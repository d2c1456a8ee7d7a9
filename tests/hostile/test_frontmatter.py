"""Parsing is total: whatever a frontmatter holds, that file gets a diagnostic and
everything else keeps serving; YAML aliases are refused ("billion laughs")."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.hostile.conftest import (
    BOUND,
    bounded,
    catalog_of,
    list_skills,
    run_cli,
    serving,
    skill_md,
)

pytestmark = pytest.mark.anyio

# Values PyYAML's safe constructor rejects (or builds into something JSON cannot
# carry), each in an otherwise valid SKILL.md.
HOSTILE_VALUES = {
    "impossible date": ("updated: 2024-02-30\n", "yaml-value"),
    "month 13": ("updated: 2024-13-01\n", "yaml-value"),
    "bad timestamp time": ("updated: 2024-01-01 25:61:61\n", "yaml-value"),
    "huge int": ("x: " + "9" * 5000 + "\n", "yaml-value"),
    "bad int tag": ("x: !!int nope\n", "yaml-value"),
    "bad float tag": ("x: !!float nope\n", "yaml-value"),
    "alias": ("a: &x hello\nb: *x\n", "yaml-alias"),
    "merge key": ("base: &b {k: v}\nm:\n  <<: *b\n", "yaml-alias"),
    "nested tag": ("x:\n  y: !!python/object:os.system [echo]\n", "yaml-syntax"),
    "frontmatter too large": ("x: '" + "y" * 70_000 + "'\n", "frontmatter-too-large"),
}
# Top-level values PyYAML cannot read that Claude Code reads as quoted text (and so
# does this server, with a warning): never constructed, never expanded; just strings.
QUOTED_VALUES = {
    "python object tag": "x: !!python/object:os.system [echo]\n",
    "python name tag": "x: !!python/name:os.system\n",
    "binary garbage": "x: !!binary '%%%not base64'\n",
    "deep nesting": "x: " + "[" * 5000 + "]" * 5000 + "\n",
    "duplicate anchors": "a: &x 1\nb: &x 2\nc: *x\n",
    "unknown tag": "x: !whatever 1\n",
}
# Values that load but are not JSON as they stand: served, converted.
ODD_VALUES = ["x: .inf\n", "x: .nan\n", "x: !!set {a, b}\n", "x: 123456789012345678901234567890\n"]

# A 462-byte-class alias bomb: nine levels of nine aliases each.
LAUGHS = "a: &a [lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def _tree_with(root: Path, extra: str) -> None:
    bad = root / "skills" / "bad"
    bad.mkdir()
    (bad / "SKILL.md").write_bytes(skill_md("bad", extra))


@pytest.mark.parametrize("case", list(HOSTILE_VALUES))
async def test_a_value_yaml_rejects_is_that_files_diagnostic(
    tree: Path, era: str, case: str
) -> None:
    extra, code = HOSTILE_VALUES[case]
    _tree_with(tree, extra)
    with bounded():
        catalog = catalog_of(tree)
        (diagnostic,) = [d for d in catalog.diagnostics if d.path.parent.name == "bad"]
        assert diagnostic.code == code
        assert diagnostic.severity == "error"
        assert diagnostic.line is not None
        async with serving(catalog, era) as client:
            listed = await list_skills(client)
            assert [s.frontmatter["name"] for s in listed.skills] == ["good"]
            assert (await client.list_tools()).tools


@pytest.mark.parametrize("case", list(QUOTED_VALUES))
async def test_a_value_claude_code_would_quote_is_served_as_text(
    tree: Path, era: str, case: str
) -> None:
    extra = QUOTED_VALUES[case]
    _tree_with(tree, extra)
    with bounded():
        catalog = catalog_of(tree)
        codes = {d.code for d in catalog.diagnostics if d.path.parent.name == "bad"}
        assert "yaml-quoted" in codes
        assert all(d.severity == "warning" for d in catalog.diagnostics)
        async with serving(catalog, era) as client:
            listed = await list_skills(client)
            (bad,) = [s for s in listed.skills if s.frontmatter["name"] == "bad"]
    first_key, first_value = extra.split("\n")[0].split(": ", 1)
    assert bad.frontmatter[first_key] == first_value


@pytest.mark.parametrize("extra", ODD_VALUES)
async def test_values_json_cannot_carry_are_served_converted(
    tree: Path, era: str, extra: str
) -> None:
    _tree_with(tree, extra)
    with bounded():
        async with serving(catalog_of(tree), era) as client:
            listed = await list_skills(client)
            (odd,) = [s for s in listed.skills if s.frontmatter["name"] == "bad"]
            json.dumps(odd.frontmatter, allow_nan=False)


async def test_aliases_are_refused_so_a_laughs_bomb_costs_nothing(tree: Path, era: str) -> None:
    _tree_with(tree, LAUGHS)
    assert len(LAUGHS) < 600
    with bounded():
        catalog = catalog_of(tree)
        (diagnostic,) = [d for d in catalog.diagnostics if d.path.parent.name == "bad"]
        assert diagnostic.code == "yaml-alias"
        assert "write the value out" in diagnostic.fix
        async with serving(catalog, era) as client:
            assert [s.frontmatter["name"] for s in (await list_skills(client)).skills] == ["good"]


def test_validate_reports_a_bad_date_without_a_traceback(tree: Path) -> None:
    _tree_with(tree, "updated: 2024-02-30\n")
    agent = tree / "agents" / "dated.md"
    agent.write_text("---\nname: dated\ndescription: d\nupdated: 2024-02-30\n---\nBody.\n")
    result = run_cli("validate", "--no-bundled", "--root", str(tree))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    out = result.stdout + result.stderr
    assert "SKILL.md:5" in out or "SKILL.md:4" in out
    assert "[yaml-value]" in out
    listed = run_cli("list", "--no-bundled", "--root", str(tree), "--json")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr


def test_validate_calls_a_laughs_bomb_invalid(tree: Path) -> None:
    _tree_with(tree, LAUGHS)
    result = run_cli("validate", "--no-bundled", "--root", str(tree))
    assert result.returncode == 1
    assert "[yaml-alias]" in result.stdout + result.stderr


def test_stdio_serves_despite_a_bad_date(tree: Path) -> None:
    import subprocess
    import sys
    import threading

    _tree_with(tree, "updated: 2024-02-30\n")
    (tree / "agents" / "dated.md").write_text(
        "---\nname: dated\ndescription: d\nupdated: 2024-02-30\n---\nBody.\n"
    )
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "resources/read",
            "params": {"uri": "skill://good/SKILL.md"},
        },
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
    command = [sys.executable, "-m", "agent_mcp", "--no-bundled", "--no-watch", "--root", str(tree)]
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    watchdog = threading.Timer(BOUND, proc.kill)  # a hang fails the test, never blocks it
    watchdog.start()
    try:
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages).encode())
        proc.stdin.flush()
        replies: dict[int, dict[str, object]] = {}
        while 2 not in replies:
            line = proc.stdout.readline()
            assert line, "the server exited"
            reply = json.loads(line)
            if "id" in reply:
                replies[reply["id"]] = reply
        assert "result" in replies[2], replies
        proc.stdin.close()
        assert proc.wait() == 0
    finally:
        watchdog.cancel()
        proc.kill()
    assert proc.stderr is not None
    assert b"Traceback" not in proc.stderr.read()
