"""Git roots on the command line: their checkouts, ``agent-mcp sync`` and ``--sync-every``."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING, TextIO

from agent_mcp.cli.parser import settings_for
from agent_mcp.settings import materialize_roots

if TYPE_CHECKING:
    from agent_mcp.sources import git


def resolve_roots(args: argparse.Namespace, *, refresh: bool = False) -> list[git.Checkout]:
    """Replace git URLs in ``args.root`` by their cached checkouts (cloning if needed)."""
    roots, checkouts = materialize_roots(args.root, refresh=refresh)
    args.root = roots
    args.git_specs = [c.spec for c in checkouts]
    args.git_diagnostics = [d for c in checkouts for d in c.diagnostics]
    return checkouts


def cmd_sync(args: argparse.Namespace, *, out: TextIO) -> int:
    """Refresh every git root and remote plugin; exit 1 when one could not be fetched."""
    checkouts = resolve_roots(args, refresh=True) + settings_for(args).sync()
    if not checkouts:
        out.write("no git roots or remote plugins to sync (give --root URL)\n")
    failed = 0
    for checkout in checkouts:
        shown = checkout.spec.shown
        for diagnostic in checkout.diagnostics:
            out.write(f"{shown}: {diagnostic.severity}: {diagnostic.message}\n")
        if checkout.diagnostics:
            failed += 1
        elif checkout.old == checkout.new:
            out.write(f"{shown}: up to date at {_short(checkout.new)}\n")
        else:
            out.write(f"{shown}: {_short(checkout.old)} -> {_short(checkout.new)}\n")
    return 1 if failed else 0


def _short(commit: str | None) -> str:
    return commit[:12] if commit else "(none)"


def start_sync(args: argparse.Namespace) -> None:
    """Refresh git roots on a timer; the checkout changes in place, so the watcher's live
    reload carries the new commit to clients (with --no-watch it waits for a restart)."""
    every: float | None = getattr(args, "sync_every", None)
    specs: list[git.GitSpec] = getattr(args, "git_specs", [])
    if every:
        specs = [*specs, *settings_for(args).sync_specs()]
    if not every or not specs:
        return
    import threading

    from agent_mcp.sources import git

    def loop(stop: threading.Event) -> None:
        while not stop.wait(every):
            for spec in specs:
                for diagnostic in git.materialize(spec, refresh=True).diagnostics:
                    logging.getLogger("agent_mcp.git").warning("%s", diagnostic)

    threading.Thread(target=loop, args=(threading.Event(),), daemon=True).start()
