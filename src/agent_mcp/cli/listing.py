"""``agent-mcp list`` and ``validate``: what would be served, and what is wrong with it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.cli.parser import catalog_for
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.sources.claude_home import layout_report
from agent_mcp.sources.local import sources_for_path
from agent_mcp.sources.marketplace import Marketplace


def _marketplaces(roots: Sequence[Path]) -> Marketplace:
    """What the roots' manifests and plugin records say beyond their sources."""
    return layout_report(roots)


def cmd_list(catalog: Catalog, *, as_json: bool, out: TextIO, roots: Sequence[Path] = ()) -> int:
    market = _marketplaces(roots)
    diagnostics = [*market.diagnostics, *catalog.diagnostics]
    if as_json:
        payload = {
            "agents": [
                {
                    "name": a.name,
                    "description": a.description,
                    "path": str(a.path),
                    "skills": list(a.skills),
                    "missingSkills": catalog.agent_skills(a)[1],
                }
                for a in catalog.agents.values()
            ],
            "skills": [
                {
                    "name": s.name,
                    "path": s.skill_path,
                    "uri": s.uri(),
                    "description": s.description,
                    "directory": str(s.directory),
                }
                for s in catalog.skills.values()
            ],
            "commands": [
                {
                    "name": c.name,
                    "description": c.description,
                    "path": str(c.path),
                    "argumentHint": c.argument_hint,
                }
                for c in catalog.commands.values()
            ],
            "notServed": [
                {"plugin": n.plugin, "part": n.part, "path": str(n.path), "why": n.why}
                for n in market.not_served
            ],
            "diagnostics": [d.to_json() for d in diagnostics],
        }
        json.dump(payload, out, indent=2)
        out.write("\n")
        return 0
    out.write(f"Agents ({len(catalog.agents)}):\n")
    for agent in catalog.agents.values():
        found, missing = catalog.agent_skills(agent)
        skills = ", ".join([s.skill_path for s in found] + [f"{m} (missing)" for m in missing])
        out.write(f"  {agent.name}  [{agent.path}]\n")
        if skills:
            out.write(f"    skills: {skills}\n")
    out.write(f"Skills ({len(catalog.skills)}):\n")
    for skill in catalog.skills.values():
        out.write(f"  {skill.skill_path}  {skill.uri()}\n")
    out.write(f"Commands ({len(catalog.commands)}):\n")
    for command in catalog.commands.values():
        hint = f" {command.argument_hint}" if command.argument_hint else ""
        out.write(f"  /{command.name}{hint}  [{command.path}]\n")
    if market.not_served:
        out.write(f"Not served ({len(market.not_served)}):\n")
        for item in market.not_served:
            out.write(f"  {item.plugin}: {item.part} [{item.path}]: {item.why}\n")
    _write_diagnostics(diagnostics, out)
    return 0


def cmd_validate(args: argparse.Namespace, *, out: TextIO) -> int:
    if args.paths:
        missing = [p for p in args.paths if not p.exists()]
        sources = [s for p in args.paths if p.exists() for s in sources_for_path(p)]
        catalog = build_catalog(sources)
        diagnostics = [
            Diagnostic("missing-path", "error", p, "the path does not exist", "check the path")
            for p in missing
        ]
    else:
        catalog = catalog_for(args)
        diagnostics = list(_marketplaces(args.root).diagnostics)
    # Imported here: the deep checks parse decision trees, which serving does lazily.
    from agent_mcp.features.checks import deep_check

    diagnostics += [*catalog.diagnostics, *deep_check(catalog)]
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if args.json:
        json.dump(
            {
                "valid": errors == 0,
                "agents": len(catalog.agents),
                "skills": len(catalog.skills),
                "commands": len(catalog.commands),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": [d.to_json() for d in diagnostics],
            },
            out,
            indent=2,
        )
        out.write("\n")
    else:
        _write_diagnostics(diagnostics, out)
        verdict = "invalid" if errors else "valid"
        out.write(
            f"{verdict}: {len(catalog.agents)} agents, {len(catalog.skills)} skills, "
            f"{len(catalog.commands)} commands, "
            f"{errors} errors, {warnings} warnings\n"
        )
    return 1 if errors else 0


def _write_diagnostics(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    if diagnostics:
        out.write(f"Diagnostics ({len(diagnostics)}):\n")
        for diagnostic in diagnostics:
            out.write(f"  {diagnostic}\n")
