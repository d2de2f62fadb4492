#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench.py's "200 publishes" row for two trove binaries alone, in turns, each round on a fresh
store (docs/performance.md §9), and which files each one syncs per publish.

    python3 tests/bench/publish_turns.py OLD_BINARY NEW_BINARY     # ROUNDS=11 by default
    python3 tests/bench/publish_turns.py --syncs BINARY            # strace -y over 10 publishes

The stores go to a folder under $PUBDIR (default: the system's temporary folder): point it at
the disk you want to measure, since a tmpfs has no sync latency. Prints each round, the medians
and the median of the per-round ratios (NEW / OLD)."""
import collections
import http.client
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

spec = importlib.util.spec_from_file_location("bench", Path(__file__).resolve().parent / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def bodies(count):
    result = []
    for i in range(count):
        name = bench.small_name(0, i)
        result.append((name, bench.publish_body(name, "1.0.0", bench.make_tarball(name, "1.0.0", 0, name))))
    return result


def started(binary, base):
    work = Path(tempfile.mkdtemp(dir=base))
    registry = bench.Trove(work, binary)
    registry.prepare(work / "data")
    registry.start(work / "data")
    return registry


def publish_all(registry, batch):
    connection = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=60)
    start = time.perf_counter()
    for name, body in batch:
        registry.publish(name, body, connection)
    seconds = time.perf_counter() - start
    connection.close()
    return seconds


def turns(old, new, base):
    rounds = int(os.environ.get("ROUNDS", "11"))
    batch = bodies(200)
    times = {old: [], new: []}
    ratios = []
    for round_ in range(rounds):
        got = {}
        for binary in (old, new) if round_ % 2 == 0 else (new, old):
            registry = started(binary, base)
            bench.wait_idle(20)
            got[binary] = publish_all(registry, batch)
            registry.stop()
            shutil.rmtree(registry.work)
            times[binary].append(got[binary])
        ratios.append(got[new] / got[old])
        print(f"round {round_}: old {got[old]:.3f} s, new {got[new]:.3f} s, new / old {ratios[-1]:.3f}", flush=True)
    print(f"medians: old {statistics.median(times[old]):.3f} s, new {statistics.median(times[new]):.3f} s; "
          f"median of the per-round ratios {statistics.median(ratios):.3f}")


def syncs(binary, base):
    """Which files one publish syncs: strace -y names each descriptor's path."""
    registry = started(binary, base)
    trace = registry.work / "strace"
    tracer = subprocess.Popen(["strace", "-f", "-qq", "-y", "-o", str(trace), "-e", "trace=fsync,fdatasync",
                               "-p", str(registry.process.pid)])
    time.sleep(1)
    count = 10
    publish_all(registry, bodies(count))
    time.sleep(0.5)
    tracer.terminate()
    tracer.wait()
    calls = collections.Counter()
    root = str(registry.work / "data")
    for line in open(trace):
        found = re.search(r"(fsync|fdatasync)\(\d+<([^>]*)>", line)
        if not found:
            continue
        path = found.group(2).replace(root, "DATA")
        # One name per kind of file: digests, staging names and fan-out folders folded.
        path = re.sub(r"[0-9a-f]{20,}", "<digest>", path)
        path = re.sub(r"#[0-9]+", "<staging>", path)
        path = re.sub(r"/[0-9a-f]{2}(?=/|$)", "/xx", path)
        calls[(found.group(1), path)] += 1
    registry.stop()
    shutil.rmtree(registry.work)
    print(f"{binary}: syncs over {count} publishes")
    for (call, path), number in sorted(calls.items(), key=lambda item: item[0][1]):
        print(f"  {number / count:4.1f} per publish  {call:9}  {path}")


def main():
    base = os.environ.get("PUBDIR") or None
    try:
        if len(sys.argv) == 3 and sys.argv[1] == "--syncs":
            syncs(sys.argv[2], base)
        elif len(sys.argv) == 3:
            turns(sys.argv[1], sys.argv[2], base)
        else:
            sys.exit(__doc__)
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
