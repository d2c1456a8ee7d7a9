"""A watcher process: reports the files that change under the given roots.

    python -m agent_mcp.sources.watcher [--debounce MS] ROOT...

Prints ``ready`` once every root is watched, then one JSON list of changed paths per
burst of changes (bursts are coalesced by the debounce window). Exits when its stdin
closes, so it never outlives the server that started it.

It is a separate process because registering recursive watches (inotify on Linux) runs
in native code that holds the GIL: at 10,000 skills that is half a second during which
a server in the same process could not answer anyone.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence


def _stop_when_stdin_closes(stop: threading.Event) -> None:
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agent_mcp.sources.watcher")
    parser.add_argument("--debounce", type=int, default=150, help="milliseconds (150)")
    parser.add_argument("roots", nargs="+")
    args = parser.parse_args(argv)
    from watchfiles import watch

    stop = threading.Event()
    threading.Thread(target=_stop_when_stdin_closes, args=(stop,), daemon=True).start()
    ready = False
    # yield_on_timeout makes the first (empty) batch arrive right after the watches are
    # registered, which is when "ready" is true.
    for changes in watch(
        *args.roots,
        debounce=args.debounce,
        step=20,
        stop_event=stop,
        rust_timeout=200,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if not ready:
            ready = True
            print("ready", flush=True)
        if changes:
            print(json.dumps(sorted({path for _, path in changes})), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
