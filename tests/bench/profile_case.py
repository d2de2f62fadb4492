#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where `trove serve`'s time goes in one of bench.py's read cases (README, "Performance"): a
Trove with bench.py's 20-version package, wrk -t2 -c32 on the case for SECONDS + 2 s, and
`perf record -F 999 -g -p PID` across SECONDS of it; then perf's report by shared object and
by symbol (no children: each sample counted in the function it was taken in).

    python3 tests/bench/profile_case.py TROVE_BINARY [CASE] [SECONDS]
    # CASE: packument-token, abbreviated-token (default), abbreviated-gzip-token, not-found
"""
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

spec = importlib.util.spec_from_file_location("bench", Path(__file__).resolve().parent / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

CASES = {
    "packument-token": ("many", {}),
    "abbreviated-token": ("many", {"Accept": bench.ABBREVIATED}),
    "abbreviated-gzip-token": ("many", {"Accept": bench.ABBREVIATED, "Accept-Encoding": "gzip"}),
    "not-found": ("does-not-exist", {}),
}


def main():
    if len(sys.argv) not in (2, 3, 4) or (len(sys.argv) > 2 and sys.argv[2] not in CASES):
        sys.exit(__doc__)
    binary = sys.argv[1]
    case = sys.argv[2] if len(sys.argv) > 2 else "abbreviated-token"
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    if not shutil.which("perf"):
        sys.exit("perf is not installed (Debian: linux-perf)")
    work = Path(tempfile.mkdtemp(prefix="trove-profile-"))
    try:
        trove = bench.started_trove(work / "trove", binary)
        for _, body in bench.many_versions():
            trove.publish(f"@{bench.SCOPE}/many", body)
        package, headers = CASES[case]
        url = trove.origin + trove.package_path(f"@{bench.SCOPE}/{package}")
        arguments = ["wrk", "-t2", "-c32", f"-d{seconds + 2}s"]
        for name, value in {**headers, **trove.auth()}.items():
            arguments += ["-H", f"{name}: {value}"]
        load = subprocess.Popen(arguments + [url], stdout=subprocess.PIPE, text=True)
        time.sleep(1)
        data = work / "perf.data"
        subprocess.run(["perf", "record", "-F", "999", "-g", "-o", str(data), "-p", str(trove.process.pid),
                        "--", "sleep", str(seconds)], check=True, capture_output=True)
        print(load.communicate()[0])
        for sort in ("dso", "symbol"):
            report = subprocess.run(["perf", "report", "-i", str(data), "--no-children", "-g", "none",
                                     "--sort", sort, "--stdio", "--percent-limit", "1"],
                                    check=True, capture_output=True, text=True).stdout
            print("\n".join(line for line in report.splitlines() if line and not line.startswith("#")))
            print()
    finally:
        bench.cleanup()
        subprocess.run(["rm", "-rf", str(work)])


if __name__ == "__main__":
    main()
