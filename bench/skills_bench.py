"""Large-catalog benchmark: agent-mcp over stdio beside a bare MCPServer baseline.

    uv run python bench/skills_bench.py [--skills 10000] [--queries 200]

Generates a deterministic synthetic catalog (seeded, SKILL.md sizes like the wshobson
corpus: about 5.5 KB, with supporting files on a third of the skills), then measures
over real stdio subprocesses: cold start to first answer, the full ``skills/list`` walk
(first, with hashing, and again from the digest cache), one file read, the first
search (index build included), ``search_skills`` p50/p99 and peak RSS (VmHWM). The
baseline is a bare ``MCPServer`` with one tool that reads a SKILL.md, written into the
temp folder at run time; it gives the floor for start-up, a round trip and memory.
Also measures what a host receives before any call (instructions, tools/list,
prompts/list) with the bundled skills, the wshobson corpus and the synthetic catalog.
Prints a table and writes bench/results/skills.json.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import mcp_types as types
from mcp import Client, StdioServerParameters

from agent_mcp.files.digests import RACY_NS

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.corpus import CORPUS  # noqa: E402  (the one place that finds the corpus)
from tests.skills_host import GetSkillParams, GetSkillRequest, ListSkillsRequest, ListSkillsResult  # noqa: E402

RESULTS = REPO / "bench" / "results" / "skills.json"
T = TypeVar("T")

# Synthetic catalog -----------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


TOPICS = words("""kubernetes postgres react terraform kafka redis python rust golang django fastapi
graphql grpc docker helm prometheus grafana airflow spark snowflake dbt pandas
pytorch langchain stripe oauth saml nginx envoy istio argo jenkins github gitlab
elasticsearch mongodb dynamodb cassandra sqlite mysql clickhouse bigquery lambda
cloudflare nextjs vue svelte flutter swift kotlin android unity wasm solidity""")
ACTIONS = words("""deploy test monitor migrate secure optimize debug scale design review audit
document refactor benchmark profile configure integrate automate validate backup restore
provision rollback troubleshoot harden index cache shard replicate stream""")
OBJECTS = words("""cluster schema pipeline service api endpoint query index table cache queue topic
consumer manifest chart dashboard alert metric trace log job workflow model dataset
component hook store route middleware token session secret certificate policy role
tenant bucket function container image registry release branch fixture migration
snapshot""")
COMMON = words("""the a to and of for in with on is be this that by use when it as from can your you
should are or will each all not if before after then more new first check make sure
run set add create update remove keep only must may also into over step example
default value file config option command output input error result state""")


class Writer:
    """Deterministic prose: a Zipf-weighted vocabulary of real words plus a long tail."""

    def __init__(self, seed: int = 2640) -> None:
        rng = random.Random(seed)
        syllables = ["ka", "lo", "mi", "ner", "tas", "vel", "qui", "dor", "ban", "rex", "zu"]
        tail: set[str] = set()
        while len(tail) < 6000:
            tail.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
        self.vocab = COMMON + TOPICS + ACTIONS + OBJECTS + sorted(tail)
        total = 0.0
        self.cumulative: list[float] = []
        for rank in range(len(self.vocab)):
            total += 1.0 / (rank + 1) ** 1.05
            self.cumulative.append(total)

    def sentence(self, rng: random.Random, focus: list[str], n: int) -> str:
        top = self.cumulative[-1]
        words = [self.vocab[bisect.bisect(self.cumulative, rng.random() * top)] for _ in range(n)]
        for i in range(0, n, 6):
            words[i] = rng.choice(focus)
        return " ".join(words).capitalize() + "."

    def skill(self, index: int) -> tuple[str, str, dict[str, bytes]]:
        rng = random.Random(index)
        topic, action, obj = rng.choice(TOPICS), rng.choice(ACTIONS), rng.choice(OBJECTS)
        name = f"{topic}-{action}-{obj}-{index:05d}"
        focus = [topic, action, obj]
        description = (
            f"{action.capitalize()} {topic} {obj}s. {self.sentence(rng, focus, 16)} "
            f"Use when you need to {action} a {topic} {obj}."
        )
        parts = [f"---\nname: {name}\ndescription: {description}\nlicense: MIT\n---\n"]
        parts.append(f"# {topic.capitalize()} {obj} {action}\n")
        for s in range(5):
            parts.append(f"## {rng.choice(ACTIONS).capitalize()} the {rng.choice(OBJECTS)}\n")
            for _ in range(3):
                parts.append(self.sentence(rng, focus, rng.randint(20, 36)) + "\n")
            if s % 2:
                parts.append(f"```bash\n# {obj} note\n{topic} {action} --{obj} {s}\n```\n")
        files = {"SKILL.md": "\n".join(parts).encode()}
        if index % 3 == 0:
            guide = " ".join(self.sentence(rng, focus, 30) for _ in range(8))
            files["references/guide.md"] = f"# Guide\n\n{guide}\n".encode()
        if index % 10 == 0:
            files["scripts/check.py"] = f"print({name!r})\n".encode() * 10
        if index % 50 == 0:
            files["assets/icon.png"] = b"\x89PNG\r\n\x1a\n" + rng.randbytes(200)
        return name, description, files


def make_catalog(root: Path, count: int) -> list[tuple[str, str]]:
    """Write ``count`` skills under ``root``; returns (name, description) of each."""
    writer = Writer()
    made: list[tuple[str, str]] = []
    for index in range(count):
        name, description, files = writer.skill(index)
        for relpath, data in files.items():
            path = root / name / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        made.append((name, description))
    return made


BASELINE = '''\
import sys
from pathlib import Path

from mcp.server import MCPServer

ROOT = Path(sys.argv[1])
server = MCPServer("baseline")


@server.tool()
def read_skill(name: str) -> str:
    """Return the SKILL.md of the named skill."""
    return (ROOT / name / "SKILL.md").read_text(encoding="utf-8")


server.run()
'''

# Talking to the servers ------------------------------------------------------------


def server_pid(marker: str) -> int:
    """The pid of our child process whose command line contains ``marker``."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and marker in cmdline:
            return int(entry)
    raise RuntimeError(f"no child process runs {marker}")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def timed(action: Callable[[], Awaitable[T]]) -> tuple[float, T]:
    start = time.perf_counter()
    result = await action()
    return (time.perf_counter() - start) * 1000, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def walk(client: Client) -> int:
    count, cursor = 0, None
    while True:
        page = await client.session.send_request(
            ListSkillsRequest(params=types.PaginatedRequestParams(cursor=cursor)), ListSkillsResult
        )
        count += len(page.skills)
        if (cursor := page.next_cursor) is None:
            return count


def queries(made: list[tuple[str, str]], n: int) -> list[str]:
    rng = random.Random(7)
    out: list[str] = []
    for _ in range(n):
        _, description = rng.choice(made)
        words = [w.strip(".,") for w in description.split() if len(w) > 3]
        out.append(" ".join(rng.sample(words, min(3, len(words)))))
    return out


SKILL_TOOLS = {"list_skills", "load_skill", "read_skill_file", "search_skills"}


async def context_bytes(client: Client) -> dict[str, int]:
    """What a host receives before any call, as JSON bytes: the instructions,
    tools/list and prompts/list (every page), and the skill tools' share of tools/list."""
    tools: list[dict[str, Any]] = []
    prompts: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = await client.list_tools(cursor=cursor)
        tools += [t.model_dump(by_alias=True, mode="json", exclude_none=True) for t in page.tools]
        if (cursor := page.next_cursor) is None:
            break
    while True:
        listed = await client.list_prompts(cursor=cursor)
        prompts += [
            p.model_dump(by_alias=True, mode="json", exclude_none=True) for p in listed.prompts
        ]
        if (cursor := listed.next_cursor) is None:
            break
    size = {
        "instructions": len((client.instructions or "").encode()),
        "tools": len(json.dumps(tools).encode()),
        "prompts": len(json.dumps(prompts).encode()),
        "skill_tools": len(json.dumps([t for t in tools if t["name"] in SKILL_TOOLS]).encode()),
    }
    size["total"] = size["instructions"] + size["tools"] + size["prompts"]
    return size


async def walk_with_pings(client: Client) -> tuple[float, int, list[float]]:
    """A first (hashing) skills/list walk, with cheap requests sent back to back while it
    runs (resources/templates/list: static, no disk; ping is gone in 2026-07-28): the
    walk works off the event loop, so they should not wait for it."""
    pings: list[float] = []
    result: list[tuple[float, int]] = []

    async def walking() -> None:
        result.append(await timed(lambda: walk(client)))

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(walking)
        while not result:
            elapsed, _ = await timed(client.list_resource_templates)
            pings.append(elapsed)
    return result[0][0], result[0][1], pings or [0.0]


async def measure_agent_mcp(root: Path, made: list[tuple[str, str]], n: int) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "agent_mcp", "--no-bundled", "--skills", str(root)]
    )
    out: dict[str, Any] = {}
    start = time.perf_counter()
    async with Client(params) as client:
        out["cold_start_ms"] = (time.perf_counter() - start) * 1000
        pid = server_pid("agent_mcp")
        out["context_bytes"] = await context_bytes(client)
        out["context_total"] = out["context_bytes"]["total"]
        # Skills load in the background after the handshake; skills/get of one skill
        # waits for that (and hashes one skill), so the walk below measures the walk.
        first = f"skill://{made[0][0]}/SKILL.md"
        await client.session.send_request(
            GetSkillRequest(params=GetSkillParams(uri=first)), types.Result
        )
        out["skills_ready_ms"] = (time.perf_counter() - start) * 1000
        out["walk_first_ms"], listed = await timed(lambda: walk(client))
        out["walk_cached_ms"], _ = await timed(lambda: walk(client))
        out["listed_skills"] = listed
        out["peak_rss_after_walk_mib"] = peak_rss_mib(pid)
        template = types.ResourceTemplateReference(uri="skill://{name}/{path}")
        keystrokes = [name[:k] for name, _ in made[:: max(1, len(made) // 50)] for k in (1, 3)]
        completions = [
            (await timed(lambda v=v: client.complete(template, {"name": "name", "value": v})))[0]
            for v in keystrokes
        ]
        out["completion_p50_ms"] = percentile(completions, 0.5)
        reads = [
            (await timed(lambda name=name: client.read_resource(f"skill://{name}/SKILL.md")))[0]
            for name, _ in made[:: max(1, len(made) // 200)]
        ]
        out["file_read_p50_ms"] = statistics.median(reads)
        asked = queries(made, n + 1)
        out["first_search_ms"], _ = await timed(
            lambda: client.call_tool("search_skills", {"query": asked[0]})
        )
        out["peak_rss_after_index_mib"] = peak_rss_mib(pid)
        times = [
            (await timed(lambda q=q: client.call_tool("search_skills", {"query": q})))[0]
            for q in asked[1:]
        ]
        out["search_p50_ms"] = percentile(times, 0.5)
        out["search_p99_ms"] = percentile(times, 0.99)
        out["peak_rss_mib"] = peak_rss_mib(pid)
    # On a server of its own: requests sent back to back during a first walk compete
    # with it for the process, so they would slow the walk measured above.
    async with Client(params) as client:
        await client.session.send_request(
            GetSkillRequest(params=GetSkillParams(uri=first)), types.Result
        )
        _, _, pings = await walk_with_pings(client)
        out["ping_during_walk_p50_ms"] = percentile(pings, 0.5)
        out["ping_during_walk_max_ms"] = max(pings)
    return out


async def measure_baseline(root: Path, made: list[tuple[str, str]], n: int) -> dict[str, Any]:
    script = root.parent / "baseline_server.py"
    script.write_text(BASELINE, encoding="utf-8")
    params = StdioServerParameters(command=sys.executable, args=[str(script), str(root)])
    out: dict[str, Any] = {}
    start = time.perf_counter()
    async with Client(params) as client:
        out["cold_start_ms"] = (time.perf_counter() - start) * 1000
        pid = server_pid("baseline_server.py")
        out["context_bytes"] = await context_bytes(client)
        out["context_total"] = out["context_bytes"]["total"]
        names = [name for name, _ in made[:: max(1, len(made) // 200)]]
        reads = [
            (await timed(lambda name=name: client.call_tool("read_skill", {"name": name})))[0]
            for name in names
        ]
        out["file_read_p50_ms"] = statistics.median(reads)
        # The same round trip the search measures, with no work behind it: the floor.
        calls = [
            (await timed(lambda i=i: client.call_tool("read_skill", {"name": made[i][0]})))[0]
            for i in range(n)
        ]
        out["search_p50_ms"] = percentile(calls, 0.5)
        out["search_p99_ms"] = percentile(calls, 0.99)
        out["peak_rss_mib"] = peak_rss_mib(pid)
    return out


async def host_context(args: list[str]) -> dict[str, int]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "agent_mcp", *args])
    async with Client(params) as client:
        return await context_bytes(client)


ROWS = [
    ("cold start to first answer", "cold_start_ms", "ms"),
    ("spawn to skills loaded (skills/get answer)", "skills_ready_ms", "ms"),
    ("skills/list full walk, first (hashing)", "walk_first_ms", "ms"),
    ("skills/list full walk, cached digests", "walk_cached_ms", "ms"),
    ("cheap request p50 during the first walk", "ping_during_walk_p50_ms", "ms"),
    ("cheap request max during the first walk", "ping_during_walk_max_ms", "ms"),
    ("completion/complete p50 (skill names)", "completion_p50_ms", "ms"),
    ("file read p50 (resources/read | tool)", "file_read_p50_ms", "ms"),
    ("first search (index build included)", "first_search_ms", "ms"),
    ("search_skills p50 (baseline: bare call)", "search_p50_ms", "ms"),
    ("search_skills p99 (baseline: bare call)", "search_p99_ms", "ms"),
    ("peak RSS after the walk", "peak_rss_after_walk_mib", "MiB"),
    ("peak RSS after the index build", "peak_rss_after_index_mib", "MiB"),
    ("peak RSS at the end (VmHWM)", "peak_rss_mib", "MiB"),
    ("context before any call", "context_total", "B"),
]


def table(ours: dict[str, Any], base: dict[str, Any]) -> str:
    lines = [f"{'metric':42} {'agent-mcp':>12} {'baseline':>12} {'ratio':>7}"]
    for label, key, unit in ROWS:
        mine, theirs = ours.get(key), base.get(key)
        ratio = f"{mine / theirs:.2f}x" if mine is not None and theirs else "-"
        shown = f"{theirs:,.1f} {unit}" if theirs is not None else "-"
        lines.append(f"{label:42} {mine:>9,.1f} {unit:<3}{shown:>12} {ratio:>7}")
    return "\n".join(lines)


async def run(count: int, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="skills-bench-") as tmp:
        root = Path(tmp) / "skills"
        started = time.perf_counter()
        made = make_catalog(root, count)
        generated = time.perf_counter() - started
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        print(f"generated {count} skills ({size / 2**20:.1f} MiB) in {generated:.1f} s", flush=True)
        # The digest cache does not remember a file changed in the last RACY_NS (its
        # timestamps could still tick). Files written a moment ago are not the steady
        # state being measured, so let the newest ones settle first.
        await anyio.sleep(max(0.0, RACY_NS / 1e9 - (time.perf_counter() - started - generated)))
        with anyio.fail_after(600):
            ours = await measure_agent_mcp(root, made, n)
            base = await measure_baseline(root, made, n)
            contexts = {"bundled": await host_context([])}
            if CORPUS.is_dir():
                contexts["wshobson"] = await host_context(["--no-bundled", "--root", str(CORPUS)])
            # The same server with only the catalog size changed: 4, 180 and `count`.
            for small in (4, 180):
                make_catalog(Path(tmp) / f"small-{small}", small)
                small_args = ["--no-bundled", "--skills", str(Path(tmp) / f"small-{small}")]
                contexts[f"synthetic-{small}"] = await host_context(small_args)
            contexts[f"synthetic-{count}"] = ours["context_bytes"]
    print(table(ours, base))
    print("context before any call, bytes (instructions + tools/list + prompts/list):")
    header = ("catalog", "total", "instr.", "tools", "prompts", "4 skill tools")
    print("  {:18} {:>8} {:>7} {:>7} {:>8} {:>14}".format(*header))
    for label, c in contexts.items():
        print(
            f"  {label:18} {c['total']:>8,} {c['instructions']:>7,} {c['tools']:>7,}"
            f" {c['prompts']:>8,} {c['skill_tools']:>14,}"
        )
    return {
        "skills": count,
        "catalog_bytes": size,
        "queries": n,
        "agent_mcp": ours,
        "baseline": base,
        "context_bytes": contexts,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="agent-mcp large-catalog benchmark")
    parser.add_argument("--skills", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    results = anyio.run(run, args.skills, args.queries)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
