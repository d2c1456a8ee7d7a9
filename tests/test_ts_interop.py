"""The TypeScript SDK client calls decision tools and accepts their structured output.

The TS client validates ``structuredContent`` against each tool's ``outputSchema`` (with
Ajv) once it has listed the tools, so a clean run of ``interop/ts_decision.mjs`` means a
client nobody here wrote accepted the output. Skipped, with the reason, when Node or the
SDK cannot be had; ``.ci/run`` has both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
INTEROP = HERE / "interop"
SDK_MANIFEST = INTEROP / "node_modules" / "@modelcontextprotocol" / "sdk" / "package.json"
DATA = HERE / "data" / "frameworks"


@pytest.fixture(scope="module")
def node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not SDK_MANIFEST.exists():
        pytest.skip(
            "the TypeScript SDK is not installed: run npm ci in tests/interop (.ci/run does)"
        )
    return node


@pytest.fixture(scope="module")
def ts_run(node: str) -> dict[str, Any]:
    server = [
        sys.executable,
        "-m",
        "agent_mcp",
        "--agents",
        str(DATA / "agents"),
        "--skills",
        str(DATA / "skills"),
        "--agent",
        "backend-developer",
        "--agent",
        "tree-styles",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
    done = subprocess.run(
        [node, str(INTEROP / "ts_decision.mjs"), *server],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _call(run: dict[str, Any], name: str) -> dict[str, Any]:
    (call,) = [c for c in run["calls"] if c["name"] == name]
    assert call["isError"] is False
    return call["structuredContent"]


def test_ts_client_lists_the_focused_agents_decision_tools(ts_run: dict[str, Any]) -> None:
    assert ts_run["sdk"].startswith("1.")
    assert {"backend-developer__sync-vs-async", "tree-styles__release-channel"} <= set(
        ts_run["tools"]
    )


def test_ts_client_accepts_a_recommendation(ts_run: dict[str, Any]) -> None:
    data = _call(ts_run, "backend-developer__sync-vs-async")
    assert data["recommendation"] == "async def + httpx"


def test_ts_client_accepts_a_next_question(ts_run: dict[str, Any]) -> None:
    data = _call(ts_run, "backend-developer__caching-strategy")
    assert data["status"] == "question"
    assert data["next"]["question"] == "Data characteristics?"


def test_ts_client_accepts_nested_paths(ts_run: dict[str, Any]) -> None:
    assert _call(ts_run, "tree-styles__release-channel")["recommendation"] == (
        "Hold: design a migration first"
    )
    # A bare branch opens options without a question: null where the schema allows it.
    assert _call(ts_run, "tree-styles__arbitration")["next"]["question"] is None


def test_ts_client_accepts_the_checklist(ts_run: dict[str, Any]) -> None:
    data = _call(ts_run, "backend-developer__checklist")
    assert data["complete"] is False
    assert "secrets-not-hardcoded" not in data["remaining"]
