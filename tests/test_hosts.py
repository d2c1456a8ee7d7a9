"""``agent-mcp install | config | uninstall`` against simulated macOS, Windows and Linux homes."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

from agent_mcp.cli.install import Launcher, find_launcher, run_install_command
from agent_mcp.cli.parser import build_parser
from agent_mcp.hosts.table import HOSTS, Machine, OSName, is_ours

FAKE = Launcher("/opt/agent-mcp/bin/agent-mcp", (), "a fixed path, so tests need no install")
STDIO: dict[str, Any] = {"command": FAKE.command, "args": []}
URL = "http://127.0.0.1:8000/mcp"

# Where each host reads its config, written out by hand from the hosts' documentation
# (H: the home folder, P: the project the command runs in).
WHERE: dict[tuple[str, str], dict[OSName, str]] = {
    ("claude-desktop", "user"): {
        "macos": "H/Library/Application Support/Claude/claude_desktop_config.json",
        "windows": "H/AppData/Roaming/Claude/claude_desktop_config.json",
        "linux": "H/.config/Claude/claude_desktop_config.json",
    },
    ("claude-code", "user"): dict.fromkeys(("macos", "windows", "linux"), "H/.claude.json"),
    ("claude-code", "workspace"): dict.fromkeys(("macos", "windows", "linux"), "P/.mcp.json"),
    ("cursor", "user"): dict.fromkeys(("macos", "windows", "linux"), "H/.cursor/mcp.json"),
    ("cursor", "workspace"): dict.fromkeys(("macos", "windows", "linux"), "P/.cursor/mcp.json"),
    ("vscode", "user"): {
        "macos": "H/Library/Application Support/Code/User/mcp.json",
        "windows": "H/AppData/Roaming/Code/User/mcp.json",
        "linux": "H/.config/Code/User/mcp.json",
    },
    ("vscode", "workspace"): dict.fromkeys(("macos", "windows", "linux"), "P/.vscode/mcp.json"),
    ("windsurf", "user"): dict.fromkeys(
        ("macos", "windows", "linux"), "H/.codeium/windsurf/mcp_config.json"
    ),
    ("gemini", "user"): dict.fromkeys(("macos", "windows", "linux"), "H/.gemini/settings.json"),
    ("gemini", "workspace"): dict.fromkeys(
        ("macos", "windows", "linux"), "P/.gemini/settings.json"
    ),
}
CASES = [
    pytest.param(os_name, host, scope, id=f"{os_name}-{host}-{scope}")
    for (host, scope), paths in WHERE.items()
    for os_name in paths
]


class Run:
    """One simulated machine: a home folder, a project folder, and the CLI run against them."""

    def __init__(self, tmp_path: Path, os_name: OSName, host: str = "", scope: str = "user"):
        self.home, self.project = tmp_path / "home", tmp_path / "project"
        self.project.mkdir(parents=True)
        environ = (
            {"APPDATA": str(self.home / "AppData" / "Roaming")} if os_name == "windows" else {}
        )
        self.machine = Machine(os_name, self.home, environ, self.project)
        self.host, self.scope = host, scope
        self.out, self.err = "", ""

    @property
    def path(self) -> Path:
        where = WHERE[(self.host, self.scope)][self.machine.os]
        return (self.home if where[0] == "H" else self.project) / where[2:]

    @property
    def key(self) -> str:
        return HOSTS[self.host].servers_key

    def __call__(self, command: str, *options: str) -> int:
        args = build_parser().parse_args([command, self.host, "--scope", self.scope, *options])
        out, err = io.StringIO(), io.StringIO()
        code = run_install_command(args, machine=self.machine, launcher=FAKE, out=out, err=err)
        self.out, self.err = out.getvalue(), err.getvalue()
        return code

    def write(self, text: str) -> bytes:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(text.encode())
        return text.encode()

    def data(self) -> dict[str, Any]:
        return json.loads(self.path.read_text(encoding="utf-8"))

    def backups(self) -> list[Path]:
        return sorted(self.path.parent.glob(f"{self.path.name}.*.bak"))


def expected_stdio(host: str, scope: str = "user") -> dict[str, Any]:
    # A workspace file is shared with the project: it names the command, not this venv.
    entry: dict[str, Any] = dict(STDIO) if scope == "user" else {"command": "agent-mcp", "args": []}
    return {"type": "stdio", **entry} if "stdio" in HOSTS[host].typed else entry


@pytest.mark.parametrize(("os_name", "host", "scope"), CASES)
def test_install_creates_the_config_where_the_host_reads_it(
    tmp_path: Path, os_name: OSName, host: str, scope: str
) -> None:
    run = Run(tmp_path, os_name, host, scope)
    assert run("install") == 0, run.err
    assert run.data() == {run.key: {"agent-mcp": expected_stdio(host, scope)}}
    assert run.backups() == []
    assert f"in {run.path}" in run.out


@pytest.mark.parametrize(("os_name", "host", "scope"), CASES)
def test_install_keeps_other_servers_settings_and_formatting(
    tmp_path: Path, os_name: OSName, host: str, scope: str
) -> None:
    run = Run(tmp_path, os_name, host, scope)
    before: dict[str, Any] = {
        "theme": "Ünïcode stays as written",
        run.key: {"other": {"command": "node", "args": ["other.js"]}},
        "zLast": [1, 2],
    }
    original = run.write(json.dumps(before, indent=4, ensure_ascii=False) + "\n")
    assert run("install") == 0, run.err
    after = json.loads(json.dumps(before))
    after[run.key]["agent-mcp"] = expected_stdio(host, scope)
    assert (
        run.path.read_text(encoding="utf-8")
        == json.dumps(after, indent=4, ensure_ascii=False) + "\n"
    )
    [backup] = run.backups()
    assert backup.read_bytes() == original


@pytest.mark.parametrize(("os_name", "host", "scope"), CASES)
def test_second_install_changes_nothing_and_makes_no_new_backup(
    tmp_path: Path, os_name: OSName, host: str, scope: str
) -> None:
    run = Run(tmp_path, os_name, host, scope)
    run.write(json.dumps({run.key: {"other": {"command": "x"}}}))
    assert run("install") == 0, run.err
    first, backups = run.path.read_bytes(), run.backups()
    assert run("install") == 0, run.err
    assert run.path.read_bytes() == first
    assert run.backups() == backups
    assert "already up to date" in run.out


@pytest.mark.parametrize(("os_name", "host", "scope"), CASES)
def test_malformed_config_is_reported_by_line_and_column_and_left_untouched(
    tmp_path: Path, os_name: OSName, host: str, scope: str
) -> None:
    run = Run(tmp_path, os_name, host, scope)
    original = run.write('{\n  "mcpServers": {\n    "x": {,\n')
    assert run("install") == 1
    assert f"{run.path}:3:11: not valid JSON" in run.err
    assert run.path.read_bytes() == original
    assert run.backups() == []


@pytest.mark.parametrize(("os_name", "host", "scope"), CASES)
def test_dry_run_shows_the_result_and_writes_nothing(
    tmp_path: Path, os_name: OSName, host: str, scope: str
) -> None:
    run = Run(tmp_path, os_name, host, scope)
    assert run("install", "--dry-run") == 0, run.err
    assert not run.path.exists()
    assert '"agent-mcp"' in run.out
    original = run.write(json.dumps({run.key: {}}))
    assert run("install", "--dry-run") == 0, run.err
    assert run.path.read_bytes() == original
    assert run.backups() == []


@pytest.mark.parametrize(("os_name", "host", "scope"), CASES)
def test_uninstall_removes_only_our_entry(
    tmp_path: Path, os_name: OSName, host: str, scope: str
) -> None:
    run = Run(tmp_path, os_name, host, scope)
    run.write(json.dumps({run.key: {"other": {"command": "node"}}}, indent=2))
    assert run("install") == 0, run.err
    assert run("uninstall") == 0, run.err
    assert run.data() == {run.key: {"other": {"command": "node"}}}
    assert len(run.backups()) == 2
    assert run("uninstall") == 0, run.err
    assert "no 'agent-mcp' entry" in run.out
    assert len(run.backups()) == 2


@pytest.mark.parametrize(("os_name", "host", "scope"), CASES)
def test_unrelated_entry_of_the_same_name_is_refused_without_force(
    tmp_path: Path, os_name: OSName, host: str, scope: str
) -> None:
    run = Run(tmp_path, os_name, host, scope)
    original = run.write(json.dumps({run.key: {"agent-mcp": {"command": "node", "args": ["x"]}}}))
    assert run("install") == 1
    assert "--force" in run.err
    assert run("uninstall") == 1
    assert run.path.read_bytes() == original
    assert run("install", "--force") == 0, run.err
    assert run.data()[run.key]["agent-mcp"] == expected_stdio(host, scope)


@pytest.mark.parametrize(
    ("host", "entry"),
    [
        pytest.param(
            "claude-code",
            {"type": "http", "url": URL, "headers": {"Authorization": "Bearer ${AGENT_MCP_TOKEN}"}},
            id="claude-code",
        ),
        pytest.param(
            "cursor",
            {"url": URL, "headers": {"Authorization": "Bearer ${env:AGENT_MCP_TOKEN}"}},
            id="cursor",
        ),
        pytest.param(
            "windsurf",
            {"serverUrl": URL, "headers": {"Authorization": "Bearer ${env:AGENT_MCP_TOKEN}"}},
            id="windsurf",
        ),
        pytest.param(
            "vscode",
            {
                "type": "http",
                "url": URL,
                "headers": {"Authorization": "Bearer ${input:agent-mcp-token}"},
            },
            id="vscode",
        ),
    ],
)
def test_http_entry_uses_the_hosts_own_token_placeholder(
    tmp_path: Path, host: str, entry: dict[str, Any]
) -> None:
    run = Run(tmp_path, "linux", host)
    assert run("install", "--http", URL) == 0, run.err
    assert run.data()[run.key]["agent-mcp"] == entry
    assert "AGENT_MCP_TOKEN" not in run.data().get("inputs", [{}])[0].get("id", "")
    # Moving the server is an update of our own entry, not a conflict.
    assert run("install", "--http", "http://127.0.0.1:9000/mcp") == 0, run.err
    assert run.backups()


def test_vscode_http_install_adds_a_password_prompt_and_uninstall_removes_it(
    tmp_path: Path,
) -> None:
    run = Run(tmp_path, "macos", "vscode")
    run.write(json.dumps({"servers": {}, "inputs": [{"id": "theirs", "type": "promptString"}]}))
    assert run("install", "--http", URL) == 0, run.err
    inputs = run.data()["inputs"]
    assert [i["id"] for i in inputs] == ["theirs", "agent-mcp-token"]
    assert inputs[1]["password"] is True
    assert run("uninstall") == 0, run.err
    assert run.data() == {"servers": {}, "inputs": [{"id": "theirs", "type": "promptString"}]}


def test_claude_desktop_refuses_http_because_it_only_launches_local_servers(
    tmp_path: Path,
) -> None:
    run = Run(tmp_path, "macos", "claude-desktop")
    assert run("install", "--http", URL) == 1
    assert "Connectors" in run.err
    assert not run.path.exists()


@pytest.mark.parametrize("host", ["claude-desktop", "windsurf"])
def test_workspace_scope_is_refused_for_hosts_without_a_project_file(
    tmp_path: Path, host: str
) -> None:
    run = Run(tmp_path, "linux", host, "workspace")
    assert run("install") == 1
    assert "--scope user" in run.err


def test_layout_keeps_tabs_crlf_and_a_missing_final_newline(tmp_path: Path) -> None:
    run = Run(tmp_path, "windows", "cursor")
    run.write('{\r\n\t"mcpServers": {}\r\n}')
    assert run("install") == 0, run.err
    text = run.path.read_bytes().decode()
    assert text.startswith('{\r\n\t"mcpServers": {\r\n\t\t"agent-mcp": {')
    assert "\n" not in text.replace("\r\n", "")
    assert not text.endswith("\n")


def test_layout_keeps_unicode_escapes_when_the_file_used_them(tmp_path: Path) -> None:
    run = Run(tmp_path, "linux", "windsurf")
    run.write('{"user": "Ren\\u00e9", "mcpServers": {}}')
    assert run("install") == 0, run.err
    text = run.path.read_text(encoding="utf-8")
    assert text.startswith('{"user": "Ren\\u00e9", "mcpServers": {"agent-mcp": {')


def test_app_folders_follow_appdata_and_xdg_config_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    windows = Machine("windows", home, {"APPDATA": str(tmp_path / "roaming")}, tmp_path)
    linux = Machine("linux", home, {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, tmp_path)
    desktop, code = HOSTS["claude-desktop"], HOSTS["vscode"]
    assert desktop.path(windows, "user") == tmp_path / "roaming/Claude/claude_desktop_config.json"
    assert code.path(linux, "user") == tmp_path / "xdg/Code/User/mcp.json"


def test_source_folders_are_written_as_absolute_paths(tmp_path: Path) -> None:
    run = Run(tmp_path, "linux", "claude-code")
    (run.project / "team-agents").mkdir()
    assert run("install", "--agents", "team-agents", "--root", ".", "--no-bundled") == 0, run.err
    args = run.data()["mcpServers"]["agent-mcp"]["args"]
    assert args == [
        "--agents",
        str(run.project / "team-agents"),
        "--root",
        str(run.project),
        "--no-bundled",
    ]
    assert run("install", "--skills", "missing") == 1
    assert "--skills missing: no such folder" in run.err


def test_config_prints_the_snippet_and_writes_nothing(tmp_path: Path) -> None:
    run = Run(tmp_path, "macos", "claude-desktop")
    assert run("config") == 0, run.err
    assert json.loads(run.out) == {"mcpServers": {"agent-mcp": STDIO}}
    assert str(run.path) in run.err
    assert not run.path.exists()


@pytest.mark.parametrize(
    ("host", "scope", "alternative"),
    [
        (
            "claude-code",
            "user",
            "claude mcp add --scope user agent-mcp -- /opt/agent-mcp/bin/agent-mcp",
        ),
        ("claude-code", "workspace", "claude mcp add --scope project agent-mcp --"),
        ("vscode", "user", """code --add-mcp '{"name": "agent-mcp", "type": "stdio","""),
    ],
)
def test_install_prints_the_hosts_own_cli_as_an_alternative(
    tmp_path: Path, host: str, scope: str, alternative: str
) -> None:
    run = Run(tmp_path, "linux", host, scope)
    assert run("install") == 0, run.err
    assert alternative in run.out


def test_claude_code_http_alternative_quotes_the_placeholder_away_from_the_shell(
    tmp_path: Path,
) -> None:
    run = Run(tmp_path, "linux", "claude-code")
    assert run("config", "--http", URL) == 0
    assert f"--scope user --transport http agent-mcp {URL} --header " in run.err
    assert "'Authorization: Bearer ${AGENT_MCP_TOKEN}'" in run.err


@pytest.mark.parametrize(
    ("entry", "ours"),
    [
        ({"command": "/home/me/.local/bin/agent-mcp"}, True),
        ({"command": "C:\\Users\\me\\.venv\\Scripts\\agent-mcp.exe", "args": []}, True),
        ({"command": "uvx", "args": ["agent-mcp"]}, True),
        ({"command": "/usr/bin/python3", "args": ["-m", "agent_mcp"]}, True),
        ({"url": URL, "headers": {"Authorization": "Bearer ${env:AGENT_MCP_TOKEN}"}}, True),
        ({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"]}, False),
        ({"url": "https://example.com/mcp"}, False),
        ("not an object", False),
    ],
)
def test_an_entry_is_ours_when_it_launches_or_authenticates_as_agent_mcp(
    entry: object, ours: bool
) -> None:
    assert is_ours(entry) is ours


def test_launcher_is_the_script_beside_the_running_python(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "agent-mcp").touch()
    found = find_launcher(str(tmp_path / "bin" / "python"), "linux")
    assert (found.command, found.args) == (str(tmp_path / "bin" / "agent-mcp"), ())
    (tmp_path / "Scripts").mkdir()
    (tmp_path / "Scripts" / "agent-mcp.exe").touch()
    found = find_launcher(str(tmp_path / "Scripts" / "python.exe"), "windows")
    assert found.command == str(tmp_path / "Scripts" / "agent-mcp.exe")


def test_launcher_prefers_uvx_over_a_copy_in_uvs_cache(tmp_path: Path) -> None:
    bin_dir = tmp_path / "uv" / "archive-v0" / "abc" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "agent-mcp").touch()
    found = find_launcher(str(bin_dir / "python"), "linux", which=lambda _: "/usr/bin/uvx")
    assert (found.command, found.args) == ("/usr/bin/uvx", ("agent-mcp",))


def test_launcher_falls_back_to_python_dash_m(tmp_path: Path) -> None:
    found = find_launcher(str(tmp_path / "python"), "linux")
    assert (found.command, found.args) == (str(tmp_path / "python"), ("-m", "agent_mcp"))


def test_command_written_into_a_config_serves_the_backend_developer_prompt(
    tmp_path: Path,
) -> None:
    from mcp import Client, StdioServerParameters

    run = Run(tmp_path, "linux", "claude-code")
    args = build_parser().parse_args(["install", "claude-code"])
    assert run_install_command(args, machine=run.machine, out=io.StringIO()) == 0
    entry = run.data()["mcpServers"]["agent-mcp"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    async def get_prompt() -> str:
        # As a host does: the exact command and args, started from an unrelated folder.
        server = StdioServerParameters(command=entry["command"], args=entry["args"], cwd=elsewhere)
        with anyio.fail_after(60):
            async with Client(server) as client:
                result = await client.get_prompt("backend-developer")
        return "\n".join(m.content.text for m in result.messages if m.content.type == "text")

    assert Path(entry["command"]).is_absolute()
    text = anyio.run(get_prompt)
    assert "You are a Senior Backend Developer" in text


CODEX_BEFORE = """\
# my Codex settings
model = "gpt-5.5"  # the default

[mcp_servers.other]
command = "node"
args = ["other.js"]
"""


def codex(tmp_path: Path) -> tuple[Run, Path]:
    run = Run(tmp_path, "linux", "codex")
    return run, run.home / ".codex" / "config.toml"


def test_codex_install_adds_a_table_and_keeps_comments_and_layout(tmp_path: Path) -> None:
    run, config = codex(tmp_path)
    config.parent.mkdir(parents=True)
    config.write_text(CODEX_BEFORE, encoding="utf-8")
    assert run("install") == 0, run.err
    assert config.read_text(encoding="utf-8") == (
        CODEX_BEFORE
        + '\n[mcp_servers.agent-mcp]\ncommand = "/opt/agent-mcp/bin/agent-mcp"\nargs = []\n'
    )
    assert "codex mcp add agent-mcp -- /opt/agent-mcp/bin/agent-mcp" in run.out
    assert run("install") == 0, run.err
    assert "already up to date" in run.out
    assert run("uninstall") == 0, run.err
    assert config.read_text(encoding="utf-8") == CODEX_BEFORE


def test_codex_config_is_created_as_codex_writes_it(tmp_path: Path) -> None:
    run, config = codex(tmp_path)
    assert run("install", "--http", URL) == 0, run.err
    assert config.read_text(encoding="utf-8") == (
        f'[mcp_servers.agent-mcp]\nurl = "{URL}"\nbearer_token_env_var = "AGENT_MCP_TOKEN"\n'
    )
    assert "codex mcp add agent-mcp --url" in run.out


def test_codex_home_moves_the_codex_config(tmp_path: Path) -> None:
    machine = Machine("linux", tmp_path, {"CODEX_HOME": str(tmp_path / "elsewhere")}, tmp_path)
    assert HOSTS["codex"].path(machine, "user") == tmp_path / "elsewhere" / "config.toml"


def test_codex_refuses_an_unrelated_table_of_the_same_name(tmp_path: Path) -> None:
    run, config = codex(tmp_path)
    config.parent.mkdir(parents=True)
    config.write_text('[mcp_servers.agent-mcp]\ncommand = "node"\n', encoding="utf-8")
    assert run("install") == 1
    assert "--force" in run.err
    assert config.read_text(encoding="utf-8") == '[mcp_servers.agent-mcp]\ncommand = "node"\n'


def test_malformed_toml_is_reported_by_line_and_column_and_left_untouched(
    tmp_path: Path,
) -> None:
    run, config = codex(tmp_path)
    config.parent.mkdir(parents=True)
    config.write_text('model = "x"\n[mcp_servers\n', encoding="utf-8")
    assert run("install") == 1
    assert f"{config}:2:" in run.err
    assert "not valid TOML" in run.err
    assert config.read_text(encoding="utf-8") == 'model = "x"\n[mcp_servers\n'


def test_codex_has_no_workspace_config(tmp_path: Path) -> None:
    run = Run(tmp_path, "linux", "codex", "workspace")
    assert run("install") == 1
    assert "--scope user" in run.err


def test_config_prints_toml_for_codex(tmp_path: Path) -> None:
    run, config = codex(tmp_path)
    assert run("config") == 0, run.err
    assert (
        run.out == '[mcp_servers.agent-mcp]\ncommand = "/opt/agent-mcp/bin/agent-mcp"\nargs = []\n'
    )
    assert not config.exists()


def test_gemini_http_entry_is_what_gemini_mcp_add_writes(tmp_path: Path) -> None:
    run = Run(tmp_path, "linux", "gemini")
    assert run("install", "--http", URL) == 0, run.err
    assert run.data()["mcpServers"]["agent-mcp"] == {
        "type": "http",
        "url": URL,
        "headers": {"Authorization": "Bearer ${AGENT_MCP_TOKEN}"},
    }
    assert "gemini mcp add --scope user --transport http agent-mcp" in run.out


def test_every_serve_option_is_forwarded_into_the_written_command(tmp_path: Path) -> None:
    run = Run(tmp_path, "linux", "cursor")
    (run.project / "skills").mkdir()
    options = ["--agent", "backend-developer", "--agent", "other", "--no-watch"]
    assert run("install", "--dry-run", "--skills", "skills", "--no-bundled", *options) == 0
    shown, _ = json.JSONDecoder().raw_decode(run.out.split("the file would read:\n", 1)[1])
    assert shown["mcpServers"]["agent-mcp"]["args"] == [
        "--skills",
        str(run.project / "skills"),
        "--no-bundled",
        "--no-watch",
        "--agent",
        "backend-developer",
        "--agent",
        "other",
    ]


@pytest.mark.parametrize(
    ("before", "flag"),
    [(["--port", "9000"], "--port"), (["--stateless"], "--stateless"), (["--http"], "--http")],
)
def test_http_serve_options_are_refused_by_name(
    tmp_path: Path, before: list[str], flag: str
) -> None:
    run = Run(tmp_path, "linux", "cursor")
    args = build_parser().parse_args([*before, "install", "cursor", "--dry-run"])
    err = io.StringIO()
    code = run_install_command(args, machine=run.machine, launcher=FAKE, out=io.StringIO(), err=err)
    assert code == 1
    assert f"error: {flag} is an option for serving over HTTP" in err.getvalue()


@pytest.mark.parametrize("option", [["--agent", "x"], ["--no-watch"], ["--root", "."]])
def test_serve_options_with_http_are_refused_by_name(tmp_path: Path, option: list[str]) -> None:
    run = Run(tmp_path, "linux", "cursor")
    assert run("install", "--http", URL, *option) == 1
    assert f"{option[0]} chooses what a stdio server serves" in run.err


@pytest.mark.parametrize(
    ("host", "base"), [("claude-code", "."), ("vscode", "${workspaceFolder}"), ("gemini", ".")]
)
def test_workspace_entry_is_portable_and_says_who_asks_for_approval(
    tmp_path: Path, host: str, base: str
) -> None:
    run = Run(tmp_path, "linux", host, "workspace")
    (run.project / ".claude" / "agents").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    assert (
        run("install", "--root", ".", "--agents", ".claude/agents", "--agents", str(outside)) == 0
    )
    entry = run.data()[run.key]["agent-mcp"]
    assert entry["command"] == "agent-mcp"
    assert entry["args"] == [
        "--agents",
        f"{base}/.claude/agents",
        "--agents",
        str(outside),
        "--root",
        base,
    ]
    assert "approval: " in run.out
    assert "PATH" in run.out


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_workspace_file_has_a_normal_project_files_mode_and_user_file_a_private_one(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    project = tmp_path / "project"
    project.mkdir()
    for scope in ("workspace", "user"):
        proc = subprocess.run(
            [sys.executable, "-m", "agent_mcp", "install", "claude-code", "--scope", scope],
            cwd=project,
            env={**env, "PWD": str(project)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            umask=0o022,
        )
        assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE((project / ".mcp.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "home" / ".claude.json").stat().st_mode) == 0o600


def test_workspace_is_the_shells_folder_even_when_started_elsewhere(tmp_path: Path) -> None:
    # As 'uv run --directory CHECKOUT agent-mcp install ...': the process runs in the
    # checkout, the shell's $PWD still names the user's project.
    project, checkout = tmp_path / "project", tmp_path / "checkout"
    project.mkdir()
    checkout.mkdir()
    command = [sys.executable, "-m", "agent_mcp", "install", "cursor", "--scope", "workspace"]
    env = {**os.environ, "HOME": str(tmp_path / "home"), "PWD": str(project)}
    proc = subprocess.run(
        command, cwd=checkout, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert (project / ".cursor" / "mcp.json").is_file()
    assert not (checkout / ".cursor").exists()
    other = tmp_path / "other"
    other.mkdir()
    proc = subprocess.run(
        [*command, "--workspace", str(other)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (other / ".cursor" / "mcp.json").is_file()


def test_workspace_command_serves_from_the_project_with_agent_mcp_on_path(
    tmp_path: Path,
) -> None:
    from mcp import Client, StdioServerParameters

    run = Run(tmp_path, "linux", "claude-code", "workspace")
    assert run("install", "--root", ".") == 0, run.err
    entry = run.data()["mcpServers"]["agent-mcp"]
    scripts = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}

    async def get_prompt() -> str:
        server = StdioServerParameters(
            command=entry["command"], args=entry["args"], cwd=run.project, env=env
        )
        with anyio.fail_after(60):
            async with Client(server) as client:
                result = await client.get_prompt("backend-developer")
        return "\n".join(m.content.text for m in result.messages if m.content.type == "text")

    if not (scripts / "agent-mcp").exists() and not (scripts / "agent-mcp.exe").exists():
        pytest.skip("no agent-mcp script beside this Python")
    assert "You are a Senior Backend Developer" in anyio.run(get_prompt)
