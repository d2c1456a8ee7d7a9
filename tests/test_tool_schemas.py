"""Tool schemas are constants, so listing tools builds no model and imports no tool's
implementation; the constants stay equal to the models that validate and shape calls.
And a cold start of the default catalog imports nothing its first answers do not need."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from pydantic import BaseModel

from agent_mcp.server.tools import (
    command_calls,
    fixed_schemas,
    framework_outputs,
    framework_schemas,
)
from agent_mcp.server.tools import skill_models as skills
from agent_mcp.server.wire import compact_schema

SCHEMAS: list[tuple[dict[str, Any], type[BaseModel], str]] = [
    (framework_schemas.DECISION_SCHEMA, framework_outputs.DecisionOut, "serialization"),
    (framework_schemas.CHECKLIST_SCHEMA, framework_outputs.ChecklistOut, "serialization"),
    (fixed_schemas.LIST_SKILLS_IN, skills.ListSkillsIn, "validation"),
    (fixed_schemas.SKILL_LIST_OUT, skills.SkillList, "serialization"),
    (fixed_schemas.SKILL_IN, skills.SkillIn, "validation"),
    (fixed_schemas.READ_FILE_IN, skills.ReadFileIn, "validation"),
    (fixed_schemas.SEARCH_IN, skills.SearchIn, "validation"),
    (fixed_schemas.SEARCH_OUT, skills.SearchResults, "serialization"),
    (fixed_schemas.LIST_COMMANDS_IN, command_calls.ListCommandsIn, "validation"),
    (fixed_schemas.COMMAND_LIST_OUT, command_calls.CommandList, "serialization"),
    (fixed_schemas.LOAD_COMMAND_IN, command_calls.LoadCommandIn, "validation"),
    (fixed_schemas.LOADED_COMMAND_OUT, command_calls.LoadedCommand, "serialization"),
]


@pytest.mark.parametrize(
    ("schema", "model", "mode"), SCHEMAS, ids=[m.__name__ for _, m, _ in SCHEMAS]
)
def test_listed_schema_equals_its_models_schema(
    schema: dict[str, Any], model: type[BaseModel], mode: Any
) -> None:
    assert compact_schema(model.model_json_schema(mode=mode)) == schema


# Run in a fresh interpreter: what a cold server imports to answer its first tools/list.
COLD = """
import sys, json, anyio
from mcp import Client
from agent_mcp.catalog.build import build_catalog
from agent_mcp.server import ServerState, build_server
from agent_mcp.settings import Settings

DEFERRED = [
    "agent_mcp.server.tools.skill_calls",
    "agent_mcp.server.tools.command_calls",
    "agent_mcp.server.tools.framework_outputs",
    "agent_mcp.server.tools.skill_models",
    "agent_mcp.features.search",
    "agent_mcp.features.decisions",
    "agent_mcp.features.persona",
    "yaml",
    # Only for git roots, marketplaces, ~/.claude, commands and reloads:
    "agent_mcp.sources.git",
    "agent_mcp.sources.marketplace",
    "agent_mcp.sources.claude_home",
    "agent_mcp.catalog.hints",
    "agent_mcp.server.catalog_diff",
]

async def main():
    settings, _ = Settings.from_env({}).resolve()
    catalog = build_catalog(settings.sources(), include_skills=False)
    async with Client(build_server(ServerState(catalog))) as client:
        tools = await client.list_tools()
        listed = [m for m in DEFERRED if m in sys.modules]
        await client.call_tool("search_skills", {"query": "pagination"})
        await client.call_tool("backend-developer__sync-vs-async", {"answer": "x"})
        called = [m for m in DEFERRED if m in sys.modules]
    print(json.dumps({"tools": len(tools.tools), "listed": listed, "called": called}))

anyio.run(main)
"""


def test_a_cold_start_imports_only_what_its_first_answers_need() -> None:
    done = subprocess.run(
        [sys.executable, "-c", COLD], capture_output=True, text=True, timeout=120, check=True
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["tools"] >= 5
    assert seen["listed"] == []
    # The first calls bring in what they need (so the list above names real modules).
    for module in ("skill_calls", "framework_outputs", "search", "decisions"):
        assert any(m.endswith(module) for m in seen["called"]), module
