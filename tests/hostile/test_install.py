"""``agent-mcp install`` against hostile config files and concurrent runs, through the CLI."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

TIMEOUT = 60  # seconds; a hang (a FIFO opened for reading) fails instead of blocking the run

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and modes")


def agent_mcp(
    home: Path, *args: str, cwd: Path | None = None, umask: int = 0o022
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AGENT_MCP_", "XDG_"))}
    env["HOME"] = str(home)
    env["PWD"] = str(cwd or home)
    return subprocess.run(
        [sys.executable, "-m", "agent_mcp", *args],
        cwd=cwd or home,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        umask=umask,
    )


def cursor_config(home: Path) -> Path:
    path = home / ".cursor" / "mcp.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_concurrent_installs_of_different_names_both_land(tmp_path: Path) -> None:
    config = cursor_config(tmp_path)
    for round_ in range(20):
        config.write_text('{"mcpServers": {}}\n', encoding="utf-8")
        with ThreadPoolExecutor(2) as pool:
            runs = [
                pool.submit(agent_mcp, tmp_path, "install", "cursor", "--name", name)
                for name in ("first", "second")
            ]
        runs = [r.result() for r in runs]
        for run in runs:
            assert run.returncode == 0, run.stderr
        servers = json.loads(config.read_text(encoding="utf-8"))["mcpServers"]
        assert sorted(servers) == ["first", "second"], f"round {round_}"


@pytest.mark.parametrize(
    "number",
    [
        "1e400",
        "-1e400",
        "1.0",
        "-0",
        "-0.0",
        "1E+2",
        "0.1000000000000000055511151231257827",
        "9" * 5000,
    ],
)
def test_numbers_are_written_back_exactly_as_written(tmp_path: Path, number: str) -> None:
    config = cursor_config(tmp_path)
    config.write_text(f'{{\n  "limit": {number},\n  "mcpServers": {{}}\n}}\n', encoding="utf-8")
    run = agent_mcp(tmp_path, "install", "cursor")
    assert run.returncode == 0, run.stderr
    text = config.read_text(encoding="utf-8")
    assert text.startswith(f'{{\n  "limit": {number},\n  "mcpServers": {{\n')
    assert "Infinity" not in text


def test_numbers_in_toml_are_written_back_exactly_as_written(tmp_path: Path) -> None:
    config = tmp_path / ".codex" / "config.toml"
    config.parent.mkdir()
    original = "# mine\nbig = 123456789012345678901234567890\nratio = 1.0  # one\nzero = -0\n"
    config.write_text(original, encoding="utf-8")
    run = agent_mcp(tmp_path, "install", "codex")
    assert run.returncode in (0, 1), run.stderr
    if run.returncode == 1:
        # TOML integers are 64-bit: a file beyond that is reported, never rewritten.
        assert "not valid TOML" in run.stderr
        assert config.read_text(encoding="utf-8") == original
    else:
        assert config.read_text(encoding="utf-8").startswith(original)


@posix_only
def test_a_symlinked_config_is_followed_and_the_link_kept(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "cursor-mcp.json"
    real.write_text('{"mcpServers": {"other": {"command": "node"}}}', encoding="utf-8")
    link = cursor_config(tmp_path)
    link.symlink_to(real)
    run = agent_mcp(tmp_path, "install", "cursor")
    assert run.returncode == 0, run.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert sorted(json.loads(real.read_text(encoding="utf-8"))["mcpServers"]) == [
        "agent-mcp",
        "other",
    ]
    assert f"a link to {real}" in run.stdout
    assert agent_mcp(tmp_path, "uninstall", "cursor").returncode == 0
    assert link.is_symlink()
    assert list(json.loads(real.read_text(encoding="utf-8"))["mcpServers"]) == ["other"]


@posix_only
def test_a_read_only_config_is_refused_and_left_untouched(tmp_path: Path) -> None:
    config = cursor_config(tmp_path)
    config.write_text('{"mcpServers": {}}', encoding="utf-8")
    config.chmod(0o444)
    run = agent_mcp(tmp_path, "install", "cursor")
    assert run.returncode == 1
    assert f"{config}: is read-only (mode 0444)" in run.stderr
    assert config.read_text(encoding="utf-8") == '{"mcpServers": {}}'
    assert stat.S_IMODE(config.stat().st_mode) == 0o444
    assert list(config.parent.iterdir()) == [config]


@posix_only
def test_backups_are_private_and_the_config_keeps_its_mode(tmp_path: Path) -> None:
    config = cursor_config(tmp_path)
    config.write_text('{"mcpServers": {}}', encoding="utf-8")
    config.chmod(0o644)
    # A permissive umask must not widen the backup even for a moment: it is created 0600.
    run = agent_mcp(tmp_path, "install", "cursor", umask=0)
    assert run.returncode == 0, run.stderr
    [backup] = config.parent.glob("mcp.json.*.bak")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert backup.read_text(encoding="utf-8") == '{"mcpServers": {}}'
    assert stat.S_IMODE(config.stat().st_mode) == 0o644


@posix_only
def test_a_fifo_config_is_refused_without_blocking(tmp_path: Path) -> None:
    config = cursor_config(tmp_path)
    os.mkfifo(config)
    for command in ("install", "uninstall"):
        run = agent_mcp(tmp_path, command, "cursor")
        assert run.returncode == 1
        assert f"{config}: is a FIFO, not a regular file" in run.stderr
    assert stat.S_ISFIFO(config.lstat().st_mode)


@posix_only
@pytest.mark.parametrize("special", ["/dev/null", "/dev/zero"])
def test_a_config_linked_to_a_device_is_refused(tmp_path: Path, special: str) -> None:
    if not Path(special).exists():
        pytest.skip(f"no {special}")
    config = cursor_config(tmp_path)
    config.symlink_to(special)
    run = agent_mcp(tmp_path, "install", "cursor")
    assert run.returncode == 1
    assert "is a device or socket, not a regular file" in run.stderr
    assert config.is_symlink()


@posix_only
def test_a_socket_config_is_refused(tmp_path: Path) -> None:
    config = cursor_config(tmp_path)
    with socket.socket(socket.AF_UNIX) as server:
        try:
            server.bind(str(config))
        except OSError as error:  # a tmp path too long for a socket address
            pytest.skip(str(error))
        run = agent_mcp(tmp_path, "install", "cursor")
    assert run.returncode == 1
    assert "is a device or socket" in run.stderr


def test_a_folder_in_place_of_the_config_is_refused(tmp_path: Path) -> None:
    config = cursor_config(tmp_path)
    config.mkdir()
    run = agent_mcp(tmp_path, "install", "cursor")
    assert run.returncode == 1
    assert f"{config}: is a folder, not a config file" in run.stderr


def test_a_config_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    config = cursor_config(tmp_path)
    config.write_bytes(b'{"mcpServers": {}, "x": "\xff"}')
    run = agent_mcp(tmp_path, "install", "cursor")
    assert run.returncode == 1
    assert "not UTF-8" in run.stderr
    assert config.read_bytes() == b'{"mcpServers": {}, "x": "\xff"}'


def test_a_deeply_nested_config_is_reported_not_a_traceback(tmp_path: Path) -> None:
    config = cursor_config(tmp_path)
    config.write_text('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    run = agent_mcp(tmp_path, "install", "cursor")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert str(config) in run.stderr
