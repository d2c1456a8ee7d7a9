"""Git repositories as roots: clone ``--root URL#ref//subdir`` into a cache, refresh it.

The git CLI does all the work (clone, fetch, credentials through its helpers or the SSH
agent); this module only decides where checkouts live and turns failures into
diagnostics. Every URL shown to a person goes through ``redact`` first (URLs themselves
are read in ``git_spec``; their names are re-exported here for callers).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.sources.git_spec import GitSpec as GitSpec
from agent_mcp.sources.git_spec import is_git_url as is_git_url
from agent_mcp.sources.git_spec import parse as parse
from agent_mcp.sources.git_spec import redact as redact
from agent_mcp.sources.git_spec import refusal as refusal

CACHE_ENV = "AGENT_MCP_CACHE_DIR"
TIMEOUT = 120.0
_SHA = re.compile(r"^[0-9a-f]{7,40}$")


@dataclass(slots=True)
class Checkout:
    """Where a git root serves from now, and what happened on the way."""

    spec: GitSpec
    path: Path | None
    """The checkout (or its subdir); None when there is nothing to serve."""
    diagnostics: list[Diagnostic] = field(default_factory=lambda: [])
    old: str | None = None
    new: str | None = None


def cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("agent-mcp")) / "git"


def checkout_dir(spec: GitSpec) -> Path:
    """Readable slug plus a short hash of (url, ref): one folder per pinned checkout."""
    digest = hashlib.sha256(f"{spec.url}\0{spec.ref or ''}".encode()).hexdigest()[:12]
    tail = redact(spec.url).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    slug = re.sub(r"[^\w.-]+", "-", tail.removesuffix(".git"))[:40] or "repo"
    return cache_root() / f"{slug}-{digest}"


def cached(spec: GitSpec) -> Checkout | None:
    """The cached checkout, without any git process or network; None when not cloned yet."""
    target = checkout_dir(spec)
    if not (target / ".git").is_dir():
        return None
    return _with_subdir(Checkout(spec, None), target)


def materialize(spec: GitSpec, *, refresh: bool = False) -> Checkout:
    """Serve from the cache when a checkout exists; clone (or, with refresh, re-clone).

    Start-up never waits on the network once a checkout is cached: only ``refresh``
    (``agent-mcp sync``, ``--sync-every``) talks to the remote again.
    """
    target = checkout_dir(spec)
    if not refresh and (found := cached(spec)) is not None:
        # No git process at all on this path: start-up stays as fast as a local root.
        return found
    refused = refusal(spec)
    if refused is not None:
        return Checkout(
            spec,
            None,
            [
                _diag(
                    "git-bad-url",
                    "error",
                    target,
                    f"cannot fetch {spec.shown}: {refused}",
                    "fix the URL or the #ref",
                )
            ],
        )
    cached_before = (target / ".git").is_dir()
    result = Checkout(spec, None, old=head(target) if cached_before else None)
    if shutil.which("git") is None:
        result.diagnostics.append(
            _diag(
                "git-missing",
                "error",
                target,
                f"cannot fetch {spec.shown}: git is not on PATH",
                "install git (https://git-scm.com) or serve a local folder",
            )
        )
        return _with_subdir(result, target) if cached_before else result
    error = _update(spec, target) if cached_before else _clone(spec, target)
    if error is None:
        result.new = head(target)
        return _with_subdir(result, target)
    if cached_before:
        result.new = result.old
        result.diagnostics.append(
            _diag(
                "git-refresh-failed",
                "warning",
                target,
                f"refreshing {spec.shown} failed, serving the last good checkout: {error}",
                "check the URL, the ref and your network or credentials, then run agent-mcp sync",
            )
        )
        return _with_subdir(result, target)
    result.diagnostics.append(
        _diag(
            "git-clone-failed",
            "error",
            target,
            f"cloning {spec.shown} failed: {error}",
            "check the URL, the ref and your access (git credential helper or SSH agent)",
        )
    )
    return result


def materialize_roots(
    roots: Iterable[Path | str], *, refresh: bool = False
) -> tuple[list[Path], list[Checkout]]:
    """``roots`` with each git URL replaced by its checkout's folder (a checkout that
    could not be made is left out; its diagnostics say why), and the checkouts."""
    folders: list[Path] = []
    checkouts: list[Checkout] = []
    for root in roots:
        if isinstance(root, Path):
            folders.append(root)
            continue
        checkout = materialize(parse(root), refresh=refresh)
        checkouts.append(checkout)
        if checkout.path is not None:
            folders.append(checkout.path)
    return folders, checkouts


def head(target: Path) -> str | None:
    try:
        done = _git(["rev-parse", "HEAD"], cwd=target)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _with_subdir(result: Checkout, target: Path) -> Checkout:
    if result.spec.subdir is None:
        result.path = target
        return result
    inner = (target / result.spec.subdir).resolve()
    if target.resolve() not in inner.parents or not inner.is_dir():
        result.diagnostics.append(
            _diag(
                "git-subdir-missing",
                "error",
                target,
                f"{result.spec.shown}: '{result.spec.subdir}' is not a folder in the repository",
                "check the //subdir part of the URL",
            )
        )
        return result
    result.path = inner
    return result


def _update(spec: GitSpec, target: Path) -> str | None:
    """Refresh in place, so the watcher sees ordinary file edits and live reload follows.

    A failed fetch leaves the working tree as it was: the last good checkout serves on.
    """
    steps = [
        ["fetch", "-q", "--depth", "1", "origin", spec.ref or "HEAD"],
        ["checkout", "-q", "--force", "FETCH_HEAD"],
        ["clean", "-q", "-fdx"],
    ]
    return _run(steps, cwd=target)


def _run(steps: list[list[str]], *, cwd: Path) -> str | None:
    try:
        for step in steps:
            done = _git(step, cwd=cwd)
            if done.returncode != 0:
                return _tail(done.stderr) or f"git exited with {done.returncode}"
    except subprocess.TimeoutExpired:
        return f"git did not finish within {TIMEOUT:.0f} s"
    except OSError as exc:
        return redact(str(exc))
    return None


def _clone(spec: GitSpec, target: Path) -> str | None:
    """Clone next to ``target`` and swap it in; the error text (redacted) or None."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        if spec.ref and _SHA.match(spec.ref):
            steps = [
                ["init", "-q", str(fresh)],
                ["-C", str(fresh), "remote", "add", "origin", spec.url],
                ["-C", str(fresh), "fetch", "-q", "--depth", "1", "origin", spec.ref],
                ["-C", str(fresh), "checkout", "-q", "FETCH_HEAD"],
            ]
        else:
            branch = ["--branch", spec.ref] if spec.ref else []
            steps = [["clone", "-q", "--depth", "1", *branch, "--", spec.url, str(fresh)]]
        error = _run(steps, cwd=target.parent)
        if error is not None:
            return error
        # The old checkout moves aside first so the swap itself is one rename.
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return None
    except OSError as exc:
        return redact(str(exc))
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _git(argv: list[str], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    # No prompt can ever reach a person from a server; helpers and SSH agents still work.
    env.pop("GIT_ASKPASS", None)
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return subprocess.run(
        ["git", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _tail(stderr: str, lines: int = 3) -> str:
    kept = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    return redact(" | ".join(kept[-lines:]))


def _diag(code: str, severity: str, path: Path, message: str, fix: str) -> Diagnostic:
    return Diagnostic(code, "error" if severity == "error" else "warning", path, message, fix)
