#!/usr/bin/env python3
"""Time a test selection: wall time, CPU time (this process and the children it waited for), the sum of
the tests' own durations (setup + call + teardown), and the tests that cost the most CPU.

    python scripts/time_tests.py -m "not slow and not ray and not multiprocess"   # the quick loop
    python scripts/time_tests.py --top 40                                         # the whole suite

Other arguments go to pytest. CPU time is what a test costs on an idle machine whatever else runs; the
wall time depends on the load, so the load average is printed before and after, with the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cpu_seconds() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Timer:
    """A pytest plugin: per test, its reported duration and the CPU seconds spent while it ran."""

    def __init__(self) -> None:
        self.tests: dict[str, list[float]] = {}

    def pytest_runtest_logstart(self, nodeid, location):
        self.tests[nodeid] = [0.0, cpu_seconds()]

    def pytest_runtest_logreport(self, report):
        rec = self.tests.setdefault(report.nodeid, [0.0, cpu_seconds()])
        rec[0] += report.duration
        if report.when == "teardown":
            rec[1] = cpu_seconds() - rec[1]


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--top", type=int, default=20, help="how many of the costliest tests to list")
    args, pytest_args = ap.parse_known_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import pytest

    print(f"machine: {machine()}; python {platform.python_version()}, pytest {pytest.__version__}")
    timer = Timer()
    t0, c0 = time.perf_counter(), cpu_seconds()
    code = pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT), *pytest_args], plugins=[timer])
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    done = timer.tests
    print(f"\n{len(done)} tests: wall {wall:.1f} s, CPU {cpu:.1f} s (collection and start-up included); "
          f"sum of test durations {sum(v[0] for v in done.values()):.1f} s, "
          f"of their CPU {sum(v[1] for v in done.values()):.1f} s")
    print(f"after: {machine()}")
    for nodeid, (dur, c) in sorted(done.items(), key=lambda kv: -kv[1][1])[:args.top]:
        print(f"  {c:7.2f} s CPU  {dur:7.2f} s  {nodeid}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
