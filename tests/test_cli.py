"""The command line: list, validate, --version, --help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import agent_mcp
from agent_mcp.cli.main import main

DATA = Path(__file__).parent / "data"


def test_list_shows_the_bundled_agent_and_its_skills(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "backend-developer" in out
    for skill in ("api-design", "fastapi", "architecture-patterns", "langgraph"):
        assert f"skill://{skill}/SKILL.md" in out


def test_bundled_default_has_every_skill_and_no_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["list", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    (agent,) = payload["agents"]
    assert agent["missingSkills"] == []
    assert payload["diagnostics"] == []


def test_list_json_includes_diagnostics(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["list", "--json", "--no-bundled", "--agents", str(DATA / "broken" / "agents")])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    codes = {d["code"] for d in payload["diagnostics"]}
    assert {"yaml-syntax", "missing-field", "not-utf8"} <= codes


def test_options_before_the_subcommand_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-bundled", "--agents", str(DATA / "catalog" / "agents"), "list", "--json"])
    names = [a["name"] for a in json.loads(capsys.readouterr().out)["agents"]]
    assert names == ["code-reviewer", "minimal"]


def test_validate_exits_1_on_errors_with_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "broken" / "agents" / "bad-yaml.md")]) == 1
    out = capsys.readouterr().out
    assert f"{DATA / 'broken' / 'agents' / 'bad-yaml.md'}:3: error [yaml-syntax]" in out
    assert "Fix:" in out


def test_validate_exits_0_on_valid_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "catalog" / "skills" / "demo-skill")]) == 0
    assert capsys.readouterr().out.startswith("valid: 0 agents, 1 skills")


def test_validate_json_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--json", str(DATA / "broken" / "skills")]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["valid"] is False
    assert payload["errors"] >= 6
    assert {"path", "line", "code", "severity", "message", "fix"} == set(payload["diagnostics"][0])


def test_validate_reports_a_missing_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "missing-path" in capsys.readouterr().out


def test_validate_passes_on_the_bundled_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0, capsys.readouterr().out


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert agent_mcp.__version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "examples:" in capsys.readouterr().out
