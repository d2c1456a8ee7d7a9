"""A deterministic synthetic catalog of N skills, for benchmarks and scale tests.

Same N, same bytes: every run of every benchmark measures the same files. Skills get
a few supporting files in nested folders, varied descriptions and section bodies so
search and listing do realistic work.
"""

from __future__ import annotations

import random
from pathlib import Path

TOPICS = [
    "postgres",
    "redis",
    "kafka",
    "fastapi",
    "django",
    "react",
    "kubernetes",
    "terraform",
    "oauth",
    "graphql",
    "grpc",
    "pandas",
    "pytorch",
    "rust",
    "golang",
    "typescript",
    "observability",
    "caching",
    "pagination",
    "migrations",
    "testing",
    "security",
    "billing",
    "search",
    "queues",
    "websockets",
    "accessibility",
    "i18n",
    "ci",
    "docker",
]
VERBS = ["design", "debug", "optimise", "migrate", "review", "test", "secure", "deploy"]


def write_catalog(root: Path, count: int, *, seed: int = 2640) -> Path:
    """Write ``count`` skills under ``root/skills`` (once; reused when already there)."""
    skills = root / "skills"
    marker = root / f".complete-{count}-{seed}"
    if marker.exists():
        return skills
    rng = random.Random(seed)
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        other = rng.choice(TOPICS)
        verb = rng.choice(VERBS)
        name = f"{topic}-{verb}-{i:05d}"
        folder = skills / name
        (folder / "references" / "deep").mkdir(parents=True, exist_ok=True)
        (folder / "SKILL.md").write_text(
            f"---\nname: {name}\n"
            f"description: How to {verb} {topic} systems that use {other}. Use when asked to "
            f"{verb} {topic} or {other} code.\n---\n\n"
            f"# {verb.title()} {topic}\n\n## Workflow\n\n1. Read the {topic} config.\n"
            f"2. Check {other} integration.\n3. Apply the {verb} checklist.\n\n"
            f"## Gotchas\n\n- {topic} and {other} disagree on timeouts.\n",
            encoding="utf-8",
        )
        (folder / "references" / "guide.md").write_text(
            f"# {topic} guide\n\n" + f"Details about {topic} and {other}.\n" * 20,
            encoding="utf-8",
        )
        (folder / "references" / "deep" / "notes.txt").write_text(f"notes {i}\n", encoding="utf-8")
    marker.write_text("done\n")
    return skills
