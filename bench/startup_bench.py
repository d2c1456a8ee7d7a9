"""Cold start, memory, stdio latency and reload time, beside a bare MCPServer.

    uv run python bench/startup_bench.py            # 4, 1,000 and 10,000 skills
    uv run python bench/startup_bench.py --quick    # fewer rounds, for a smoke run

Every measurement runs agent-mcp and a bare ``mcp.server.MCPServer`` (one prompt, one
resource, one tool: the least any server does; its prompt and resource answer with the
same agent file and SKILL.md, read per request) in the same run, interleaved, so machine
noise hits both alike; the table reports medians and the ratio ours/bare. Results are
printed and written to ``bench/results/startup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_catalog

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"
BARE_SERVER = """
from mcp.server import MCPServer

server = MCPServer("bare")

# The same payloads as agent-mcp's answers (the agent file, the fastapi SKILL.md), read
# from disk per request the plain way, so a ratio compares servers, not reply sizes.
@server.prompt()
def persona(task: str = "") -> str:
    return open(AGENT, encoding="utf-8").read() + task

@server.resource("skill://bare/SKILL.md", mime_type="text/markdown")
def skill() -> str:
    return open(SKILL, encoding="utf-8").read()

@server.tool()
def echo(text: str) -> str:
    return text

server.run()
"""
LEGACY = "2025-11-25"


class Peer:
    """A server subprocess spoken to in raw JSON-RPC lines, as a host does."""

    def __init__(self, argv: list[str], cwd: Path, extra_env: dict[str, str] | None = None) -> None:
        self.started = time.perf_counter()
        env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
        env.update(extra_env or {})
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if os.environ.get("BENCH_STDERR") else subprocess.DEVNULL,
            cwd=cwd,
            env=env,
        )
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []
        # A reader thread, so reads can time out (a watcher may miss an early edit).
        self.lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(b"")

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, notify: bool = False
    ) -> int:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notify:
            self.next_id += 1
            message["id"] = self.next_id
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()
        return self.next_id

    def read(self, timeout: float = 60) -> dict[str, Any]:
        line = self.lines.get(timeout=timeout)
        if not line:
            raise RuntimeError("server closed its stdout")
        return json.loads(line)

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        wanted = self.send(method, params)
        while True:
            message = self.read()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.notifications.append(message)

    def initialize(self) -> None:
        self.request(
            "initialize",
            {
                "protocolVersion": LEGACY,
                "capabilities": {},
                "clientInfo": {"name": "bench", "version": "1"},
            },
        )
        self.send("notifications/initialized", notify=True)

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@dataclass
class Row:
    measure: str
    skills: int
    ours: float
    bare: float | None
    unit: str
    target: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict[str, list[float]])

    @property
    def ratio(self) -> float | None:
        return self.ours / self.bare if self.bare else None


def cold_start(
    ours: list[str],
    bare: list[str],
    cwd: Path,
    rounds: int,
    ours_env: dict[str, str] | None = None,
) -> dict[str, list[float]]:
    """Spawn to the initialize answer and to the tools/list answer, interleaved."""
    times: dict[str, list[float]] = {
        "ours_init": [],
        "ours_tools": [],
        "bare_init": [],
        "bare_tools": [],
    }
    for _ in range(rounds):
        for label, argv in (("ours", ours), ("bare", bare)):
            peer = Peer(argv, cwd, ours_env if label == "ours" else None)
            peer.initialize()
            times[f"{label}_init"].append(time.perf_counter() - peer.started)
            peer.request("tools/list")
            times[f"{label}_tools"].append(time.perf_counter() - peer.started)
            peer.close()
    return times


def peak_rss(argv: list[str], cwd: Path, *, walk: bool) -> float:
    """Peak RSS after serving; with ``walk`` every resource page is listed first."""
    peer = Peer(argv, cwd)
    peer.initialize()
    peer.request("tools/list")
    if walk:
        cursor: str | None = None
        while True:
            page = peer.request("resources/list", {"cursor": cursor} if cursor else {})
            cursor = page.get("nextCursor")
            if not cursor:
                break
    rss = peer.peak_rss_mib()
    peer.close()
    return rss


def latencies(
    argv: list[str], cwd: Path, calls: dict[str, tuple[str, dict[str, Any]]], n: int
) -> dict[str, list[float]]:
    peer = Peer(argv, cwd)
    peer.initialize()
    # Steady state: after the first answers the server loads skills and starts its
    # watcher; let that finish so it is not measured as request latency.
    for method, params in calls.values():
        peer.request(method, params)
    time.sleep(1.5)
    results: dict[str, list[float]] = {}
    for label, (method, params) in calls.items():
        peer.request(method, params)  # warm up caches, as a host's second call would
        samples: list[float] = []
        for _ in range(n):
            start = time.perf_counter()
            peer.request(method, params)
            samples.append(time.perf_counter() - start)
        results[label] = samples
    peer.close()
    return results


def reload_time(argv: list[str], cwd: Path, skill_md: Path, uri: str, rounds: int) -> list[float]:
    """Edit a file under a watching server; time until the subscribed client hears of it."""
    peer = Peer(argv, cwd)
    peer.initialize()
    peer.request("resources/read", {"uri": uri})  # the skills are loaded
    peer.request("resources/subscribe", {"uri": uri})
    original = skill_md.read_text()
    samples: list[float] = []

    def edit_and_wait(n: int, timeout: float) -> float | None:
        start = time.perf_counter()
        skill_md.write_text(original + f"\nEdit {n}.\n")
        deadline = start + timeout
        while (left := deadline - time.perf_counter()) > 0:
            try:
                message = peer.read(timeout=left)
            except queue.Empty:
                break
            if message.get("method") == "notifications/resources/updated":
                return time.perf_counter() - start
        return None

    try:
        # The server starts watching after its first answers; edits before the watcher
        # is ready are not seen, so edit until one is heard, then measure.
        for n in range(60):
            if edit_and_wait(n, 1.0) is not None:
                break
        for n in range(rounds):
            time.sleep(0.3)  # let the previous burst settle so each edit is measured alone
            took = edit_and_wait(100 + n, 10.0)
            if took is not None:
                samples.append(took)
    finally:
        skill_md.write_text(original)
        peer.close()
    return samples


def requests_during_edits(work: Path, seconds: float) -> tuple[int, int]:
    """Serve requests while another thread edits, adds and deletes files under the roots.

    Returns (answered, failed): a failure is an error answer or no answer at all. The
    files read are never the ones deleted, so every request has a right answer.
    """
    skills = write_catalog(work / "catalog-churn", 1_000)
    names = sorted(p.name for p in skills.iterdir())
    stable, edited = names[:50], names[50:100]
    argv = [sys.executable, "-m", "agent_mcp", "--skills", str(skills)]
    peer = Peer(argv, work)
    peer.initialize()
    peer.request("resources/read", {"uri": f"skill://{stable[0]}/SKILL.md"})
    stop = threading.Event()

    def churn() -> None:
        n = 0
        while not stop.is_set():
            target = skills / edited[n % len(edited)]
            (target / "references" / "guide.md").write_text(f"# Guide, edit {n}\n")
            extra = skills / f"zz-churn-{n % 5}"
            if extra.exists():
                shutil.rmtree(extra)
            else:
                extra.mkdir()
                (extra / "SKILL.md").write_text(
                    f"---\nname: zz-churn-{n % 5}\ndescription: Churn. Use when testing.\n---\n"
                )
            n += 1
            stop.wait(0.02)

    calls: list[tuple[str, dict[str, Any]]] = [
        ("prompts/get", {"name": "backend-developer", "arguments": {"task": "x"}}),
        ("resources/list", {}),
        ("tools/call", {"name": "list_skills", "arguments": {}}),
        ("tools/call", {"name": "search_skills", "arguments": {"query": "postgres"}}),
    ]
    answered = failed = 0
    editor = threading.Thread(target=churn)
    editor.start()
    deadline = time.perf_counter() + seconds
    try:
        while time.perf_counter() < deadline:
            uri = f"skill://{stable[answered % len(stable)]}/SKILL.md"
            method, params = (
                calls[answered % len(calls)]
                if answered % 2
                else (
                    "resources/read",
                    {"uri": uri},
                )
            )
            try:
                peer.request(method, params)
            except (RuntimeError, queue.Empty):
                failed += 1
            answered += 1
    finally:
        stop.set()
        editor.join()
        for extra in skills.glob("zz-churn-*"):
            shutil.rmtree(extra)
        peer.close()
    return answered, failed


def cached_git_source(work: Path) -> tuple[str, dict[str, str]]:
    """A ``file://`` repository holding the bundled agent and skills, already cloned into
    a cache of its own by ``agent-mcp sync``; returns its URL and the cache setting."""
    repo = work / "git-source"
    for folder in ("agents", "skills"):
        shutil.copytree(REPO / folder, repo / folder)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-q", "-m", "catalog"], check=True)
    url = repo.as_uri()
    env = {"AGENT_MCP_CACHE_DIR": str(work / "git-cache")}
    sync = [sys.executable, "-m", "agent_mcp", "sync", "--no-bundled", "--root", url]
    subprocess.run(sync, check=True, env={**os.environ, **env}, capture_output=True)
    return url, env


def median(values: list[float]) -> float:
    return statistics.median(values)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def cold_rows(what: str, size: int, times: dict[str, list[float]], target: str = "") -> list[Row]:
    """The two cold-start rows (to ``initialize``, to ``tools/list``) of one measurement."""
    return [
        Row(
            f"cold start to {answer}{what}",
            size,
            median(times[f"ours_{key}"]),
            median(times[f"bare_{key}"]),
            "s",
            target,
        )
        for key, answer in (("init", "initialize"), ("tools", "tools/list"))
    ]


def run(sizes: list[int], rounds: int, calls_n: int) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="agent-mcp-bench-") as tmp:
        work = Path(tmp)
        bare_script = work / "bare_server.py"
        bare_script.write_text(
            f"AGENT = {str(REPO / 'agents' / 'backend-developer.md')!r}\n"
            f"SKILL = {str(REPO / 'skills' / 'fastapi' / 'SKILL.md')!r}\n" + BARE_SERVER
        )
        bare = [sys.executable, str(bare_script)]
        for size in sizes:
            if size <= 4:
                ours = [sys.executable, "-m", "agent_mcp"]
            else:
                skills = write_catalog(work / f"catalog-{size}", size)
                ours = [sys.executable, "-m", "agent_mcp", "--no-bundled", "--skills", str(skills)]
            target = "<= 1.05x" if size <= 4 else "<= 1.25x"
            rows += cold_rows("", size, cold_start(ours, bare, work, rounds), target)
            rows.append(
                Row(
                    "peak RSS after full resources/list",
                    size,
                    peak_rss(ours, work, walk=True),
                    peak_rss(bare, work, walk=True),
                    "MiB",
                    "< 150 MiB" if size >= 10_000 else "",
                )
            )
            print(f"... {size} skills measured", file=sys.stderr)
        corpus = os.environ.get("WSHOBSON_AGENTS")
        if corpus and Path(corpus, ".claude-plugin", "marketplace.json").is_file():
            # A real marketplace with every kind: agents, skills and commands.
            ours = [sys.executable, "-m", "agent_mcp", "--no-bundled", "--root", corpus]
            times = cold_start(ours, bare, work, rounds)
            rows += cold_rows(", marketplace corpus (all kinds)", 0, times)
        # A git source with its checkout cached: start-up must not touch the network
        # (or run git at all), so this should sit beside the bundled default.
        url, env = cached_git_source(work)
        ours = [sys.executable, "-m", "agent_mcp", "--no-bundled", "--root", url]
        times = cold_start(ours, bare, work, rounds, ours_env=env)
        rows += cold_rows(", cached git source", 4, times)
        # Per-request latency over stdio on the bundled default.
        ours = [sys.executable, "-m", "agent_mcp"]
        ours_lat = latencies(
            ours,
            work,
            {
                "prompts/get": (
                    "prompts/get",
                    {"name": "backend-developer", "arguments": {"task": "x"}},
                ),
                "resources/read": ("resources/read", {"uri": "skill://fastapi/SKILL.md"}),
                "tools/call": (
                    "tools/call",
                    {"name": "load_agent", "arguments": {"agent": "backend-developer"}},
                ),
            },
            calls_n,
        )
        bare_lat = latencies(
            bare,
            work,
            {
                "prompts/get": ("prompts/get", {"name": "persona", "arguments": {"task": "x"}}),
                "resources/read": ("resources/read", {"uri": "skill://bare/SKILL.md"}),
                "tools/call": ("tools/call", {"name": "echo", "arguments": {"text": "x"}}),
            },
            calls_n,
        )
        for label in ours_lat:
            rows.append(
                Row(
                    f"{label} p50",
                    4,
                    median(ours_lat[label]) * 1000,
                    median(bare_lat[label]) * 1000,
                    "ms",
                )
            )
            rows.append(
                Row(
                    f"{label} p99",
                    4,
                    p99(ours_lat[label]) * 1000,
                    p99(bare_lat[label]) * 1000,
                    "ms",
                )
            )
        answered, failed = requests_during_edits(work, 5.0 if rounds > 3 else 2.0)
        rows.append(
            Row(f"failed of {answered} requests, files changing", 1_000, failed, None, "", "0")
        )
        # Reload after one edit at the largest size.
        size = max(sizes)
        if size > 4:
            skills = work / f"catalog-{size}" / "skills"
            first = sorted(p.name for p in skills.iterdir())[0]
            argv = [sys.executable, "-m", "agent_mcp", "--no-bundled", "--skills", str(skills)]
            samples = reload_time(
                argv,
                work,
                skills / first / "SKILL.md",
                f"skill://{first}/SKILL.md",
                max(3, rounds // 2),
            )
            rows.append(
                Row(
                    "edit to notification",
                    size,
                    median(samples),
                    None,
                    "s",
                    "< 1 s",
                    {"ours": samples},
                )
            )
    return rows


def table(rows: list[Row]) -> str:
    width = max([36, *(len(row.measure) for row in rows)])
    header = (
        f"| {'measure':<{width}} | {'skills':>6} | {'agent-mcp':>10} | {'bare':>10} "
        f"| {'ratio':>6} | {'target':<10} |"
    )
    lines = [header, "|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|"]
    for row in rows:
        bare = f"{row.bare:.3f}" if row.bare is not None else "-"
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        lines.append(
            f"| {row.measure:<{width}} | {row.skills:>6} | {row.ours:>7.3f} {row.unit:<3}"
            f"| {bare:>10} | {ratio:>6} | {row.target:<10} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 rounds, sizes 4 and 1,000")
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    args = parser.parse_args(argv)
    sizes = args.sizes or ([4, 1_000] if args.quick else [4, 1_000, 10_000])
    rounds = 3 if args.quick else 9
    rows = run(sizes, rounds, 50 if args.quick else 300)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"agent-mcp startup benchmark ({machine})")
    print(table(rows))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "startup.json"
    out.write_text(
        json.dumps(
            {
                "machine": machine,
                "rows": [
                    {
                        "measure": r.measure,
                        "skills": r.skills,
                        "ours": r.ours,
                        "bare": r.bare,
                        "ratio": r.ratio,
                        "unit": r.unit,
                        "target": r.target,
                    }
                    for r in rows
                ],
            },
            indent=2,
        )
    )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
