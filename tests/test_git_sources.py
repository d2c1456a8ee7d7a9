"""Git repositories as roots: served from local bare repositories over file://."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.server import Server

from agent_mcp.catalog.build import build_catalog
from agent_mcp.cli.main import main
from agent_mcp.settings import Settings, split_roots
from agent_mcp.sources import git
from agent_mcp.sources.local import collect_sources
from agent_mcp.sources.marketplace import remote_spec
from tests.conftest import GitRemote
from tests.test_live import watching

pytestmark = pytest.mark.anyio


def agent(name: str) -> str:
    return f"---\nname: {name}\ndescription: The {name} agent\n---\nYou are {name}.\n"


def served(spec: str, *, refresh: bool = False) -> tuple[set[str], git.Checkout]:
    checkout = git.materialize(git.parse(spec), refresh=refresh)
    roots = [checkout.path] if checkout.path else []
    catalog = build_catalog(collect_sources(roots=roots, bundled=False))
    return set(catalog.agents), checkout


def cli_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["list", "--json", "--no-bundled", *argv]) == 0
    return json.loads(capsys.readouterr().out)


async def test_a_git_root_serves_its_agents_as_prompts(
    git_remote: GitRemote, make_server: Callable[..., Server[Any]], era: str
) -> None:
    git_remote.commit({"agents/alpha.md": agent("alpha")})
    names, checkout = served(git_remote.url)
    assert names == {"alpha"}
    assert checkout.diagnostics == []
    catalog = build_catalog(collect_sources(roots=[checkout.path or Path()], bundled=False))
    with anyio.fail_after(10):
        async with Client(make_server(catalog), mode=era) as client:
            prompts = {p.name for p in (await client.list_prompts()).prompts}
    assert "alpha" in prompts


def test_a_tag_or_a_commit_pins_the_checkout(git_remote: GitRemote) -> None:
    first = git_remote.commit({"agents/alpha.md": agent("alpha")}, tag="v1")
    git_remote.commit({"agents/beta.md": agent("beta")})
    assert served(git_remote.url)[0] == {"alpha", "beta"}
    assert served(f"{git_remote.url}#v1")[0] == {"alpha"}
    assert served(f"{git_remote.url}#{first}")[0] == {"alpha"}


def test_a_subdir_serves_only_that_folder_of_the_repository(git_remote: GitRemote) -> None:
    git_remote.commit(
        {"agents/top.md": agent("top"), "plugins/x/agents/inner.md": agent("inner")}, tag="v1"
    )
    assert served(f"{git_remote.url}//plugins/x#v1")[0] == {"inner"}
    names, checkout = served(f"{git_remote.url}//nowhere")
    assert names == set()
    assert [d.code for d in checkout.diagnostics] == ["git-subdir-missing"]


def test_a_marketplace_repository_serves_like_a_local_one(
    git_remote: GitRemote, capsys: pytest.CaptureFixture[str]
) -> None:
    git_remote.commit({"plugins/tools/agents/helper.md": agent("helper")})
    payload = cli_json(["--root", git_remote.url], capsys)
    assert [(a["name"], Path(a["path"]).name) for a in payload["agents"]] == [
        ("helper", "helper.md")
    ]
    assert payload["diagnostics"] == []


def test_sync_after_a_new_commit_serves_the_new_agent(
    git_remote: GitRemote, capsys: pytest.CaptureFixture[str]
) -> None:
    old = git_remote.commit({"agents/alpha.md": agent("alpha")})
    assert served(git_remote.url)[0] == {"alpha"}
    new = git_remote.commit({"agents/beta.md": agent("beta")})
    # Start-up uses the cache: no network, so the new commit is not there yet.
    assert served(git_remote.url)[0] == {"alpha"}
    assert main(["sync", "--root", git_remote.url]) == 0
    assert f"{old[:12]} -> {new[:12]}" in capsys.readouterr().out
    assert served(git_remote.url)[0] == {"alpha", "beta"}
    assert main(["sync", "--root", git_remote.url]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_cached_checkout_serves_when_the_remote_is_gone(
    git_remote: GitRemote, capsys: pytest.CaptureFixture[str]
) -> None:
    git_remote.commit({"agents/alpha.md": agent("alpha")})
    served(git_remote.url)
    shutil.rmtree(git_remote.bare)
    names, checkout = served(git_remote.url)
    assert names == {"alpha"}
    assert checkout.diagnostics == []
    names, checkout = served(git_remote.url, refresh=True)
    assert names == {"alpha"}
    assert [(d.code, d.severity) for d in checkout.diagnostics] == [
        ("git-refresh-failed", "warning")
    ]
    assert main(["sync", "--root", git_remote.url]) == 1
    assert "serving the last good checkout" in capsys.readouterr().out


def test_a_broken_remote_is_an_error_and_the_rest_still_serves(
    git_remote: GitRemote, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = (git_remote.bare.parent / "missing.git").as_uri()
    payload = cli_json(
        ["--root", missing, "--agents", str(data_dir / "catalog" / "agents")], capsys
    )
    assert payload["agents"], "the local agents still serve"
    (diagnostic,) = [d for d in payload["diagnostics"] if d["code"] == "git-clone-failed"]
    assert diagnostic["severity"] == "error"
    assert missing in diagnostic["message"]


def test_a_token_in_the_url_never_reaches_a_diagnostic(git_remote: GitRemote) -> None:
    # Port 1 on loopback refuses at once: the clone fails without leaving the machine.
    url = "https://someone:s3cret-token@127.0.0.1:1/org/repo.git"
    _, checkout = served(url)
    (diagnostic,) = checkout.diagnostics
    assert diagnostic.code == "git-clone-failed"
    assert "s3cret-token" not in str(diagnostic)
    assert "someone" not in str(diagnostic)
    assert "https://***@127.0.0.1:1/org/repo.git" in str(diagnostic)
    assert "s3cret" not in str(git.checkout_dir(git.parse(url)))


def test_missing_git_is_a_clear_error(
    git_remote: GitRemote, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _, checkout = served(git_remote.url)
    assert [d.code for d in checkout.diagnostics] == ["git-missing"]


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        (
            "file:///srv/repo.git//plugins/x#v1",
            git.GitSpec("file:///srv/repo.git", "v1", "plugins/x"),
        ),
        ("https://host/org/repo.git", git.GitSpec("https://host/org/repo.git")),
        ("https://host/org/repo//sub", git.GitSpec("https://host/org/repo", None, "sub")),
        ("ssh://git@host/org/repo.git#main", git.GitSpec("ssh://git@host/org/repo.git", "main")),
        (
            "git@host:org/repo.git//a/b#abc1234",
            git.GitSpec("git@host:org/repo.git", "abc1234", "a/b"),
        ),
    ],
)
def test_git_urls_parse_into_url_ref_and_subdir(text: str, spec: git.GitSpec) -> None:
    assert git.is_git_url(text)
    assert git.parse(text) == spec


def test_local_paths_are_not_git_urls() -> None:
    assert not git.is_git_url("./marketplace")
    assert not git.is_git_url("/srv/repo")
    assert git.redact("https://user:tok@host/x") == "https://***@host/x"


async def test_a_refresh_reaches_connected_clients_through_live_reload(
    git_remote: GitRemote, era: str
) -> None:
    git_remote.commit({"agents/alpha.md": agent("alpha")})
    _, checkout = served(git_remote.url)
    sources = collect_sources(roots=[checkout.path or Path()], bundled=False, environ={})
    async with watching(Path(), era, sources) as (client, received, _state):
        git_remote.commit({"agents/beta.md": agent("beta")})
        # What --sync-every does on its timer: refresh the checkout in place.
        refreshed = await anyio.to_thread.run_sync(
            lambda: git.materialize(git.parse(git_remote.url), refresh=True)
        )
        assert refreshed.diagnostics == []
        await received.wait_for({"prompts"})
        prompts = {p.name for p in (await client.list_prompts()).prompts}
    assert {"alpha", "beta"} <= prompts


def remote_market(base: Path, source: dict[str, Any]) -> Path:
    """A local marketplace whose one plugin lives in a git repository."""
    root = base / "market"
    (root / ".claude-plugin").mkdir(parents=True)
    plugin: dict[str, Any] = {"name": "remote-kit", "source": source}
    manifest = {"name": "m", "owner": {"name": "t"}, "plugins": [plugin]}
    (root / ".claude-plugin" / "marketplace.json").write_text(json.dumps(manifest))
    return root


def remote_warnings(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in payload["diagnostics"] if d["code"] == "remote-plugin"]


async def test_a_git_plugin_of_a_marketplace_serves_after_sync_then_offline(
    git_remote: GitRemote,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_server: Callable[..., Server[Any]],
    era: str,
) -> None:
    git_remote.commit({"commands/ship.md": "Ship $ARGUMENTS\n"})
    market = remote_market(tmp_path, {"source": "url", "url": git_remote.url})
    # Start-up never clones: the plugin is reported until `agent-mcp sync` fetches it.
    before = cli_json(["--root", str(market)], capsys)
    assert before["commands"] == []
    (warning,) = remote_warnings(before)
    assert "not fetched yet" in warning["message"]
    assert f"agent-mcp sync --root {market}" in warning["fix"]
    assert main(["sync", "--root", str(market)]) == 0
    assert git_remote.url in capsys.readouterr().out
    git_remote.commit({"commands/rollback.md": "Roll back $ARGUMENTS\n"})
    assert main(["sync", "--root", str(market)]) == 0
    capsys.readouterr()
    shutil.rmtree(git_remote.bare)  # offline from here on: served from the cache
    catalog = build_catalog(collect_sources(roots=[market], bundled=False, environ={}))
    with anyio.fail_after(10):
        async with Client(make_server(catalog), mode=era) as client:
            prompts = {p.name for p in (await client.list_prompts()).prompts}
    assert {"remote-kit:ship", "remote-kit:rollback"} <= prompts
    assert remote_warnings(cli_json(["--root", str(market)], capsys)) == []


def test_a_git_subdir_plugin_is_pinned_to_its_ref(
    git_remote: GitRemote, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git_remote.commit({"tools/plugin/agents/alpha.md": agent("alpha")}, tag="v1")
    git_remote.commit({"tools/plugin/agents/beta.md": agent("beta")})
    source = {"source": "git-subdir", "url": git_remote.url, "path": "tools/plugin", "ref": "v1"}
    market = remote_market(tmp_path, source)
    assert main(["sync", "--root", str(market)]) == 0
    capsys.readouterr()
    payload = cli_json(["--root", str(market)], capsys)
    assert [a["name"] for a in payload["agents"]] == ["alpha"]


def test_an_option_disguised_as_a_ref_is_never_given_to_git(
    git_remote: GitRemote, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git_remote.commit({"commands/ship.md": "Ship\n"})
    witness = tmp_path / "ran"
    ref = f"--upload-pack=touch {witness}"
    market = remote_market(tmp_path, {"source": "url", "url": git_remote.url, "ref": ref})
    assert main(["sync", "--root", str(market)]) == 0
    assert "no git roots or remote plugins to sync" in capsys.readouterr().out
    (warning,) = remote_warnings(cli_json(["--root", str(market)], capsys))
    assert "is not a branch, tag or commit name" in warning["message"]
    assert not witness.exists()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            {"source": "github", "repo": "acme/tools", "ref": "v2"},
            git.GitSpec("https://github.com/acme/tools.git", "v2"),
        ),
        (
            {"source": "github", "repo": "acme/tools", "ref": "main", "sha": "a" * 40},
            git.GitSpec("https://github.com/acme/tools.git", "a" * 40),
        ),
        (
            {"source": "url", "url": "https://git.example.com/t.git"},
            git.GitSpec("https://git.example.com/t.git"),
        ),
        (
            {"source": "git-subdir", "url": "acme/mono", "path": "./tools/plugin/"},
            git.GitSpec("https://github.com/acme/mono.git", None, "tools/plugin"),
        ),
        ({"source": "github", "repo": "../../etc"}, "without a valid 'repo'"),
        ({"source": "npm", "package": "@acme/plugin"}, "npm package '@acme/plugin'"),
        ({"source": "mercurial"}, "a 'mercurial' source"),
    ],
)
def test_claude_code_plugin_sources_map_to_git_specs(
    source: dict[str, Any], expected: git.GitSpec | str
) -> None:
    spec = remote_spec(source)
    if isinstance(expected, str):
        assert isinstance(spec, str)
        assert expected in spec
    else:
        assert spec == expected


def test_agent_mcp_roots_takes_git_urls_beside_folders(
    git_remote: GitRemote,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    git_remote.commit({"agents/alpha.md": agent("alpha")})
    local = tmp_path / "local"
    (local / "agents").mkdir(parents=True)
    (local / "agents" / "beta.md").write_text(agent("beta"))
    missing = (tmp_path / "missing.git").as_uri()
    value = os.pathsep.join([f"{git_remote.url}#main", str(local), missing])
    settings = Settings.from_env({"AGENT_MCP_ROOTS": value})
    assert settings.roots == (f"{git_remote.url}#main", local, missing)
    monkeypatch.setenv("AGENT_MCP_ROOTS", value)
    payload = cli_json([], capsys)
    assert {a["name"] for a in payload["agents"]} == {"alpha", "beta"}
    assert [d["code"] for d in payload["diagnostics"]] == ["git-clone-failed"]
    git_remote.commit({"agents/gamma.md": agent("gamma")})
    assert main(["sync"]) == 1  # the missing repository fails; the others refresh
    assert "cloning" in capsys.readouterr().out
    assert {a["name"] for a in cli_json([], capsys)["agents"]} == {"alpha", "beta", "gamma"}


@pytest.mark.parametrize(
    ("value", "roots"),
    [
        ("https://h:8443/o/r.git#v1:/srv/p", ["https://h:8443/o/r.git#v1", "/srv/p"]),
        ("git@host:org/r.git//sub:~/x", ["git@host:org/r.git//sub", "~/x"]),
        ("file:///srv/r.git::/a", ["file:///srv/r.git", "/a"]),
    ],
)
def test_a_root_list_keeps_urls_whole(value: str, roots: list[str]) -> None:
    if os.pathsep != ":":
        pytest.skip("the separator is not ':' here")
    assert split_roots(value) == roots
