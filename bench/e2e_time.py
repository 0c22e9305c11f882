#!/usr/bin/env python3
"""Times one `beamscope-cli decode` setting per generated token for
bench/run_e2e.sh: runs it with 1 and with N+1 new tokens, RUNS times each, and
prints {"wall_ms", "cpu_ms"} per token = (best(N+1) - best(1)) / N, so the
load and the prompt's prefill cancel out. CPU time is the process's user +
system time over all its threads: on a shared machine the neighbours inflate
wall time but not CPU time (with several threads, CPU time also counts the
workers' spinning, so compare threads by wall time on a quiet machine).

Usage: e2e_time.py RUNS N -- CLI decode ARGS... (without --max-new-tokens)
"""
import json
import os
import resource
import subprocess
import sys
import time


def best(cmd, runs):
    wall = cpu = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return wall, cpu


def main():
    runs, n = int(sys.argv[1]), int(sys.argv[2])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    w1, c1 = best(cmd + ["--max-new-tokens", "1"], runs)
    wn, cn = best(cmd + ["--max-new-tokens", str(n + 1)], runs)
    print(json.dumps({"wall_ms": (wn - w1) * 1e3 / n, "cpu_ms": (cn - c1) * 1e3 / n,
                      "tokens": n, "runs": runs, "load_and_prefill_wall_ms": w1 * 1e3}))


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
