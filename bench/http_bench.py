"""Load test over Streamable HTTP on loopback: agent-mcp beside a bare MCPServer.

One command::

    uv run python bench/http_bench.py            # about 4 minutes
    uv run python bench/http_bench.py --quick    # a smoke run

Each server runs under ``uvicorn --factory`` with 1 and 2 workers, stateless (JSON
responses): agent-mcp via ``agent_mcp.server.transports.http:create_app`` (no auth, and again with a
bearer token), and a bare ``MCPServer`` whose ``load_agent`` tool and ``backend-developer``
prompt read the same agent file (:func:`create_bare_app`). N concurrent clients (default
200) send 2025-11-25 requests (the stateless legacy path) and 2026-07-28 requests
(sessionless), in a tools/call-heavy and a prompts/get-heavy mix.

The clients are raw HTTP/1.1 requests with the exact MCP wire format, not ``mcp.Client``:
the load generator must cost far less than the servers it measures. Every response is
checked (HTTP 200, a JSON-RPC result, no ``isError``); anything else counts as failed.
Results: a table on stdout, JSON in ``bench/results/http.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

import anyio
import httpx2
from anyio.abc import Process

REPO = Path(__file__).resolve().parent.parent
AGENT = "backend-developer"
AGENT_FILE = REPO / "agents" / f"{AGENT}.md"
TOKEN = "bench-token-0123456789abcdefghijklmnop"
ERAS = ("2025-11-25", "2026-07-28")
MIXES = {"call-heavy": 0.8, "prompt-heavy": 0.2}  # share of tools/call; the rest prompts/get
TASK = "Add a paginated /orders endpoint"


def create_bare_app() -> Any:
    """The baseline: a bare MCPServer with an equivalent tool and prompt (same agent file)."""
    from mcp.server import MCPServer

    # WARNING: at its default INFO level MCPServer logs every stateless request.
    server = MCPServer("bare", log_level="WARNING")

    def persona(task: str) -> str:
        text = AGENT_FILE.read_text(encoding="utf-8").split("---", 2)[-1].strip()
        return f"{text}\n\n## Task\n\n{task}" if task else text

    @server.tool(name="load_agent")
    def load_agent(agent: str, task: str = "") -> str:
        return persona(task)

    @server.prompt(name=AGENT)
    def backend_developer(task: str = "") -> str:
        return persona(task)

    return server.streamable_http_app(stateless_http=True, json_response=True)


# The wire ------------------------------------------------------------------------------


def encode(
    era: str, method: str, params: dict[str, Any], token: str | None
) -> tuple[bytes, dict[str, str]]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": era,
    }
    if era != "2025-11-25":
        # 2026-07-28: each request carries its version and capabilities, and the routing
        # headers repeat the method and the name.
        meta: dict[str, Any] = {
            "io.modelcontextprotocol/protocolVersion": era,
            "io.modelcontextprotocol/clientCapabilities": {},
        }
        params = {**params, "_meta": meta}
        headers["Mcp-Method"] = method
        if "name" in params:
            headers["Mcp-Name"] = params["name"]
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    return json.dumps(body).encode(), headers


def succeeded(response: httpx2.Response) -> bool:
    if response.status_code != 200:
        return False
    result: object = response.json().get("result")
    return isinstance(result, dict) and not cast("dict[str, object]", result).get("isError")


# Servers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerSpec:
    name: str
    factory: str
    env: dict[str, str] = field(default_factory=lambda: {})
    token: str | None = None


SERVERS = (
    ServerSpec("bare MCPServer", "http_bench:create_bare_app"),
    ServerSpec(
        "agent-mcp", "agent_mcp.server.transports.http:create_app", {"AGENT_MCP_STATELESS": "1"}
    ),
    ServerSpec(
        "agent-mcp+token",
        "agent_mcp.server.transports.http:create_app",
        {"AGENT_MCP_STATELESS": "1", "AGENT_MCP_TOKEN": TOKEN},
        TOKEN,
    ),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start(spec: ServerSpec, workers: int) -> tuple[Process, str]:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        spec.factory,
        "--app-dir",
        str(REPO / "bench"),
    ]
    argv += [
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    env = {**os.environ, **spec.env}
    process = await anyio.open_process(
        argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=None
    )
    url = f"http://127.0.0.1:{port}/mcp"
    body, headers = encode("2026-07-28", "tools/list", {}, spec.token)
    # Entered by name, not ``as``: httpx2's ``__aenter__`` returns ``typing.Self``, which
    # pyright's 3.10 check cannot see, and ``as`` would leave the client untyped.
    http = httpx2.AsyncClient()
    async with http:
        with anyio.fail_after(60):
            while True:
                if process.returncode is not None:
                    raise RuntimeError(f"{spec.name} exited with {process.returncode}")
                try:
                    if (await http.post(url, content=body, headers=headers)).status_code == 200:
                        return process, url
                except httpx2.TransportError:
                    pass
                await anyio.sleep(0.1)


async def stop(process: Process) -> None:
    process.terminate()
    with anyio.move_on_after(15) as waited:
        await process.wait()
    if waited.cancelled_caught:
        process.kill()
        await process.wait()


# Load ----------------------------------------------------------------------------------


@dataclass
class Cell:
    server: str
    workers: int
    era: str
    mix: str
    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {})
    errors: list[str] = field(default_factory=lambda: [])

    def summary(self) -> dict[str, Any]:
        every = sorted(x for values in self.latencies.values() for x in values)
        return {
            **{k: v for k, v in asdict(self).items() if k not in ("latencies", "errors")},
            "rps": self.ok / self.seconds if self.seconds else 0.0,
            "p50_ms": percentile(every, 50),
            "p99_ms": percentile(every, 99),
            "per_method": {
                m: {
                    "n": len(v),
                    "p50_ms": percentile(sorted(v), 50),
                    "p99_ms": percentile(sorted(v), 99),
                }
                for m, v in self.latencies.items()
            },
            "errors": self.errors[:5],
        }


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(pct / 100 * (len(sorted_values) - 1)))
    return sorted_values[index] * 1000


async def load(
    url: str, spec: ServerSpec, cell: Cell, clients: int, warmup: float, duration: float
) -> None:
    share = MIXES[cell.mix]
    requests = {
        "tools/call": encode(
            cell.era,
            "tools/call",
            {"name": "load_agent", "arguments": {"agent": AGENT, "task": TASK}},
            spec.token,
        ),
        "prompts/get": encode(
            cell.era, "prompts/get", {"name": AGENT, "arguments": {"task": TASK}}, spec.token
        ),
    }
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    began = time.perf_counter()
    measure_from, until = began + warmup, began + warmup + duration

    async def client(seed: int, http: httpx2.AsyncClient) -> None:
        rng = random.Random(seed)
        while (started := time.perf_counter()) < until:
            method = "tools/call" if rng.random() < share else "prompts/get"
            body, headers = requests[method]
            try:
                response = await http.post(url, content=body, headers=headers)
                ok = succeeded(response)
                error = "" if ok else f"{method}: HTTP {response.status_code} {response.text[:200]}"
            except httpx2.HTTPError as exc:
                ok, error = False, f"{method}: {type(exc).__name__} {exc}"
            if started < measure_from:
                continue
            if ok:
                cell.ok += 1
                cell.latencies.setdefault(method, []).append(time.perf_counter() - started)
            else:
                cell.failed += 1
                cell.errors.append(error)

    http = httpx2.AsyncClient(limits=limits, timeout=60)
    async with http, anyio.create_task_group() as tg:
        for seed in range(clients):
            tg.start_soon(client, seed, http)
    cell.seconds += time.perf_counter() - measure_from


# Report --------------------------------------------------------------------------------


def table(rows: list[dict[str, Any]]) -> str:
    baseline = {
        (r["workers"], r["era"], r["mix"]): r["rps"] for r in rows if r["server"] == SERVERS[0].name
    }
    lines = [
        f"{'server':<16} {'workers':>7} {'era':<10} {'mix':<12} {'ok':>7} {'failed':>6} "
        f"{'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8}"
    ]
    for r in rows:
        base = baseline.get((r["workers"], r["era"], r["mix"]))
        r["ratio_vs_bare"] = r["rps"] / base if base else None
        ratio = f"{r['ratio_vs_bare']:.2f}x" if r["ratio_vs_bare"] else "-"
        lines.append(
            f"{r['server']:<16} {r['workers']:>7} {r['era']:<10} {r['mix']:<12} {r['ok']:>7} "
            f"{r['failed']:>6} {r['rps']:>8.0f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {ratio:>8}"
        )
    return "\n".join(lines)


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (200)")
    parser.add_argument("--duration", type=float, default=2.0, help="measured seconds per turn (2)")
    parser.add_argument("--warmup", type=float, default=0.5, help="unmeasured seconds per turn")
    parser.add_argument("--rounds", type=int, default=3, help="turns per server and case (3)")
    parser.add_argument("--workers", default="1,2", help="worker counts to try (1,2)")
    parser.add_argument("--quick", action="store_true", help="one 1 s turn, 50 clients, 1 worker")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "http.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.duration, args.warmup, args.workers, args.rounds = 50, 1.0, 0.5, "1", 1
    rows: list[dict[str, Any]] = []
    for workers in [int(w) for w in args.workers.split(",")]:
        # All servers up at once and measured in turn for each case, so a burst of load
        # from elsewhere on the machine hits neighbours in the table, not one whole server.
        started = [(spec, *await start(spec, workers)) for spec in SERVERS]
        cells = {
            (spec.name, era, mix): Cell(spec.name, workers, era, mix)
            for spec in SERVERS
            for era in ERAS
            for mix in MIXES
        }
        try:
            for round_ in range(args.rounds):
                # Servers take turns within each case, in a rotating order, so load from
                # elsewhere on the machine spreads over all of them rather than one.
                turn = started[round_ % len(started) :] + started[: round_ % len(started)]
                for era in ERAS:
                    for mix in MIXES:
                        for spec, _process, url in turn:
                            cell = cells[spec.name, era, mix]
                            await load(url, spec, cell, args.clients, args.warmup, args.duration)
            for cell in cells.values():
                rows.append(cell.summary())
                print(
                    f"  {cell.server}, {workers} worker(s), {cell.era}, {cell.mix}: "
                    f"{cell.ok} ok, {cell.failed} failed",
                    file=sys.stderr,
                )
        finally:
            for _spec, process, _url in started:
                await stop(process)
    rows.sort(key=lambda r: (r["workers"], r["era"], r["mix"]))
    report = table(rows)
    print(report)
    failed = sum(r["failed"] for r in rows)
    ours = [r["ratio_vs_bare"] for r in rows if r["server"] == "agent-mcp" and r["ratio_vs_bare"]]
    print(
        f"\n{args.clients} concurrent clients; failed requests: {failed}; agent-mcp/bare "
        f"throughput: min {min(ours):.2f}x, mean {sum(ours) / len(ours):.2f}x"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    settings = {k: v for k, v in vars(args).items() if k != "out"}
    args.out.write_text(
        json.dumps({"machine": machine, "settings": settings, "results": rows}, indent=2)
    )
    print(f"wrote {args.out.relative_to(REPO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(anyio.run(main))
