"""A Claude Code user folder (``~/.claude``) as a root: its own folders and its plugins.

The fixture under tests/data/claude_home mirrors what Claude Code 2.1.197 writes
(``claude plugin marketplace add`` / ``install`` / ``disable`` run offline against local
marketplaces): ``plugins/installed_plugins.json`` (version 2), ``known_marketplaces.json``,
``marketplaces/<name>/`` clones, ``cache/<marketplace>/<plugin>/<version>/`` copies and
``settings.json`` ``enabledPlugins``. Its absolute paths name ``/home/user/.claude``; the
``home`` fixture rewrites them to where the copy lives, as Claude Code would have.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.cli.main import main
from agent_mcp.server import ServerState, build_server
from agent_mcp.sources.claude_home import home_sources
from agent_mcp.sources.local import collect_sources
from tests.conftest import DATA
from tests.test_live import watching

pytestmark = pytest.mark.anyio
FIXTURE = DATA / "claude_home"
WRITTEN_AT = "/home/user/.claude"
SERVED = {
    "home-helper",
    "audit",
    "standup",
    "review-kit:review",
    "review-kit:git:commit",
    "reviewer",
    "shipper",
    "ship-kit:ship",
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    target = tmp_path / ".claude"
    shutil.copytree(FIXTURE, target)
    for name in ("installed_plugins.json", "known_marketplaces.json"):
        path = target / "plugins" / name
        path.write_text(path.read_text().replace(WRITTEN_AT, str(target)))
    return target


def catalog_of(root: Path) -> Catalog:
    return build_catalog(collect_sources(roots=[root], bundled=False, environ={}))


def listed(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["list", "--json", "--no-bundled", "--root", str(root)]) == 0
    return json.loads(capsys.readouterr().out)


def prompt_names(catalog: Catalog) -> set[str]:
    return set(catalog.agents) | set(catalog.commands)


async def test_a_home_serves_its_folders_and_its_enabled_plugins(home: Path, era: str) -> None:
    with anyio.fail_after(20):
        async with Client(build_server(ServerState(catalog_of(home))), mode=era) as client:
            prompts = {p.name for p in (await client.list_prompts()).prompts}
            uris = {str(r.uri) for r in (await client.list_resources()).resources}
            # `argument-hint: [staging|production]` lists choices, not a name.
            result = await client.get_prompt("ship-kit:ship", {"arg1": "staging"})
    assert prompts == SERVED
    assert "skill://home-notes/SKILL.md" in uris
    assert not any("runbook" in uri for uri in uris), "ops-kit is disabled"
    content = result.messages[0].content
    assert getattr(content, "text", "") == "Ship to staging.\n"


def test_plugins_claude_code_would_not_load_are_listed_with_why(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = listed(home, capsys)
    why = {n["plugin"]: n["why"] for n in payload["notServed"] if n["part"] == "plugin"}
    assert set(why) == {
        "ops-kit@fixture-market",
        "notes@team-market",
        "team-only@team-market",
        "orphan@gone-market",
        "ghost@fixture-market",
    }
    assert why["ops-kit@fixture-market"].startswith("disabled in settings.json")
    assert "does not list it" in why["notes@team-market"]
    assert "project scope: /home/user/work/app" in why["team-only@team-market"]
    assert "'gone-market' is no longer in known_marketplaces.json" in why["orphan@gone-market"]
    assert "not installed" in why["ghost@fixture-market"]
    # What a served plugin holds that only Claude Code runs is listed as before.
    assert {(n["plugin"], n["part"]) for n in payload["notServed"]} >= {("review-kit", "hooks")}


def test_missing_and_escaping_install_paths_are_diagnostics(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = listed(home, capsys)
    found = {
        (d["code"], Path(d["path"]).name, d["message"].split("'")[1])
        for d in payload["diagnostics"]
    }
    assert found == {
        ("plugin-not-cached", "installed_plugins.json", "lost@team-market"),
        ("plugin-path-outside", "installed_plugins.json", "escape@team-market"),
    }
    escape = next(d for d in payload["diagnostics"] if d["code"] == "plugin-path-outside")
    assert "claude plugin install escape@team-market" in escape["fix"]
    assert {c["name"] for c in payload["commands"]} == SERVED - {
        "home-helper",
        "reviewer",
        "shipper",
    }


def test_a_plugin_has_the_same_names_from_the_home_and_from_its_marketplace(home: Path) -> None:
    from_market = catalog_of(DATA / "marketplace")
    from_home = catalog_of(home)

    def review_kit(catalog: Catalog) -> set[str]:
        return {n for n in prompt_names(catalog) if n.startswith("review-kit:")} | {
            a.name for a in catalog.agents.values() if a.namespace == "review-kit"
        }

    assert (
        review_kit(from_home)
        == review_kit(from_market)
        == {
            "review-kit:review",
            "review-kit:git:commit",
            "reviewer",
        }
    )


def test_a_home_copied_elsewhere_serves_from_its_own_cache() -> None:
    # The fixture's records name /home/user/.claude: a copied or mounted home.
    assert prompt_names(catalog_of(FIXTURE)) == SERVED


def test_the_folder_holding_dot_claude_is_read_as_the_home(home: Path) -> None:
    assert prompt_names(catalog_of(home.parent)) == SERVED


def test_an_install_path_linking_out_of_the_plugins_folder_is_refused(
    home: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(home / "plugins" / "cache" / "team-market" / "ship-kit" / "0.3.0", outside)
    version = home / "plugins" / "cache" / "team-market" / "ship-kit" / "0.3.0"
    shutil.rmtree(version)
    version.symlink_to(outside, target_is_directory=True)
    found = home_sources(home)
    assert [d.code for d in found.diagnostics] == [
        "plugin-path-outside",
        "plugin-not-cached",
        "plugin-path-outside",
    ]
    assert not any(s.namespace == "ship-kit" for s in found.sources)


def test_version_1_records_and_version_constraints_are_read(home: Path) -> None:
    installed = home / "plugins" / "installed_plugins.json"
    path = str(home / "plugins" / "cache" / "team-market" / "notes" / "0.2.0")
    record = {"version": "0.2.0", "installedAt": "2026-01-01T00:00:00Z", "installPath": path}
    installed.write_text(json.dumps({"version": 1, "plugins": {"notes@team-market": record}}))
    settings = home / "settings.json"
    settings.write_text(json.dumps({"enabledPlugins": {"notes@team-market": ["^0.2.0"]}}))
    found = home_sources(home)
    assert found.diagnostics == []
    assert {(s.kind, s.namespace) for s in found.sources} == {("commands", "notes")}


def _huge() -> str:
    return '{"plugins": {' + ", ".join(f'"p{i}@m": []' for i in range(70_000)) + "}}"


@pytest.mark.parametrize(
    ("relpath", "text", "says"),
    [
        ("plugins/installed_plugins.json", "{not json", "cannot read this file as JSON"),
        ("plugins/installed_plugins.json", "[]", "not a JSON object"),
        ("plugins/installed_plugins.json", '{"version": 3, "plugins": {}}', "version 3"),
        ("plugins/installed_plugins.json", '{"version": 2, "plugins": []}', "version 2"),
        ("plugins/installed_plugins.json", "[" * 100_000, "nests too deeply"),
        ("plugins/installed_plugins.json", _huge(), "limit"),
        (
            "plugins/installed_plugins.json",
            '{"version": 2, "plugins": {"review-kit@fixture-market": [{"installPath": 7}],'
            ' "no id": [], "x@y": "text"}}',
            "is not a plugin id with install records",
        ),
        ("settings.json", '{"enabledPlugins": ["review-kit@fixture-market"]}', "not an object"),
        (
            "settings.json",
            '{"enabledPlugins": {"review-kit@fixture-market": "yes", "bad id": true}}',
            "is not 'name@marketplace': true/false",
        ),
        ("plugins/known_marketplaces.json", '"fixture-market"', "not a JSON object"),
    ],
)
def test_hostile_records_are_diagnostics_naming_the_file(
    home: Path, relpath: str, text: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / relpath).write_text(text)
    payload = listed(home, capsys)
    named = [d for d in payload["diagnostics"] if d["path"] == str(home / relpath)]
    assert named, payload["diagnostics"]
    assert all(d["severity"] == "error" and d["fix"] for d in named)
    assert any(says in d["message"] for d in named), named
    # The home's own folders serve whatever its records say.
    assert {"home-helper"} <= {a["name"] for a in payload["agents"]}


def test_a_fifo_for_settings_is_a_diagnostic_and_never_blocks(home: Path) -> None:
    settings = home / "settings.json"
    settings.unlink()
    os.mkfifo(settings)
    found = home_sources(home)
    assert [(d.code, d.path) for d in found.diagnostics][:1] == [("bad-manifest", settings)]


def test_a_linked_settings_file_is_followed(home: Path, tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "settings.json"
    dotfiles.parent.mkdir()
    dotfiles.write_text(json.dumps({"enabledPlugins": {"notes@team-market": True}}))
    (home / "settings.json").unlink()
    (home / "settings.json").symlink_to(dotfiles)
    names = prompt_names(catalog_of(home))
    assert "notes:note" in names
    assert "review-kit:review" not in names


async def test_an_edited_plugin_command_reaches_clients(home: Path, era: str) -> None:
    sources = collect_sources(roots=[home], bundled=False, environ={})
    commands = home / "plugins" / "cache" / "team-market" / "ship-kit" / "0.3.0" / "commands"
    async with watching(home, era, sources) as (client, received, _):
        (commands / "rollback.md").write_text("Roll back $ARGUMENTS\n")
        await received.wait_for({"prompts"})
        names = {p.name for p in (await client.list_prompts()).prompts}
    assert "ship-kit:rollback" in names
