#!/usr/bin/env python3
"""Times what a user waits for when a model opens: a command that loads a
model and prints its first logits, RUNS times, after one untimed run that
warms the page cache. Prints {"wall_ms", "cpu_ms", "sys_ms", "peak_rss_mb"}
with the best of the runs for each (kernel time is shown apart: on a fresh
page the kernel zeroes it first, which is most of what a load that copies
the weights costs; see core/model/panel_arena.h). Peak RSS includes the
mapped file's pages.

Usage: load_time.py RUNS -- COMMAND ARGS...
"""
import json
import resource
import subprocess
import sys
import time


def main():
    runs = int(sys.argv[1])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = cpu = sys_time = float("inf")
    peak = 0.0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        wall = min(wall, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        user = after.ru_utime - before.ru_utime
        kernel = after.ru_stime - before.ru_stime
        cpu = min(cpu, user + kernel)
        sys_time = min(sys_time, kernel)
        # ru_maxrss of children is the largest child so far (KiB on Linux).
        peak = after.ru_maxrss / 1024.0
    print(json.dumps({"wall_ms": round(wall * 1e3, 1), "cpu_ms": round(cpu * 1e3, 1),
                      "sys_ms": round(sys_time * 1e3, 1), "peak_rss_mb": round(peak, 1),
                      "runs": runs}))


if __name__ == "__main__":
    main()
