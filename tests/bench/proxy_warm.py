#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A client's warm proxied install against its local one, outside bench.py's full sequence
(README, "Proxy, cache and offline installs"): an upstream Trove with bench.py's 100
dependencies, and each round a fresh Trove proxy: a cold install, a warm one right after it, the
local install from the upstream, and a second warm install LATER seconds on (default 35).
ORDER changes the steps of a round (default "cold warm local later"; bench.py's order is
"local cold warm"), PAUSE seconds of sleep come before each step (default 0).

    python3 tests/bench/proxy_warm.py TROVE_BINARY CLIENT [ROUNDS]   # CLIENT: npm, pnpm, yarn classic, yarn berry
    ORDER="local cold warm" PAUSE=10 python3 tests/bench/proxy_warm.py TROVE_BINARY pnpm 5
"""
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

spec = importlib.util.spec_from_file_location("bench", Path(__file__).resolve().parent / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    binary, client = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) == 4 else 5
    later_seconds = float(os.environ.get("LATER", "35"))
    work = Path(tempfile.mkdtemp(prefix="trove-proxy-warm-"))
    try:
        upstream = bench.started_trove(work / "upstream", binary)
        for i in range(100):
            name = bench.small_name(0, i)
            upstream.publish(name, bench.publish_body(name, "1.0.0", bench.make_tarball(name, "1.0.0", 0, name)))
        tools = bench.Bench.__new__(bench.Bench)
        tools.work = work
        tools._install_counter = [0]
        _, consumer, run, arguments = bench.Bench.install_tools(tools)

        def install(registry):
            directory = consumer(registry, client)
            return run(registry, client, arguments(client), directory)

        proxy = bench.TroveProxy(work / "proxy", binary, upstream)
        proxy.work.mkdir()
        order = os.environ.get("ORDER", "cold warm local later").split()
        pause = float(os.environ.get("PAUSE", "0"))
        times = [[] for _ in order]  # by position: a step may come twice
        for round_ in range(rounds):
            proxy.stop()
            data = proxy.work / f"data-{round_}"
            proxy.prepare(data)
            proxy.start(data)
            for position, step in enumerate(order):
                time.sleep(pause)
                if step == "later":
                    time.sleep(later_seconds)
                times[position].append(install(upstream if step == "local" else proxy))
            print(f"round {round_}: " + ", ".join(f"{step} {times[i][-1]:.3f} s" for i, step in enumerate(order)),
                  flush=True)
        base = statistics.median(times[order.index("local")])
        print("medians: " + ", ".join(
            f"{step} {statistics.median(times[i]):.3f} s ({statistics.median(times[i]) / base:.3f}×)"
            for i, step in enumerate(order)))
    finally:
        bench.cleanup()
        subprocess.run(["rm", "-rf", str(work)])


if __name__ == "__main__":
    main()
