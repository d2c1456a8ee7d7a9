"""Soak over Streamable HTTP on loopback: many clients, one that never reads, live edits.

One command::

    uv run python bench/soak_bench.py            # 60 s
    uv run python bench/soak_bench.py --quick    # 10 s smoke run

Two ``agent-mcp serve --http`` processes serve a small generated catalog: one with
sessions, one ``--stateless``. For a fixed time, N stateful clients (each sets a log level,
subscribes, makes requests and ends its session every few requests, so sessions churn),
N stateless clients (``logging/setLevel`` and ``tools/list`` with no session), a few
healthy listeners (a GET event stream each) and one client that opens its event stream and
never reads it, while the agent file is rewritten every second. Printed (and written to
``bench/results/soak.json``): requests served, failures, each server's RSS after warm-up
and at the end, and the edit-to-notification latency seen by the healthy listeners.
Targets: RSS within 10%, 0 failures, notification max under 1 s.

The load runs in a process of its own (``--load``), so the listeners' timestamps measure
the server, not a bench event loop busy with 40 clients of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2

REPO = Path(__file__).resolve().parent.parent
HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-11-25",
}
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "soak", "version": "0"},
    },
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


@dataclass
class Tally:
    served: int = 0
    failures: int = 0
    errors: list[str] = field(default_factory=lambda: list[str]())

    def fail(self, what: str) -> None:
        self.failures += 1
        if len(self.errors) < 5:
            self.errors.append(what)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_catalog(root: Path) -> Path:
    (root / "agents").mkdir(parents=True)
    (root / "skills" / "soak-skill").mkdir(parents=True)
    write_agent(root, 0)
    (root / "skills" / "soak-skill" / "SKILL.md").write_text(
        "---\nname: soak-skill\ndescription: A skill for the soak bench.\n---\nBody.\n"
    )
    return root


def write_agent(root: Path, edit: int) -> None:
    (root / "agents" / "soak.md").write_text(
        f"---\nname: soak\ndescription: Edit number {edit}.\n---\nYou are edit {edit}.\n"
    )


def request(number: int, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": number, "method": method}
    if params is not None:
        message["params"] = params
    return message


def answered(response: httpx2.Response) -> bool:
    if response.status_code != 200:
        return False
    text = response.text
    body = (
        text
        if text.startswith("{")
        else "".join(line[5:] for line in text.splitlines() if line.startswith("data:"))
    )
    return '"result"' in body


async def open_session(http: httpx2.AsyncClient, url: str) -> str:
    opened = await http.post(url, json=INITIALIZE, headers=HEADERS)
    opened.raise_for_status()
    session = opened.headers["mcp-session-id"]
    headers = {**HEADERS, "Mcp-Session-Id": session}
    await http.post(url, json=INITIALIZED, headers=headers)
    return session


async def stateful_client(url: str, until: float, tally: Tally) -> None:
    # Entered by name: with ``as``, httpx2's ``typing.Self`` leaves it untyped on 3.10.
    http = httpx2.AsyncClient(timeout=30)
    async with http:
        while time.monotonic() < until:
            session = await open_session(http, url)
            headers = {**HEADERS, "Mcp-Session-Id": session}
            calls = [
                request(1, "logging/setLevel", {"level": "info"}),
                request(2, "resources/subscribe", {"uri": "agent://soak"}),
                request(3, "tools/list"),
                request(4, "prompts/get", {"name": "soak", "arguments": {"task": "soak"}}),
            ]
            for call in calls:
                response = await http.post(url, json=call, headers=headers)
                if answered(response):
                    tally.served += 1
                else:
                    tally.fail(f"{call['method']}: {response.status_code} {response.text[:80]}")
            await http.delete(url, headers=headers)


async def stateless_client(url: str, until: float, tally: Tally) -> None:
    http = httpx2.AsyncClient(timeout=30)
    async with http:
        number = 0
        while time.monotonic() < until:
            number += 1
            for call in (
                request(number, "logging/setLevel", {"level": "info"}),
                request(number, "tools/list"),
            ):
                response = await http.post(url, json=call, headers=HEADERS)
                if answered(response):
                    tally.served += 1
                else:
                    tally.fail(f"{call['method']}: {response.status_code} {response.text[:80]}")


async def listener(url: str, received: list[float], ready: anyio.Event) -> None:
    http = httpx2.AsyncClient(timeout=None)
    async with http:
        session = await open_session(http, url)
        headers = {**HEADERS, "Mcp-Session-Id": session}
        async with http.stream("GET", url, headers=headers) as stream:
            ready.set()
            async for line in stream.aiter_lines():
                if "prompts/list_changed" in line:
                    received.append(time.monotonic())


async def never_reads(url: str, stack: AsyncExitStack, ready: anyio.Event) -> None:
    http = httpx2.AsyncClient(timeout=None)
    await stack.enter_async_context(http)
    session = await open_session(http, url)
    headers = {**HEADERS, "Mcp-Session-Id": session}
    await http.post(url, json=request(1, "logging/setLevel", {"level": "debug"}), headers=headers)
    await stack.enter_async_context(http.stream("GET", url, headers=headers))
    ready.set()  # the stream is open; nothing will ever read it


async def editor(root: Path, until: float, edits: list[float]) -> None:
    number = 0
    while time.monotonic() < until - 1:
        number += 1
        edits.append(time.monotonic())
        write_agent(root, number)
        await anyio.sleep(1.0)


def latencies(edits: list[float], receipts: list[list[float]]) -> list[float]:
    out: list[float] = []
    for index, start in enumerate(edits):
        end = edits[index + 1] if index + 1 < len(edits) else float("inf")
        for received in receipts:
            after = [t - start for t in received if start <= t < end]
            out.append(min(after) if after else end - start)
    return out


def start_server(root: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENT_MCP_")}
    argv = [sys.executable, "-m", "agent_mcp", "serve", "--http", "--port", str(port)]
    argv += ["--agents", str(root / "agents"), "--skills", str(root / "skills"), "--no-bundled"]
    return subprocess.Popen([*argv, *extra], env=env, stderr=subprocess.DEVNULL)


async def wait_up(port: int) -> None:
    http = httpx2.AsyncClient()
    async with http:
        with anyio.fail_after(30):
            while True:
                try:
                    (await http.get(f"http://127.0.0.1:{port}/healthz")).raise_for_status()
                    return
                except httpx2.TransportError:
                    await anyio.sleep(0.1)


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_catalog(Path(tmp))
        ports = free_port(), free_port()
        servers = [start_server(root, ports[0]), start_server(root, ports[1], "--stateless")]
        try:
            for port in ports:
                await wait_up(port)
            stateful, stateless = (f"http://127.0.0.1:{p}/mcp" for p in ports)
            edits: list[float] = []
            receipts: list[list[float]] = [[] for _ in range(args.listeners)]
            rss_start: list[float] = []
            rss_end: list[float] = []
            out = b"{}"
            async with AsyncExitStack() as stack, anyio.create_task_group() as tasks:
                ready = anyio.Event()
                await never_reads(stateful, stack, ready)
                for received in receipts:
                    heard = anyio.Event()
                    tasks.start_soon(listener, stateful, received, heard)
                    await heard.wait()
                # Let the watchers start (they wait for first answers or a second).
                await anyio.sleep(2)
                until = time.monotonic() + args.warmup + args.duration
                load = start_load(args.clients, stateful, stateless, until, args.warmup)
                await anyio.sleep(args.warmup)
                rss_start = [rss_mib(s.pid) for s in servers]
                await editor(root, until, edits)
                await anyio.sleep(max(0.0, until - time.monotonic()))
                rss_end = [rss_mib(s.pid) for s in servers]
                out, _ = await anyio.to_thread.run_sync(load.communicate)
                tasks.cancel_scope.cancel()
        finally:
            for server in servers:
                server.terminate()
                server.wait(10)
    tally = json.loads(out)
    lat = latencies(edits, receipts)
    return {
        "clients": args.clients,
        "listeners": args.listeners,
        "duration_s": args.duration,
        "requests_served": tally["served"],
        "requests_served_measured": tally["served"] - tally["served_at_warmup"],
        "failures": tally["failures"],
        "first_errors": tally["errors"],
        "rss_start_mib": {"sessions": rss_start[0], "stateless": rss_start[1]},
        "rss_end_mib": {"sessions": rss_end[0], "stateless": rss_end[1]},
        "edits": len(edits),
        "notify_p50_s": statistics.median(lat) if lat else None,
        "notify_max_s": max(lat) if lat else None,
    }


def start_load(
    clients: int, stateful: str, stateless: str, until: float, warmup: float
) -> subprocess.Popen[bytes]:
    # CLOCK_MONOTONIC is system-wide on Linux, so ``until`` means the same in the child.
    argv = [sys.executable, __file__, "--load", stateful, stateless, str(until), str(warmup)]
    return subprocess.Popen([*argv, "--clients", str(clients)], stdout=subprocess.PIPE)


async def run_load(
    clients: int, stateful: str, stateless: str, until: float, warmup: float
) -> None:
    tally = Tally()
    served_at_warmup = 0

    async def mark_warmup() -> None:
        nonlocal served_at_warmup
        await anyio.sleep(warmup)
        served_at_warmup = tally.served

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(mark_warmup)
        for _ in range(clients):
            tasks.start_soon(stateful_client, stateful, until, tally)
            tasks.start_soon(stateless_client, stateless, until, tally)
    report = {**vars(tally), "served_at_warmup": served_at_warmup}
    print(json.dumps(report))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20, help="stateful and stateless each")
    parser.add_argument("--listeners", type=int, default=3, help="healthy event streams (3)")
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds (60)")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds before RSS start")
    parser.add_argument("--quick", action="store_true", help="10 s, 5 clients each")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "soak.json")
    parser.add_argument(
        "--load",
        nargs=4,
        metavar=("STATEFUL", "STATELESS", "UNTIL", "WARMUP"),
        help=argparse.SUPPRESS,
    )  # the load process this bench starts
    args = parser.parse_args()
    if args.load:
        stateful, stateless, until, warmup = args.load
        anyio.run(run_load, args.clients, stateful, stateless, float(until), float(warmup))
        return
    if args.quick:
        args.clients, args.duration, args.warmup = 5, 10.0, 3.0
    result = anyio.run(soak, args)
    for key, value in result.items():
        print(f"{key:28} {value}")
    if not args.quick:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    growth = [result["rss_end_mib"][k] / result["rss_start_mib"][k] for k in result["rss_end_mib"]]
    ok = result["failures"] == 0 and max(growth) <= 1.10 and (result["notify_max_s"] or 0) < 1.0
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
